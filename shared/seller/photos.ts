/**
 * Photo uploads: the seller asks for an upload slot, sends the file straight to storage (a
 * presigned S3 PUT in AWS, the local runtime's upload route locally), and the media pipeline
 * processes it; the seller polls the photo until it is ready or refused.
 */
import { auditPut } from '../db/audit.ts';
import { db } from '../db/client.ts';
import { concurrentChange, newId } from '../db/items.ts';
import { saveProduct } from '../db/listings.ts';
import { transactWrite } from '../db/retry.ts';
import { required } from '../services.ts';
import {
  imagePhotoId,
  isStalePending,
  photos,
  UPLOAD_MISSING,
  uploadKey,
  type ProductPhoto,
} from '../db/photos.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import type { Product } from '../domain/product.ts';
import {
  listingForEditor,
  listingForWriter,
  sellerView,
  type Listing,
  type SellerProduct,
} from './listings.ts';
import { actorRole } from './onboarding.ts';

/**
 * The seller center's words for this module's refusals: the same as SELLER_MESSAGES
 * (shared/domain/seller-messages.ts, which a unit test checks), written out here because that
 * table is the site's whole catalogue of messages, ≈ 11 KB the producers function would bundle
 * for these three.
 */
export const PHOTO_MESSAGES = {
  'photo.not_found': 'Không tìm thấy ảnh. Có thể ảnh đã bị xoá.',
  'product.archived': 'Sản phẩm đã lưu trữ nên không sửa được.',
  'photo.order_mismatch': 'Danh sách ảnh vừa thay đổi. Tải lại trang rồi sắp xếp lại.',
} as const;
const sellerMessage = (code: keyof typeof PHOTO_MESSAGES) => PHOTO_MESSAGES[code];

export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
}

/** Where uploads go: S3 presigned URLs in AWS, the local runtime's folder locally. */
export interface UploadTargets {
  create(key: string, contentType: string, bytes: number): Promise<UploadTarget>;
}

export const MAX_PHOTOS_PER_PRODUCT = 12;

/**
 * Marks a stale pending photo failed, so it no longer counts toward the limit nor spins forever
 * in the seller's list (an upload that still arrives later is ignored: only pending photos complete).
 */
async function settleIfStale(photo: ProductPhoto, nowMs: number): Promise<ProductPhoto> {
  if (!isStalePending(photo, nowMs)) return photo;
  await photos.complete(photo.productId, photo.photoId, { error: UPLOAD_MISSING });
  return { ...photo, status: 'failed', error: UPLOAD_MISSING };
}

export async function startPhotoUpload(
  p: Principal,
  productId: string,
  body: { contentType: string; bytes: number; alt?: string; purpose?: 'product' | 'certificate_scan' },
): Promise<{ photoId: string; upload: UploadTarget & { method: 'PUT' } }> {
  const listing = await listingForWriter(p, productId);
  const nowMs = Date.now();
  const current = await Promise.all(listing.photos.map((photo) => settleIfStale(photo, nowMs)));
  if (current.filter((photo) => photo.status !== 'failed').length >= MAX_PHOTOS_PER_PRODUCT) {
    throw conflict(
      'photo.too_many',
      `Tối đa ${MAX_PHOTOS_PER_PRODUCT} ảnh / At most ${MAX_PHOTOS_PER_PRODUCT} photos`,
    );
  }
  const targets = required('uploadTargets');
  const photoId = newId();
  await photos.createPending({
    productId,
    photoId,
    alt: body.alt ?? listing.product.name.vi,
    contentType: body.contentType,
    bytes: body.bytes,
    purpose: body.purpose ?? 'product',
  });
  const target = await targets.create(uploadKey(productId, photoId), body.contentType, body.bytes);
  return { photoId, upload: { method: 'PUT', ...target } };
}

export async function getPhoto(p: Principal, productId: string, photoId: string): Promise<ProductPhoto> {
  await listingForEditor(p, productId);
  const photo = await photos.listingPhoto(productId, photoId);
  if (!photo) throw notFound('photo.not_found', sellerMessage('photo.not_found'));
  return settleIfStale(photo, Date.now());
}

/** The new product, its record removed or not, and the audit entry, in one transaction. */
async function saveGallery(
  p: Principal,
  listing: Listing,
  images: Product['images'],
  action: 'photo.removed' | 'photo.reordered',
  photoId: string,
  removeRecord: boolean,
): Promise<SellerProduct> {
  const at = new Date().toISOString();
  const next: Product = { ...listing.product, images, updatedAt: at };
  await transactWrite([
    saveProduct(next, listing.product, listing.seller),
    ...(removeRecord ? [photos.removeItem(listing.product.id, photoId)] : []),
    auditPut(db().tableName, listing.seller.id, {
      at,
      actor: { sub: p.sub, role: actorRole(p, listing.seller.id) },
      action,
      subject: { type: 'product', id: next.id, name: next.name.vi },
      ...(action === 'photo.reordered' ? { details: { cover: photoId } } : {}),
    }),
  ]).catch(concurrentChange('product'));
  return sellerView({
    ...listing,
    product: next,
    photos: removeRecord ? listing.photos.filter((photo) => photo.photoId !== photoId) : listing.photos,
  });
}

/**
 * Deletes a photo of a listing: out of the gallery (and the catalog at its next poll), its record
 * gone; a failed or stale upload can be cleared the same way. Only the listing's writers may.
 */
export async function removePhoto(p: Principal, productId: string, photoId: string): Promise<SellerProduct> {
  const listing = await listingForWriter(p, productId);
  const inGallery = listing.product.images.some((image) => imagePhotoId(image.key) === photoId);
  const record = listing.photos.some((photo) => photo.photoId === photoId);
  if (!inGallery && !record) throw notFound('photo.not_found', sellerMessage('photo.not_found'));
  if (listing.product.status === 'archived')
    throw conflict('product.archived', sellerMessage('product.archived'));
  const images = listing.product.images.filter((image) => imagePhotoId(image.key) !== photoId);
  return saveGallery(p, listing, images, 'photo.removed', photoId, record);
}

/**
 * Puts a listing's photos in the given order; the first is the cover (the catalog card, the
 * product page's first photo). The ids must be exactly the gallery's photos.
 */
export async function orderPhotos(
  p: Principal,
  productId: string,
  photoIds: readonly string[],
): Promise<SellerProduct> {
  const listing = await listingForWriter(p, productId);
  if (listing.product.status === 'archived')
    throw conflict('product.archived', sellerMessage('product.archived'));
  const byId = new Map(listing.product.images.map((image) => [imagePhotoId(image.key), image]));
  const same =
    photoIds.length === byId.size &&
    new Set(photoIds).size === photoIds.length &&
    photoIds.every((id) => byId.has(id));
  if (!same) throw invalid('photo.order_mismatch', sellerMessage('photo.order_mismatch'));
  const images = photoIds.map((id) => byId.get(id)!);
  return saveGallery(p, listing, images, 'photo.reordered', photoIds[0]!, false);
}
