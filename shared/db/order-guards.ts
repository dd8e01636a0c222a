/**
 * What keeps anonymous orders from holding stock, in the table:
 *   ORDER#<code> / CODCONFIRM            a COD order's confirmation code (digest), until confirmed
 *   OPENORDERS#<phone> / OPEN            the codes of a phone's unpaid or unconfirmed orders (a
 *                                        string set; an entry whose order moved on is pruned the
 *                                        next time the set is full)
 *   RATE#packday#<phone>#<variant> / W#<day>  units of a pack ordered for a phone that day
 *   CODTRUST#<phone> / TRUST             the phone confirmed a COD order by code (TTL)
 * The set, the day's units and the confirmation are written in checkout's transaction.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import type { TransactItem } from './items.ts';
import { orderKeys } from './orders.ts';

const confirmationKey = (code: string) => ({ pk: `ORDER#${code}`, sk: 'CODCONFIRM' });
const openKey = (phone: string) => ({ pk: `OPENORDERS#${phone}`, sk: 'OPEN' });
const packDayKey = (phone: string, variantId: string, day: number) => ({
  pk: `RATE#packday#${phone}#${variantId}`,
  sk: `W#${day}`,
});
const trustKey = (phone: string) => ({ pk: `CODTRUST#${phone}`, sk: 'TRUST' });

export function putCodConfirmation(code: string, codeHash: string, expiresAtMs: number): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: {
        ...confirmationKey(code),
        type: 'cod_confirmation',
        codeHash,
        expiresAt: Math.ceil(expiresAtMs / 1000),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The same, over any earlier code of the order (a switch back to COD sends a new code). */
export function replaceCodConfirmation(code: string, codeHash: string, expiresAtMs: number): TransactItem {
  const item = putCodConfirmation(code, codeHash, expiresAtMs);
  delete item.Put!.ConditionExpression;
  return item;
}

export async function getCodConfirmation(code: string): Promise<{ codeHash: string } | undefined> {
  const { Item } = await db().doc.send(
    new GetCommand({ TableName: db().tableName, Key: confirmationKey(code), ConsistentRead: true }),
  );
  return Item ? { codeHash: String(Item.codeHash) } : undefined;
}

/** Deleting the code makes it single use: the confirming transaction requires it to exist. */
export function deleteCodConfirmation(code: string): TransactItem {
  return {
    Delete: {
      TableName: db().tableName,
      Key: confirmationKey(code),
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

/** Adds an open order to the phone's set, on the condition that fewer than `max` are there. */
export function addOpenOrder(phone: string, code: string, max: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: openKey(phone),
      UpdateExpression: 'ADD codes :code',
      ConditionExpression: 'attribute_not_exists(codes) OR size(codes) < :max',
      ExpressionAttributeValues: { ':code': new Set([code]), ':max': max },
    },
  };
}

/** The order is no longer open (idempotent). */
export function removeOpenOrder(phone: string, code: string): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: openKey(phone),
      UpdateExpression: 'DELETE codes :code',
      ExpressionAttributeValues: { ':code': new Set([code]) },
    },
  };
}

export async function openOrderCodes(phone: string): Promise<string[]> {
  const { Item } = await db().doc.send(
    new GetCommand({ TableName: db().tableName, Key: openKey(phone), ConsistentRead: true }),
  );
  return openCodesOf(Item);
}

/** Where a phone's open orders are kept (to read the set in one batch with checkout's other reads). */
export const openOrdersKey = openKey;

/** The codes of an open-orders item as read (none when there is no item). */
export const openCodesOf = (item: Record<string, unknown> | undefined): string[] =>
  item?.codes ? [...(item.codes as Set<string>)] : [];

/** Status and deadline of some orders, read consistently (for pruning the open set). */
export async function orderDeadlines(
  codes: string[],
): Promise<Map<string, { status: string; payBy?: string }>> {
  const found = new Map<string, { status: string; payBy?: string }>();
  if (codes.length === 0) return found;
  const { Responses } = await db().doc.send(
    new BatchGetCommand({
      RequestItems: {
        [db().tableName]: {
          Keys: codes.map((c) => orderKeys.order(c)),
          ConsistentRead: true,
          ProjectionExpression: 'code, #status, payBy',
          ExpressionAttributeNames: { '#status': 'status' },
        },
      },
    }),
  );
  for (const item of Responses?.[db().tableName] ?? []) {
    found.set(String(item.code), { status: String(item.status), payBy: item.payBy as string | undefined });
  }
  return found;
}

export async function pruneOpenOrders(phone: string, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await db().doc.send(
    new UpdateCommand({
      TableName: db().tableName,
      Key: openKey(phone),
      UpdateExpression: 'DELETE codes :codes',
      ExpressionAttributeValues: { ':codes': new Set(codes) },
    }),
  );
}

/** Adds `quantity` units to the phone's day for a pack, on the condition it stays within `max`. */
export function takePackUnits(
  phone: string,
  variantId: string,
  quantity: number,
  max: number,
  nowMs: number,
): TransactItem {
  const day = Math.floor(nowMs / 86_400_000);
  return {
    Update: {
      TableName: db().tableName,
      Key: packDayKey(phone, variantId, day),
      UpdateExpression: 'ADD #count :q SET expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':q': quantity, ':room': max - quantity, ':expires': (day + 2) * 86_400 },
    },
  };
}

export function putCodTrust(phone: string, untilMs: number): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...trustKey(phone), type: 'cod_trust', expiresAt: Math.ceil(untilMs / 1000) },
    },
  };
}

/** The key of a phone's COD trust: checkout reads it in the batch that reads the lines. */
export const codTrustKey = trustKey;

/** Whether the trust item read (if any) says the phone confirmed a COD order by code, still in force. */
export function codTrustHolds(item: Record<string, unknown> | undefined, nowMs: number): boolean {
  return !!item && item.type === 'cod_trust' && Number(item.expiresAt) * 1000 > nowMs;
}

/** For the trusted-phone rule in tests and tools: records the trust outside a transaction. */
export async function recordCodTrust(phone: string, untilMs: number): Promise<void> {
  const put = putCodTrust(phone, untilMs).Put!;
  await db().doc.send(new PutCommand({ TableName: put.TableName, Item: put.Item }));
}
