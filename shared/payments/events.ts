/**
 * Stripe-shaped events. Each state change writes its events into the event log and the webhook
 * outbox in the same transaction as the change itself, so no change goes unannounced and no
 * event announces a change that did not happen.
 */
import type { TransactItem } from '../db/items.ts';
import { DAY_SECONDS, eventItems as logAndOutboxItems, newestEvents } from '../db/payment-events.ts';
import type { RequestContext } from './context.ts';
import { invalidRequest } from './errors.ts';
import { eventId } from './ids.ts';
import type { List, PaymentEvent, PaymentEventType } from './types.ts';

/** Stripe keeps events for 30 days; so do we. */
const EVENT_RETENTION_SECONDS = 30 * DAY_SECONDS;

export function buildEvent(
  ctx: RequestContext,
  type: PaymentEventType,
  object: PaymentEvent['data']['object'],
  previousAttributes?: Record<string, unknown>,
): PaymentEvent {
  return {
    id: eventId(ctx.nowMs),
    object: 'event',
    type,
    api_version: ctx.config.apiVersion,
    created: ctx.now,
    data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
    livemode: false,
    pending_webhooks: ctx.config.webhookEndpointCount,
    request: ctx.request,
  };
}

/**
 * The log entry and the outbox entry of one event. The payload is stored as the exact JSON text
 * that will be signed and sent, so every retry carries byte-identical content.
 */
export function eventItems(ctx: RequestContext, event: PaymentEvent): TransactItem[] {
  return logAndOutboxItems(event, JSON.stringify(event), ctx.nowMs, ctx.now + EVENT_RETENTION_SECONDS);
}

export interface EventListParams {
  limit?: number;
  starting_after?: string;
  /** An exact type, or a wildcard such as `payment_intent.*`. */
  type?: string;
}

/**
 * `events.list`: newest first, `limit` 1–100 (default 10), paged with `starting_after`. The log
 * is sharded (db/payment-events.ts): each shard gives its newest `limit + 1` matching events older than the
 * cursor, in parallel, and the newest `limit + 1` of those decide the page. Event ids sort by
 * creation time, so the merge and the cursor need nothing but the id.
 */
export async function listEvents(params: EventListParams = {}): Promise<List<PaymentEvent>> {
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('parameter_invalid_integer', 'limit must be an integer between 1 and 100.', 'limit');
  }
  const perShard = await newestEvents(limit + 1, { before: params.starting_after, type: params.type });
  const merged = perShard.flat().sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const data = merged.slice(0, limit).map((item) => JSON.parse(item.payload) as PaymentEvent);
  return { object: 'list', data, has_more: merged.length > limit, url: '/v1/events' };
}
