/**
 * Orders in the table:
 *   ORDER#<code> / ORDER              the order (aggregate status, totals, payment reference)
 *   ORDER#<code> / SUB#<fulfillerId>  a sub-order; on the byOwner index under FULFILLER#<id>,
 *                                     sorted by creation time, for the cooperative's board
 *   ORDEREXP#<shard> / <payByMs>#<code>  unpaid online orders, by the time they expire; sharded
 *                                     (`<shard>` 00…31 from a hash of the code, db/shards.ts) so
 *                                     no partition takes every order; one expiry worker a shard
 *   ORDERIDEM#<key> / IDEM            an Idempotency-Key of POST /api/orders and its answer (TTL)
 *   PRODUCER#<id> / SHIPPING          a cooperative's shipping rules
 * Every change is conditional on the version read, so concurrent managers never lose an update.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Order, SubOrder } from '../orders/model.ts';
import { ShippingRules } from '../orders/shipping.ts';
import { db } from './client.ts';
import { catalogSort, guardedPut, type TransactItem } from './items.ts';
import { shardedKey, shardKey } from './shards.ts';

/** Base of the expiry markers' shards (`ORDEREXP#<shard>`). */
export const EXPIRY_PARTITION = 'ORDEREXP';

export const orderKeys = {
  order: (code: string) => ({ pk: `ORDER#${code}`, sk: 'ORDER' }),
  sub: (code: string, fulfillerId: string) => ({ pk: `ORDER#${code}`, sk: `SUB#${fulfillerId}` }),
  expiry: (payByMs: number, code: string) => ({
    pk: shardedKey(EXPIRY_PARTITION, code),
    sk: `${String(payByMs).padStart(15, '0')}#${code}`,
  }),
  shipping: (producerId: string) => ({ pk: `PRODUCER#${producerId}`, sk: 'SHIPPING' }),
  fulfiller: (fulfillerId: string) => `FULFILLER#${fulfillerId}`,
};

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ownerKey: _ok, ownerSort: _os, ...rest } = item;
  return rest as T;
};

export function putOrder(order: Order, expectedVersion: number | 'new'): TransactItem {
  const Item = { ...orderKeys.order(order.code), type: 'order', ...order };
  return guardedPut(Item, expectedVersion === 'new' ? 'new' : { version: expectedVersion });
}

export function putSubOrder(
  sub: SubOrder,
  expected: { status: string; version: number } | 'new',
): TransactItem {
  const Item = {
    ...orderKeys.sub(sub.orderCode, sub.fulfillerId),
    type: 'sub_order',
    ownerKey: orderKeys.fulfiller(sub.fulfillerId),
    ownerSort: `ORDER#${sub.createdAt}#${sub.orderCode}`,
    ...sub,
  };
  return guardedPut(Item, expected);
}

/**
 * Stock moves: a reservation is conditional on enough stock (and the price the order charged).
 * Both move the pack's place in its catalog shard (`catalogSort`), so every catalog read model
 * sees the new stock at its next poll.
 */
export function reserveStock(
  productId: string,
  variantId: string,
  quantity: number,
  price: number,
): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: { pk: `PRODUCT#${productId}`, sk: `VARIANT#${variantId}` },
      UpdateExpression: 'SET stock = stock - :q, catalogSort = :changed',
      ConditionExpression: 'stock >= :q AND price = :p',
      ExpressionAttributeValues: {
        ':q': quantity,
        ':p': price,
        ':changed': catalogSort('variant', variantId),
      },
    },
  };
}

export function releaseStock(productId: string, variantId: string, quantity: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: { pk: `PRODUCT#${productId}`, sk: `VARIANT#${variantId}` },
      UpdateExpression: 'SET stock = stock + :q, catalogSort = :changed',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':q': quantity, ':changed': catalogSort('variant', variantId) },
    },
  };
}

export function putExpiryMarker(payByMs: number, code: string): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...orderKeys.expiry(payByMs, code), type: 'order_expiry', code },
    },
  };
}

export function deleteExpiryMarker(payByMs: number, code: string): TransactItem {
  return { Delete: { TableName: db().tableName, Key: orderKeys.expiry(payByMs, code) } };
}

export async function getOrderWithSubs(
  code: string,
): Promise<{ order: Order; subs: SubOrder[] } | undefined> {
  const { doc, tableName } = db();
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ORDER#${code}` },
      ConsistentRead: true,
    }),
  );
  const items = page.Items ?? [];
  const order = strip<Order>(items.find((i) => i.sk === 'ORDER'));
  if (!order) return undefined;
  const subs = items.filter((i) => String(i.sk).startsWith('SUB#')).map((i) => strip<SubOrder>(i)!);
  return { order, subs };
}

/** A fulfiller's sub-orders, newest first, paged by `cursor` (an opaque `ownerSort`). */
/** At most this many index pages are read for one board page when a status filter skips items. */
const MAX_FILTERED_READS = 10;

