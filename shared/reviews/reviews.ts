/**
 * Reviews from verified buyers: photo upload slots, writing a review, the public list, the
 * seller's one reply and an admin's hiding. Who is writing is proven by the order code and the
 * phone the order was placed with (as on the tracking page); the line must be delivered, and
 * within REVIEW_LIMITS.windowDays of its delivery.
 */
import { getConsistent } from '../db/item-access.ts';
import { keys, newId } from '../db/items.ts';
import { getOrderWithSubs } from '../db/orders.ts';
import { photos, REVIEW_PHOTO_PREFIX, uploadKey, type ProductPhoto } from '../db/photos.ts';
import { producers } from '../db/producers.ts';
import { hit } from '../db/rate-limits.ts';
import { reviews } from '../db/reviews.ts';
import { imageView } from '../domain/catalog-view.ts';
import { reviewView } from './views.ts';
import { conflict, forbidden, invalid, notFound, rateLimited } from '../domain/errors.ts';
import { canManageListings, isAdmin, type Principal } from '../domain/permissions.ts';
import { toE164 } from '../domain/phone.ts';
import type { Product } from '../domain/product.ts';
import type { Order, SubOrder } from '../orders/model.ts';
import { required } from '../services.ts';
import type { UploadTarget } from '../seller/photos.ts';
import {
  REVIEW_LIMITS,
  reviewAuthor,
  reviewEligibility,
  seasonOf,
  type CreateReviewBody,
  type Review,
  type ReviewLineRef,
  type ReviewView,
  type StartReviewPhotoBody,
} from './model.ts';

const orderNotFound = () =>
  notFound(
    'order.not_found',
    'Không tìm thấy đơn hàng với mã và số điện thoại này / No such order for this phone',
  );

/** The order, when the phone is the one it was placed with (same answer for a wrong code or phone). */
async function shopperOrder(code: string, phone: string): Promise<{ order: Order; subs: SubOrder[] }> {
  const found = await getOrderWithSubs(code);
  const e164 = toE164(phone);
  if (!found || !e164 || found.order.contact.phone !== e164) throw orderNotFound();
  return found;
}

const REFUSALS = {
  no_line: () =>
    forbidden(
      'review.no_line',
      'Đơn hàng này không có gói sản phẩm đó; chỉ người đã mua mới đánh giá được / This order has no such pack: only buyers can review it',
    ),
  not_delivered: () =>
    forbidden(
      'review.not_delivered',
      'Chỉ đánh giá được sau khi đã nhận hàng / You can review once the order has been delivered',
    ),
  too_late: () =>
    forbidden(
      'review.too_late',
      `Đã quá ${REVIEW_LIMITS.windowDays} ngày kể từ khi nhận hàng, không thể đánh giá nữa / Reviews close ${REVIEW_LIMITS.windowDays} days after delivery`,
    ),
};

const alreadyReviewed = () =>
  conflict(
    'review.exists',
    'Bạn đã đánh giá gói hàng này của đơn rồi; mỗi gói đã mua được đánh giá một lần / This line of the order was reviewed already',
  );

/** The delivered line a shopper may review now, or the reason why not. */
async function reviewableLine(ref: ReviewLineRef, now: Date) {
  const { order, subs } = await shopperOrder(ref.orderCode, ref.phone);
  const eligible = reviewEligibility(subs, ref.variantId, now);
  if (!eligible.ok) throw REFUSALS[eligible.reason]();
  if (await reviews.ofLine(order.code, ref.variantId)) throw alreadyReviewed();
  return { order, ...eligible };
}

const lineOf = (orderCode: string, variantId: string) => `${orderCode}#${variantId}`;

/**
 * An upload slot for one photo of a review to come: the same upload target and processing as a
 * listing's photos (presigned PUT, then the media pipeline). A line gets a few slots a day.
 */
export async function startReviewPhotoUpload(
  body: StartReviewPhotoBody,
  now: Date,
): Promise<{ photoId: string; upload: UploadTarget & { method: 'PUT' } }> {
  const { order, line } = await reviewableLine(body, now);
  if (
    !(await hit(
      `review-photos#${lineOf(order.code, line.variantId)}`,
      REVIEW_LIMITS.photoSlotsPerLine,
      86_400,
    ))
  )
    throw rateLimited(
      'review.too_many_photos',
      'Đã tải lên quá nhiều ảnh cho đánh giá này hôm nay; hãy thử lại ngày mai / Too many photo uploads for this review today',
    );
  const photoId = `${REVIEW_PHOTO_PREFIX}${newId()}`;
  await photos.createPending({
    productId: line.productId,
    photoId,
    alt: `Ảnh của người mua: ${line.productName}`,
    contentType: body.contentType,
    bytes: body.bytes,
    purpose: 'review',
    line: lineOf(order.code, line.variantId),
  });
  const target = await required('uploadTargets').create(
    uploadKey(line.productId, photoId),
    body.contentType,
    body.bytes,
  );
  return { photoId, upload: { method: 'PUT', ...target } };
}

