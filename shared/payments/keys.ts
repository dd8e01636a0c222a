/**
 * Item keys of the payment SDK in the shared table. Everything sits under its own prefixes so
 * payments never collide with catalog items:
 *   PI#<id>            / PI                    a payment intent (status + version for conditions)
 *   RE#<id>            / RE                    a refund
 *   IDEM#<key>         / IDEM                  an idempotency key and its stored response (TTL)
 *   EVENTS             / EVT#<evt id>          the event log, time-ordered (TTL 30 days)
 *   OUTBOX             / EVT#<evt id>          webhook deliveries still to make (attempts, next time)
 *   VQRMEMO#<code>     / MEMO                  VietQR memo code → the intent it pays
 *   VQRTX#<bank txn>   / TRANSFER              a bank transfer seen by the VietQR notification
 *   VQRTX#UNMATCHED    / <received>#<bank txn> transfers waiting for a manager to match them
 *   WHSEEN#<scope>#<evt id> / WHSEEN           consumer-side dedupe of received events (TTL)
 *
 * The single EVENTS and OUTBOX partitions are fine for one province's order volume (a few
 * writes a second at most); a sharded partition key is the step up if that ever changes.
 */
export const paymentKeys = {
  intent: (id: string) => ({ pk: `PI#${id}`, sk: 'PI' }),
  refund: (id: string) => ({ pk: `RE#${id}`, sk: 'RE' }),
  idempotency: (key: string) => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  event: (id: string) => ({ pk: EVENTS_PARTITION, sk: `EVT#${id}` }),
  outbox: (id: string) => ({ pk: OUTBOX_PARTITION, sk: `EVT#${id}` }),
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
   * what is due, however many delivered events the OUTBOX partition keeps.
   */
  outboxDue: (nextAttemptAt: number, id: string) => ({
    ownerKey: OUTBOX_DUE,
    ownerSort: outboxDueSort(nextAttemptAt, id),
  }),
};

export const OUTBOX_DUE = 'OUTBOX#DUE';

/** Sorts by time: milliseconds padded to 15 digits, then the event id. */
export function outboxDueSort(nextAttemptAt: number, id: string): string {
  return `${String(nextAttemptAt).padStart(15, '0')}#${id}`;
}

export const EVENTS_PARTITION = 'EVENTS';
export const OUTBOX_PARTITION = 'OUTBOX';
export const UNMATCHED_PARTITION = 'VQRTX#UNMATCHED';

export const DAY_SECONDS = 86_400;
