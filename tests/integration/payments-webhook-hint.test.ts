/**
 * The payment webhook receiver (`POST /api/payments/webhook`) treats an event as a hint: a stale
 * or made-up body, even correctly signed, cannot change an order; the payment's stored state does.
 */
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../functions/callbacks/app.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import {
  bankTransfer,
  createShop,
  notifyTransfer,
  orderBody,
  place,
  track,
  type Shop,
} from './orders-world.ts';

let shop: Shop;
const stripe = new Stripe('sk_test_offline');

beforeAll(async () => {
  shop = await createShop();
});

async function deliver(event: Record<string, unknown>) {
  const payload = JSON.stringify(event);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: shop.settings.webhookSecret });
  const res = await app.request('/api/payments/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

let seq = 0;
/** A `payment_intent.succeeded` event whose body says what the sender chose. */
function succeededEvent(object: Record<string, unknown>) {
  return {
    id: `evt_forged${String(++seq).padStart(6, '0')}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
}

async function unpaidOrder() {
  const placed = await place(
    orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], { paymentMethod: 'vietqr' }),
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body as { order: { code: string; paymentIntentId: string }; payment: never };
}

describe('the webhook receiver re-reads the payment', () => {
  it('a signed body saying "succeeded" does not mark an unpaid order paid', async () => {
    const { order } = await unpaidOrder();
    const stored = await shop.payments.paymentIntents.retrieve(order.paymentIntentId);
    expect(stored.status).toBe('requires_action');
    const forged: PaymentIntent = { ...stored, status: 'succeeded', amount_received: stored.amount };
    expect(await deliver(succeededEvent({ ...forged }))).toEqual({
      status: 200,
      body: { received: true, duplicate: false },
    });
    expect((await track(order.code)).body.status).toBe('pending_payment');
    expect((await shop.payments.paymentIntents.retrieve(order.paymentIntentId)).status).toBe(
      'requires_action',
    );
  });

  it('a paid intent’s event carrying another order’s code settles only the order the payment is for', async () => {
    const paid = await place(
      orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], { paymentMethod: 'vietqr' }),
    );
    expect((await notifyTransfer(bankTransfer(shop, paid.body))).body).toEqual({ result: 'matched' });
    const other = await unpaidOrder();
    const intent = await shop.payments.paymentIntents.retrieve(paid.body.order.paymentIntentId);
    expect(intent.status).toBe('succeeded');
    const stale = { ...intent, metadata: { ...intent.metadata, order_code: other.order.code } };
    expect((await deliver(succeededEvent(stale))).status).toBe(200);
    expect((await track(other.order.code)).body.status).toBe('pending_payment');
    expect((await track(paid.body.order.code)).body.status).toBe('placed');
  });

  it('an event naming no known payment is received and changes nothing', async () => {
    const { order } = await unpaidOrder();
    for (const id of ['pi_doesnotexist000', 'not-an-id', 42]) {
      const res = await deliver(
        succeededEvent({
          id,
          object: 'payment_intent',
          status: 'succeeded',
          metadata: { order_code: order.code },
        }),
      );
      expect(res.status).toBe(200);
    }
    expect((await track(order.code)).body.status).toBe('pending_payment');
  });
});
