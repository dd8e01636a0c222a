/**
 * Idempotency keys with Stripe's semantics: the first result for a key (success or a client
 * error) is stored and replayed; the same key with different parameters is an
 * `idempotency_error`; concurrent requests with one key produce one result.
 *
 * How: a conditional put claims the key (state `in_flight`, with a random owner token and a
 * short lease). The owner runs the operation, and its final transaction completes the key with
 * the response (condition: still our token), so the change and its replay land together. Others
 * find the key in flight and poll until it completes, then replay it. A lease lets a key be
 * taken over if its owner died mid-request; server errors release the key so a retry can run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { db } from '../db/client.ts';
import type { TransactItem } from '../db/items.ts';
import type { PaymentsConfig, RequestContext } from './context.ts';
import { PaymentError, idempotencyError, invalidRequest, type PaymentErrorFields } from './errors.ts';
import { objectId } from './ids.ts';
import { paymentKeys } from './keys.ts';
import { failedConditionIndex, getItem, transact } from './store.ts';

const LEASE_MS = 30_000;
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
    const claim = await claimKey(config, idempotencyKey, fingerprint);
    if (claim.owned) return runOwned(config, idempotencyKey, claim.token, body);
    const record = claim.record;
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

interface KeyRecord {
  state: 'in_flight' | 'completed';
  fingerprint: string;
  response?: string;
  error?: PaymentErrorFields;
}

type Claim = { owned: true; token: string } | { owned: false; record: KeyRecord };

async function claimKey(config: PaymentsConfig, key: string, fingerprint: string): Promise<Claim> {
  const { doc, tableName } = db();
  const nowMs = config.clock().getTime();
  const token = randomUUID();
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...paymentKeys.idempotency(key),
          type: 'idempotency_key',
          state: 'in_flight',
          fingerprint,
          token,
          leaseUntil: nowMs + LEASE_MS,
          expiresAt: Math.floor(nowMs / 1000) + config.idempotencyTtlSeconds,
        },
        // Free, expired (TTL deletion is lazy, and never happens in DynamoDB Local), or abandoned.
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#state = :inFlight AND leaseUntil < :nowMs)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':nowSeconds': Math.floor(nowMs / 1000),
          ':inFlight': 'in_flight',
          ':nowMs': nowMs,
        },
      }),
    );
    return { owned: true, token };
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
  }
  const item = await getItem(paymentKeys.idempotency(key));
  // Released between our put and our read: claim again.
  if (!item) return claimKey(config, key, fingerprint);
  return { owned: false, record: item as unknown as KeyRecord };
}

async function runOwned<T>(
  config: PaymentsConfig,
  key: string,
  token: string,
  body: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  let committed = false;
  const ctx = requestContext(config, key, async (items, response) => {
    const all = [...items, completeItem(key, token, { response: JSON.stringify(response) })];
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
    if (!committed) await transact([completeItem(key, token, { response: JSON.stringify(result) })]);
    return result;
  } catch (error) {
    if (committed) throw error;
    if (
      error instanceof PaymentError &&
      error.type !== 'api_error' &&
      error.code !== 'idempotency_key_in_use'
    ) {
      // A client error is the answer to this request: replay it like Stripe does.
      await transact([completeItem(key, token, { error: error.raw })]).catch(() => undefined);
    } else {
      await releaseKey(key, token);
    }
    throw error;
  }
}

function completeItem(key: string, token: string, result: { response?: string; error?: PaymentErrorFields }) {
  return {
    Update: {
      TableName: db().tableName,
      Key: paymentKeys.idempotency(key),
      UpdateExpression: result.error
        ? 'SET #state = :completed, #error = :result REMOVE leaseUntil'
        : 'SET #state = :completed, #response = :result REMOVE leaseUntil',
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#token': 'token',
        ...(result.error ? { '#error': 'error' } : { '#response': 'response' }),
      },
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':token': token,
        ':result': result.error ?? result.response,
      },
    },
  } satisfies TransactItem;
}

async function releaseKey(key: string, token: string): Promise<void> {
  const { doc, tableName } = db();
  await doc
    .send(
      new DeleteCommand({
        TableName: tableName,
        Key: paymentKeys.idempotency(key),
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token },
      }),
    )
    .catch(() => undefined);
}

function replay<T>(record: KeyRecord): T {
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
