/**
 * `refunds.create / retrieve`. The provider does the refund on its rail (VNPay's refund API);
 * COD and VietQR money goes back by hand, so their refunds are records a manager makes. Any
 * refund whose metadata says `manual: 'true'` is recorded without calling the provider: the
 * fallback when VNPay refuses.
 */
import type { TransactItem } from '../db/items.ts';
import type { PaymentsConfig, RequestContext } from './context.ts';
import { invalidRequest, notFound } from './errors.ts';
import { buildEvent, eventItems } from './events.ts';
import { runRequest } from './idempotency.ts';
import { objectId } from './ids.ts';
import { manualRefund, type RefundOutcome } from './providers/provider.ts';
import {
  failedConditionIndex,
  getIntent,
  getRefund,
  putIntent,
  putRefund,
  releaseRefunded,
  transact,
} from '../db/payment-intents.ts';
import { assertStatus, commitIntentChange, loadIntent } from './transitions.ts';
import type {
  Charge,
  Metadata,
  PaymentIntent,
  PaymentMethodType,
  Refund,
  RefundReason,
  RequestOptions,
} from './types.ts';
import { assertAmount, assertId, assertMetadata, assertOneOf } from './validation.ts';
import { countEvent } from '../observability/metrics.ts';

export interface RefundCreateParams {
  payment_intent: string;
  /** Whole VND; defaults to everything not yet refunded. */
  amount?: number;
  reason?: RefundReason;
  metadata?: Metadata;
}

export interface RefundCreateOptions extends RequestOptions {
  transactItems?: TransactItem[];
  releaseItems?: TransactItem[];
}

const REASONS: RefundReason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function refundsResource(config: PaymentsConfig) {
  return {
    /**
     * Beyond Stripe: `options.transactItems` are written in the transaction that counts the money
     * (the manual record, or the reservation before the rail is asked), and `options.releaseItems`
     * in the one that gives a reservation back when the rail refuses. A failed condition among
     * them refuses the refund (`amount_too_large`): the orders use it to cap a refund at what is
     * left of one cooperative's part.
     */
    async create(params: RefundCreateParams, options: RefundCreateOptions = {}): Promise<Refund> {
      const extra = options.transactItems ?? [];
      const refusedByExtra = (error: unknown) => {
        const index = failedConditionIndex(error);
        if (extra.length > 0 && index !== undefined && index > 0) {
          throw invalidRequest(
            'amount_too_large',
            'Refund amount is greater than what is left of the part it is limited to.',
            'amount',
          );
        }
        throw error;
      };
      return runRequest(config, 'refunds.create', params, options.idempotencyKey, async (ctx) => {
        const before = await loadIntent(assertId(params.payment_intent, 'pi', 'payment_intent'));
        assertStatus(before, 'refund', ['succeeded']);
        const remaining = before.intent.amount_received - before.amountRefunded;
        if (remaining <= 0) {
          throw invalidRequest(
            'charge_already_refunded',
            `PaymentIntent ${before.intent.id} is fully refunded.`,
          );
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
        const pending: Refund = {
          id: request.refundId,
          object: 'refund',
          amount,
          currency: 'vnd',
          charge: before.intent.latest_charge,
          payment_intent: before.intent.id,
          reason,
          status: 'pending',
          metadata,
          created: ctx.now,
        };
        const settled = (outcome: RefundOutcome): Refund => ({
          ...pending,
          status: outcome.status,
          ...(outcome.failure_reason ? { failure_reason: outcome.failure_reason } : {}),
          metadata: outcome.metadata ?? metadata,
        });
        // Only money that is (or is on its way) back counts against what can still be refunded.
        const counts = (refund: Refund) => refund.status === 'succeeded' || refund.status === 'pending';

        if (metadata.manual === 'true') {
          // Recorded by hand: nothing to ask, one write.
          const refund = settled(manualRefund(request));
          const amountRefunded = before.amountRefunded + amount;
          const recorded = await commitIntentChange(
            ctx,
            before,
            before.intent,
            refundEvents(ctx, refund, before.intent, amountRefunded),
            {
              items: [putRefund(refund), ...extra],
              amountRefunded,
              response: refund,
            },
          ).catch(refusedByExtra);
          countEvent('RefundsCreated');
          return recorded;
        }

        // Reserve the amount before the rail is asked, under the intent's version: of two refunds
        // racing for the same money only one reaches the rail. If the rail throws, the refund stays
        // pending with its reservation (the money may have left): never refundable twice.
        const reservedTotal = before.amountRefunded + amount;
        try {
          await transact([
            putIntent(
              before.intent,
              { status: before.intent.status, version: before.version },
              reservedTotal,
            ),
            putRefund(pending),
            ...extra,
          ]);
        } catch (error) {
          if (failedConditionIndex(error) === 0) {
            throw invalidRequest(
              'payment_intent_unexpected_state',
              `PaymentIntent ${before.intent.id} was changed by another request at the same time; retrieve it and retry.`,
            );
          }
          refusedByExtra(error);
        }
        const refund = settled(await providerOf(config, before.intent).refund(before.intent, request, ctx));
        if (counts(refund)) countEvent('RefundsCreated');
        const current = (await getIntent(before.intent.id))?.amountRefunded ?? reservedTotal;
        const amountRefunded = counts(refund) ? current : current - amount;
        return ctx.commit(
          [
            putRefund(refund, 'pending'),
            ...(counts(refund)
              ? []
              : [releaseRefunded(before.intent.id, amount), ...(options.releaseItems ?? [])]),
            ...refundEvents(ctx, refund, before.intent, amountRefunded).flatMap((event) =>
              eventItems(ctx, event),
            ),
          ],
          refund,
        );
      });
    },

    async retrieve(id: string): Promise<Refund> {
      const refund = await getRefund(assertId(id, 're'));
      if (!refund) throw notFound('refund', id);
      return refund;
    },
  };
}

/** `refund.created`, and `charge.refunded` when money is (or is on its way) back. */
function refundEvents(ctx: RequestContext, refund: Refund, intent: PaymentIntent, amountRefunded: number) {
  const events = [buildEvent(ctx, 'refund.created', refund)];
  if (refund.status === 'succeeded' || refund.status === 'pending') {
    events.push(buildEvent(ctx, 'charge.refunded', charge(intent, amountRefunded)));
  }
  return events;
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
