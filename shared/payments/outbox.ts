/**
 * The webhook outbox deliverer. Events wait in the outbox shards (written with their state
 * change); each run sends the due ones to every endpoint with a `Stripe-Signature` header. The due
 * ones are found through a sparse index entry (db/outbox.ts) that follows the next
 * attempt time and is removed once an event is delivered or failed, so a run reads only due events.
 * The due index is sharded like the outbox (`OUTBOX#DUE#<shard>`): a run covers the shards it is
 * given (a worker one shard, `deliverWebhooks` without `shards` every shard, several at a time),
 * so delivery scales out with the number of workers.
 *
 * Each attempt is claimed first with a conditional update (attempt count + a lease long enough
 * for every endpoint's timeout), so two deliverers never send the same attempt, nor start the next
 * attempt while one is still sending; a deliverer that dies mid-send leaves the event due again
 * once its lease runs out. The result then sets the backoff, and is only recorded while the claim
 * is still ours. Delivery is at least once: receivers dedupe on the id.
 */
import { claimOutboxAttempt, dueOutboxItems, outboxEventId, recordOutboxResult } from '../db/outbox.ts';
import { addCounts, forEachConcurrently, SHARDS } from '../db/shards.ts';
import { signatureHeader } from './signature.ts';
import { recordSeconds } from '../observability/metrics.ts';
import { withOrder } from '../observability/scope.ts';
import { log } from '../observability/log.ts';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface DeliverOptions {
  endpoints: WebhookEndpoint[];
  fetch?: typeof fetch;
  now?: () => Date;
  /** Milliseconds to wait after failed attempt number `attempt` (1-based). */
  backoff?: (attempt: number) => number;
  /** After this many attempts the event is marked `failed` and left for a person to look at. */
  maxAttempts?: number;
  /** Events per shard per run. @default 100 */
  limit?: number;
  timeoutMs?: number;
  /** The due-index shards to read (db/shards.ts). @default every shard */
  shards?: readonly string[];
  /** Shards delivered at the same time. @default 8 */
  concurrency?: number;
  /** No new attempt is claimed after this time (ms since the epoch): a worker's own deadline. */
  stopClaimingAt?: number;
}

export interface DeliveryReport {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** 1 min, 2 min, 4 min… capped at 6 h: sixteen attempts span about two days, like Stripe's. */
export function exponentialBackoff(attempt: number, baseMs = 60_000, capMs = 6 * 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Added to the endpoints' timeouts in an attempt's lease (the claim and result writes). */
const LEASE_MARGIN_MS = 5_000;

export async function deliverWebhooks(options: DeliverOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const oldest = { createdMs: Infinity };
  await forEachConcurrently(options.shards ?? SHARDS, options.concurrency ?? 8, async (shard) =>
    addCounts(report, await deliverShard(shard, options, oldest)),
  );
  const nowMs = (options.now ?? (() => new Date()))().getTime();
  recordSeconds(
    'OutboxOldestAgeSeconds',
    oldest.createdMs === Infinity ? 0 : (nowMs - oldest.createdMs) / 1000,
  );
  return report;
}

/** When the event was created and the order it is about, read from its payload. */
function eventFacts(payload: string): { createdMs?: number; orderCode?: string } {
  try {
    const event = JSON.parse(payload) as {
      created?: number;
      data?: { object?: { metadata?: { order_code?: string } } };
    };
    return {
      ...(typeof event.created === 'number' ? { createdMs: event.created * 1000 } : {}),
      ...(event.data?.object?.metadata?.order_code
        ? { orderCode: event.data.object.metadata.order_code }
        : {}),
    };
  } catch {
    return {};
  }
}

/** One shard's due events, one after the other. */
async function deliverShard(
  shard: string,
  options: DeliverOptions,
  oldest: { createdMs: number },
): Promise<DeliveryReport> {
  const send = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const backoff = options.backoff ?? exponentialBackoff;
  const maxAttempts = options.maxAttempts ?? 16;
  const report: DeliveryReport = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };

  const timeoutMs = options.timeoutMs ?? 10_000;
  // Endpoints are posted to one after the other: the claim must outlast all of their timeouts.
  const leaseMs = options.endpoints.length * timeoutMs + LEASE_MARGIN_MS;

  const due = await dueOutboxItems(shard, now().getTime(), options.limit ?? 100);
  const facts = due.map((item) => eventFacts(item.payload));
  for (const { createdMs } of facts)
    if (createdMs !== undefined) oldest.createdMs = Math.min(oldest.createdMs, createdMs);
  for (const [index, item] of due.entries()) {
    if (options.stopClaimingAt !== undefined && now().getTime() >= options.stopClaimingAt) break;
    const attempt = item.attempts + 1;
    if (!(await claimOutboxAttempt(item, attempt, now().getTime() + leaseMs))) continue;
    report.attempted += 1;
    const deliveredTo = new Set(item.deliveredTo);
    let lastError = '';
    for (const endpoint of options.endpoints) {
      if (deliveredTo.has(endpoint.url)) continue;
      const error = await post(send, endpoint, item.payload, now(), timeoutMs);
      if (error) lastError = `${endpoint.url}: ${error}`;
      else deliveredTo.add(endpoint.url);
    }
    const done = options.endpoints.every((endpoint) => deliveredTo.has(endpoint.url));
    const state = done ? 'delivered' : attempt >= maxAttempts ? 'failed' : 'pending';
    report[state === 'pending' ? 'retrying' : state] += 1;
    if (state === 'failed') {
      withOrder(facts[index]!.orderCode, () =>
        log().warn('webhook event given up', { eventId: outboxEventId(item), attempts: attempt, lastError }),
      );
    }
    const finishedAt = now().getTime();
    await recordOutboxResult(item, attempt, {
      deliveredTo: [...deliveredTo],
      state,
      lastError,
      nowMs: finishedAt,
      nextAttemptAt: finishedAt + backoff(attempt),
    });
  }
  return report;
}

/** One POST; returns why it failed, or undefined on a 2xx. */
async function post(
  send: typeof fetch,
  endpoint: WebhookEndpoint,
  payload: string,
  at: Date,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const response = await send(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signatureHeader(payload, endpoint.secret, Math.floor(at.getTime() / 1000)),
      },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
