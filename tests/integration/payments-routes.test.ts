/**
 * The orders function's payment routes over HTTP (Hono app.request) against DynamoDB Local:
 * VNPay IPN and return, VietQR bank notifications, the admin's unmatched transfers, manual
 * refunds with their ownership checks, a payment's status by client_secret, and the webhook
 * receiver with Stripe signatures and dedupe.
 */
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes as app } from '../../infra/local/function-apps.ts';
import { exchangePayments, paymentsFrom } from '../../functions/orders/payments.ts';
import { recompose } from '../../infra/local/services.ts';
import type { Payments } from '../../shared/payments/index.ts';
import { signBankNotification } from '../../shared/payments/providers/bank-notification.ts';
import { paymentSettings, type PaymentSettings } from '../../shared/payments/settings.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { signPaymentResult, toVnpAmount, vnpDate } from '../../shared/payments/vnpay/protocol.ts';
import { createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
let payments: Payments;
let settings: PaymentSettings;
let orderSeq = 0;

beforeAll(async () => {
  world = await createSellerWorld();
  settings = paymentSettings({ env: {}, origin: 'http://127.0.0.1:9', vnpayHost: 'http://127.0.0.1:9' });
  recompose({ payments: paymentsFrom(settings) });
  ({ payments } = await exchangePayments());
});

async function request(
  method: string,
  path: string,
  init: { token?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const res = await app.request(path, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probed by each assertion
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

async function vietqrIntent(amount = 185_000, metadata: Record<string, string> = {}): Promise<PaymentIntent> {
  const order = `TN-R${String(++orderSeq).padStart(4, '0')}`;
  return payments.paymentIntents.create({
    amount,
    currency: 'vnd',
    payment_method_types: ['vietqr'],
    metadata: { order_code: order, ...metadata },
    confirm: true,
  });
}

function notify(body: object, secret = settings.vietqr.notificationSecret) {
  const raw = JSON.stringify(body);
  return request('POST', '/api/payments/vietqr/notifications', {
    body: raw,
    headers: { 'x-signature': signBankNotification(raw, secret) },
  });
}

const transfer = (intent: PaymentIntent, overrides: Record<string, unknown> = {}) => ({
  id: `FT${Date.now()}${orderSeq}${Math.floor(Math.random() * 1e6)}`,
  amount: intent.amount,
  description: `CHUYEN TIEN ${intent.next_action?.type === 'display_vietqr' ? intent.next_action.vietqr.memo : ''}`,
  account_number: settings.vietqr.accountNumber,
  transacted_at: new Date().toISOString(),
  ...overrides,
});

describe('VietQR bank notifications', () => {
  it('a signed notification settles the payment; the shopper sees it with the client_secret only', async () => {
    const intent = await vietqrIntent();
    const res = await notify(transfer(intent));
    expect(res).toEqual({ status: 200, body: { result: 'matched' } });

    const status = await request('GET', `/api/payments/${intent.id}?client_secret=${intent.client_secret}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: intent.id, status: 'succeeded', amount: 185_000 });

    const wrong = await request(
      'GET',
      `/api/payments/${intent.id}?client_secret=${intent.id}_secret_wrongwrongwrong`,
    );
    expect(wrong.status).toBe(404);
    const unknown = await request('GET', `/api/payments/pi_doesnotexist000?client_secret=xxxxxxxxxxxx`);
    expect(unknown.status).toBe(404);
    const noSecret = await request('GET', `/api/payments/${intent.id}`);
    expect(noSecret.status).toBe(400);
  });

  it('a bad signature is refused and writes nothing', async () => {
    const intent = await vietqrIntent();
    const res = await notify(transfer(intent), 'not-the-secret');
    expect(res.status).toBe(401);
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    expect((await notify({ nonsense: true })).status).toBe(400);
  });

  it('a wrong amount waits in the admin’s unmatched list and is matched by hand', async () => {
    const intent = await vietqrIntent(200_000);
    const sent = transfer(intent, { amount: 210_000 });
    expect((await notify(sent)).body).toEqual({ result: 'unmatched' });

    expect((await request('GET', '/api/payments/vietqr/unmatched')).status).toBe(401);
    const asManager = await request('GET', '/api/payments/vietqr/unmatched', {
      token: world.actors.managerA.token,
    });
    expect(asManager.status).toBe(403);
    const list = await request('GET', '/api/payments/vietqr/unmatched', { token: world.actors.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(sent.id);

    const path = `/api/payments/vietqr/unmatched/${sent.id}/match`;
    const byManager = await request('POST', path, {
      token: world.actors.managerA.token,
      body: JSON.stringify({ paymentIntentId: intent.id }),
    });
    expect(byManager.status).toBe(403);
    const extra = await request('POST', path, {
      token: world.actors.admin.token,
      body: JSON.stringify({ paymentIntentId: intent.id, amount: 1 }),
    });
    expect(extra.status).toBe(400);
    const both = await request('POST', path, {
      token: world.actors.admin.token,
      body: JSON.stringify({ paymentIntentId: intent.id, orderCode: 'TN-ABCDE' }),
    });
    expect(both.status).toBe(400);
    const noOrder = await request('POST', path, {
      token: world.actors.admin.token,
      body: JSON.stringify({ orderCode: 'TN-ZZZZZ' }),
    });
    expect(noOrder.status).toBe(404);
    const matched = await request('POST', path, {
      token: world.actors.admin.token,
      body: JSON.stringify({ paymentIntentId: intent.id }),
    });
    expect(matched.status).toBe(200);
    expect(matched.body.status).toBe('succeeded');
    const again = await request('POST', path, {
      token: world.actors.admin.token,
      body: JSON.stringify({ paymentIntentId: intent.id }),
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment.transfer_already_matched');
  });
});

describe('manual refunds', () => {
  it('only an admin or a manager of a cooperative in the payment may record one', async () => {
    const intent = await vietqrIntent(150_000, { cooperative_ids: world.coopA.id });
    await notify(transfer(intent));
    const path = `/api/payments/${intent.id}/manual-refunds`;
    const body = (amount: number) => JSON.stringify({ amount, method: 'cash', note: 'Khách trả lại 1 gói' });

    expect((await request('POST', path, { body: body(50_000) })).status).toBe(401);
    for (const actor of [world.actors.managerB, world.actors.member, world.actors.independent]) {
      const res = await request('POST', path, { token: actor.token, body: body(50_000) });
      expect(res.status, actor.name).toBe(403);
    }
    const unknownField = await request('POST', path, {
      token: world.actors.managerA.token,
      body: JSON.stringify({ amount: 1000, method: 'cash', note: 'abc', extra: 1 }),
    });
    expect(unknownField.status).toBe(400);

    // A manager refunds only its own part of an order (payments-part-refunds.test.ts): this payment
    // has no order holding a part of co-op A, so there is nothing of A's to refund.
    const byManager = await request('POST', path, { token: world.actors.managerA.token, body: body(50_000) });
    expect(byManager.status).toBe(403);
    expect(byManager.body.error.code).toBe('payment.refund_forbidden');
    const byAdmin = await request('POST', path, { token: world.actors.admin.token, body: body(50_000) });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body).toMatchObject({ status: 'succeeded', amount: 50_000 });
    const tooMuch = await request('POST', path, { token: world.actors.admin.token, body: body(150_000) });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('payment.amount_too_large');
    const rest = await request('POST', path, { token: world.actors.admin.token, body: body(100_000) });
    expect(rest.status).toBe(201);

    const missing = await request('POST', '/api/payments/pi_doesnotexist000/manual-refunds', {
      token: world.actors.admin.token,
      body: body(1),
    });
    expect(missing.status).toBe(404);
  });
});

describe('webhook receiver', () => {
  it('accepts what the outbox signs, once per event id; refuses a bad signature', async () => {
    const stripe = new Stripe('sk_test_offline');
    const [event] = (await payments.events.list({ limit: 1 })).data;
    expect(event).toBeDefined();
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: settings.webhookSecret });
    const post = (h: string, body = payload) =>
      request('POST', '/api/payments/webhook', { body, headers: { 'stripe-signature': h } });
    expect(await post(header)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect(await post(header)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect((await post(header, payload.replace('"event"', '"evenT"'))).status).toBe(400);
    const old = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: settings.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect((await post(old)).status).toBe(400);
  });
});

describe('VNPay IPN and return routes', () => {
  it('a signed success IPN answers 00 then 02; the return route only reads', async () => {
    const intent = await payments.paymentIntents.create({
      amount: 320_000,
      currency: 'vnd',
      payment_method_types: ['vnpay'],
      metadata: { order_code: 'TN-VNP01' },
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    const txnRef = intent.metadata.vnp_txn_ref!;
    expect(txnRef).toBeTruthy();
    const query = signPaymentResult(
      {
        vnp_TmnCode: settings.vnpay.tmnCode,
        vnp_Amount: toVnpAmount(320_000),
        vnp_BankCode: 'NCB',
        vnp_PayDate: vnpDate(new Date()),
        vnp_OrderInfo: 'Thanh toan don hang TN-VNP01',
        vnp_TransactionNo: '14100001',
        vnp_ResponseCode: '00',
        vnp_TransactionStatus: '00',
        vnp_TxnRef: txnRef,
      },
      settings.vnpay.hashSecret,
    );
    const shown = await request('GET', `/api/payments/vnpay/return?${query}`);
    expect(shown.body).toMatchObject({ verified: true, success: true, paymentIntentId: intent.id });
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');

    expect((await request('GET', `/api/payments/vnpay/ipn?${query}`)).body.RspCode).toBe('00');
    expect((await request('GET', `/api/payments/vnpay/ipn?${query}`)).body.RspCode).toBe('02');
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    const forged = await request(
      'GET',
      `/api/payments/vnpay/ipn?${query.replace('vnp_Amount=32000000', 'vnp_Amount=100')}`,
    );
    expect(forged.body.RspCode).toBe('97');
    expect((await request('GET', '/api/payments/vnpay/ipn')).body.RspCode).toBe('97');
  });
});