/** A review photo's state (pending, ready or refused with the reason), for the order's phone only. */
export async function getReviewPhoto(
  photoId: string,
  proof: { orderCode: string; phone: string },
): Promise<Pick<ProductPhoto, 'photoId' | 'status' | 'error'> & { image?: ReturnType<typeof imageView> }> {
  const { order } = await shopperOrder(proof.orderCode, proof.phone);
  const photo = await photos.reviewPhoto(photoId);
  if (!photo || !photo.line?.startsWith(`${order.code}#`))
    throw notFound('photo.not_found', 'Không tìm thấy ảnh / Photo not found');
  return {
    photoId,
    status: photo.status,
    ...(photo.error ? { error: photo.error } : {}),
    ...(photo.image ? { image: imageView(photo.image) } : {}),
  };
}

/** The photos a review names: each ready, and uploaded for this very line. */
async function reviewPhotos(ids: readonly string[], line: string): Promise<Review['photos']> {
  const found = await Promise.all(ids.map((id) => photos.reviewPhoto(id)));
  return found.map((photo, i) => {
    if (!photo || photo.line !== line)
      throw invalid(
        'review.photo_unknown',
        `Ảnh ${i + 1} không phải ảnh tải lên cho đánh giá này / Photo ${i + 1} was not uploaded for this review`,
      );
    if (photo.status === 'failed')
      throw invalid('review.photo_refused', `Ảnh ${i + 1}: ${photo.error?.message ?? 'không dùng được'}`);
    if (photo.status !== 'ready' || !photo.image)
      throw conflict(
        'review.photo_pending',
        `Ảnh ${i + 1} đang được xử lý; chờ vài giây rồi gửi lại / Photo ${i + 1} is still being processed: send again in a few seconds`,
      );
    return photo.image;
  });
}

/** A verified buyer's review of one delivered line. */
export async function createReview(body: CreateReviewBody, now: Date): Promise<ReviewView> {
  const { order, sub, line } = await reviewableLine(body, now);
  const photoRefs = await reviewPhotos(body.photoIds, lineOf(order.code, line.variantId));
  // The listing's owner answers for it: a pre-order line names the member household that picked
  // it, which is not always the owner of the listing.
  const product = (await getConsistent(keys.product(line.productId))) as
    Pick<Product, 'producerId'> | undefined;
  if (!product)
    throw notFound('product.not_found', 'Không tìm thấy sản phẩm này nữa / This product no longer exists');
  const review: Review = {
    id: newId(),
    productId: line.productId,
    sellerId: product.producerId,
    fulfillerId: sub.fulfillerId,
    orderCode: order.code,
    variantId: line.variantId,
    stars: body.stars,
    text: body.text,
    photos: photoRefs,
    pack: line.pack,
    season: seasonOf(order.createdAt),
    author: reviewAuthor(order),
    createdAt: now.toISOString(),
  };
  if (!(await reviews.create(review))) throw alreadyReviewed();
  return reviewView(review);
}

async function requireReview(id: string): Promise<Review> {
  const review = await reviews.get(id);
  if (!review) throw notFound('review.not_found', 'Không tìm thấy đánh giá / No such review');
  return review;
}

/** The seller (or its cooperative's manager) answers a review, once. */
export async function replyToReview(
  p: Principal,
  reviewId: string,
  text: string,
  now: Date,
): Promise<ReviewView> {
  const review = await requireReview(reviewId);
  const seller = await producers.get(review.sellerId);
  if (!seller || !canManageListings(p, seller))
    throw forbidden(
      'review.not_yours',
      'Chỉ người bán sản phẩm này (hoặc hợp tác xã của họ) mới trả lời được / Only this product’s seller can reply',
    );
  if (review.hidden) throw conflict('review.hidden', 'Đánh giá này đã bị ẩn / This review is hidden');
  const reply = { text, at: now.toISOString(), by: p.sub, name: seller.name };
  if (!(await reviews.reply(review.id, reply)))
    throw conflict(
      'review.reply_exists',
      'Đánh giá này đã có câu trả lời; mỗi đánh giá chỉ trả lời một lần / This review has a reply already',
    );
  return reviewView({ ...review, reply });
}

/** An admin hides a review that breaks the published rule, with the reason, in the seller's audit. */
export async function hideReview(
  p: Principal,
  reviewId: string,
  reason: string,
  now: Date,
): Promise<{ id: string; hidden: true; reason: string }> {
  if (!isAdmin(p))
    throw forbidden('auth.admins_only', 'Chỉ quản trị viên mới làm được việc này / Admins only');
  const review = await requireReview(reviewId);
  const at = now.toISOString();
  const hidden = { reason, at, by: p.sub };
  const done =
    !review.hidden &&
    (await reviews.hide(review, hidden, {
      at,
      actor: { sub: p.sub, role: 'admin' },
      action: 'review.hidden',
      subject: { type: 'review', id: review.id },
      reason,
      details: { productId: review.productId, stars: review.stars },
    }));
  if (!done)
    throw conflict('review.already_hidden', 'Đánh giá này đã bị ẩn rồi / This review is hidden already');
  return { id: review.id, hidden: true, reason };
}
