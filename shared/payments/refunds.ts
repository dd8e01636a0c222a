/**
 * `refunds.create / retrieve`. The provider does the refund on its rail (VNPay's refund API);
 * COD and VietQR money goes back by hand, so their refunds are records a manager makes. Any
 * refund whose metadata says `manual: 'true'` is recorded without calling the provider: the
 * fallback when VNPay refuses.
 */
import type { PaymentsConfig } from './context.ts';
import { invalidRequest, notFound } from './errors.ts';
import { buildEvent } from './events.ts';
import { runRequest } from './idempotency.ts';
import { objectId } from './ids.ts';
import { manualRefund, type RefundOutcome } from './providers/provider.ts';
import { getRefund, putRefund } from './store.ts';
import { assertStatus, commitIntentChange, loadIntent } from './transitions.ts';
import type { Charge, Metadata, PaymentIntent, PaymentMethodType, Refund, RefundReason, RequestOptions } from './types.ts';
import { assertAmount, assertId, assertMetadata, assertOneOf } from './validation.ts';

export interface RefundCreateParams {
  payment_intent: string;
  /** Whole VND; defaults to everything not yet refunded. */
  amount?: number;
  reason?: RefundReason;
  metadata?: Metadata;
}

const REASONS: RefundReason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function refundsResource(config: PaymentsConfig) {
  return {
    async create(params: RefundCreateParams, options: RequestOptions = {}): Promise<Refund> {
      return runRequest(config, 'refunds.create', params, options.idempotencyKey, async (ctx) => {
        const before = await loadIntent(assertId(params.payment_intent, 'pi', 'payment_intent'));
        assertStatus(before, 'refund', ['succeeded']);
        const remaining = before.intent.amount_received - before.amountRefunded;
        if (remaining <= 0) {
          throw invalidRequest('charge_already_refunded', `PaymentIntent ${before.intent.id} is fully refunded.`);
        }
        const amount = params.amount === undefined ? remaining : assertAmount(params.amount);
        if (amount > remaining) {
          throw invalidRequest(
            'amount_too_large',
            `Refund amount (${amount} ₫) is greater than what is left to refund (${remaining} ₫).`,
            'amount',
          );
        }
        const reason = params.reason === undefined ? null : assertOneOf(params.reason, REASONS, 'reason');
        const metadata = assertMetadata(params.metadata);
        const request = { refundId: objectId('re'), amount, reason, metadata };
        const outcome: RefundOutcome =
          metadata.manual === 'true'
            ? manualRefund(request)
            : await providerOf(config, before.intent).refund(before.intent, request, ctx);
        const refund: Refund = {
          id: request.refundId,
          object: 'refund',
          amount,
          currency: 'vnd',
          charge: before.intent.latest_charge,
          payment_intent: before.intent.id,
          reason,
          status: outcome.status,
          ...(outcome.failure_reason ? { failure_reason: outcome.failure_reason } : {}),
          metadata: outcome.metadata ?? metadata,
          created: ctx.now,
        };
        // Only money that is (or is on its way) back counts against what can still be refunded.
        const counts = refund.status === 'succeeded' || refund.status === 'pending';
        const amountRefunded = before.amountRefunded + (counts ? amount : 0);
        const events = [buildEvent(ctx, 'refund.created', refund)];
        if (counts) events.push(buildEvent(ctx, 'charge.refunded', charge(before.intent, amountRefunded)));
        return commitIntentChange(ctx, before, before.intent, events, {
          items: [putRefund(refund)],
          amountRefunded,
          response: refund,
        });
      });
    },

    async retrieve(id: string): Promise<Refund> {
      const refund = await getRefund(assertId(id, 're'));
      if (!refund) throw notFound('refund', id);
      return refund;
    },
  };
}

function providerOf(config: PaymentsConfig, intent: PaymentIntent) {
  const type = (intent.payment_method ?? intent.payment_method_types[0]) as PaymentMethodType;
  const provider = config.providers[type];
  if (!provider) throw invalidRequest('payment_method_unsupported_type', `No provider for ${type}.`);
  return provider;
}

/** The charge view `charge.refunded` carries, derived from the intent. */
function charge(intent: PaymentIntent, amountRefunded: number): Charge {
  return {
    id: intent.latest_charge ?? objectId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: intent.amount_received,
    amount_refunded: amountRefunded,
    currency: intent.currency,
    captured: true,
    paid: true,
    refunded: amountRefunded >= intent.amount_received,
    status: 'succeeded',
    payment_intent: intent.id,
    payment_method_details: intent.payment_method ? { type: intent.payment_method } : null,
    metadata: intent.metadata,
    created: intent.created,
    livemode: false,
  };
}
