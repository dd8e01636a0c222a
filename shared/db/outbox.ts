/**
 * The webhook outbox: one item per event to send, sharded like the event log (`<shard>` = 00…31
 * from a hash of the event id, shards.ts):
 *   OUTBOX#<shard> / EVT#<evt id>    attempts, next attempt time, endpoints reached, the payload
 * While due, the item is also on the `byOwner` index as
 *   OUTBOX#DUE#<shard> / <next attempt, 15 digits>#<evt id>
 * Sparse: those attributes are removed once the event is delivered or given up, so each delivery
 * run reads only what is due, however many delivered events the outbox keeps.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { isConditionFailure } from './item-access.ts';
import type { TransactItem } from './items.ts';
import { shardedKey, shardKey } from './shards.ts';

/** Bases of the outbox shards and of its due index's shards. */
export const OUTBOX_PARTITION = 'OUTBOX';
export const OUTBOX_DUE = 'OUTBOX#DUE';

export const outboxKey = (eventId: string) => ({
  pk: shardedKey(OUTBOX_PARTITION, eventId),
  sk: `EVT#${eventId}`,
});

/** One shard's partition on the due index. */
export const outboxDueShard = (shard: string) => shardKey(OUTBOX_DUE, shard);

/** Sorts by time: milliseconds padded to 15 digits, then the event id. */
export function outboxDueSort(nextAttemptAt: number, id: string): string {
  return `${String(nextAttemptAt).padStart(15, '0')}#${id}`;
}

/** The due-index attributes of an event next due at `nextAttemptAt`. */
const outboxDue = (nextAttemptAt: number, id: string) => ({
  ownerKey: shardedKey(OUTBOX_DUE, id),
  ownerSort: outboxDueSort(nextAttemptAt, id),
});

/** An outbox item as the deliverer reads it. */
export interface OutboxItem {
  pk: string;
  sk: string;
  attempts: number;
  deliveredTo: string[];
  payload: string;
}

/** The event id, from the outbox item's sort key (`EVT#<id>`). */
export const outboxEventId = (item: OutboxItem) => item.sk.slice('EVT#'.length);

/** The Put of a new outbox entry, due at once (written with the change the event announces). */
export function putOutboxEntry(
  eventId: string,
  payload: string,
  nowMs: number,
  expiresAt: number,
): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: {
        ...outboxKey(eventId),
        ...outboxDue(nowMs, eventId),
        type: 'outbox',
        state: 'pending',
        attempts: 0,
        nextAttemptAt: nowMs,
        deliveredTo: [],
        payload,
        expiresAt,
      },
    },
  };
}

/**
 * Up to `limit` entries of one shard due by `nowMs`. The index is eventually consistent: an entry
 * may be a moment stale; the claim's condition on the item itself is what decides.
 */
export async function dueOutboxItems(shard: string, nowMs: number, limit: number): Promise<OutboxItem[]> {
  const { doc, tableName } = db();
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerKey = :due AND ownerSort <= :now',
      ExpressionAttributeValues: { ':due': outboxDueShard(shard), ':now': outboxDueSort(nowMs, '\uffff') },
      Limit: limit,
    }),
  );
  return (page.Items ?? []) as OutboxItem[];
}

/**
 * Claims attempt number `attempt` of an entry still pending and not claimed by anyone else since it
 * was read; while leased it is due again only at `nextAttemptAt`. False when another run won.
 */
export async function claimOutboxAttempt(
  item: OutboxItem,
  attempt: number,
  nextAttemptAt: number,
): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET attempts = :attempt, nextAttemptAt = :next, ownerSort = :due',
        ConditionExpression: 'attempts = :seen AND #state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':attempt': attempt,
          ':next': nextAttemptAt,
          ':due': outboxDueSort(nextAttemptAt, outboxEventId(item)),
          ':seen': item.attempts,
          ':pending': 'pending',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Records an attempt's result, unless a later attempt has claimed the entry meanwhile. Still
 * pending: due again at `nextAttemptAt`; delivered or failed: out of the due index.
 */
export async function recordOutboxResult(
  item: OutboxItem,
  attempt: number,
  result: {
    deliveredTo: string[];
    state: 'pending' | 'delivered' | 'failed';
    lastError: string;
    nowMs: number;
    nextAttemptAt: number;
  },
): Promise<void> {
  const { doc, tableName } = db();
  const { state, nextAttemptAt } = result;
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression:
          'SET #state = :state, deliveredTo = :to, lastError = :error, lastAttemptAt = :now, nextAttemptAt = :next' +
          (state === 'pending' ? ', ownerSort = :due' : ' REMOVE ownerKey, ownerSort'),
        ConditionExpression: 'attempts = :attempt',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': state,
          ':to': result.deliveredTo,
          ':error': result.lastError,
          ':now': result.nowMs,
          ':next': nextAttemptAt,
          ':attempt': attempt,
          ...(state === 'pending' ? { ':due': outboxDueSort(nextAttemptAt, outboxEventId(item)) } : {}),
        },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return;
    throw error;
  }
}
