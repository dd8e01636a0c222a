/**
 * Refunds through the emulator's refund API: processed (full 02, partial 03) → `succeeded`;
 * refused as VNPay's real sandbox does (always 99) → `failed` with a reason, then the manager's
 * manual refund; and a late payment whose automatic refund VNPay refuses, resolved by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayments, type Payments } from '../../shared/payments/index.ts';
import type { Charge, Refund } from '../../shared/payments/types.ts';
import { handleVnpayIpn } from '../../shared/payments/vnpay/ipn.ts';
import { createVnpayProvider } from '../../shared/payments/vnpay/provider.ts';
import {
  listVnpayLatePayments,
  reconcileVnpay,
  resolveVnpayLatePayment,
} from '../../shared/payments/vnpay/reconcile.ts';
import {
  confirmedIntent,
  eventsOf,
  payAtEmulator,
  startVnpayWorld,
  typesOf,
  type VnpayWorld,
} from './vnpay-world.ts';

let processing: VnpayWorld;
let refusing: VnpayWorld;
beforeAll(async () => {
  processing = await startVnpayWorld({ emulator: { refundMode: 'process' } });
  refusing = await startVnpayWorld({ emulator: { refundMode: 'always99' } });
});
afterAll(async () => {
  await processing?.stop();
  await refusing?.stop();
});

async function paidIntent(world: VnpayWorld, amount: number) {
  const intent = await confirmedIntent(world.payments, amount);
  await payAtEmulator(intent, 'success');
  await world.emulator.emulator.ipnIdle();
  const paid = await world.payments.paymentIntents.retrieve(intent.id);
  expect(paid.status).toBe('succeeded');
  return paid;
}

const refundEvents = async (payments: Payments, intentId: string) =>
  (await eventsOf(payments, intentId)).filter(
    (e) => e.type === 'charge.refunded' || e.type === 'refund.created',
  );

describe('VNPay refund API', () => {
  it('a full refund (02) succeeds and emits charge.refunded', async () => {
    const intent = await paidIntent(processing, 500_000);
    const refund = await processing.payments.refunds.create({
      payment_intent: intent.id,
      reason: 'requested_by_customer',
      metadata: { recorded_by: 'quanly.tancuong' },
    });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 500_000, payment_intent: intent.id });
    expect(refund.metadata).toMatchObject({ recorded_by: 'quanly.tancuong', vnp_refund_response_code: '00' });
    expect(refund.metadata.vnp_refund_transaction_no).toMatch(/^\d+$/);
    const txn = processing.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!;
    expect(txn.refunds).toEqual([
      expect.objectContaining({ transactionType: '02', amount: 50_000_000, createBy: 'quanly.tancuong' }),
    ]);
    const events = await refundEvents(processing.payments, intent.id);
    expect(typesOf(events)).toEqual(['refund.created', 'charge.refunded']);
    expect(events[1]!.data.object as Charge).toMatchObject({ amount_refunded: 500_000, refunded: true });
  });

  it('partial refunds (03) succeed up to the amount received', async () => {
    const intent = await paidIntent(processing, 300_000);
    const first = await processing.payments.refunds.create({ payment_intent: intent.id, amount: 100_000 });
    const second = await processing.payments.refunds.create({ payment_intent: intent.id, amount: 200_000 });
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded']);
    const txn = processing.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!;
    expect(txn.refunds.map((r) => [r.transactionType, r.amount])).toEqual([
      ['03', 10_000_000],
      ['03', 20_000_000],
    ]);
    await expect(
      processing.payments.refunds.create({ payment_intent: intent.id, amount: 1 }),
    ).rejects.toMatchObject({ code: 'charge_already_refunded' });
    const charges = (await refundEvents(processing.payments, intent.id)).filter(
      (e) => e.type === 'charge.refunded',
    );
    expect(charges.map((e) => (e.data.object as Charge).amount_refunded)).toEqual([100_000, 300_000]);
  });

  it('VNPay refuses (99): failed with a reason, no charge.refunded; then the manual refund succeeds', async () => {
    const intent = await paidIntent(refusing, 210_000);
    const refused: Refund = await refusing.payments.refunds.create({ payment_intent: intent.id });
    expect(refused).toMatchObject({ status: 'failed', failure_reason: 'vnp_refund_99' });
    expect(refused.metadata.vnp_refund_message).toBeTruthy();
    expect(typesOf(await refundEvents(refusing.payments, intent.id))).toEqual(['refund.created']);

    const manual = await refusing.payments.refunds.create({
      payment_intent: intent.id,
      metadata: { manual: 'true', recorded_by: 'quanly.tancuong' },
    });
    expect(manual).toMatchObject({ status: 'succeeded', amount: 210_000 });
    expect(manual.metadata).toMatchObject({ manual: 'true', recorded_by: 'quanly.tancuong' });
    const events = await refundEvents(refusing.payments, intent.id);
    expect(typesOf(events)).toEqual(['refund.created', 'refund.created', 'charge.refunded']);
    expect((events[2]!.data.object as Charge).amount_refunded).toBe(210_000);
    // Nothing went back through VNPay.
    expect(refusing.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!.refunds).toEqual([]);
  });

  it('VNPay unreachable: the refund is pending (unknown), and still counts against what is left', async () => {
    const intent = await paidIntent(processing, 120_000);
    const broken = await startVnpayWorld({ ipn: false });
    await broken.stop();
    const settings = { ...processing.settings, apiUrl: broken.settings.apiUrl };
    const payments = createPayments({ providers: { vnpay: createVnpayProvider(settings) } });
    const refund = await payments.refunds.create({ payment_intent: intent.id });
    expect(refund).toMatchObject({ status: 'pending' });
    expect(refund.metadata.vnp_refund_state).toBe('unknown');
    await expect(payments.refunds.create({ payment_intent: intent.id, amount: 1 })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
  });
});

describe('late payment whose refund VNPay refuses', () => {
  it('stays refund_failed until a manager records giving it back', async () => {
    const intent = await confirmedIntent(refusing.payments, 180_000);
    await refusing.payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'expired' });
    // The emulator's IPN reaches our handler: answered 02, kept as a late payment.
    await payAtEmulator(intent, 'success');
    await refusing.emulator.emulator.ipnIdle();
    const log = refusing.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log.map((e) => e.rspCode)).toEqual(['02']);
    expect(await listVnpayLatePayments({ payment_intent: intent.id })).toEqual([
      expect.objectContaining({ state: 'received', reason: 'intent_canceled', amount: 180_000 }),
    ]);

    const result = await reconcileVnpay(refusing.payments, refusing.settings, { refundLatePayments: true });
    expect(result).toMatchObject({ lateRefundFailed: 1, lateRefunded: 0 });
    const [failed] = await listVnpayLatePayments({ payment_intent: intent.id });
    expect(failed).toMatchObject({ state: 'refund_failed', refund_failure_reason: 'vnp_refund_99' });
    // Not retried automatically.
    expect(await reconcileVnpay(refusing.payments, refusing.settings)).toMatchObject({ lateRefundFailed: 0 });

    const resolved = await resolveVnpayLatePayment(intent.metadata.vnp_txn_ref!, {
      recorded_by: 'quanly.tancuong',
    });
    expect(resolved).toMatchObject({ state: 'refunded_manually', resolved_by: 'quanly.tancuong' });
    await expect(
      resolveVnpayLatePayment(intent.metadata.vnp_txn_ref!, { recorded_by: 'someone.else' }),
    ).rejects.toThrow(/already refunded_manually/);
    expect((await refusing.payments.paymentIntents.retrieve(intent.id)).status).toBe('canceled');
    // The IPN again (VNPay's retry) changes nothing.
    const again = await handleVnpayIpn(refusing.payments, refusing.settings, log[0]!.url.split('?')[1]!);
    expect(again.RspCode).toBe('02');
    expect((await listVnpayLatePayments({ payment_intent: intent.id }))[0]!.state).toBe('refunded_manually');
  });
});
