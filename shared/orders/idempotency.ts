/**
 * The Idempotency-Key of `POST /api/orders` (our HTTP semantics, after Stripe's):
 *  - the first answer for a key (201, or a 409/422 refusal) is stored and replayed;
 *  - the same key with a different body → 422;
 *  - the same key while the first request is still running → 409;
 *  - keys are kept 48 hours (at least the 24 promised).
 * The key is claimed with the claim/lease protocol of db/idempotency.ts (shared with the payment
 * SDK); the checkout transaction completes it (condition: still our token), so an order and its
 * replay land together. A request whose owner died is taken over after the lease.
 */
import { createHash } from 'node:crypto';
import { claimKey, completeKey, KEY_SPACES, releaseKey, storeKeyAnswer } from '../db/idempotency.ts';
import type { TransactItem } from '../db/items.ts';
import { conflict, DomainError } from '../domain/errors.ts';
import { canonicalJson } from '../payments/idempotency.ts';

export const ORDER_KEY_TTL_SECONDS = 48 * 3600;

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
  const claim = await claimKey(KEY_SPACES.orders, key, print, { nowMs, ttlSeconds: ORDER_KEY_TTL_SECONDS });
  if (claim.owned) return claim;
  const item = claim.record;
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
  return completeKey(KEY_SPACES.orders, key, token, { answer: JSON.stringify(answer) });
}

/** Stores a refusal (409/422) as the key's answer, outside any transaction. */
export async function storeOrderAnswer(key: string, token: string, answer: IdempotentAnswer): Promise<void> {
  await storeKeyAnswer(KEY_SPACES.orders, key, token, { answer: JSON.stringify(answer) }).catch(
    () => undefined,
  );
}

/** Frees the key after an unexpected failure, so the client's retry runs again. */
export async function releaseOrderKey(key: string, token: string): Promise<void> {
  await releaseKey(KEY_SPACES.orders, key, token);
}
