/**
 * The payment event log and the receivers' dedupe of delivered events:
 *   EVENTS#<shard>          / EVT#<evt id>   an event, time-ordered per shard (TTL 30 days)
 *   WHSEEN#<scope>#<evt id> / WHSEEN         a receiver has acted on this event (TTL 7 days)
 * Every order writes events, so the log is sharded (`<shard>` = 00…31 from a hash of the event id,
 * shards.ts): `events.list` merges the shards newest first.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { putIfAbsent } from './item-access.ts';
import type { TransactItem } from './items.ts';
import { putOutboxEntry } from './outbox.ts';
import { allShardKeys, shardedKey } from './shards.ts';

export const DAY_SECONDS = 86_400;

/** Base of the event log's shards (`EVENTS#<shard>`). */
export const EVENTS_PARTITION = 'EVENTS';

export const eventKey = (id: string) => ({ pk: shardedKey(EVENTS_PARTITION, id), sk: `EVT#${id}` });
const seenKey = (scope: string, eventId: string) => ({ pk: `WHSEEN#${scope}#${eventId}`, sk: 'WHSEEN' });

/**
 * The log entry and the outbox entry of one event, for the transaction of the change it
 * announces. `payload` is the exact JSON text that will be signed and sent.
 */
export function eventItems(
  event: { id: string; type: string },
  payload: string,
  nowMs: number,
  expiresAt: number,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: db().tableName,
        Item: { ...eventKey(event.id), type: 'event', eventType: event.type, payload, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    putOutboxEntry(event.id, payload, nowMs, expiresAt),
  ];
}

/** A page of the log: events of one shard, newest first. */
export interface EventQuery {
  /** Only events older than this id. */
  before?: string;
  /** An exact type, or a wildcard such as `payment_intent.*`. */
  type?: string;
}

/**
 * The shards' newest `wanted` events each (sort key and payload), older than `before` and of the
 * type; a type filter applies after the read, so a shard is read until enough matched.
 */
export async function newestEvents(
  wanted: number,
  query: EventQuery,
): Promise<{ sk: string; payload: string }[][]> {
  return Promise.all(allShardKeys(EVENTS_PARTITION).map((pk) => newestInShard(pk, wanted, query)));
}

async function newestInShard(
  pk: string,
  wanted: number,
  query: EventQuery,
): Promise<{ sk: string; payload: string }[]> {
  const { doc, tableName } = db();
  const filter = typeFilter(query.type);
  const found: { sk: string; payload: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: query.before
          ? 'pk = :pk AND sk BETWEEN :evt AND :before'
          : 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':evt': 'EVT#',
          // BETWEEN is inclusive: the cursor's own event is dropped below.
          ...(query.before ? { ':before': `EVT#${query.before}` } : {}),
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        Limit: wanted + 1,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk === `EVT#${query.before}`) continue;
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

/**
 * Claims a received event for `scope`: true the first time, false for a duplicate delivery. Kept
 * 7 days (Stripe retries for up to 3).
 */
export async function claimSeenEvent(scope: string, eventId: string, now: Date): Promise<boolean> {
  return putIfAbsent({
    ...seenKey(scope, eventId),
    type: 'webhook_seen',
    expiresAt: Math.floor(now.getTime() / 1000) + 7 * DAY_SECONDS,
  });
}

/** Forgets a claimed event, so the sender's retry is processed. */
export async function releaseSeenEvent(scope: string, eventId: string): Promise<void> {
  const { doc, tableName } = db();
  await doc.send(new DeleteCommand({ TableName: tableName, Key: seenKey(scope, eventId) }));
}
