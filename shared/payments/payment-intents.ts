/** `paymentIntents.create / retrieve / confirm / cancel / capture`, as in stripe-node. */
import type { TransactItem } from '../db/items.ts';
import type { PaymentsConfig, RequestContext } from './context.ts';
import { invalidRequest } from './errors.ts';
import { buildEvent, eventItems } from './events.ts';
import { runRequest } from './idempotency.ts';
import { objectId } from './ids.ts';
import type { PaymentProvider } from './providers/provider.ts';
import { putIntent, type StoredIntent } from '../db/payment-intents.ts';
import { advance, assertStatus, commitIntentChange, loadIntent } from './transitions.ts';
import type {
  CancellationReason,
  CaptureMethod,
  Metadata,
  PaymentEventType,
  PaymentIntent,
  PaymentIntentStatus,
  PaymentMethodType,
  RequestOptions,
} from './types.ts';
import { assertAmount, assertCurrency, assertId, assertMetadata, assertOneOf } from './validation.ts';

export interface PaymentIntentCreateParams {
  amount: number;
  currency: 'vnd';
  payment_method_types: PaymentMethodType[];
  capture_method?: CaptureMethod;
  metadata?: Metadata;
  description?: string;
  /** Confirm in the same call, as Stripe allows. */
  confirm?: boolean;
}

export interface CreateOptions extends RequestOptions {
  /** Items to write first in the intent's transaction; a function receives the intent as it will be stored. */
  transactItems?: TransactItem[] | ((intent: PaymentIntent) => TransactItem[]);
}

export interface PaymentIntentConfirmParams {
  /** Which of `payment_method_types` to use when the intent allows several. */
  payment_method_type?: PaymentMethodType;
}

export interface PaymentIntentCaptureParams {
  /** Whole VND; defaults to everything capturable. */
  amount_to_capture?: number;
}

export interface PaymentIntentCancelParams {
  cancellation_reason?: CancellationReason;
}

const CONFIRMABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation'];
const CANCELABLE: PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
];
const CANCELLATION_REASONS: CancellationReason[] = [
  'abandoned',
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'expired',
];

