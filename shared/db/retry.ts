/**
 * Transient write failures, retried in one place. In DynamoDB two transactions on the same item
 * at once (two checkouts of one hot pack) can cancel each other with a `TransactionConflict`
 * reason, and a partition or the account can throttle (`ProvisionedThroughputExceededException`,
 * `ThrottlingException`, `RequestLimitExceeded`). Nothing was written in either case, so the same
 * write is sent again after a jittered exponential backoff (full jitter: a random wait up to
 * base·2^attempt, capped), a few times within a bounded total time. If it still fails the caller
 * gets a `StoreBusyError` (503 with `Retry-After`), never a 500.
 *
 * A transaction cancelled by a failed condition (`ConditionalCheckFailed`: not enough stock, a
 * version moved) is an answer, not a transient failure: it is rethrown at once, untouched.
 * (DynamoDB Local serializes transactions and never reports TransactionConflict; the unit tests
 * feed these errors in by hand.)
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import { db } from './client.ts';
import type { TransactItem } from './items.ts';

/** Top-level error names of a throttled request. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** Cancellation reasons of a transaction that may succeed when sent again. */
const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'RequestLimitExceeded',
]);

/** The per-item codes of a cancelled transaction, or undefined for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code);
}

/**
 * True for a conflict or a throttle that the same request may get past when sent again; false
 * for everything else, including a transaction that a failed condition cancelled.
 */
export function isTransientWriteError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLED.has(error.name)) return true;
  const codes = cancellationCodes(error);
  if (!codes) return false;
  if (codes.includes('ConditionalCheckFailed')) return false;
  return codes.some((code) => code !== undefined && TRANSIENT_REASONS.has(code));
}

/**
 * DynamoDB failed on its side after the SDK's own retries (which, for a transaction, reuse its
 * client request token, so they are idempotent). Not sent again here — the write may have landed —
 * but answered as busy (503, retry later), not as a bug. DynamoDB Local reports its lock timeouts
 * under load this way too.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (isTransientWriteError(error)) return true;
  if (!(error instanceof Error)) return false;
  if (isStoreUnreachable(error)) return true;
  const fault = (error as Error & { $fault?: string }).$fault;
  return fault === 'server' && (error.name === 'InternalServerError' || error.name === 'ServiceUnavailable');
}

/** Network failures of a call to the table: refused, reset or cut connections, no route. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * The table did not answer: a call outlived its connection or request timeout (the client's
 * `TimeoutError`, shared/db/client.ts) or the connection failed, after the SDK's bounded retries.
 * Answered 503 with `Retry-After`: the store is away, the request was fine.
 */
export function isStoreUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  const code = (error as Error & { code?: string }).code;
  return code !== undefined && NETWORK_CODES.has(code);
}

/** The table stayed busy through every retry: the request is answered 503 with `Retry-After`. */
export class StoreBusyError extends DomainError {
  constructor(
    readonly retryAfterSeconds = 1,
    readonly causeName = 'unknown',
  ) {
    super(
      'unavailable',
      'server.busy',
      'Hệ thống đang bận vì nhiều người mua cùng lúc; vui lòng thử lại sau ít giây / The exchange is busy: please retry in a few seconds',
    );
    this.name = 'StoreBusyError';
  }
}

export interface RetryOptions {
  /** Sends in all, the first included. @default 4 */
  attempts?: number;
  /** Upper bound of the first wait, doubled on each retry. @default 25 ms */
  baseMs?: number;
  /** Upper bound of any one wait. @default 400 ms */
  capMs?: number;
  /** No retry starts after this much time has passed since the first send. @default 1,500 ms */
  budgetMs?: number;
  /** For tests: the wait and the random draw. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `retry` (1-based): full jitter over base·2^(retry-1), capped. */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseMs ?? 25;
  const cap = options.capMs ?? 400;
  return Math.floor((options.random ?? Math.random)() * Math.min(cap, base * 2 ** (retry - 1)));
}

/**
 * Runs `send`, retrying transient failures (isTransientWriteError) with jittered exponential
 * backoff; anything else is rethrown as it came. Throws StoreBusyError when retries run out.
 */
export async function withWriteRetry<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const budgetMs = options.budgetMs ?? 1_500;
  const sleep = options.sleep ?? wait;
  const now = options.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isTransientWriteError(error)) throw error;
      const delay = backoffDelay(attempt, options);
      if (attempt >= attempts || now() - started + delay > budgetMs) {
        throw new StoreBusyError(1, (error as Error).name);
      }
      await sleep(delay);
    }
  }
}

/** One TransactWriteItems, retried on conflicts and throttles (withWriteRetry). */
export async function transactWrite(items: TransactItem[], options?: RetryOptions): Promise<void> {
  const { doc } = db();
  await withWriteRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items })), options);
}
