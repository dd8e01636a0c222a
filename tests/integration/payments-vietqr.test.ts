/**
 * VietQR against DynamoDB Local: the QR a shopper scans, the bank's signed transfer notification
 * settling the intent, duplicates, and the manager's list of transfers that matched nothing.
 */
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { signBankNotification } from '../../shared/payments/index.ts';
import { getConsistent as getItem } from '../../shared/db/item-access.ts';
import { paymentIntentKeys } from '../../shared/db/payment-intents.ts';
import { getTransfer } from '../../shared/db/vietqr-transfers.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import {
  eventTypesFor,
  expectPaymentError,
  fulfilled,
  makePayments,
  rejected,
  scanAll,
  vietQrConfig,
} from './payments-world.ts';

const payments = makePayments();
const vietqr = payments.vietqr!;

let orderSeq = 0;
const orderCode = () => `DH-${Date.now().toString(36).toUpperCase()}-${(orderSeq += 1)}`;
const memoOf = (code: string) => code.replace(/[^A-Z0-9]/g, '');

/** A confirmed VietQR intent for a new order, waiting for the transfer. */
async function awaitingTransfer(amount = 185_000): Promise<{ intent: PaymentIntent; code: string }> {
  const code = orderCode();
  const created = await payments.paymentIntents.create({
    amount,
    currency: 'vnd',
    payment_method_types: ['vietqr'],
    metadata: { order_code: code },
  });
  const intent = await payments.paymentIntents.confirm(created.id);
  return { intent, code };
}

let txnSeq = 0;
const txnId = () => `FT${Date.now()}${(txnSeq += 1)}`;

function notification(fields: { amount: number; description: string; id?: string; account_number?: string }) {
  const body = JSON.stringify({
    id: fields.id ?? txnId(),
    amount: fields.amount,
    description: fields.description,
    account_number: fields.account_number ?? vietQrConfig.accountNumber,
    transacted_at: '2026-05-04T09:15:00+07:00',
  });
  return { body, signature: signBankNotification(body, vietQrConfig.notificationSecret) };
}

const send = (n: { body: string; signature: string | undefined }) =>
  vietqr.applyNotification(n.body, n.signature);

