/**
 * Payment intents and refunds (the payment SDK's state), read and written conditionally:
 *   PI#<id> / PI    a payment intent (status + version for conditions, amountRefunded)
 *   RE#<id> / RE    a refund
 */
import type { PaymentIntent, Refund } from '../payments/types.ts';
import { db } from './client.ts';
import { getConsistent } from './item-access.ts';
import { guardedPut, type TransactItem } from './items.ts';
import { cancellationCodes, transactWrite } from './retry.ts';

export const paymentIntentKeys = {
  intent: (id: string) => ({ pk: `PI#${id}`, sk: 'PI' }),
  refund: (id: string) => ({ pk: `RE#${id}`, sk: 'RE' }),
};

/** An intent as stored: the public object plus what conditions and refunds need. */
export interface StoredIntent {
  intent: PaymentIntent;
  /** Bumped on every write; with the expected status it makes each transition a compare-and-set. */
  version: number;
  /** Sum of succeeded and pending refunds, so two refunds can never exceed what was received. */
  amountRefunded: number;
}

export async function getIntent(id: string): Promise<StoredIntent | undefined> {
  const item = await getConsistent(paymentIntentKeys.intent(id));
  if (!item) return undefined;
  return {
    intent: item.data as PaymentIntent,
    version: item.version as number,
    amountRefunded: (item.amountRefunded as number | undefined) ?? 0,
  };
}

export async function getRefund(id: string): Promise<Refund | undefined> {
  return (await getConsistent(paymentIntentKeys.refund(id)))?.data as Refund | undefined;
}

/**
 * The Put of an intent's new state. With `expected`, it only applies while the stored intent is
 * still in that status and version: a second capture, or a capture racing a cancel, fails.
 */
export function putIntent(
  next: PaymentIntent,
  expected: { status: string; version: number } | 'new',
  amountRefunded = 0,
): TransactItem {
  const version = expected === 'new' ? 1 : expected.version + 1;
  const Item = {
    ...paymentIntentKeys.intent(next.id),
    type: 'payment_intent',
    status: next.status,
    version,
    amountRefunded,
    data: next,
  };
  return guardedPut(
    Item,
    expected === 'new' ? 'new' : { status: expected.status, version: expected.version },
  );
}

/**
 * The Put of a refund. A new one must not exist yet; with `expected: 'pending'` it settles a
 * refund that was reserved before its rail was asked, and only while it is still pending.
 */
export function putRefund(refund: Refund, expected: 'new' | 'pending' = 'new'): TransactItem {
  const Item = {
    ...paymentIntentKeys.refund(refund.id),
    type: 'refund',
    status: refund.status,
    data: refund,
  };
  return guardedPut(Item, expected === 'new' ? 'new' : { status: 'pending' });
}

/** Gives back a reservation of `amount` that did not turn into a refund (the rail refused). */
export function releaseRefunded(intentId: string, amount: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: paymentIntentKeys.intent(intentId),
      // The version moves too: a refund planned on the old total must re-read it.
      UpdateExpression: 'SET amountRefunded = amountRefunded - :amount, #version = #version + :one',
      ConditionExpression: 'amountRefunded >= :amount',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':amount': amount, ':one': 1 },
    },
  };
}

/** Index of the first item whose condition failed, when a transaction is cancelled for that. */
export function failedConditionIndex(error: unknown): number | undefined {
  const index = cancellationCodes(error)?.indexOf('ConditionalCheckFailed') ?? -1;
  return index >= 0 ? index : undefined;
}

/** One transaction; conflicts and throttles are retried, then StoreBusyError (db/retry.ts). */
export async function transact(items: TransactItem[]): Promise<void> {
  await transactWrite(items);
}
