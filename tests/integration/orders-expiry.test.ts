/**
 * Expiry of unpaid online orders and its races with the payment, made deterministic with an
 * injected clock: `expireUnpaidOrders(payments, now + 16 min)` directly, or the scheduled jobs
 * (`runScheduledJobs({ now })`: querydr reconciliation, then expiry, then webhooks) against the
 * VNPay emulator. Whatever the order of events, an order ends paid or expired/cancelled with
 * its money back — never both, never lost — and its stock is released exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../functions/callbacks/app.ts';
import { runScheduledJobs } from '../../functions/orders/jobs.ts';
import { startVnpayEmulator, type RunningVnpayEmulator } from '../../infra/local/vnpay-emulator/index.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { DEV_DEFAULTS } from '../../shared/payments/settings.ts';
import { listVnpayLatePayments } from '../../shared/payments/vnpay/reconcile.ts';
import {
  bankTransfer,
  call,
  cancelOrder,
  createShop,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  place,
  stockOf,
  track,
  type Shop,
} from './orders-world.ts';
import { eventsOf, typesOf } from './vnpay-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order JSON, probed by assertions
type Json = any;

const MINUTE = 60_000;
let shop: Shop;
let vnpay: RunningVnpayEmulator;

beforeAll(async () => {
  // VNPay's terminal as the local runtime configures it (dev defaults), served by the emulator.
  vnpay = await startVnpayEmulator({
    tmnCode: DEV_DEFAULTS.VNPAY_TMN_CODE,
    hashSecret: DEV_DEFAULTS.VNPAY_HASH_SECRET,
    refundMode: 'process',
  });
  shop = await createShop({}, { vnpayHost: vnpay.url });
});
afterAll(() => vnpay.stop());

/** The jobs at `now`, with webhooks delivered to our own webhook route (not over the network). */
const jobs = (now: Date) =>
  runScheduledJobs({
    now,
    fetch: (async (url: string | URL | Request, init?: RequestInit) =>
      app.request(new URL(String(url)).pathname, init)) as typeof fetch,
  });
const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
const expire = (minutes = 16) => expireUnpaidOrders(shop.payments, later(minutes));

