/** Key builders and item mapping shared by the repositories. */
import { QueryCommand, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import { db } from './client.ts';
import { allShardKeys, shardedKey } from './shards.ts';
import { keyAttributes } from './table.ts';

export type ItemType = 'producer' | 'product' | 'variant' | 'ocop' | 'lot' | 'stats';

/**
 * The storefront's catalog index is split into 32 partitions, `CATALOG#00` … `CATALOG#31`
 * (shards.ts): a product and its packs, certificates and lots share the shard of the product id, a
 * producer has the shard of its own id. Stock moves at checkout write the pack's index entry, so
 * a single catalog key would take every order; at 1,000 orders a minute spread over products each
 * shard takes about 1/32 (3 %) of those writes. Readers read every shard in parallel.
 */
const CATALOG_BASE = 'CATALOG';

/** The catalog shard (partition key of the `catalog` index) that an id belongs to. */
export const catalogShard = (id: string): string => shardedKey(CATALOG_BASE, id);

/** Every catalog shard, in order. */
export const CATALOG_SHARD_KEYS: readonly string[] = allShardKeys(CATALOG_BASE);

/**
 * The `catalog` index sort key of an item changed now: `<ISO time>#<type>#<id>`. It orders a
 * shard by last change, so a reader asks only for what changed since its last read; every write
 * a shopper can see sets it again (stock moves included).
 */
export function catalogSort(type: ItemType, id: string, at: number = Date.now()): string {
  return `${new Date(at).toISOString()}#${type}#${id}`;
}

/** Both `catalog` index attributes of an item: its shard (by `shardId`) and its change time. */
export function catalogEntry(type: ItemType, shardId: string, id: string) {
  return { catalogKey: catalogShard(shardId), catalogSort: catalogSort(type, id) };
}

export const keys = {
  producer: (id: string) => ({ pk: `PRODUCER#${id}`, sk: 'PRODUCER' }),
  product: (id: string) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' }),
  variant: (productId: string, id: string) => ({ pk: `PRODUCT#${productId}`, sk: `VARIANT#${id}` }),
  ocop: (productId: string, id: string) => ({ pk: `PRODUCT#${productId}`, sk: `OCOP#${id}` }),
  lot: (productId: string, id: string) => ({ pk: `PRODUCT#${productId}`, sk: `LOT#${id}` }),
  publicId: {
    producer: (slug: string) => `PRODUCER#${slug}`,
    product: (slug: string) => `PRODUCT#${slug}`,
    lot: (traceCode: string) => `LOT#${traceCode}`,
    /** A pack by its id: checkout finds the product a cart line names without a catalog load. */
    variant: (variantId: string) => `VARIANT#${variantId}`,
  },
};

const KEY_ATTRIBUTES = new Set([...keyAttributes(), 'type', 'searchName', 'searchText', 'removed']);

/** The entity stored in an item: every key and index attribute removed. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const entity: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(name)) entity[name] = value;
  }
  return entity as T;
}

/** Unique id: time-ordered, URL-safe. */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = crypto.getRandomValues(new Uint8Array(8));
  return `${time}${Array.from(random, (b) => (b % 36).toString(36)).join('')}`;
}

/** A Put that claims a slug: fails if another item already holds it. */
export function slugGuard(tableName: string, kind: 'producer' | 'product', slug: string, ownerId: string) {
  return {
    TableName: tableName,
    Item: { pk: `SLUG#${kind}#${slug}`, sk: 'SLUG', type: 'slug', ownerId },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/** Turns a cancelled slug-claiming transaction into a readable conflict. */
export function uniqueSlugError(kind: 'producer' | 'product', slug: string) {
  return (error: unknown): never => {
    if (error instanceof Error && error.name === 'TransactionCanceledException') {
      throw conflict(`${kind}.slug_taken`, `The ${kind} address "${slug}" is already in use`);
    }
    throw error;
  };
}

/** The entity published under a slug or trace code (byPublicId index), if any. */
export async function findByPublicId<T>(publicId: string): Promise<T | undefined> {
  const { doc, tableName } = db();
  const { Items } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byPublicId',
      KeyConditionExpression: 'publicId = :id',
      ExpressionAttributeValues: { ':id': publicId },
      Limit: 1,
    }),
  );
  return Items?.[0] ? fromItem<T>(Items[0]) : undefined;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The Put of a versioned item: `'new'` when its key must be free, otherwise only while the stored
 * attributes still hold the values expected (an optimistic lock, e.g. `{ status, version }`).
 */
export function guardedPut(
  Item: Record<string, unknown>,
  expected: 'new' | Record<string, string | number>,
): TransactItem {
  const TableName = db().tableName;
  if (expected === 'new')
    return { Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } };
  const fields = Object.entries(expected);
  return {
    Put: {
      TableName,
      Item,
      ConditionExpression: fields.map(([name]) => `#${name} = :${name}`).join(' AND '),
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])),
    },
  };
}

/** Turns a lost optimistic-lock race into a 409 the caller can act on (reload and retry). */
export function concurrentChange(kind: string) {
  return (error: unknown): never => {
    if (error instanceof Error && error.name === 'TransactionCanceledException') {
      throw conflict(
        `${kind}.changed`,
        'Dữ liệu vừa được thay đổi, hãy tải lại và thử lại / Changed meanwhile: reload and retry',
      );
    }
    throw error;
  };
}

/**
 * Every item a Query finds, following its pages (the one paged query loop of the storage files);
 * with `max`, stops once that many were read.
 */
export async function queryAll(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  options: { max?: number } = {},
): Promise<Record<string, unknown>[]> {
  const { doc, tableName } = db();
  const max = options.max ?? Infinity;
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const Limit = Number.isFinite(max) ? max - items.length : input.Limit;
    const page = await doc.send(
      new QueryCommand({
        ...input,
        ...(Limit !== undefined ? { Limit } : {}),
        TableName: tableName,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < max);
  return items;
}
