/**
 * Reviews in the table:
 *   REVIEW#<id> / REVIEW                        review; while visible also byOwner
 *                                               REVIEWS#<productId> / <createdAt>#<id> (newest first)
 *   REVIEWLINE#<orderCode>#<variantId> / LINE   review_line: claims the order line, so each delivered
 *                                               line is reviewed once (a conditional Put)
 * The rating aggregate of the product (product-stats.ts) moves in the same transaction as the
 * review that changes it. Hiding a review drops its index entry, so the public list never reads it.
 * Keys are per review and per product: no partition is written by every review.
 */
import type { AuditEntry } from './audit.ts';
import { auditPut } from './audit.ts';
import { db } from './client.ts';
import { fromItem, type TransactItem } from './items.ts';
import { getConsistent } from './item-access.ts';
import { listPage } from './pages.ts';
import { addToStats } from './product-stats.ts';
import { transactWrite } from './retry.ts';
import type { Review } from '../reviews/model.ts';

const reviewKey = (id: string) => ({ pk: `REVIEW#${id}`, sk: 'REVIEW' });
const lineKey = (orderCode: string, variantId: string) => ({
  pk: `REVIEWLINE#${orderCode}#${variantId}`,
  sk: 'LINE',
});
const productReviews = (productId: string) => `REVIEWS#${productId}`;
const ownerSort = (review: Pick<Review, 'createdAt' | 'id'>) => `${review.createdAt}#${review.id}`;

const isCancelled = (error: unknown) =>
  error instanceof Error && error.name === 'TransactionCanceledException';

export const reviews = {
  /**
   * Writes a new review, the claim of its order line and the product's aggregate in one
   * transaction. False when the line was reviewed already (the claim exists).
   */
  async create(review: Review): Promise<boolean> {
    const { tableName } = db();
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: {
              ...lineKey(review.orderCode, review.variantId),
              type: 'review_line',
              reviewId: review.id,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...reviewKey(review.id),
              type: 'review',
              ownerKey: productReviews(review.productId),
              ownerSort: ownerSort(review),
              ...review,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        addToStats(review.productId, { ratingCount: 1, ratingSum: review.stars }),
      ]);
      return true;
    } catch (error) {
      if (isCancelled(error)) return false;
      throw error;
    }
  },

  async get(id: string): Promise<Review | undefined> {
    const item = await getConsistent(reviewKey(id));
    return item ? fromItem<Review>(item) : undefined;
  },

  /** The review of an order line, if written. */
  async ofLine(orderCode: string, variantId: string): Promise<string | undefined> {
    const item = await getConsistent(lineKey(orderCode, variantId));
    return typeof item?.reviewId === 'string' ? item.reviewId : undefined;
  },

  /** One page of a product's visible reviews, newest first (`after`: the previous page's position). */
  async visiblePage(
    productId: string,
    page: { limit: number; after?: string },
  ): Promise<{ items: Review[]; next: string | null }> {
    const found = await listPage(
      [
        {
          index: 'byOwner',
          partitionKey: 'ownerKey',
          partitionValue: productReviews(productId),
          sortKey: 'ownerSort',
          sortPrefix: '',
        },
      ],
      { limit: page.limit, ...(page.after ? { after: page.after } : {}), descending: true },
    );
    return { items: found.items.map((item) => fromItem<Review>(item)), next: found.next };
  },

  /** Adds the seller's reply, only if there is none yet: false when one was written first. */
  async reply(id: string, reply: NonNullable<Review['reply']>): Promise<boolean> {
    try {
      await transactWrite([
        {
          Update: {
            TableName: db().tableName,
            Key: reviewKey(id),
            UpdateExpression: 'SET reply = :reply',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(reply)',
            ExpressionAttributeValues: { ':reply': reply },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (isCancelled(error)) return false;
      throw error;
    }
  },

  /**
   * Hides a visible review: out of the product's list (its index entry removed) and out of the
   * aggregate, with the audit entry, in one transaction. False when it was hidden already.
   */
  async hide(review: Review, hidden: NonNullable<Review['hidden']>, audit: AuditEntry): Promise<boolean> {
    const { tableName } = db();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName,
          Key: reviewKey(review.id),
          UpdateExpression: 'SET #hidden = :hidden REMOVE ownerKey, ownerSort',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#hidden)',
          ExpressionAttributeNames: { '#hidden': 'hidden' },
          ExpressionAttributeValues: { ':hidden': hidden },
        },
      },
      addToStats(review.productId, { ratingCount: -1, ratingSum: -review.stars }),
      auditPut(tableName, review.sellerId, audit),
    ];
    try {
      await transactWrite(items);
      return true;
    } catch (error) {
      if (isCancelled(error)) return false;
      throw error;
    }
  },
};
