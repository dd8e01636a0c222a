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

/** `events.list`: newest first, `limit` 1–100 (default 10), paged with `starting_after`. */
export async function listEvents(params: EventListParams = {}): Promise<List<PaymentEvent>> {
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('parameter_invalid_integer', 'limit must be an integer between 1 and 100.', 'limit');
  }
  const { doc, tableName } = db();
  const filter = typeFilter(params.type);
  const data: PaymentEvent[] = [];
  let startKey: Record<string, unknown> | undefined = params.starting_after
    ? paymentKeys.event(params.starting_after)
    : undefined;
  // A type filter is applied after the read, so keep reading pages until enough matched.
  for (;;) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: { ':pk': EVENTS_PARTITION, ':evt': 'EVT#', ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        Limit: limit + 1,
      }),
    );
    for (const item of page.Items ?? []) data.push(JSON.parse(item.payload as string) as PaymentEvent);
    startKey = page.LastEvaluatedKey;
    if (data.length > limit || !startKey) break;
  }
  return { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/events' };
}

function typeFilter(type: string | undefined) {
  if (!type) return undefined;
  if (type.endsWith('.*')) {
    return { expression: 'begins_with(eventType, :type)', values: { ':type': type.slice(0, -1) } };
  }
  return { expression: 'eventType = :type', values: { ':type': type } };
}