describe('VietQR', () => {
  it('confirm shows a NAPAS QR that decodes to our bank, account, amount and the order code', async () => {
    const { intent, code } = await awaitingTransfer(185_000);
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('display_vietqr');
    if (intent.next_action?.type !== 'display_vietqr') throw new Error('no QR');
    const display = intent.next_action.vietqr;
    expect(display).toMatchObject({
      bank_bin: '970436',
      account_number: '0123456789',
      account_name: 'HTX CHE TAN CUONG',
      amount: 185_000,
      memo: `TN ${memoOf(code)}`,
    });
    const qr = new QRPay(display.payload);
    expect(qr.isValid).toBe(true);
    expect(qr.consumer.bankBin).toBe('970436');
    expect(qr.consumer.bankNumber).toBe('0123456789');
    expect(qr.amount).toBe('185000');
    expect(qr.currency).toBe('704');
    expect(qr.additionalData.purpose).toContain(memoOf(code));
    // A corrupted payload fails its CRC.
    expect(new QRPay(display.payload.replace('185000', '185900')).isValid).toBe(false);
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
    ]);
  });

  it('a signed notification with the memo and amount settles the intent; a duplicate changes nothing', async () => {
    const { intent, code } = await awaitingTransfer(185_000);
    // Banks wrap the memo in their own references and change its spacing.
    const n = notification({
      amount: 185_000,
      description: `MBVCB.9812345.TN.${memoOf(code)}.CT tu 0987654321`,
    });
    const result = await send(n);
    expect(result.result).toBe('matched');
    if (result.result !== 'matched') throw new Error('not matched');
    expect(result.payment_intent).toMatchObject({
      id: intent.id,
      status: 'succeeded',
      amount_received: 185_000,
      next_action: null,
      metadata: { order_code: code, vietqr_transaction_id: JSON.parse(n.body).id },
    });
    const settled = await payments.paymentIntents.retrieve(intent.id);
    expect(settled).toEqual(result.payment_intent);
    const version = (await getItem(paymentIntentKeys.intent(intent.id)))!.version;

    const again = await send(n);
    expect(again.result).toBe('duplicate');
    expect((await getItem(paymentIntentKeys.intent(intent.id)))!.version).toBe(version);
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
    ]);
  });

  it('the same notification delivered three times at once settles once', async () => {
    const { intent, code } = await awaitingTransfer(99_000);
    const n = notification({ amount: 99_000, description: `TN${memoOf(code)}` });
    const results = await Promise.all([send(n), send(n), send(n)]);
    expect(results.filter((r) => r.result === 'matched')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(2);
    expect((await eventTypesFor(intent.id)).filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
    expect(await vietqr.listUnmatched()).not.toContainEqual(
      expect.objectContaining({ id: JSON.parse(n.body).id }),
    );
  });

  it('a bad or missing signature is rejected before anything is written', async () => {
    const { intent, code } = await awaitingTransfer(50_000);
    const n = notification({ amount: 50_000, description: `TN ${memoOf(code)}` });
    const before = await scanAll();
    const forged = { body: n.body.replace('50000', '5000'), signature: n.signature };
    await expectPaymentError(send(forged), {
      type: 'invalid_request_error',
      code: 'signature_invalid',
      statusCode: 401,
    });
    await expectPaymentError(send({ body: n.body, signature: undefined }), { statusCode: 401 });
    await expectPaymentError(
      send({ body: n.body, signature: signBankNotification(n.body, 'other-secret') }),
      {
        statusCode: 401,
      },
    );
    await expectPaymentError(send({ body: n.body, signature: 'zz' }), { statusCode: 401 });
    expect(await scanAll()).toEqual(before);
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    // The genuine one still goes through (an upper-case hex signature as some banks send it).
    expect((await send({ body: n.body, signature: n.signature.toUpperCase() })).result).toBe('matched');
  });

  it('a wrong amount, an unknown memo or another account waits in the unmatched list', async () => {
    const { intent, code } = await awaitingTransfer(120_000);
    const short = notification({ amount: 100_000, description: `TN ${memoOf(code)}` });
    const unknown = notification({ amount: 120_000, description: 'chuyen tien mua che' });
    const elsewhere = notification({
      amount: 120_000,
      description: `TN ${memoOf(code)}`,
      account_number: '9999999999',
    });
    const results = [await send(short), await send(unknown), await send(elsewhere)];
    expect(results.map((r) => r.result)).toEqual(['unmatched', 'unmatched', 'unmatched']);
    const list = await vietqr.listUnmatched();
    const byId = (n: { body: string }) => list.find((t) => t.id === JSON.parse(n.body).id);
    expect(byId(short)).toMatchObject({
      state: 'unmatched',
      reason: 'amount_mismatch',
      amount: 100_000,
      suggested_payment_intent: intent.id,
      payment_intent: null,
    });
    expect(byId(unknown)).toMatchObject({ reason: 'no_memo_match', suggested_payment_intent: null });
    expect(byId(elsewhere)).toMatchObject({ reason: 'other_account' });
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    // A duplicate of an unmatched notification does not list it twice.
    expect((await send(short)).result).toBe('duplicate');
    expect((await vietqr.listUnmatched()).filter((t) => t.id === JSON.parse(short.body).id)).toHaveLength(1);
  });

  it('a manager matches a transfer by hand, once; matching cannot pay an intent twice', async () => {
    const { intent, code } = await awaitingTransfer(140_000);
    // The shopper typed the memo wrong.
    const typo = notification({ amount: 140_000, description: `TN ${memoOf(code)}X9` });
    expect((await send(typo)).result).toBe('unmatched');
    const typoId = JSON.parse(typo.body).id as string;

    const settled = await vietqr.matchByHand(typoId, intent.id, { matched_by: 'manager-1' });
    expect(settled).toMatchObject({
      id: intent.id,
      status: 'succeeded',
      amount_received: 140_000,
      metadata: { vietqr_transaction_id: typoId, matched_by: 'manager-1' },
    });
    expect(await payments.paymentIntents.retrieve(intent.id)).toEqual(settled);
    expect((await vietqr.listUnmatched()).map((t) => t.id)).not.toContain(typoId);

    // The same transfer again, or another transfer for the paid intent: refused.
    await expectPaymentError(vietqr.matchByHand(typoId, intent.id, { matched_by: 'manager-2' }), {
      code: 'transfer_already_matched',
    });
    const other = await awaitingTransfer(140_000);
    await expectPaymentError(vietqr.matchByHand(typoId, other.intent.id, { matched_by: 'manager-2' }), {
      code: 'transfer_already_matched',
    });
    const second = notification({ amount: 140_000, description: 'no memo at all' });
    await send(second);
    await expectPaymentError(
      vietqr.matchByHand(JSON.parse(second.body).id, intent.id, { matched_by: 'manager-2' }),
      { code: 'payment_intent_unexpected_state' },
    );
    // The shopper pays again with the right memo after the manager matched: it is not applied.
    const late = notification({ amount: 140_000, description: `TN ${memoOf(code)}` });
    const lateResult = await send(late);
    expect(lateResult.result).toBe('unmatched');
    expect(lateResult.transfer).toMatchObject({
      reason: 'intent_not_awaiting_payment',
      suggested_payment_intent: intent.id,
    });
    const final = await payments.paymentIntents.retrieve(intent.id);
    expect(final.amount_received).toBe(140_000);
    expect((await eventTypesFor(intent.id)).filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
  });

  it('matchByHand refuses a short transfer, an unknown transfer and a non-VietQR intent', async () => {
    const { intent } = await awaitingTransfer(200_000);
    const short = notification({ amount: 150_000, description: 'thieu tien' });
    await send(short);
    await expectPaymentError(vietqr.matchByHand(JSON.parse(short.body).id, intent.id, { matched_by: 'm' }), {
      code: 'amount_too_small',
    });
    await expectPaymentError(vietqr.matchByHand('FT_NOPE', intent.id, { matched_by: 'm' }), {
      code: 'resource_missing',
      statusCode: 404,
    });
    const cod = await payments.paymentIntents.create({
      amount: 100_000,
      currency: 'vnd',
      payment_method_types: ['cod'],
    });
    await payments.paymentIntents.confirm(cod.id);
    await expectPaymentError(vietqr.matchByHand(JSON.parse(short.body).id, cod.id, { matched_by: 'm' }), {
      code: 'payment_intent_unexpected_state',
    });
    expect((await vietqr.listUnmatched()).map((t) => t.id)).toContain(JSON.parse(short.body).id);
  });

  it('two transfers for one intent at once: one settles it, the other is left for a manager', async () => {
    const { intent, code } = await awaitingTransfer(77_000);
    const a = notification({ amount: 77_000, description: `TN ${memoOf(code)}` });
    const b = notification({ amount: 77_000, description: `TN ${memoOf(code)}` });
    const results = await Promise.all([send(a), send(b)]);
    expect(results.map((r) => r.result).sort()).toEqual(['matched', 'unmatched']);
    const loser = results.find((r) => r.result === 'unmatched')!;
    expect(loser.transfer).toMatchObject({
      reason: 'intent_not_awaiting_payment',
      suggested_payment_intent: intent.id,
    });
    expect((await payments.paymentIntents.retrieve(intent.id)).amount_received).toBe(77_000);
    expect((await eventTypesFor(intent.id)).filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
  });

  it('two managers matching at once cannot double-pay', async () => {
    // One transfer, two intents.
    const x = await awaitingTransfer(66_000);
    const y = await awaitingTransfer(66_000);
    const n = notification({ amount: 66_000, description: 'khong ghi noi dung' });
    await send(n);
    const id = JSON.parse(n.body).id as string;
    const one = await Promise.allSettled([
      vietqr.matchByHand(id, x.intent.id, { matched_by: 'manager-1' }),
      vietqr.matchByHand(id, y.intent.id, { matched_by: 'manager-2' }),
    ]);
    expect(fulfilled(one)).toHaveLength(1);
    expect(rejected(one)[0]).toMatchObject({ type: 'invalid_request_error' });
    const statuses = [
      (await payments.paymentIntents.retrieve(x.intent.id)).status,
      (await payments.paymentIntents.retrieve(y.intent.id)).status,
    ].sort();
    expect(statuses).toEqual(['requires_action', 'succeeded']);
    const stored = (await getTransfer(id))!;
    expect(stored.state).toBe('matched');
    expect(stored.payment_intent).toBe(fulfilled(one)[0]!.id);

    // Two transfers, one intent.
    const z = await awaitingTransfer(55_000);
    const t1 = notification({ amount: 55_000, description: 'ck 1' });
    const t2 = notification({ amount: 55_000, description: 'ck 2' });
    await send(t1);
    await send(t2);
    const two = await Promise.allSettled([
      vietqr.matchByHand(JSON.parse(t1.body).id, z.intent.id, { matched_by: 'manager-1' }),
      vietqr.matchByHand(JSON.parse(t2.body).id, z.intent.id, { matched_by: 'manager-2' }),
    ]);
    expect(fulfilled(two)).toHaveLength(1);
    expect((await payments.paymentIntents.retrieve(z.intent.id)).amount_received).toBe(55_000);
    // The other transfer is still waiting (to be refunded), not silently consumed.
    const waiting = (await vietqr.listUnmatched()).map((t) => t.id);
    expect([JSON.parse(t1.body).id, JSON.parse(t2.body).id].filter((t) => waiting.includes(t))).toHaveLength(
      1,
    );
  });

  it('a transfer for a cancelled intent is not applied', async () => {
    const { intent, code } = await awaitingTransfer(45_000);
    await payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    const result = await send(notification({ amount: 45_000, description: `TN ${memoOf(code)}` }));
    expect(result).toMatchObject({
      result: 'unmatched',
      transfer: { reason: 'intent_not_awaiting_payment' },
    });
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('canceled');
  });

  it('an order paid again after a cancelled attempt: the transfer settles the new intent', async () => {
    const code = orderCode();
    const params = {
      amount: 88_000,
      currency: 'vnd' as const,
      payment_method_types: ['vietqr' as const],
      metadata: { order_code: code },
    };
    const first = await payments.paymentIntents.create({ ...params, confirm: true });
    await payments.paymentIntents.cancel(first.id);
    const second = await payments.paymentIntents.create({ ...params, confirm: true });
    const result = await send(notification({ amount: 88_000, description: `TN ${memoOf(code)}` }));
    expect(result).toMatchObject({
      result: 'matched',
      payment_intent: { id: second.id, status: 'succeeded' },
    });
  });

  it('a settled VietQR intent is refunded by hand', async () => {
    const { intent, code } = await awaitingTransfer(60_000);
    await send(notification({ amount: 60_000, description: `TN ${memoOf(code)}` }));
    const refund = await payments.refunds.create({ payment_intent: intent.id, amount: 10_000 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 10_000, metadata: { manual: 'true' } });
    expect(await eventTypesFor(refund.id)).toEqual(['refund.created']);
  });

  it('refuses a notification body that is not a transfer', async () => {
    for (const body of [
      'not json',
      JSON.stringify({ id: 'FT1', amount: 10.5 }),
      JSON.stringify({ amount: 1000 }),
    ]) {
      await expectPaymentError(
        send({ body, signature: signBankNotification(body, vietQrConfig.notificationSecret) }),
        {
          type: 'invalid_request_error',
        },
      );
    }
  });
});
