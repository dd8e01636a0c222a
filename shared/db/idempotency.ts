/**
 * Idempotency keys: one claim/lease protocol for every key space (the payment SDK's
 * `idempotencyKey` and the `Idempotency-Key` of `POST /api/orders`).
 *
 Two ways to hold a key, one record layout:
 *  - claimed (payment SDK keys): a conditional put claims the key (state `in_flight`, a random
 *    owner token, a short lease). The owner runs the operation and its final transaction completes
 *    the key with the answer (`completeKey`, condition: still our token), so a change and its
 *    replay land together. Anyone else finds the record: the caller decides (replay a completed
 *    answer, refuse other parameters, wait or refuse while in flight). A key whose owner died is
 *    taken over after its lease, but only by the same request (same fingerprint). Server errors
 *    release the key so a retry can run.
 *  - written once (orders' keys, `putCompletedKey`): when the operation is one transaction, the key
 *    is written completed inside it, on the condition that it is free. No claim, no lease, no
 *    release: a request that loses the race (or crashed before committing) wrote nothing, and the
 *    caller reads the winner's answer (`readKey`). One write and one round trip fewer per request.
 * An expired key (TTL deletion is lazy, and never happens in DynamoDB Local) is free again.
 *
 *   IDEM#<key>      / IDEM     a payment SDK key (type `idempotency_key`)
 *   ORDERIDEM#<key> / IDEM     an order's Idempotency-Key (type `order_idempotency`)
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { getConsistent, isConditionFailure } from './item-access.ts';
import type { TransactItem } from './items.ts';
import { withWriteRetry } from './retry.ts';

/** How long an owner may run before another request with the same key may take it over. */
export const IDEMPOTENCY_LEASE_MS = 30_000;

export interface KeySpace {
  /** The item's key. */
  key: (idempotencyKey: string) => { pk: string; sk: string };
  /** The item's `type` attribute. */
  type: string;
}

export const KEY_SPACES = {
  payments: { key: (k: string) => ({ pk: `IDEM#${k}`, sk: 'IDEM' }), type: 'idempotency_key' },
  orders: { key: (k: string) => ({ pk: `ORDERIDEM#${k}`, sk: 'IDEM' }), type: 'order_idempotency' },
} satisfies Record<string, KeySpace>;

/** A key as stored; a completed key also holds the answer attributes its owner wrote. */
export interface KeyRecord {
  state: 'in_flight' | 'completed';
  fingerprint: string;
  [answer: string]: unknown;
}

export type KeyClaim = { owned: true; token: string } | { owned: false; record: KeyRecord };

/**
 * Claims `idempotencyKey` for a request of `fingerprint`: owned when free, expired, or abandoned
 * by the same request; otherwise the record found, for the caller to judge.
 */
export async function claimKey(
  space: KeySpace,
  idempotencyKey: string,
  fingerprint: string,
  options: { nowMs: number; ttlSeconds: number },
): Promise<KeyClaim> {
  const { doc, tableName } = db();
  const { nowMs } = options;
  const token = randomUUID();
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...space.key(idempotencyKey),
          type: space.type,
          state: 'in_flight',
          fingerprint,
          token,
          leaseUntil: nowMs + IDEMPOTENCY_LEASE_MS,
          expiresAt: Math.floor(nowMs / 1000) + options.ttlSeconds,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :nowS OR (#state = :inFlight AND leaseUntil < :nowMs AND fingerprint = :fp)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':nowS': Math.floor(nowMs / 1000),
          ':inFlight': 'in_flight',
          ':nowMs': nowMs,
          ':fp': fingerprint,
        },
      }),
    );
    return { owned: true, token };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const record = await getConsistent(space.key(idempotencyKey));
  // Released between our put and our read: claim again.
  if (!record) return claimKey(space, idempotencyKey, fingerprint, options);
  return { owned: false, record: record as unknown as KeyRecord };
}

/**
 * The transaction item that completes the key with `answer` (attributes set on the record, e.g.
 * `{ response }` or `{ error }`), only while the key is still ours.
 */
export function completeKey(
  space: KeySpace,
  idempotencyKey: string,
  token: string,
  answer: Record<string, unknown>,
) {
  const names: Record<string, string> = { '#state': 'state', '#token': 'token' };
  const values: Record<string, unknown> = { ':completed': 'completed', ':token': token };
  const sets = ['#state = :completed'];
  Object.entries(answer).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  return {
    Update: {
      TableName: db().tableName,
      Key: space.key(idempotencyKey),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseUntil`,
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  } satisfies TransactItem;
}

const FREE_KEY = 'attribute_not_exists(pk) OR expiresAt < :nowS';

/**
 * The transaction item that writes the key already completed with `answer`, on the condition that
 * it is free (absent or expired). A failed condition means another request of the key committed.
 */
export function putCompletedKey(
  space: KeySpace,
  idempotencyKey: string,
  fingerprint: string,
  answer: Record<string, unknown>,
  options: { nowMs: number; ttlSeconds: number },
) {
  return {
    Put: {
      TableName: db().tableName,
      Item: {
        ...space.key(idempotencyKey),
        ...answer,
        type: space.type,
        state: 'completed',
        fingerprint,
        expiresAt: Math.floor(options.nowMs / 1000) + options.ttlSeconds,
      },
      ConditionExpression: FREE_KEY,
      ExpressionAttributeValues: { ':nowS': Math.floor(options.nowMs / 1000) },
    },
  } satisfies TransactItem;
}

/**
 * Writes the key completed on its own (a refusal that changed nothing). False when another request
 * of the key got there first: its answer is the one to give.
 */
export async function storeCompletedKey(
  space: KeySpace,
  idempotencyKey: string,
  fingerprint: string,
  answer: Record<string, unknown>,
  options: { nowMs: number; ttlSeconds: number },
): Promise<boolean> {
  const { Put } = putCompletedKey(space, idempotencyKey, fingerprint, answer, options);
  try {
    await withWriteRetry(() => db().doc.send(new PutCommand(Put)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The key's record, read consistently; undefined when free (absent or expired at `nowMs`). */
export async function readKey(
  space: KeySpace,
  idempotencyKey: string,
  nowMs: number,
): Promise<KeyRecord | undefined> {
  const record = await getConsistent(space.key(idempotencyKey));
  return liveKey(record, nowMs);
}

/** A key record as read (for example in a batch with other items), unless it has expired. */
export function liveKey(record: Record<string, unknown> | undefined, nowMs: number): KeyRecord | undefined {
  if (!record || Number(record.expiresAt) < Math.floor(nowMs / 1000)) return undefined;
  return record as unknown as KeyRecord;
}

/** Completes the key on its own (no other change to commit with it). */
export async function storeKeyAnswer(
  space: KeySpace,
  idempotencyKey: string,
  token: string,
  answer: Record<string, unknown>,
): Promise<void> {
  const { Update } = completeKey(space, idempotencyKey, token, answer);
  await withWriteRetry(() => db().doc.send(new UpdateCommand(Update)));
}

/** Frees the key after an unexpected failure, so the client's retry runs again. */
export async function releaseKey(space: KeySpace, idempotencyKey: string, token: string): Promise<void> {
  const { doc, tableName } = db();
  await doc
    .send(
      new DeleteCommand({
        TableName: tableName,
        Key: space.key(idempotencyKey),
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token },
      }),
    )
    .catch(() => undefined);
}
