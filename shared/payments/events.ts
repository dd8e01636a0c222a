/**
 * Stripe-shaped events. Each state change writes its events into the event log and the webhook
 * outbox in the same transaction as the change itself, so no change goes unannounced and no
 * event announces a change that did not happen.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../db/client.ts';
import type { TransactItem } from '../db/items.ts';
import type { RequestContext } from './context.ts';
import { invalidRequest } from './errors.ts';
import { eventId } from './ids.ts';
import { DAY_SECONDS, EVENTS_PARTITION, paymentKeys } from './keys.ts';
import { allShardKeys } from '../db/shards.ts';
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
  const { tableName: TableName } = db();
  const payload = JSON.stringify(event);
  const expiresAt = ctx.now + EVENT_RETENTION_SECONDS;
  return [
    {
      Put: {
        TableName,
        Item: { ...paymentKeys.event(event.id), type: 'event', eventType: event.type, payload, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName,
        Item: {
          ...paymentKeys.outbox(event.id),
          ...paymentKeys.outboxDue(ctx.nowMs, event.id),
          type: 'outbox',
          state: 'pending',
          attempts: 0,
          nextAttemptAt: ctx.nowMs,
          deliveredTo: [],
          payload,
          expiresAt,
        },
      },
    },
  ];
}

export interface EventListParams {
  limit?: number;
  starting_after?: string;
  /** An exact type, or a wildcard such as `payment_intent.*`. */
  type?: string;
}

/**
 * `events.list`: newest first, `limit` 1–100 (default 10), paged with `starting_after`. The log
 * is sharded (keys.ts): each shard gives its newest `limit + 1` matching events older than the
 * cursor, in parallel, and the newest `limit + 1` of those decide the page. Event ids sort by
 * creation time, so the merge and the cursor need nothing but the id.
 */
export async function listEvents(params: EventListParams = {}): Promise<List<PaymentEvent>> {
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('parameter_invalid_integer', 'limit must be an integer between 1 and 100.', 'limit');
  }
  const perShard = await Promise.all(
    allShardKeys(EVENTS_PARTITION).map((pk) => newestInShard(pk, limit + 1, params)),
  );
  const merged = perShard.flat().sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const data = merged.slice(0, limit).map((item) => JSON.parse(item.payload) as PaymentEvent);
  return { object: 'list', data, has_more: merged.length > limit, url: '/v1/events' };
}

/** Up to `wanted` events of one shard, newest first, older than `starting_after`, of the type. */
async function newestInShard(
  pk: string,
  wanted: number,
  params: EventListParams,
): Promise<{ sk: string; payload: string }[]> {
  const { doc, tableName } = db();
  const filter = typeFilter(params.type);
  const found: { sk: string; payload: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  // A type filter is applied after the read, so keep reading pages until enough matched.
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: params.starting_after
          ? 'pk = :pk AND sk BETWEEN :evt AND :before'
          : 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':evt': 'EVT#',
          // BETWEEN is inclusive: the cursor's own event is dropped below.
          ...(params.starting_after ? { ':before': `EVT#${params.starting_after}` } : {}),
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        Limit: wanted + 1,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk === `EVT#${params.starting_after}`) continue;
      found.push({ sk: item.sk as string, payload: item.payload as string });
    }
    startKey = page.LastEvaluatedKey;
  } while (found.length < wanted && startKey);
  return found.slice(0, wanted);
}

function typeFilter(type: string | undefined) {
  if (!type) return undefined;
  if (type.endsWith('.*')) {
    return { expression: 'begins_with(eventType, :type)', values: { ':type': type.slice(0, -1) } };
  }
  return { expression: 'eventType = :type', values: { ':type': type } };
}