/**
 * A fulfiller's sub-orders, newest first, one page. A status filter is applied by DynamoDB
 * (FilterExpression), and the query keeps reading until the page is full: DynamoDB's `Limit` counts
 * items read, not items kept, so one read could come back short or empty while more match further
 * on. Each read asks for at most the items still missing, so no matching item is ever skipped
 * between pages; after MAX_FILTERED_READS the page is returned short, with its cursor.
 */
export async function listFulfillerSubOrders(
  fulfillerId: string,
  options: { limit: number; cursor?: string; from?: string; to?: string; status?: string },
): Promise<{ items: SubOrder[]; nextCursor: string | null }> {
  const { doc, tableName } = db();
  const owner = orderKeys.fulfiller(fulfillerId);
  const lower = `ORDER#${options.from ?? ''}`;
  const upper = `ORDER#${options.to ?? '9999'}\uffff`;
  const startKey = (cursor: string) => ({
    ownerKey: owner,
    ownerSort: cursor,
    pk: `ORDER#${cursor.split('#').at(-1)}`,
    sk: `SUB#${fulfillerId}`,
  });
  const items: SubOrder[] = [];
  let cursor = options.cursor ?? null;
  for (let reads = 0; reads < MAX_FILTERED_READS && items.length < options.limit; reads++) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byOwner',
        KeyConditionExpression: '#k = :k AND #s BETWEEN :lo AND :hi',
        ...(options.status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: {
          '#k': 'ownerKey',
          '#s': 'ownerSort',
          ...(options.status ? { '#status': 'status' } : {}),
        },
        ExpressionAttributeValues: {
          ':k': owner,
          ':lo': lower,
          ':hi': upper,
          ...(options.status ? { ':status': options.status } : {}),
        },
        ScanIndexForward: false,
        Limit: options.limit - items.length,
        ...(cursor ? { ExclusiveStartKey: startKey(cursor) } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map((i) => strip<SubOrder>(i)!));
    cursor = page.LastEvaluatedKey ? String(page.LastEvaluatedKey.ownerSort) : null;
    if (!cursor) break;
  }
  return { items, nextCursor: cursor };
}

/** The orders of these codes (the board's page shows how each is paid and where it goes). */
export async function getOrders(codes: readonly string[]): Promise<Map<string, Order>> {
  const items = await batchGetConsistent(codes.map((code) => orderKeys.order(code)));
  return new Map(items.map((item) => strip<Order>(item)!).map((order) => [order.code, order]));
}

/** One shard's expiry markers due by `nowMs`, oldest first. */
export async function dueExpiries(
  shard: string,
  nowMs: number,
  limit = 50,
): Promise<{ code: string; payByMs: number }[]> {
  const { doc, tableName } = db();
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk <= :now',
      ExpressionAttributeValues: {
        ':pk': shardKey(EXPIRY_PARTITION, shard),
        ':now': `${String(nowMs).padStart(15, '0')}#\uffff`,
      },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((i) => ({
    code: i.code as string,
    payByMs: Number(String(i.sk).split('#')[0]),
  }));
}

export async function getShippingRules(producerId: string): Promise<ShippingRules | undefined> {
  const item = await getItemConsistent(orderKeys.shipping(producerId));
  const parsed = ShippingRules.safeParse(item?.rules);
  return parsed.success ? parsed.data : undefined;
}

export async function putShippingRules(producerId: string, rules: ShippingRules, by: string, at: string) {
  const { doc, tableName } = db();
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...orderKeys.shipping(producerId),
        type: 'shipping_rules',
        rules,
        updatedBy: by,
        updatedAt: at,
      },
    }),
  );
}

export async function getItemConsistent(key: { pk: string; sk: string }) {
  const { doc, tableName } = db();
  return (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

/** Many items by key with strong consistency (what must be current when it is read). */
export function batchGetConsistent(keysToRead: { pk: string; sk: string }[]) {
  return batchGet(keysToRead, true);
}

/**
 * Many items by key, eventually consistent: half the read units of `batchGetConsistent`, for
 * reads whose staleness a later condition catches (checkout's transaction re-checks price, stock
 * and the Idempotency-Key) or that a person changes rarely and a second late is harmless.
 */
export function batchGetEventual(keysToRead: { pk: string; sk: string }[]) {
  return batchGet(keysToRead, false);
}

async function batchGet(keysToRead: { pk: string; sk: string }[], consistent: boolean) {
  const { doc, tableName } = db();
  const out: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = [
    ...new Map(keysToRead.map((k) => [`${k.pk}|${k.sk}`, k])).values(),
  ];
  while (pending.length > 0) {
    const chunk = pending.slice(0, 100);
    pending = pending.slice(100);
    let request: Record<string, unknown>[] | undefined = chunk;
    for (let attempt = 0; request && request.length > 0 && attempt < 5; attempt++) {
      const res = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: consistent } } }),
      );
      out.push(...(res.Responses?.[tableName] ?? []));
      request = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}
