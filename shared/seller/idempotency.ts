/**
 * The Idempotency-Key of the seller center's queued writes (stock change, price change, new draft
 * listing, photo upload start). A household's phone queues these while offline and replays them
 * when the connection returns; a retry after a lost answer must not apply the change twice.
 *  - The key is optional: a write without it runs as before.
 *  - Keys are per account (`SELLERIDEM#<sub>#<key>`): one account cannot read another's answers.
 *  - The first successful answer for a key is stored and replayed (same status, same body); the
 *    same key with another request (other route, product or body) → 422.
 *  - A refusal (4xx) stores nothing: it changed nothing, so the retry simply runs again (for
 *    example after the household resolved a stock conflict).
 *  - While the first request runs, the same key → 409 (try again in a moment); a request whose
 *    owner died is taken over after the lease (db/idempotency.ts).
 * Keys are kept 48 hours: a phone offline longer sends a change that is applied as new, which is
 * what the household meant (the queue never sends a change twice after a stored answer).
 */
import { createHash } from 'node:crypto';
import { claimKey, releaseKey, storeKeyAnswer, type KeySpace } from '../db/idempotency.ts';
import { conflict, DomainError, invalid } from '../domain/errors.ts';
import { canonicalJson } from '../payments/idempotency.ts';

export const SELLER_KEY_TTL_SECONDS = 48 * 3600;
export const SELLER_IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export const SELLER_KEY_SPACE: KeySpace = {
  key: (k: string) => ({ pk: `SELLERIDEM#${k}`, sk: 'IDEM' }),
  type: 'seller_idempotency',
};

export interface SellerAnswer {
  status: number;
  body: unknown;
}

/** What the key stands for: the operation, its target and its body. */
export function sellerFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * Runs `operation` once per (account, key): the first answer is stored, a repeat replays it.
 * Without a key, just runs it.
 */
export async function onceForKey(
  input: { sub: string; key: string | undefined; request: unknown },
  operation: () => Promise<SellerAnswer>,
): Promise<SellerAnswer> {
  if (input.key === undefined) return operation();
  if (!SELLER_IDEMPOTENCY_KEY.test(input.key)) {
    throw invalid(
      'idempotency.key_invalid',
      'Khóa Idempotency-Key phải có 8–128 chữ cái, chữ số, - hoặc _ / Idempotency-Key: 8–128 letters, digits, - or _',
    );
  }
  const scoped = `${input.sub}#${input.key}`;
  const print = sellerFingerprint(input.request);
  const nowMs = Date.now();
  const claim = await claimKey(SELLER_KEY_SPACE, scoped, print, {
    nowMs,
    ttlSeconds: SELLER_KEY_TTL_SECONDS,
  });
  if (!claim.owned) {
    if (claim.record.fingerprint !== print) {
      throw new DomainError(
        'unprocessable',
        'idempotency.key_reused',
        'Khóa Idempotency-Key này đã dùng cho một thay đổi khác; hãy tạo khóa mới / This key was used for another change',
      );
    }
    if (claim.record.state !== 'completed' || typeof claim.record.answer !== 'string') {
      throw conflict(
        'idempotency.in_flight',
        'Thay đổi này đang được xử lý; hãy thử lại sau vài giây / This change is still being applied; retry shortly',
      );
    }
    return JSON.parse(claim.record.answer) as SellerAnswer;
  }
  let answer: SellerAnswer;
  try {
    answer = await operation();
  } catch (error) {
    // Nothing was applied (a refusal, or a failure before the write): the retry runs again.
    await releaseKey(SELLER_KEY_SPACE, scoped, claim.token);
    throw error;
  }
  await storeKeyAnswer(SELLER_KEY_SPACE, scoped, claim.token, { answer: JSON.stringify(answer) });
  return answer;
}
