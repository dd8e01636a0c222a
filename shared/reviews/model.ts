/**
 * Reviews from verified buyers: what a shopper sends, what the storefront shows, and the rules of
 * who may review what. Pure: no database, no clock (callers pass `now`).
 *
 * A review belongs to one delivered order line (one pack of one order): the order code and the
 * phone the order was placed with prove who is writing, as on the tracking page. The pack and the
 * season come from the order line and its dates, the buyer's first name and province from the
 * order's contact and delivery address; nothing of that is taken from the body, and the phone and
 * street are never shown.
 */
import * as z from 'zod';
import { findProvince } from '../domain/admin-units.ts';
import { PhoneNumber, Text } from '../domain/common.ts';
import { ImageView } from '../domain/catalog-view.ts';
import type { Order, OrderLine, SubOrder } from '../orders/model.ts';

export const REVIEW_LIMITS = {
  /** Days after delivery during which the line can be reviewed. */
  windowDays: 60,
  textLength: 1000,
  replyLength: 1000,
  reasonLength: 300,
  photos: 3,
  /** Upload slots one order line may ask for (a few retries of three photos). */
  photoSlotsPerLine: 10,
  /** Reviews per page of `listProductReviews`. */
  pageDefault: 10,
  pageMax: 30,
} as const;

const ORDER_CODE = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^TN-[2-9A-HJKMNP-Z]{5}$/, 'Mã đơn có dạng TN-XXXXX / An order code looks like TN-XXXXX');

/** Who is writing and about which line: the tracking page's proof (code + phone) and the pack. */
export const ReviewLineRef = z.strictObject({
  orderCode: ORDER_CODE,
  phone: PhoneNumber,
  variantId: z.string().min(1).max(64),
});
export type ReviewLineRef = z.infer<typeof ReviewLineRef>;

export const REVIEW_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;

/** An upload slot for a review photo (the photo is processed by the same pipeline as listings'). */
export const StartReviewPhotoBody = ReviewLineRef.extend({
  contentType: z.enum(REVIEW_PHOTO_TYPES),
  bytes: z
    .int()
    .min(1)
    .max(15 * 1024 * 1024, 'Ảnh tối đa 15 MB / At most 15 MB'),
}).meta({ id: 'StartReviewPhoto' });
export type StartReviewPhotoBody = z.infer<typeof StartReviewPhotoBody>;

export const ReviewPhotoQuery = z.strictObject({
  orderCode: ORDER_CODE,
  phone: PhoneNumber,
});

export const CreateReviewBody = ReviewLineRef.extend({
  stars: z
    .int('Số sao là số nguyên từ 1 đến 5 / Stars are a whole number from 1 to 5')
    .min(1, 'Ít nhất 1 sao / At least 1 star')
    .max(5, 'Nhiều nhất 5 sao / At most 5 stars'),
  text: Text(REVIEW_LIMITS.textLength),
  photoIds: z
    .array(z.string().min(1).max(64))
    .max(
      REVIEW_LIMITS.photos,
      `Tối đa ${REVIEW_LIMITS.photos} ảnh mỗi đánh giá / At most ${REVIEW_LIMITS.photos} photos per review`,
    )
    .refine((ids) => new Set(ids).size === ids.length, 'Mỗi ảnh một lần / Each photo once')
    .default([]),
}).meta({ id: 'CreateReview' });
export type CreateReviewBody = z.infer<typeof CreateReviewBody>;

export const ReplyToReviewBody = z
  .strictObject({ text: Text(REVIEW_LIMITS.replyLength) })
  .meta({ id: 'ReplyToReview' });

export const HideReviewBody = z
  .strictObject({ reason: Text(REVIEW_LIMITS.reasonLength) })
  .meta({ id: 'HideReview' });

