/**
 * Pay again and change of payment method (`POST /api/orders/{code}/payment`) on DynamoDB Local,
 * with VNPay's side played by the emulator: a new payment (and VNPay txnRef) for an order still
 * held, the old payment cancelled so its late IPN never settles the order twice; VietQR and COD
 * (with its SMS code) instead; the same request twice gives one payment; only the order's phone
 * may do it; an order no longer held gets 409; bad bodies get 400, never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVnpayEmulator, type RunningVnpayEmulator } from '../../infra/local/vnpay-emulator/index.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { DEV_DEFAULTS } from '../../shared/payments/settings.ts';
import { listVnpayLatePayments } from '../../shared/payments/vnpay/reconcile.ts';
import {
  call,
  cancelOrder,
  confirmationCode,
  confirmOrder,
  createShop,
  OTHER_SHOPPER,
  orderBody,
  place,
  SHOPPER,
  sentMessages,
  stockOf,
  track,
  type Answer,
  type Shop,
} from './orders-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order JSON, probed by assertions
type Json = any;

let shop: Shop;
let vnpay: RunningVnpayEmulator;

beforeAll(async () => {
  vnpay = await startVnpayEmulator({
    tmnCode: DEV_DEFAULTS.VNPAY_TMN_CODE,
    hashSecret: DEV_DEFAULTS.VNPAY_HASH_SECRET,
  });
  shop = await createShop({}, { vnpayHost: vnpay.url });
});
afterAll(() => vnpay.stop());

async function placeVnpay(): Promise<Json> {
  const res = await place(
    orderBody([{ variantId: shop.packs.memberTea.id, quantity: 2 }], { paymentMethod: 'vnpay' }),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const repay = (code: string, body: Record<string, unknown>): Promise<Answer> =>
  call('POST', `/api/orders/${code}/payment`, { body });

const again = (placed: Json, paymentMethod = 'vnpay', replaces = placed.order.paymentIntentId) =>
  repay(placed.order.code, { phone: SHOPPER.phone, paymentMethod, replaces });

const openAtVnpay = (url: string) => vnpay.emulator.open(url).txnRef;
const ipn = async (query: string) => (await call('GET', `/api/payments/vnpay/ipn?${query}`)).body;
const intent = (id: string) => shop.payments.paymentIntents.retrieve(id);
const placedSteps = (order: Json) => order.history.filter((s: Json) => s.status === 'placed').length;

describe('pay again with VNPay', () => {
  it('after a cancel at VNPay: a new payment and txnRef; paying it settles the order once', async () => {
    const placed = await placeVnpay();
    const stockAfterPlacing = await stockOf(shop.packs.memberTea);
    const oldRef = openAtVnpay(placed.payment.next_action.redirect_to_url.url);
    expect(await ipn(vnpay.emulator.pay(oldRef, 'cancel').query)).toMatchObject({ RspCode: '00' });
    expect((await intent(placed.order.paymentIntentId)).status).toBe('requires_payment_method');

    const res = await again(placed);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.payment.id).not.toBe(placed.order.paymentIntentId);
    expect(res.body.order.paymentIntentId).toBe(res.body.payment.id);
    expect(res.body.order.status).toBe('pending_payment');
    expect(res.body.payment.next_action.type).toBe('redirect_to_url');
    const newRef = openAtVnpay(res.body.payment.next_action.redirect_to_url.url);
    expect(newRef).not.toBe(oldRef);
    expect(await intent(placed.order.paymentIntentId)).toMatchObject({ status: 'canceled' });
    // The stock stays reserved once: no second reservation, nothing released.
    expect(await stockOf(shop.packs.memberTea)).toBe(stockAfterPlacing);

    expect(await ipn(vnpay.emulator.pay(newRef, 'success').query)).toMatchObject({ RspCode: '00' });
    const order = (await track(placed.order.code)).body;
    expect(order.status).toBe('placed');
    expect(placedSteps(order)).toBe(1);
    expect((await intent(res.body.payment.id)).status).toBe('succeeded');
  });

  it('a late success of the superseded attempt does not settle the order twice; the money is kept for refund', async () => {
    const placed = await placeVnpay();
    // The shopper opened VNPay, gave up without an answer, and paid again from the tracking page.
    const oldRef = openAtVnpay(placed.payment.next_action.redirect_to_url.url);
    expect((await intent(placed.order.paymentIntentId)).status).toBe('requires_action');
    const res = await again(placed);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const newRef = openAtVnpay(res.body.payment.next_action.redirect_to_url.url);
    expect(await ipn(vnpay.emulator.pay(newRef, 'success').query)).toMatchObject({ RspCode: '00' });

    // …and the first tab, still open at VNPay, pays as well. Its IPN (and a replay) changes nothing.
    const late = vnpay.emulator.pay(oldRef, 'success').query;
    expect(await ipn(late)).toMatchObject({ RspCode: '02' });
    expect(await ipn(late)).toMatchObject({ RspCode: '02' });
    const order = (await track(placed.order.code)).body;
    expect(order.status).toBe('placed');
    expect(placedSteps(order)).toBe(1);
    expect(await intent(placed.order.paymentIntentId)).toMatchObject({ status: 'canceled' });
    const kept = await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId });
    expect(kept).toEqual([
      expect.objectContaining({ reason: 'intent_canceled', state: 'received', amount: placed.order.total }),
    ]);
  });

  it('the same request twice (a double tap, a retry) gives the same payment, also at once', async () => {
    const placed = await placeVnpay();
    const [a, b] = await Promise.all([again(placed), again(placed)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.payment.id).toBe(b.body.payment.id);
    const retry = await again(placed);
    expect(retry.status).toBe(200);
    expect(retry.body.payment.id).toBe(a.body.payment.id);
    const order = (await track(placed.order.code)).body;
    expect(order.paymentIntentId).toBe(a.body.payment.id);
    expect(order.replacedIntentIds).toEqual([placed.order.paymentIntentId]);
  });
});

describe('change of payment method', () => {
  it('VNPay → VietQR: the transfer details of a new payment; the VNPay one is cancelled', async () => {
    const placed = await placeVnpay();
    const res = await again(placed, 'vietqr');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.paymentMethod).toBe('vietqr');
    expect(res.body.payment.next_action).toMatchObject({
      type: 'display_vietqr',
      vietqr: { amount: placed.order.total },
    });
    expect(res.body.payment.client_secret).toMatch(/^pi_/);
    expect(await intent(placed.order.paymentIntentId)).toMatchObject({ status: 'canceled' });
  });

  it('VNPay → COD: the order waits for the code sent by SMS (absolute link), then is placed', async () => {
    const placed = await placeVnpay();
    const res = await again(placed, 'cod');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order).toMatchObject({ paymentMethod: 'cod', status: 'pending_payment' });
    expect(res.body.confirmation).toEqual({ required: true, confirmBy: placed.order.payBy });
    const sms = (await sentMessages.list()).find((m) =>
      m.text.includes(`Mã xác nhận đơn ${placed.order.code}`),
    );
    expect(sms?.text).toMatch(/ hoặc mở https?:\/\/[^ ]+\/thanh-toan\/da-dat\/\?ma=/);
    const code = await confirmationCode(placed.order.code);
    const confirmed = await confirmOrder(placed.order.code, code!);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('placed');
    expect(await intent(res.body.payment.id)).toMatchObject({ status: 'requires_capture' });
    expect(await intent(placed.order.paymentIntentId)).toMatchObject({ status: 'canceled' });
  });

  it('COD (unconfirmed) → VNPay → COD again: a fresh code replaces the first', async () => {
    const first = await call('POST', '/api/orders', {
      body: orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], {
        contact: { name: SHOPPER.name, phone: '0977 000 111' },
      }),
      key: `k_repay_${Date.now()}`,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const placed = first.body;
    expect(placed.confirmation?.required).toBe(true);
    const toVnpay = await repay(placed.order.code, {
      phone: '0977 000 111',
      paymentMethod: 'vnpay',
      replaces: placed.order.paymentIntentId,
    });
    expect(toVnpay.status, JSON.stringify(toVnpay.body)).toBe(200);
    // The COD code no longer confirms a VNPay order.
    const oldCode = await confirmationCode(placed.order.code);
    expect((await confirmOrder(placed.order.code, oldCode!, '0977 000 111')).status).toBe(409);
    const back = await repay(placed.order.code, {
      phone: '0977 000 111',
      paymentMethod: 'cod',
      replaces: toVnpay.body.payment.id,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const codes = (await sentMessages.list())
      .filter((m) => m.text.includes(`Mã xác nhận đơn ${placed.order.code}`))
      .map((m) => /: (\d{6})\./.exec(m.text)?.[1]);
    const newest = codes.find((c) => c !== oldCode) ?? codes[0];
    const ok = await confirmOrder(placed.order.code, newest!, '0977 000 111');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'placed', paymentMethod: 'cod' });
  });
});

describe('who may, and when', () => {
  it('another shopper cannot pay again or change the method of someone else’s order (404, nothing changes)', async () => {
    const placed = await placeVnpay();
    for (const paymentMethod of ['vnpay', 'vietqr', 'cod']) {
      const res = await repay(placed.order.code, {
        phone: OTHER_SHOPPER.phone,
        paymentMethod,
        replaces: placed.order.paymentIntentId,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('order.not_found');
      expect(res.body.error.message).toMatch(/Không tìm thấy đơn hàng/);
    }
    const order = (await track(placed.order.code)).body;
    expect(order.paymentIntentId).toBe(placed.order.paymentIntentId);
    expect(order.paymentMethod).toBe('vnpay');
    expect((await intent(placed.order.paymentIntentId)).status).toBe('requires_action');
  });

  it('an order no longer held gets a clear 409: paid, cancelled, expired', async () => {
    const paid = await placeVnpay();
    const ref = openAtVnpay(paid.payment.next_action.redirect_to_url.url);
    await ipn(vnpay.emulator.pay(ref, 'success').query);
    const a = await again(paid);
    expect(a.status).toBe(409);
    expect(a.body.error).toMatchObject({ code: 'order.already_paid' });
    expect(a.body.error.message).toMatch(/đã được thanh toán/);

    const cancelled = await placeVnpay();
    expect((await cancelOrder(cancelled.order.code)).status).toBe(200);
    const b = await again(cancelled, 'cod');
    expect(b.status).toBe(409);
    expect(b.body.error).toMatchObject({ code: 'order.not_held' });
    expect(b.body.error.message).toMatch(/đã hết hạn hoặc đã hủy/);

    const expired = await placeVnpay();
    await expireUnpaidOrders(shop.payments, new Date(Date.now() + 16 * 60_000));
    const c = await again(expired, 'vietqr');
    expect(c.status).toBe(409);
    expect(c.body.error).toMatchObject({ code: 'order.not_held' });
    expect((await track(expired.order.code)).body.paymentMethod).toBe('vnpay');
  });

  it('a request about a payment the order no longer has: 409, nothing changes', async () => {
    const placed = await placeVnpay();
    const first = await again(placed, 'vietqr');
    expect(first.status).toBe(200);
    const stale = await again(placed, 'cod');
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('order.payment_changed');
    expect((await track(placed.order.code)).body.paymentMethod).toBe('vietqr');
  });

  it('bad bodies: 400 with a Vietnamese message, never 500, nothing written', async () => {
    const placed = await placeVnpay();
    const base = { phone: SHOPPER.phone, paymentMethod: 'vnpay', replaces: placed.order.paymentIntentId };
    const bad: unknown[] = [
      { ...base, extra: 1 },
      { ...base, paymentMethod: 'stripe' },
      { ...base, replaces: 'not-an-intent' },
      { ...base, phone: '12345' },
      { ...base, locale: 'fr' },
      { paymentMethod: 'vnpay' },
      [],
      'x',
      null,
    ];
    for (const body of bad) {
      const res = await repay(placed.order.code, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỷỹý]/iu);
    }
    const badMethod = await repay(placed.order.code, { ...base, paymentMethod: 'stripe' });
    expect(JSON.stringify(badMethod.body)).toMatch(/Cách thanh toán phải là vnpay, vietqr hoặc cod/);
    expect((await repay('TN-ABCDE0', base)).status).toBe(400);
    const order = (await track(placed.order.code)).body;
    expect(order.paymentIntentId).toBe(placed.order.paymentIntentId);
    expect(order.version).toBe(placed.order.version);
  });
});
