/**
 * The public side of reviews, for the catalog function (read only, and kept light: no orders,
 * no photo uploads): what the storefront shows of a review, and a product's visible reviews.
 */
import * as z from 'zod';
import { reviews } from '../db/reviews.ts';
import { imageView } from '../domain/catalog-view.ts';
import { openCursor, sealCursor } from '../domain/cursor.ts';
import type { Review, ReviewPage, ReviewView } from './model.ts';

/** What the storefront shows of a review (never the order, the phone or the street). */
export function reviewView(review: Review): ReviewView {
  return {
    id: review.id,
    stars: review.stars,
    text: review.text,
    photos: review.photos.map(imageView),
    pack: review.pack,
    season: review.season,
    author: review.author,
    verifiedPurchase: true,
    createdAt: review.createdAt,
    reply: review.reply ? { text: review.reply.text, at: review.reply.at, name: review.reply.name } : null,
  };
}

const Position = z.string().max(200);
const cursorScope = (productId: string) => `reviews:${productId}`;

/** A product's visible reviews, newest first, one page at a time. */
export async function listProductReviews(
  productId: string,
  page: { limit: number; cursor?: string },
): Promise<ReviewPage> {
  const after = page.cursor ? openCursor(cursorScope(productId), page.cursor, Position) : undefined;
  const found = await reviews.visiblePage(productId, { limit: page.limit, ...(after ? { after } : {}) });
  return {
    items: found.items.map(reviewView),
    nextCursor: found.next ? sealCursor(cursorScope(productId), found.next) : null,
  };
}