export function paymentIntentsResource(config: PaymentsConfig) {
  const provider = (type: string): PaymentProvider => {
    const found = config.providers[type as PaymentMethodType];
    if (!found) {
      throw invalidRequest(
        'payment_method_unsupported_type',
        `The payment method type "${type}" is not enabled.`,
        'payment_method_types',
      );
    }
    return found;
  };

  /** The confirmed intent and its events, computed in memory: create+confirm commits once. */
  async function planConfirm(ctx: RequestContext, intent: PaymentIntent, params: PaymentIntentConfirmParams) {
    const type = params.payment_method_type ?? intent.payment_method_types[0];
    if (!type || !intent.payment_method_types.includes(type)) {
      throw invalidRequest(
        'payment_intent_incompatible_payment_method',
        `payment_method_type must be one of ${intent.payment_method_types.join(', ')}.`,
        'payment_method_type',
      );
    }
    const chosen: PaymentIntent = { ...intent, payment_method: type };
    const outcome = await provider(type).confirm(chosen, ctx);
    return { ...advance(chosen, outcome), items: outcome.items ?? [] };
  }

  return {
    /**
     * Beyond Stripe: `options.transactItems` (or a function of the new intent) are written FIRST in the same DynamoDB transaction as
     * the new intent, so a caller can make "reserve stock + write the order + create its payment"
     * one atomic step. If any of them fails its condition, no intent exists and the caller gets
     * the raw TransactionCanceledException (its reasons indexed like `transactItems`).
     */
    async create(params: PaymentIntentCreateParams, options: CreateOptions = {}): Promise<PaymentIntent> {
      return runRequest(config, 'payment_intents.create', params, options.idempotencyKey, async (ctx) => {
        const amount = assertAmount(params.amount);
        const currency = assertCurrency(params.currency);
        const types = params.payment_method_types;
        if (!Array.isArray(types) || types.length === 0) {
          throw invalidRequest(
            'parameter_missing',
            'payment_method_types is required.',
            'payment_method_types',
          );
        }
        const providers = types.map(provider);
        // COD can only be captured on delivery: it fixes the capture method of the intent.
        const captureMethod = params.capture_method ?? providers[0]!.captureMethod;
        for (const p of providers) {
          if (p.captureMethod !== captureMethod) {
            throw invalidRequest(
              'parameter_invalid',
              `capture_method must be "${p.captureMethod}" for ${p.type}.`,
              'capture_method',
            );
          }
        }
        const created: PaymentIntent = {
          id: objectId('pi'),
          object: 'payment_intent',
          amount,
          amount_capturable: 0,
          amount_received: 0,
          currency,
          status: types.length === 1 ? 'requires_confirmation' : 'requires_payment_method',
          capture_method: captureMethod,
          payment_method_types: [...types],
          payment_method: null,
          next_action: null,
          metadata: assertMetadata(params.metadata),
          description: params.description ?? null,
          created: ctx.now,
          canceled_at: null,
          cancellation_reason: null,
          last_payment_error: null,
          latest_charge: null,
          client_secret: null,
          livemode: false,
        };
        created.client_secret = `${created.id}_secret_${objectId('req').slice(4)}`;
        let final = created;
        let eventTypes: PaymentEventType[] = [];
        let items: TransactItem[] = [];
        if (params.confirm)
          ({ after: final, events: eventTypes, items } = await planConfirm(ctx, created, {}));
        const events = [
          buildEvent(ctx, 'payment_intent.created', created),
          ...eventTypes.map((type) => buildEvent(ctx, type, final)),
        ];
        return ctx.commit(
          [
            ...(typeof options.transactItems === 'function'
              ? options.transactItems(final)
              : (options.transactItems ?? [])),
            putIntent(final, 'new'),
            ...events.flatMap((e) => eventItems(ctx, e)),
            ...items,
          ],
          final,
        );
      });
    },

    async retrieve(id: string): Promise<PaymentIntent> {
      return (await loadIntent(assertId(id, 'pi'))).intent;
    },

    async confirm(
      id: string,
      params: PaymentIntentConfirmParams = {},
      options: RequestOptions = {},
    ): Promise<PaymentIntent> {
      return runRequest(
        config,
        'payment_intents.confirm',
        { id, params },
        options.idempotencyKey,
        async (ctx) => {
          const before = await loadIntent(assertId(id, 'pi'));
          assertStatus(before, 'confirm', CONFIRMABLE);
          const { after, events, items } = await planConfirm(ctx, before.intent, params);
          return commitIntentChange(ctx, before, after, eventsFor(ctx, events, after), {
            items,
            response: after,
          });
        },
      );
    },

    /** As Stripe: `amount_to_capture` (≤ amount_capturable) takes part; the rest is released. */
    async capture(
      id: string,
      params: PaymentIntentCaptureParams = {},
      options: RequestOptions = {},
    ): Promise<PaymentIntent> {
      return runRequest(
        config,
        'payment_intents.capture',
        { id, params },
        options.idempotencyKey,
        async (ctx) => {
          const before = await loadIntent(assertId(id, 'pi'));
          assertStatus(before, 'capture', ['requires_capture']);
          const capturable = before.intent.amount_capturable;
          const amount =
            params.amount_to_capture === undefined ? capturable : assertAmount(params.amount_to_capture);
          if (amount > capturable) {
            throw invalidRequest(
              'amount_too_large',
              `amount_to_capture (${amount} ₫) is greater than amount_capturable (${capturable} ₫).`,
              'amount_to_capture',
            );
          }
          const { after, events } = advance(before.intent, { status: 'succeeded', amount_received: amount });
          return commitIntentChange(ctx, before, after, eventsFor(ctx, events, after), { response: after });
        },
      );
    },

    /**
     * Beyond Stripe: `options.transactItems` are written in the same transaction as the cancel
     * (e.g. the order's expiry), so both land or neither does; a failed condition on any of them
     * is a lost race, as for the intent itself.
     */
    async cancel(
      id: string,
      params: PaymentIntentCancelParams = {},
      options: RequestOptions & { transactItems?: TransactItem[] } = {},
    ): Promise<PaymentIntent> {
      return runRequest(
        config,
        'payment_intents.cancel',
        { id, params },
        options.idempotencyKey,
        async (ctx) => {
          const reason =
            params.cancellation_reason === undefined
              ? null
              : assertOneOf(params.cancellation_reason, CANCELLATION_REASONS, 'cancellation_reason');
          const before: StoredIntent = await loadIntent(assertId(id, 'pi'));
          assertStatus(before, 'cancel', CANCELABLE);
          const after: PaymentIntent = {
            ...before.intent,
            status: 'canceled',
            amount_capturable: 0,
            next_action: null,
            canceled_at: ctx.now,
            cancellation_reason: reason,
          };
          return commitIntentChange(ctx, before, after, eventsFor(ctx, ['payment_intent.canceled'], after), {
            response: after,
            ...(options.transactItems ? { items: options.transactItems } : {}),
          });
        },
      );
    },
  };
}

function eventsFor(ctx: RequestContext, types: PaymentEventType[], intent: PaymentIntent) {
  return types.map((type) => buildEvent(ctx, type, intent));
}
