/**
 * Idempotency keys with Stripe's semantics: the first result for a key (success or a client
 * error) is stored and replayed; the same key with different parameters is an
 * `idempotency_error`; concurrent requests with one key produce one result.
 *
 * How: the claim/lease protocol of db/idempotency.ts (shared with orders' Idempotency-Key). The
 * owner's final transaction completes the key with the response, so the change and its replay
 * land together. Others find the key in flight and poll until it completes, then replay it; a
 * client error is stored as the answer too, server errors release the key so a retry can run.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  claimKey,
  completeKey,
  KEY_SPACES,
  releaseKey,
  storeKeyAnswer,
  type KeyRecord,
} from '../db/idempotency.ts';
import type { PaymentsConfig, RequestContext } from './context.ts';
import { PaymentError, idempotencyError, invalidRequest, type PaymentErrorFields } from './errors.ts';
import { objectId } from './ids.ts';
import { failedConditionIndex, transact } from '../db/payment-intents.ts';

const POLL_MS = 25;

/** A stable hash of what was asked, so a reused key with other parameters is caught. */
export function requestFingerprint(operation: string, params: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([operation, params]))
    .digest('hex');
}

/** JSON with object keys sorted: `{a, b}` and `{b, a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Raised when a commit's own idempotency condition fails: another request took the key over. */
const keyLost = (key: string) =>
  idempotencyError(
    'idempotency_key_in_use',
    `The idempotency key "${key}" was taken over by another request after this one ran too long.`,
    409,
  );

/**
 * Runs `operation` once per idempotency key. Without a key it simply runs. The operation gets a
 * request context whose `commit` writes its transaction (with the key's completion).
 */
export async function runRequest<T>(
  config: PaymentsConfig,
  operation: string,
  params: unknown,
  idempotencyKey: string | undefined,
  body: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  if (idempotencyKey === undefined) {
    const ctx = requestContext(config, null, async (items, response) => {
      await transact(items);
      return response;
    });
    return body(ctx);
  }
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 255) {
    throw invalidRequest('parameter_invalid', 'Idempotency keys are 1-255 characters.', 'idempotencyKey');
  }
  const fingerprint = requestFingerprint(operation, params);
  const startedAt = Date.now();
  // Waiting uses the real clock, not config.clock: a test clock may stand still.
  for (;;) {
    const nowMs = config.clock().getTime();
    const claim = await claimKey(KEY_SPACES.payments, idempotencyKey, fingerprint, {
      nowMs,
      ttlSeconds: config.idempotencyTtlSeconds,
    });
    if (claim.owned) return runOwned(config, idempotencyKey, claim.token, body);
    const record = claim.record as PaymentKeyRecord;
    if (record.fingerprint !== fingerprint) {
      throw idempotencyError(
        'idempotency_key_reused',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
          `Try using a key other than "${idempotencyKey}" if you meant to execute a different request.`,
      );
    }
    if (record.state === 'completed') return replay<T>(record);
    if (Date.now() - startedAt > config.idempotencyWaitMs) {
      throw idempotencyError(
        'idempotency_key_in_use',
        `A request with the idempotency key "${idempotencyKey}" is still being processed. Retry in a moment.`,
        409,
      );
    }
    await sleep(POLL_MS);
  }
}

type PaymentKeyRecord = KeyRecord & { response?: string; error?: PaymentErrorFields };

async function runOwned<T>(
  config: PaymentsConfig,
  key: string,
  token: string,
  body: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  let committed = false;
  const ctx = requestContext(config, key, async (items, response) => {
    const all = [
      ...items,
      completeKey(KEY_SPACES.payments, key, token, { response: JSON.stringify(response) }),
    ];
    try {
      await transact(all);
    } catch (error) {
      if (failedConditionIndex(error) === all.length - 1) throw keyLost(key);
      throw error;
    }
    committed = true;
    return response;
  });
  try {
    const result = await body(ctx);
    if (!committed)
      await storeKeyAnswer(KEY_SPACES.payments, key, token, { response: JSON.stringify(result) });
    return result;
  } catch (error) {
    if (committed) throw error;
    if (
      error instanceof PaymentError &&
      error.type !== 'api_error' &&
      error.code !== 'idempotency_key_in_use'
    ) {
      // A client error is the answer to this request: replay it like Stripe does.
      await storeKeyAnswer(KEY_SPACES.payments, key, token, { error: error.raw }).catch(() => undefined);
    } else {
      await releaseKey(KEY_SPACES.payments, key, token);
    }
    throw error;
  }
}

function replay<T>(record: PaymentKeyRecord): T {
  if (record.error) throw new PaymentError(record.error);
  return JSON.parse(record.response ?? 'null') as T;
}

function requestContext(
  config: PaymentsConfig,
  idempotencyKey: string | null,
  commit: RequestContext['commit'],
): RequestContext {
  const nowMs = config.clock().getTime();
  return {
    config,
    nowMs,
    now: Math.floor(nowMs / 1000),
    request: { id: objectId('req'), idempotency_key: idempotencyKey },
    commit,
  };
}

/** The context of a change no API request asked for (a bank notification, a timer). */
export function systemContext(config: PaymentsConfig): RequestContext {
  const ctx = requestContext(config, null, async (items, response) => {
    await transact(items);
    return response;
  });
  return { ...ctx, request: { id: null, idempotency_key: null } };
}
