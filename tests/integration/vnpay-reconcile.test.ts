/**
 * Reconciliation with querydr at the emulator, for payments whose IPN never came (the emulator
 * has no IPN URL here): settled after their window with an injected clock, given up as timed
 * out after the grace period, and payments made after the intent was cancelled kept and
 * refunded through VNPay's refund API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { VNPAY_PENDING_PARTITION } from '../../shared/db/vnpay-transactions.ts';
import { listVnpayLatePayments, reconcileVnpay } from '../../shared/payments/vnpay/reconcile.ts';
import { queryShards } from './payments-world.ts';
import {
  confirmedIntent,
  eventsOf,
  payAtEmulator,
  redirectUrl,
  startVnpayWorld,
  typesOf,
  type VnpayWorld,
} from './vnpay-world.ts';

let world: VnpayWorld;
beforeAll(async () => {
  world = await startVnpayWorld({ ipn: false });
});
afterAll(() => world.stop());

const MINUTE = 60_000;
/** The intent's payment window end (vnp_ExpireDate), plus `minutes`. */
const afterWindow = (intent: PaymentIntent, minutes: number) => {
  const expire = intent.metadata.vnp_expire_date!;
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) =>
    Number(expire.slice(i, k === 0 ? 4 : i + 2)),
  );
  return new Date(Date.UTC(y!, mo! - 1, d!, h! - 7, mi!, s!) + minutes * MINUTE);
};
const reconcile = (now: Date) => reconcileVnpay(world.payments, world.settings, { now });

/** Every pending marker, from every shard. */
function markers(): Promise<Record<string, unknown>[]> {
  return queryShards(VNPAY_PENDING_PARTITION);
}

describe('querydr reconciliation', () => {
  it('a paid intent whose IPN never arrived is settled once its window has ended, exactly once', async () => {
    const intent = await confirmedIntent(world.payments, 450_000);
    expect(intent.metadata.vnp_create_date).toMatch(/^\d{14}$/);
    expect(await markers()).toHaveLength(1);
    await payAtEmulator(intent, 'success');
    expect(world.emulator.emulator.ipnLog).toEqual([]);

    // Within the window: not looked at.
    expect(await reconcile(new Date())).toMatchObject({ checked: 0 });
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');

    const now = afterWindow(intent, 1);
    expect(await reconcile(now)).toMatchObject({ checked: 1, succeeded: 1, failed: 0, stillPending: 0 });
    const after = await world.payments.paymentIntents.retrieve(intent.id);
    const txn = world.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!;
    expect(after).toMatchObject({ status: 'succeeded', amount_received: 450_000 });
    expect(after.metadata.vnp_transaction_no).toBe(txn.transactionNo);
    expect(typesOf(await eventsOf(world.payments, intent.id))).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
    ]);
    // The marker went with the settlement: the next run has nothing to do.
    expect(await markers()).toHaveLength(0);
    expect(await reconcile(afterWindow(intent, 60))).toMatchObject({ checked: 0 });
  });

  it('a failed payment without IPN becomes requires_payment_method', async () => {
    const intent = await confirmedIntent(world.payments);
    await payAtEmulator(intent, 'insufficient_balance');
    expect(await reconcile(afterWindow(intent, 1))).toMatchObject({ checked: 1, failed: 1 });
    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error).toMatchObject({
      type: 'card_error',
      code: 'vnp_02',
      payment_method_type: 'vnpay',
    });
  });

  it('an abandoned payment waits out the grace period, then times out (vnp_11)', async () => {
    const opened = await confirmedIntent(world.payments);
    const page = await fetch(redirectUrl(opened)); // opened at VNPay, never finished: status 01
    expect(page.status).toBe(200);
    const never = await confirmedIntent(world.payments); // never opened: querydr 91
    const early = await reconcile(afterWindow(never, 5));
    expect(early).toMatchObject({ checked: 2, stillPending: 2, failed: 0 });
    for (const intent of [opened, never]) {
      expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    }
    const late = await reconcile(afterWindow(never, 16));
    expect(late).toMatchObject({ checked: 2, failed: 2 });
    for (const intent of [opened, never]) {
      const after = await world.payments.paymentIntents.retrieve(intent.id);
      expect(after.status).toBe('requires_payment_method');
      expect(after.last_payment_error?.code).toBe('vnp_11');
    }
    expect(await markers()).toHaveLength(0);
  });

  it('VNPay unreachable: everything stays pending, nothing changes', async () => {
    const intent = await confirmedIntent(world.payments);
    const broken = { ...world.settings, apiUrl: 'http://127.0.0.1:9/merchant_webapi/api/transaction' };
    const result = await reconcileVnpay(world.payments, broken, { now: afterWindow(intent, 30) });
    expect(result).toMatchObject({ checked: 1, stillPending: 1, succeeded: 0, failed: 0 });
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    // A reconcile that can reach VNPay then settles it.
    await reconcile(afterWindow(intent, 30));
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
  });

  it('paid after the intent was cancelled: kept as a late payment and refunded through VNPay', async () => {
    const intent = await confirmedIntent(world.payments, 275_000);
    const page = await fetch(redirectUrl(intent));
    expect(page.status).toBe(200);
    // The order expires while the shopper is still on VNPay's page…
    await world.payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'expired' });
    // …and the shopper pays anyway.
    await payAtEmulator(intent, 'success');

    const result = await reconcile(afterWindow(intent, 1));
    expect(result).toMatchObject({ checked: 1, cleared: 1, latePayments: 1, lateRefunded: 1, succeeded: 0 });
    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('canceled');
    expect(typesOf(await eventsOf(world.payments, intent.id))).not.toContain('payment_intent.succeeded');
    const [late] = await listVnpayLatePayments({ payment_intent: intent.id });
    expect(late).toMatchObject({ reason: 'intent_canceled', amount: 275_000, state: 'refunded' });
    const txn = world.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!;
    expect(txn.refunds).toEqual([expect.objectContaining({ transactionType: '02', amount: 27_500_000 })]);
    // Nothing more to do on the next run: not refunded twice.
    expect(await reconcile(afterWindow(intent, 20))).toMatchObject({ checked: 0, lateRefunded: 0 });
    expect(txn.refunds).toHaveLength(1);
  });

  it('an intent cancelled whose shopper never paid: the marker is dropped after the grace period', async () => {
    const intent = await confirmedIntent(world.payments);
    await world.payments.paymentIntents.cancel(intent.id);
    expect(await reconcile(afterWindow(intent, 1))).toMatchObject({ checked: 1, stillPending: 1 });
    expect(await reconcile(afterWindow(intent, 16))).toMatchObject({
      checked: 1,
      cleared: 1,
      latePayments: 0,
    });
    expect(await markers()).toHaveLength(0);
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('canceled');
  });
});
