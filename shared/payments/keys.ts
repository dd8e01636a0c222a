/**
 * Item keys of the payment SDK in the shared table. Everything sits under its own prefixes so
 * payments never collide with catalog items:
 *   PI#<id>            / PI                    a payment intent (status + version for conditions)
 *   RE#<id>            / RE                    a refund
 *   IDEM#<key>         / IDEM                  an idempotency key and its stored response (TTL)
 *   EVENTS#<shard>     / EVT#<evt id>          the event log, time-ordered per shard (TTL 30 days)
 *   OUTBOX#<shard>     / EVT#<evt id>          webhook deliveries (attempts, next time); while due,
 *                                              also on byOwner as OUTBOX#DUE#<shard> / <next>#<evt id>
 *   VQRMEMO#<code>     / MEMO                  VietQR memo code → the intent it pays
 *   VQRTX#<bank txn>   / TRANSFER              a bank transfer seen by the VietQR notification
 *   VQRTX#UNMATCHED    / <received>#<bank txn> transfers waiting for a manager to match them
 *   WHSEEN#<scope>#<evt id> / WHSEEN           consumer-side dedupe of received events (TTL)
 *
 * Every order writes events, so the event log, the outbox and its due index are sharded
 * (`<shard>` = 00…31 from a hash of the event id, db/shards.ts): no partition takes more than
 * a thirty-second of them. `events.list` merges the shards newest first; delivery reads one
 * shard's due entries per worker.
 */
import { shardedKey, shardKey } from '../db/shards.ts';

export const paymentKeys = {
  intent: (id: string) => ({ pk: `PI#${id}`, sk: 'PI' }),
  refund: (id: string) => ({ pk: `RE#${id}`, sk: 'RE' }),
  idempotency: (key: string) => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  event: (id: string) => ({ pk: shardedKey(EVENTS_PARTITION, id), sk: `EVT#${id}` }),
  outbox: (id: string) => ({ pk: shardedKey(OUTBOX_PARTITION, id), sk: `EVT#${id}` }),
  vietqrMemo: (code: string) => ({ pk: `VQRMEMO#${code}`, sk: 'MEMO' }),
  vietqrTransfer: (bankTransactionId: string) => ({ pk: `VQRTX#${bankTransactionId}`, sk: 'TRANSFER' }),
  vietqrUnmatched: (receivedAt: string, bankTransactionId: string) => ({
    pk: UNMATCHED_PARTITION,
    sk: `${receivedAt}#${bankTransactionId}`,
  }),
  webhookSeen: (scope: string, eventId: string) => ({ pk: `WHSEEN#${scope}#${eventId}`, sk: 'WHSEEN' }),
  /**
   * An outbox event still to be sent, in the `byOwner` index by when it is next due. Sparse: the
   * attributes are removed once the event is delivered or given up, so each delivery run reads only
   * what is due, however many delivered events the outbox keeps. Sharded like the outbox item.
   */
  outboxDue: (nextAttemptAt: number, id: string) => ({
    ownerKey: shardedKey(OUTBOX_DUE, id),
    ownerSort: outboxDueSort(nextAttemptAt, id),
  }),
};

/** Base of the due index's shards (`OUTBOX#DUE#<shard>`). */
export const OUTBOX_DUE = 'OUTBOX#DUE';

/** One shard's partition on the due index. */
export const outboxDueShard = (shard: string) => shardKey(OUTBOX_DUE, shard);

/** Sorts by time: milliseconds padded to 15 digits, then the event id. */
export function outboxDueSort(nextAttemptAt: number, id: string): string {
  return `${String(nextAttemptAt).padStart(15, '0')}#${id}`;
}

/** Bases of the sharded event log and outbox partitions (`EVENTS#<shard>`, `OUTBOX#<shard>`). */
export const EVENTS_PARTITION = 'EVENTS';
export const OUTBOX_PARTITION = 'OUTBOX';
export const UNMATCHED_PARTITION = 'VQRTX#UNMATCHED';

export const DAY_SECONDS = 86_400;
