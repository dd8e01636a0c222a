/**
 * Moving an intent from one status to the next: the new object, the events the move emits, and
 * one transaction that writes both under the condition that nobody moved it first.
 */
import type { TransactItem } from '../db/items.ts';
import type { PaymentsConfig, RequestContext } from './context.ts';
import { invalidRequest, notFound, unexpectedState } from './errors.ts';
import { buildEvent, eventItems } from './events.ts';
import { systemContext } from './idempotency.ts';
import { objectId } from './ids.ts';
import type { PaymentOutcome } from './providers/provider.ts';
import { failedConditionIndex, getIntent, putIntent, type StoredIntent } from '../db/payment-intents.ts';
import type { PaymentEvent, PaymentEventType, PaymentIntent, PaymentIntentStatus } from './types.ts';

/** The intent after an outcome, and the event types that announce it. */
export function advance(
  intent: PaymentIntent,
  outcome: PaymentOutcome,
): { after: PaymentIntent; events: PaymentEventType[] } {
  const base: PaymentIntent = {
    ...intent,
    status: outcome.status,
    next_action: null,
    metadata: outcome.metadata ? { ...intent.metadata, ...outcome.metadata } : intent.metadata,
  };
  switch (outcome.status) {
    case 'requires_action':
      return {
        after: { ...base, next_action: outcome.next_action, last_payment_error: null },
        events: ['payment_intent.requires_action'],
      };
    case 'requires_capture':
      return {
        after: { ...base, amount_capturable: intent.amount, last_payment_error: null },
        events: ['payment_intent.amount_capturable_updated'],
      };
    case 'processing':
      return { after: base, events: ['payment_intent.processing'] };
    case 'succeeded':
      return {
        after: {
          ...base,
          amount_capturable: 0,
          amount_received: outcome.amount_received ?? intent.amount,
          latest_charge: intent.latest_charge ?? objectId('ch'),
          last_payment_error: null,
        },
        events: ['payment_intent.succeeded'],
      };
    case 'requires_payment_method':
      return {
        after: { ...base, last_payment_error: outcome.last_payment_error },
        events: ['payment_intent.payment_failed'],
      };
  }
}

/**
 * The conditional write of `after` over `before`, plus its events and any extra items. A lost
 * race (someone else changed the intent first) becomes an `invalid_request_error`.
 */
export async function commitIntentChange<T>(
  ctx: RequestContext,
  before: StoredIntent,
  after: PaymentIntent,
  events: PaymentEvent[],
  extra: { items?: TransactItem[]; amountRefunded?: number; response: T },
): Promise<T> {
  const items = [
    putIntent(
      after,
      { status: before.intent.status, version: before.version },
      extra.amountRefunded ?? before.amountRefunded,
    ),
    ...events.flatMap((event) => eventItems(ctx, event)),
    ...(extra.items ?? []),
  ];
  try {
    return await ctx.commit(items, extra.response);
  } catch (error) {
    if (failedConditionIndex(error) === 0) {
      throw invalidRequest(
        'payment_intent_unexpected_state',
        `PaymentIntent ${after.id} was changed by another request at the same time; retrieve it and retry.`,
      );
    }
    throw error;
  }
}

export async function loadIntent(id: string): Promise<StoredIntent> {
  const stored = await getIntent(id);
  if (!stored) throw notFound('payment_intent', id);
  return stored;
}

export function assertStatus(
  stored: StoredIntent,
  action: string,
  allowed: readonly PaymentIntentStatus[],
): void {
  if (!allowed.includes(stored.intent.status)) {
    throw unexpectedState(action, stored.intent.id, stored.intent.status, allowed);
  }
}

/**
 * Applies an outcome reported by a rail after the fact (a matched bank transfer, a VNPay IPN or
 * querydr answer). Returns false when the intent is no longer in one of `from` — the duplicate
 * notification case: nothing changes and no event is emitted.
 */
export async function applyPaymentOutcome(
  config: PaymentsConfig,
  intentId: string,
  from: readonly PaymentIntentStatus[],
  outcome: PaymentOutcome,
  /** The intent as the caller just read it (saves a read; the conditional write catches staleness). */
  loaded?: StoredIntent,
): Promise<{ applied: boolean; intent: PaymentIntent }> {
  const ctx = systemContext(config);
  const before = loaded?.intent.id === intentId ? loaded : await loadIntent(intentId);
  if (!from.includes(before.intent.status)) return { applied: false, intent: before.intent };
  const { after, events } = advance(before.intent, outcome);
  try {
    await commitIntentChange(
      ctx,
      before,
      after,
      events.map((type) => buildEvent(ctx, type, after)),
      { items: outcome.items, response: after },
    );
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'payment_intent_unexpected_state') {
      return { applied: false, intent: (await loadIntent(intentId)).intent };
    }
    throw error;
  }
  return { applied: true, intent: after };
}