async function placeOnline(
  method: 'vietqr' | 'vnpay',
  lines = [
    { variantId: shop.packs.memberTea.id, quantity: 3 },
    { variantId: shop.packs.coopBTea.id, quantity: 2 },
  ],
): Promise<Json> {
  const res = await place(orderBody(lines, { paymentMethod: method }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.order.status).toBe('pending_payment');
  return res.body;
}

async function stocks(): Promise<number[]> {
  return Promise.all([shop.packs.memberTea, shop.packs.coopBTea].map(stockOf));
}

const intentOf = (placed: Json) => shop.payments.paymentIntents.retrieve(placed.order.paymentIntentId);
const statusOf = async (placed: Json) => (await track(placed.order.code)).body.status as string;
const subStatuses = async (placed: Json) =>
  (await track(placed.order.code)).body.subOrders.map((s: Json) => s.status).sort();

/** The shopper opens VNPay's payment page (the emulator registers the payment). */
function openAtVnpay(placed: Json): string {
  const txn = vnpay.emulator.open(placed.payment.next_action.redirect_to_url.url);
  return txn.txnRef;
}

/** The shopper pays at VNPay; returns the signed result VNPay sends to the IPN URL. */
const payAtVnpay = (txnRef: string) => vnpay.emulator.pay(txnRef, 'success').query;

const ipn = async (query: string) => (await call('GET', `/api/payments/vnpay/ipn?${query}`)).body;

const refundsOf = async (placed: Json) =>
  (await eventsOf(shop.payments, placed.order.paymentIntentId))
    .filter((e) => e.type === 'refund.created')
    .map((e) => (e.data.object as { amount: number }).amount);

describe('an unpaid VietQR order', () => {
  it('is left alone within its window, then expires once: stock back once, payment cancelled', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    const reserved = await stocks();
    expect(reserved).toEqual([before[0]! - 3, before[1]! - 2]);

    await expireUnpaidOrders(shop.payments, later(14));
    expect(await statusOf(placed)).toBe('pending_payment');
    expect(await stocks()).toEqual(reserved);

    const first = await expire();
    expect(first.expired).toBeGreaterThanOrEqual(1);
    const order = (await track(placed.order.code)).body;
    expect(order.status).toBe('expired');
    expect(order.subOrders.map((s: Json) => s.status)).toEqual(['expired', 'expired']);
    expect(order.history.at(-1)).toMatchObject({ status: 'expired', by: 'system' });
    expect(await stocks()).toEqual(before);
    expect(await intentOf(placed)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });

    // Running the job again (or later) changes nothing.
    expect(await expire()).toMatchObject({ expired: 0 });
    expect(await expireUnpaidOrders(shop.payments, later(120))).toMatchObject({ expired: 0 });
    expect(await stocks()).toEqual(before);
    expect(await statusOf(placed)).toBe('expired');

    // The shopper can no longer cancel it; a transfer arriving now waits for a manager.
    expect((await cancelOrder(placed.order.code)).status).toBe(409);
    expect((await notifyTransfer(bankTransfer(shop, placed))).body).toEqual({ result: 'unmatched' });
    expect(await statusOf(placed)).toBe('expired');
    expect((await intentOf(placed)).status).toBe('canceled');
    expect(await stocks()).toEqual(before);
  });

  it('expiry runs at once release its stock once (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await stocks();
      const placed = await placeOnline('vietqr');
      const reports = await Promise.all([expire(), expire(), expire()]);
      expect(
        reports.reduce((n, r) => n + r.expired, 0),
        `round ${round}`,
      ).toBe(1);
      expect(await statusOf(placed)).toBe('expired');
      expect(await stocks(), `round ${round}`).toEqual(before);
    }
  });

  it('the shopper cancelling as the expiry job runs: one of them wins, stock back once (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await stocks();
      const placed = await placeOnline('vietqr');
      const [cancelled, report] = await Promise.all([cancelOrder(placed.order.code), expire()]);
      expect([200, 409], JSON.stringify(cancelled.body)).toContain(cancelled.status);
      const status = await statusOf(placed);
      expect(status).toBe(cancelled.status === 200 ? 'cancelled' : 'expired');
      expect(report.expired, `round ${round}`).toBe(status === 'expired' ? 1 : 0);
      expect(await stocks(), `round ${round}`).toEqual(before);
      expect((await intentOf(placed)).status).toBe('canceled');
    }
  });

  it('paid by transfer just before the expiry job: placed, never expired', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    expect((await notifyTransfer(bankTransfer(shop, placed))).body).toEqual({ result: 'matched' });
    expect(await statusOf(placed)).toBe('placed');
    await expire();
    expect(await statusOf(placed)).toBe('placed');
    expect(await subStatuses(placed)).toEqual(['placed', 'placed']);
    expect(await stocks()).toEqual([before[0]! - 3, before[1]! - 2]);
    expect(await intentOf(placed)).toMatchObject({
      status: 'succeeded',
      amount_received: placed.order.total,
    });
  });

  it('a transfer settled at the bank whose order was never told: the expiry job places it', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    // The payment settles but the function stops before moving the order (no onPaymentSucceeded).
    const { raw, signature } = bankTransfer(shop, placed);
    expect((await shop.payments.vietqr!.applyNotification(raw, signature)).result).toBe('matched');
    expect(await statusOf(placed)).toBe('pending_payment');

    const report = await expire();
    expect(report.paid).toBeGreaterThanOrEqual(1);
    expect(await statusOf(placed)).toBe('placed');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]! - 2]);
    expect((await intentOf(placed)).status).toBe('succeeded');
    expect(await refundsOf(placed)).toEqual([]);
  });

  it('a part its co-op cancelled while unpaid is not released again when the order expires', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, {
      to: 'cancelled',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending_payment');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]]);
    await expire();
    expect(await subStatuses(placed)).toEqual(['cancelled', 'expired']);
    expect(await stocks()).toEqual(before);
    expect((await intentOf(placed)).status).toBe('canceled');
  });

  it('a co-op cancelling a part as the expiry writes: the payment is cancelled once, with the expiry, never on its own', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    // The co-op cancels its part just before the expiry's write lands, so that write loses the race.
    const cancels: { withExpiry: boolean }[] = [];
    let raced = false;
    const intents = shop.payments.paymentIntents;
    const payments = {
      ...shop.payments,
      paymentIntents: {
        ...intents,
        cancel: async (...args: Parameters<typeof intents.cancel>) => {
          cancels.push({ withExpiry: Boolean(args[2]?.transactItems) });
          if (!raced) {
            raced = true;
            const moved = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, {
              to: 'cancelled',
            });
            expect(moved.status).toBe(200);
          }
          return intents.cancel(...args);
        },
      },
    } as typeof shop.payments;
    const report = await expireUnpaidOrders(payments, later(16));
    expect(report.expired).toBe(1);
    expect(await subStatuses(placed)).toEqual(['cancelled', 'expired']);
    expect(await stocks()).toEqual(before);
    // Every cancel the expiry made carried the order's expiry; the first lost the race, one landed.
    expect(cancels.length).toBe(2);
    expect(cancels.every((c) => c.withExpiry)).toBe(true);
    expect(await intentOf(placed)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const canceled = (await eventsOf(shop.payments, placed.order.paymentIntentId)).filter(
      (e) => e.type === 'payment_intent.canceled',
    );
    expect(canceled).toHaveLength(1);
    // The next run finds nothing to do.
    expect(await expire()).toMatchObject({ expired: 0 });
  });

  it('a part its co-op cancelled while unpaid stays cancelled when the payment arrives, and is refunded', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, { to: 'cancelled' });
    // The shopper pays what the QR asked for: the whole order.
    expect((await notifyTransfer(bankTransfer(shop, placed))).body).toEqual({ result: 'matched' });
    const order = (await track(placed.order.code)).body;
    expect(order.status).toBe('placed');
    const partB = order.subOrders.find((s: Json) => s.fulfillerId === shop.coopB.id);
    expect(partB.status).toBe('cancelled');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]]);
    expect(await refundsOf(placed)).toEqual([partB.subtotal + partB.shippingFee]);
    await expire();
    expect(await statusOf(placed)).toBe('placed');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]]);
  });
});

