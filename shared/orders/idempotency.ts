/**
 * The Idempotency-Key of `POST /api/orders` (our HTTP semantics, after Stripe's):
 *  - the first answer for a key (201, or a 409/422 refusal) is stored and replayed;
 *  - the same key with a different body → 422;
 *  - the same key while the first request is still running → 409;
 *  - keys are kept 48 hours (at least the 24 promised).
 * The key is claimed with a conditional put (state `in_flight`, an owner token, a short lease);
 * the checkout transaction completes it (condition: still our token), so an order and its replay
 * land together. A request whose owner died is taken over after the lease.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../db/client.ts';
import type { TransactItem } from '../db/items.ts';
import { getItemConsistent, orderKeys } from '../db/orders.ts';
import { conflict, DomainError } from '../domain/errors.ts';
import { canonicalJson } from '../payments/idempotency.ts';

export const ORDER_KEY_TTL_SECONDS = 48 * 3600;
const LEASE_MS = 30_000;

export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

export type KeyClaim = { owned: true; token: string } | { owned: false; answer: IdempotentAnswer };

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export async function claimOrderKey(key: string, print: string, nowMs: number): Promise<KeyClaim> {
  const token = randomUUID();
  const { doc, tableName } = db();
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...orderKeys.idempotency(key),
          type: 'order_idempotency',
          state: 'in_flight',
          fingerprint: print,
          token,
          leaseUntil: nowMs + LEASE_MS,
          expiresAt: Math.floor(nowMs / 1000) + ORDER_KEY_TTL_SECONDS,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :nowS OR (#state = :inFlight AND leaseUntil < :nowMs AND fingerprint = :fp)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':nowS': Math.floor(nowMs / 1000),
          ':inFlight': 'in_flight',
          ':nowMs': nowMs,
          ':fp': print,
        },
      }),
    );
    return { owned: true, token };
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
  }
  const item = await getItemConsistent(orderKeys.idempotency(key));
  if (!item) return claimOrderKey(key, print, nowMs);
  if (item.fingerprint !== print) {
    throw new DomainError(
      'unprocessable',
      'idempotency.key_reused',
      'Idempotency-Key này đã dùng cho một đơn khác; hãy tạo khóa mới / This key was used with a different body',
    );
  }
  if (item.state !== 'completed') {
    throw conflict(
      'idempotency.in_flight',
      'Đơn hàng này đang được xử lý; vui lòng chờ giây lát / This order is still being placed: retry in a moment',
    );
  }
  return { owned: false, answer: JSON.parse(item.answer as string) as IdempotentAnswer };
}

/** The transaction item that completes the key with the answer (condition: still ours). */
export function completeOrderKey(key: string, token: string, answer: IdempotentAnswer): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: orderKeys.idempotency(key),
      UpdateExpression: 'SET #state = :done, answer = :answer REMOVE leaseUntil',
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
      ExpressionAttributeValues: { ':done': 'completed', ':answer': JSON.stringify(answer), ':token': token },
    },
  };
}

/** Stores a refusal (409/422) as the key's answer, outside any transaction. */
export async function storeOrderAnswer(key: string, token: string, answer: IdempotentAnswer): Promise<void> {
  const item = completeOrderKey(key, token, answer).Update!;
  await db()
    .doc.send(new UpdateCommand(item))
    .catch(() => undefined);
}

/** Frees the key after an unexpected failure, so the client's retry runs again. */
export async function releaseOrderKey(key: string, token: string): Promise<void> {
  const { doc, tableName } = db();
  await doc
    .send(
      new DeleteCommand({
        TableName: tableName,
        Key: orderKeys.idempotency(key),
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token },
      }),
    )
    .catch(() => undefined);
}
