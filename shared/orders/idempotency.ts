/**
 * The Idempotency-Key of `POST /api/orders` (our HTTP semantics, after Stripe's):
 *  - the first answer for a key (201, or a 409/422 refusal) is stored and replayed;
 *  - the same key with a different body → 422;
 *  - the same key sent again while the first request is still running runs too, and whichever
 *    commits second replays the first one's answer: one order, and every caller gets it;
 *  - keys are kept 48 hours (at least the 24 promised).
 * The key is written completed by checkout's own transaction, on the condition that it is free
 * (db/idempotency.ts, `putCompletedKey`): an order and its replay land together, and a request
 * that crashes before committing leaves nothing behind, so its retry simply runs.
 */
import { createHash } from 'node:crypto';
import {
  KEY_SPACES,
  liveKey,
  putCompletedKey,
  readKey,
  storeCompletedKey,
  type KeyRecord,
} from '../db/idempotency.ts';
import type { TransactItem } from '../db/items.ts';
import { DomainError } from '../domain/errors.ts';
import { canonicalJson } from '../payments/idempotency.ts';

export const ORDER_KEY_TTL_SECONDS = 48 * 3600;

export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** Where a key is stored (to read it in one batch with checkout's other reads). */
export const orderKeyItem = (key: string) => KEY_SPACES.orders.key(key);

/**
 * The answer stored under the key, if it holds one: for the same request, to replay; for another
 * body, a 422.
 */
export function storedAnswer(
  record: Record<string, unknown> | undefined,
  print: string,
  nowMs: number,
): IdempotentAnswer | undefined {
  const key: KeyRecord | undefined = liveKey(record, nowMs);
  if (!key) return undefined;
  if (key.fingerprint !== print) {
    throw new DomainError(
      'unprocessable',
      'idempotency.key_reused',
      'Idempotency-Key này đã dùng cho một đơn khác; hãy tạo khóa mới / This key was used with a different body',
    );
  }
  return JSON.parse(key.answer as string) as IdempotentAnswer;
}

/** The answer of the request that committed the key first (after ours lost the race). */
export async function winningAnswer(key: string, print: string, nowMs: number): Promise<IdempotentAnswer> {
  const answer = storedAnswer(await readKey(KEY_SPACES.orders, key, nowMs), print, nowMs);
  // Taken and then expired in between: not a state a 48-hour key reaches within one request.
  if (!answer) throw new Error(`Idempotency-Key ${key} was taken but holds no answer`);
  return answer;
}

const keyOptions = (nowMs: number) => ({ nowMs, ttlSeconds: ORDER_KEY_TTL_SECONDS });

/** The transaction item that writes the key with its answer (condition: the key is free). */
export function putOrderKey(
  key: string,
  print: string,
  answer: IdempotentAnswer,
  nowMs: number,
): TransactItem {
  return putCompletedKey(
    KEY_SPACES.orders,
    key,
    print,
    { answer: JSON.stringify(answer) },
    keyOptions(nowMs),
  );
}

/**
 * Stores a refusal (409/422) as the key's answer and returns the answer to give: ours, or the
 * stored one when another request of the key got there first.
 */
export async function storeOrderAnswer(
  key: string,
  print: string,
  answer: IdempotentAnswer,
  nowMs: number,
): Promise<IdempotentAnswer> {
  const stored = await storeCompletedKey(
    KEY_SPACES.orders,
    key,
    print,
    { answer: JSON.stringify(answer) },
    keyOptions(nowMs),
  );
  return stored ? answer : winningAnswer(key, print, nowMs);
}