describe('VNPay and the expiry job', () => {
  it('success arriving after the expiry cancelled the intent: kept, refunded through VNPay, order stays expired', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    const txnRef = openAtVnpay(placed);
    // The expiry job runs while the shopper is still on VNPay's page…
    const report = await jobs(later(16));
    expect(report.expired.expired).toBeGreaterThanOrEqual(1);
    expect(await statusOf(placed)).toBe('expired');
    expect((await intentOf(placed)).status).toBe('canceled');
    expect(await stocks()).toEqual(before);

    // …who pays anyway; the IPN arrives.
    expect(await ipn(payAtVnpay(txnRef))).toMatchObject({ RspCode: '02' });
    expect(await statusOf(placed)).toBe('expired');
    expect((await intentOf(placed)).status).toBe('canceled');
    const [late] = await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId });
    expect(late).toMatchObject({ reason: 'intent_canceled', state: 'received', amount: placed.order.total });

    // The next runs refund it through VNPay, once.
    const next = await jobs(later(32));
    expect(next.reconciled.lateRefunded).toBeGreaterThanOrEqual(1);
    const [refunded] = await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId });
    expect(refunded).toMatchObject({ state: 'refunded' });
    const txn = vnpay.emulator.transactions.get(txnRef)!;
    expect(txn.refunds).toEqual([
      expect.objectContaining({ transactionType: '02', amount: placed.order.total * 100 }),
    ]);
    await jobs(later(48));
    expect(txn.refunds).toHaveLength(1);

    // Never both paid and expired.
    expect(await statusOf(placed)).toBe('expired');
    expect(typesOf(await eventsOf(shop.payments, placed.order.paymentIntentId))).not.toContain(
      'payment_intent.succeeded',
    );
    expect(await stocks()).toEqual(before);
  });

  it('paid after the expiry and no IPN ever: querydr finds it, it is refunded', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    const txnRef = openAtVnpay(placed);
    await jobs(later(16));
    expect(await statusOf(placed)).toBe('expired');
    payAtVnpay(txnRef); // no IPN URL configured: nothing reaches us
    await jobs(later(32));
    const [late] = await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId });
    expect(late).toMatchObject({ reason: 'intent_canceled', state: 'refunded' });
    expect(vnpay.emulator.transactions.get(txnRef)!.refunds).toHaveLength(1);
    expect(await statusOf(placed)).toBe('expired');
    expect((await intentOf(placed)).status).toBe('canceled');
    expect(await stocks()).toEqual(before);
  });

  it('paid (IPN) just before the expiry job: placed, not expired', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    const txnRef = openAtVnpay(placed);
    expect(await ipn(payAtVnpay(txnRef))).toMatchObject({ RspCode: '00' });
    expect(await statusOf(placed)).toBe('placed');
    await jobs(later(16));
    expect(await statusOf(placed)).toBe('placed');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]! - 2]);
    expect(await intentOf(placed)).toMatchObject({
      status: 'succeeded',
      amount_received: placed.order.total,
    });
    expect(await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId })).toEqual([]);
  });

  it('paid but the IPN never came: the job’s querydr settles it before the expiry, so it is placed', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    payAtVnpay(openAtVnpay(placed));
    expect(await statusOf(placed)).toBe('pending_payment');
    const report = await jobs(later(16));
    expect(report.reconciled.succeeded).toBeGreaterThanOrEqual(1);
    expect(report.expired.paid).toBeGreaterThanOrEqual(1);
    expect(await statusOf(placed)).toBe('placed');
    expect(await stocks()).toEqual([before[0]! - 3, before[1]! - 2]);
    expect((await intentOf(placed)).status).toBe('succeeded');
  });
});