/** A review as stored (shared/db/reviews.ts). */
export interface Review {
  id: string;
  productId: string;
  /** The listing's owner (the product's producer, not a pre-order's picking household): who may reply. */
  sellerId: string;
  /** Who fulfilled the line (the seller, or its cooperative). */
  fulfillerId: string;
  orderCode: string;
  variantId: string;
  stars: number;
  text: string;
  photos: { key: string; alt: string; width: number; height: number }[];
  pack: string;
  season: string;
  author: { firstName: string; province: string | null };
  createdAt: string;
  reply?: { text: string; at: string; by: string; name: string };
  hidden?: { reason: string; at: string; by: string };
}

export const ReviewView = z
  .object({
    id: z.string(),
    stars: z.int().min(1).max(5),
    text: z.string().meta({ description: 'Plain text: render it escaped' }),
    photos: z.array(ImageView),
    pack: z.string().meta({ description: 'The pack bought, from the order line' }),
    season: z.string().meta({ description: 'The season it was bought in (Vietnamese, e.g. "Vụ xuân 2026")' }),
    author: z.object({
      firstName: z.string(),
      province: z.string().nullable().meta({ description: 'The delivery province; null for pick-up' }),
    }),
    verifiedPurchase: z.literal(true),
    createdAt: z.string(),
    reply: z.object({ text: z.string(), at: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: 'Review' });
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewPage = z
  .object({
    items: z.array(ReviewView),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page' }),
  })
  .meta({ id: 'ReviewPage' });
export type ReviewPage = z.infer<typeof ReviewPage>;

/**
 * What is shown of the buyer: the last word of the name on the order (Vietnamese names put the
 * given name last: "Nguyễn Thị Lan" → "Lan"), and the province the order was delivered to.
 */
export function reviewAuthor(order: Pick<Order, 'contact' | 'delivery'>): Review['author'] {
  const words = order.contact.name.trim().split(/\s+/u);
  const firstName = words.at(-1) || 'Khách';
  const province =
    order.delivery.method === 'shipping'
      ? (findProvince(order.delivery.address.provinceCode)?.name ?? null)
      : null;
  return { firstName, province };
}

const SEASONS = [
  { from: 2, name: 'xuân' },
  { from: 5, name: 'hè' },
  { from: 8, name: 'thu' },
  { from: 11, name: 'đông' },
] as const;

/**
 * The tea season of a date, Vietnam time: spring (vụ xuân) February–April, summer May–July,
 * autumn August–October, winter November–January (January counts with the previous year's winter).
 */
export function seasonOf(iso: string): string {
  const local = new Date(Date.parse(iso) + 7 * 3600_000);
  const month = local.getUTCMonth() + 1;
  const year = month === 1 ? local.getUTCFullYear() - 1 : local.getUTCFullYear();
  const season = [...SEASONS].reverse().find((s) => month >= s.from) ?? SEASONS[3];
  return `Vụ ${season.name} ${year}`;
}

/** When the part of the order with this line was delivered (its first `delivered` step). */
export function deliveredAt(sub: SubOrder): string | undefined {
  if (sub.status !== 'delivered' && sub.status !== 'completed') return undefined;
  return sub.history.find((step) => step.status === 'delivered')?.at;
}

export type Eligibility =
  | { ok: true; line: OrderLine; sub: SubOrder; deliveredAt: string }
  | { ok: false; reason: 'no_line' | 'not_delivered' | 'too_late' };

/** May the line of `variantId` in this order be reviewed now? */
export function reviewEligibility(subs: readonly SubOrder[], variantId: string, now: Date): Eligibility {
  const sub = subs.find((s) => s.lines.some((l) => l.variantId === variantId));
  const line = sub?.lines.find((l) => l.variantId === variantId);
  if (!sub || !line) return { ok: false, reason: 'no_line' };
  const at = deliveredAt(sub);
  if (!at) return { ok: false, reason: 'not_delivered' };
  if (now.getTime() - Date.parse(at) > REVIEW_LIMITS.windowDays * 86_400_000)
    return { ok: false, reason: 'too_late' };
  return { ok: true, line, sub, deliveredAt: at };
}
