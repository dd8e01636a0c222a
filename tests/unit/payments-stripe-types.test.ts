/**
 * Type-level check: the objects the payment SDK returns are assignable to the matching fields of
 * the official `stripe` package's types, so `tsc --noEmit` fails as soon as a shape drifts.
 */
import type Stripe from 'stripe';
import { describe, expectTypeOf, it } from 'vitest';
import type { Charge, List, PaymentEvent, PaymentIntent, Refund } from '../../shared/payments/types.ts';

type SharedIntentFields =
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_capturable'
  | 'amount_received'
  | 'currency'
  | 'status'
  | 'capture_method'
  | 'payment_method_types'
  | 'metadata'
  | 'created'
  | 'next_action'
  | 'canceled_at'
  | 'cancellation_reason'
  | 'last_payment_error'
  | 'latest_charge'
  | 'client_secret'
  | 'description'
  | 'livemode';

type SharedRefundFields =
  | 'id'
  | 'object'
  | 'amount'
  | 'currency'
  | 'charge'
  | 'payment_intent'
  | 'reason'
  | 'status'
  | 'metadata'
  | 'created';

type SharedChargeFields =
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_captured'
  | 'amount_refunded'
  | 'currency'
  | 'captured'
  | 'paid'
  | 'refunded'
  | 'status'
  | 'payment_intent'
  | 'metadata'
  | 'created'
  | 'livemode';

type SharedEventFields =
  'id' | 'object' | 'api_version' | 'created' | 'livemode' | 'pending_webhooks' | 'request' | 'type';

// Compile-time assignments: these functions only type-check while the shapes stay compatible.
const asStripeIntent = (intent: PaymentIntent): Pick<Stripe.PaymentIntent, SharedIntentFields> => intent;
const asStripeRefund = (refund: Refund): Pick<Stripe.Refund, SharedRefundFields> => refund;
const asStripeCharge = (charge: Charge): Pick<Stripe.Charge, SharedChargeFields> => charge;
const asStripeEvent = (event: PaymentEvent): Pick<Stripe.Event, SharedEventFields> => event;
const asStripeNextAction = (
  action: NonNullable<PaymentIntent['next_action']>,
): Stripe.PaymentIntent.NextAction => action;

describe('payment objects match the stripe package types', () => {
  it('PaymentIntent, Refund, Charge, Event and next_action', () => {
    expectTypeOf(asStripeIntent).returns.toEqualTypeOf<Pick<Stripe.PaymentIntent, SharedIntentFields>>();
    expectTypeOf<PaymentIntent>().toExtend<Pick<Stripe.PaymentIntent, SharedIntentFields>>();
    expectTypeOf<Refund>().toExtend<Pick<Stripe.Refund, SharedRefundFields>>();
    expectTypeOf<Charge>().toExtend<Pick<Stripe.Charge, SharedChargeFields>>();
    expectTypeOf<PaymentEvent>().toExtend<Pick<Stripe.Event, SharedEventFields>>();
    expectTypeOf<PaymentEvent['data']['object']>().toExtend<Record<string, unknown> | object>();
    expectTypeOf<List<PaymentIntent>>().toExtend<
      Pick<Stripe.ApiList<Stripe.PaymentIntent>, 'object' | 'has_more' | 'url'>
    >();
    expectTypeOf(asStripeRefund).toBeFunction();
    expectTypeOf(asStripeCharge).toBeFunction();
    expectTypeOf(asStripeEvent).toBeFunction();
    expectTypeOf(asStripeNextAction).toBeFunction();
  });
});