describe('cancelling a paid VNPay order refunds through VNPay', () => {
  it('one co-op cancels its part: that part is refunded; the other cancels: the rest is refunded', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    const txnRef = openAtVnpay(placed);
    expect(await ipn(payAtVnpay(txnRef))).toMatchObject({ RspCode: '00' });
    const partB = placed.order.subOrders.find((s: Json) => s.fulfillerId === shop.coopB.id);
    const shareB = partB.subtotal + partB.shippingFee;

    const b = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, {
      to: 'cancelled',
    });
    expect(b.status).toBe(200);
    expect(b.body.status).toBe('placed');
    expect(await refundsOf(placed)).toEqual([shareB]);
    const txn = vnpay.emulator.transactions.get(txnRef)!;
    expect(txn.refunds).toEqual([expect.objectContaining({ transactionType: '03', amount: shareB * 100 })]);
    expect(await stocks()).toEqual([before[0]! - 3, before[1]]);

    const a = await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, placed.order.code, {
      to: 'cancelled',
    });
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('cancelled');
    expect(await refundsOf(placed)).toEqual([shareB, placed.order.total - shareB]);
    expect(txn.refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(placed.order.total * 100);
    expect(await stocks()).toEqual(before);
  });
});

describe('a payment on an order the shopper cancelled', () => {
  it('VNPay: the shopper cancels while on the payment page, then pays: refunded, order stays cancelled', async () => {
    const before = await stocks();
    const placed = await placeOnline('vnpay');
    const txnRef = openAtVnpay(placed);
    expect((await cancelOrder(placed.order.code)).status).toBe(200);
    expect(await stocks()).toEqual(before);
    expect((await intentOf(placed)).status).toBe('canceled');

    expect(await ipn(payAtVnpay(txnRef))).toMatchObject({ RspCode: '02' });
    expect(await statusOf(placed)).toBe('cancelled');
    await jobs(later(16));
    const [late] = await listVnpayLatePayments({ payment_intent: placed.order.paymentIntentId });
    expect(late).toMatchObject({ reason: 'intent_canceled', state: 'refunded', amount: placed.order.total });
    expect(vnpay.emulator.transactions.get(txnRef)!.refunds).toHaveLength(1);
    expect(await statusOf(placed)).toBe('cancelled');
    expect(await stocks()).toEqual(before);
  });

  it('VietQR: paid at the bank as the shopper cancels: refunded once, even when the payment news comes later', async () => {
    const before = await stocks();
    const placed = await placeOnline('vietqr');
    const { raw, signature } = bankTransfer(shop, placed);
    expect((await shop.payments.vietqr!.applyNotification(raw, signature)).result).toBe('matched');
    // The order has not heard of the payment yet: the shopper may still cancel.
    const cancelled = await cancelOrder(placed.order.code);
    expect(cancelled.status).toBe(200);
    expect(await stocks()).toEqual(before);
    expect(await refundsOf(placed)).toEqual([placed.order.total]);

    // The payment's webhook arrives afterwards (delivered by the jobs): nothing more happens.
    const report = await jobs(new Date());
    expect(report.webhooks.delivered).toBeGreaterThanOrEqual(1);
    expect(await statusOf(placed)).toBe('cancelled');
    expect(await refundsOf(placed)).toEqual([placed.order.total]);
    expect(await stocks()).toEqual(before);
  });
});
