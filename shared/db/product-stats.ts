/**
 * Per product, what shoppers see of its buyers: the rating aggregate (count and sum of the visible
 * reviews' stars) and the units sold (delivered lines). One item per product,
 * `PRODUCT#<id> / STATS`, changed by `ADD` in the same transaction as the review that moves it
 * (shared/db/reviews.ts) or the delivery that sells (shared/orders/lifecycle.ts): never recounted
 * by a scan, and no key shared by all products. The item is in the product's catalog shard and
 * its change time re-sorts it there, so every catalog read model picks it up at its next poll.
 */
import type { ProductStats } from '../domain/catalog-view.ts';
import { db } from './client.ts';
import { catalogEntry, keys, type TransactItem } from './items.ts';

export const statsKey = (productId: string) => ({ pk: keys.product(productId).pk, sk: 'STATS' });

/** Adds to a product's counters (negative to take back), in the caller's transaction. */
export function addToStats(
  productId: string,
  change: Partial<Pick<ProductStats, 'ratingCount' | 'ratingSum' | 'sold'>>,
): TransactItem {
  const fields = Object.entries(change).filter(([, value]) => value !== undefined && value !== 0);
  const { catalogKey, catalogSort } = catalogEntry('stats', productId, productId);
  return {
    Update: {
      TableName: db().tableName,
      Key: statsKey(productId),
      UpdateExpression: `SET #type = :type, id = :id, catalogKey = :key, catalogSort = :sort${
        fields.length ? ` ADD ${fields.map(([name]) => `#${name} :${name}`).join(', ')}` : ''
      }`,
      ExpressionAttributeNames: {
        '#type': 'type',
        ...Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: {
        ':type': 'product_stats',
        ':id': productId,
        ':key': catalogKey,
        ':sort': catalogSort,
        ...Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])),
      },
    },
  };
}

/** Units sold per product in the given lines (one counter write per product). */
export function soldUpdates(lines: readonly { productId: string; quantity: number }[]): TransactItem[] {
  const byProduct = new Map<string, number>();
  for (const line of lines)
    byProduct.set(line.productId, (byProduct.get(line.productId) ?? 0) + line.quantity);
  return [...byProduct].map(([productId, sold]) => addToStats(productId, { sold }));
}
