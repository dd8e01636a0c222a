/**
 * The raw catalog: the items of the sharded `catalog` index, read whole (every shard in parallel)
 * or as the changes of one shard since a point in time, without building the shopper's views.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogItem } from '../domain/catalog-query.ts';
import type { ProductStats } from '../domain/catalog-view.ts';
import type { Lot } from '../domain/lot.ts';
import type { OcopCertificate } from '../domain/ocop.ts';
import type { Producer } from '../domain/producer.ts';
import type { Product, Variant } from '../domain/product.ts';
import { db } from './client.ts';
import { fromItem } from './items.ts';

/** What one read of a shard returned, and what it cost. */
export interface ShardRead {
  /** The items read (empty when they were handed to `onPage`). */
  items: CatalogItem[];
  /** How many items were read. */
  count: number;
  /** Size of the items read, as DynamoDB JSON would count it roughly (JSON length); 0 unless counted. */
  bytes: number;
  /** Read capacity units the Query pages consumed. */
  readUnits: number;
  /** Query calls made (pages). */
  requests: number;
}

/** A stored catalog index item as the read model applies it. */
export function toCatalogItem(item: Record<string, unknown>): CatalogItem | undefined {
  const version = String(item.catalogSort);
  const removed = item.removed === true ? { removed: true } : {};
  switch (item.type) {
    case 'product':
      // Search fields stay on products: the model ranks with them.
      return {
        type: 'product',
        version,
        ...removed,
        entity: {
          ...fromItem<Product>(item),
          searchName: item.searchName,
          searchText: item.searchText,
        } as Product,
      };
    case 'variant':
      return { type: 'variant', version, ...removed, entity: fromItem<Variant>(item) };
    case 'ocop':
      return { type: 'ocop', version, ...removed, entity: fromItem<OcopCertificate>(item) };
    case 'lot':
      return { type: 'lot', version, ...removed, entity: fromItem<Lot>(item) };
    case 'producer':
      return { type: 'producer', version, ...removed, entity: fromItem<Producer>(item) };
    case 'product_stats':
      return { type: 'stats', version, ...removed, entity: fromItem<ProductStats>(item) };
    default:
      return undefined;
  }
}

/**
 * Items of one catalog shard whose last change is at or after `since` (an ISO time), or the whole
 * shard without it. The index is ordered by change time, so a read with nothing new costs one
 * empty Query. `countBytes` serializes every item to measure it (for the bench, not the function).
 */
export async function readCatalogShard(
  shard: string,
  since?: string,
  onPage?: (items: CatalogItem[]) => void,
  options: { countBytes?: boolean } = {},
): Promise<ShardRead> {
  const { doc, tableName } = db();
  const read: ShardRead = { items: [], count: 0, bytes: 0, readUnits: 0, requests: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'catalog',
        KeyConditionExpression: since
          ? 'catalogKey = :shard AND catalogSort >= :since'
          : 'catalogKey = :shard',
        ExpressionAttributeValues: { ':shard': shard, ...(since ? { ':since': since } : {}) },
        ReturnConsumedCapacity: 'TOTAL',
        ExclusiveStartKey,
      }),
    );
    read.requests++;
    read.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    const items: CatalogItem[] = [];
    for (const raw of page.Items ?? []) {
      if (options.countBytes) read.bytes += JSON.stringify(raw).length;
      const item = toCatalogItem(raw);
      if (item) items.push(item);
    }
    read.count += items.length;
    // Handed over page by page, so a whole shard is never held twice in memory.
    if (onPage) onPage(items);
    else read.items.push(...items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return read;
}
