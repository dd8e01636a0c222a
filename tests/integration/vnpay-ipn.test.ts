/**
 * The IPN handler against DynamoDB Local, with IPN queries signed here as VNPay would sign them:
 * replays change state once, tampering changes nothing and gets VNPay's codes, the return URL
 * never changes state, and a payment that cannot settle its intent is kept, not lost.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { handleVnpayIpn, readVnpayReturn } from '../../shared/payments/vnpay/ipn.ts';
import {
  signParams,
  signPaymentResult,
  vnpDate,
  type PaymentResultParams,
} from '../../shared/payments/vnpay/protocol.ts';
import { listVnpayLatePayments } from '../../shared/payments/vnpay/reconcile.ts';
import {
  HASH_SECRET,
  TMN_CODE,
  confirmedIntent,
  eventsOf,
  startVnpayWorld,
  typesOf,
  type VnpayWorld,
} from './vnpay-world.ts';

let world: VnpayWorld;
beforeAll(async () => {
  world = await startVnpayWorld({ ipn: false });
});
afterAll(() => world.stop());

const ipn = (query: string) => handleVnpayIpn(world.payments, world.settings, query);

/** The result VNPay sends for an intent's current attempt (a success unless overridden). */
function result(intent: PaymentIntent, over: Partial<PaymentResultParams> = {}): PaymentResultParams {
  return {
    vnp_Amount: `${intent.amount}00`,
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14000001',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Thanh toan don hang DH-TN-0001',
    vnp_PayDate: vnpDate(new Date()),
    vnp_ResponseCode: '00',
    vnp_TmnCode: TMN_CODE,
    vnp_TransactionNo: '14000001',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: intent.metadata.vnp_txn_ref!,
    ...over,
  };
}

const signed = (intent: PaymentIntent, over: Partial<PaymentResultParams> = {}, secret = HASH_SECRET) =>
  signPaymentResult(result(intent, over), secret);

describe('IPN replay', () => {
  it('the same successful IPN 10 times: one change, one payment_intent.succeeded, 00 then 02×9', async () => {
    const intent = await confirmedIntent(world.payments);
    const query = signed(intent);
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push((await ipn(query)).RspCode);
    expect(answers).toEqual(['00', ...Array(9).fill('02')]);

    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after).toMatchObject({
      status: 'succeeded',
      amount_received: intent.amount,
      last_payment_error: null,
    });
    expect(after.metadata).toMatchObject({
      vnp_txn_ref: intent.metadata.vnp_txn_ref,
      vnp_transaction_no: '14000001',
      vnp_bank_code: 'NCB',
      vnp_bank_tran_no: 'VNP14000001',
    });
    const events = await eventsOf(world.payments, intent.id);
    expect(typesOf(events)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
    ]);
    const succeeded = await world.payments.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    expect(succeeded.data.filter((e) => (e.data.object as PaymentIntent).id === intent.id)).toHaveLength(1);
    // A duplicate of a settled payment is not a late payment.
    expect(await listVnpayLatePayments({ payment_intent: intent.id })).toEqual([]);
  });

  it('10 concurrent copies of one IPN: one change, one event, one 00', async () => {
    const intent = await confirmedIntent(world.payments);
    const query = signed(intent);
    const answers = await Promise.all(Array.from({ length: 10 }, () => ipn(query)));
    expect(answers.filter((a) => a.RspCode === '00')).toHaveLength(1);
    expect(answers.filter((a) => a.RspCode === '02')).toHaveLength(9);
    const events = await eventsOf(world.payments, intent.id);
    expect(typesOf(events).filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
  });

  it('a failed payment is recorded (00), its replay is 02, and a new attempt gets a new txnRef', async () => {
    const intent = await confirmedIntent(world.payments);
    const failed = signed(intent, {
      vnp_ResponseCode: '24',
      vnp_TransactionStatus: '02',
      vnp_TransactionNo: '0',
    });
    expect((await ipn(failed)).RspCode).toBe('00');
    expect((await ipn(failed)).RspCode).toBe('02');
    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error).toMatchObject({
      type: 'card_error',
      code: 'vnp_24',
      payment_method_type: 'vnpay',
    });
    expect(after.last_payment_error?.message).toMatch(/hủy/);

    const again = await world.payments.paymentIntents.confirm(intent.id);
    expect(again.status).toBe('requires_action');
    expect(again.metadata.vnp_txn_ref).not.toBe(intent.metadata.vnp_txn_ref);
    expect(again.metadata.vnp_txn_ref).toMatch(/^[A-Za-z0-9]{1,34}$/);
    // The old attempt's result no longer applies; the new one's does.
    expect((await ipn(failed)).RspCode).toBe('02');
    expect((await ipn(signed(again))).RspCode).toBe('00');
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('07 (debited, suspected fraud) → processing; its replay is 02; the final success then settles it', async () => {
    const intent = await confirmedIntent(world.payments);
    const review = signed(intent, { vnp_ResponseCode: '07', vnp_TransactionStatus: '07' });
    expect((await ipn(review)).RspCode).toBe('00');
    expect((await ipn(review)).RspCode).toBe('02');
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('processing');
    expect((await ipn(signed(intent))).RspCode).toBe('00');
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    expect(typesOf(await eventsOf(world.payments, intent.id))).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.processing',
      'payment_intent.succeeded',
    ]);
  });
});

describe('tampered IPNs', () => {
  const FIELDS: (keyof PaymentResultParams)[] = [
    'vnp_Amount',
    'vnp_BankCode',
    'vnp_BankTranNo',
    'vnp_CardType',
    'vnp_OrderInfo',
    'vnp_PayDate',
    'vnp_ResponseCode',
    'vnp_TmnCode',
    'vnp_TransactionNo',
    'vnp_TransactionStatus',
    'vnp_TxnRef',
  ];

  /** Changes one value of a signed query without signing it again. */
  const tamper = (query: string, key: string, value: string | null) => {
    const search = new URLSearchParams(query);
    if (value === null) search.delete(key);
    else search.set(key, value);
    return search.toString();
  };

  it('≥ 50 tampered IPNs: no state change, no event, the right RspCode each', async () => {
    const intent = await confirmedIntent(world.payments);
    const base = result(intent);
    const good = signPaymentResult(base, HASH_SECRET);
    const cases: { name: string; query: string; code: string }[] = [];
    for (const field of FIELDS) {
      const original = base[field]!;
      cases.push({ name: `${field} + "1"`, query: tamper(good, field, `${original}1`), code: '97' });
      cases.push({
        name: `${field} → "0"`,
        query: tamper(good, field, original === '0' ? '00' : '0'),
        code: '97',
      });
      cases.push({ name: `${field} removed`, query: tamper(good, field, null), code: '97' });
      cases.push({
        name: `${field} in upper/lower case`,
        query: tamper(good, field, swapCase(original)),
        code: '97',
      });
    }
    const hash = new URLSearchParams(good).get('vnp_SecureHash')!;
    cases.push(
      { name: 'hash removed', query: tamper(good, 'vnp_SecureHash', null), code: '97' },
      { name: 'hash empty', query: tamper(good, 'vnp_SecureHash', ''), code: '97' },
      { name: 'hash truncated', query: tamper(good, 'vnp_SecureHash', hash.slice(0, 127)), code: '97' },
      {
        name: 'hash of another query',
        query: tamper(good, 'vnp_SecureHash', signParams({ vnp_X: '1' }, HASH_SECRET).hash),
        code: '97',
      },
      { name: 'extra vnp_ parameter', query: `${good}&vnp_Extra=1`, code: '97' },
      { name: 'repeated vnp_Amount', query: `${good}&vnp_Amount=${base.vnp_Amount}`, code: '97' },
      { name: 'wrong secret', query: signPaymentResult(base, 'NOT-THE-SECRET'), code: '97' },
      { name: 'wrong secret, other amount', query: signed(intent, { vnp_Amount: '100' }, 'x'), code: '97' },
      { name: 'empty query', query: '', code: '97' },
      { name: 'wrong TmnCode re-signed', query: signed(intent, { vnp_TmnCode: 'OTHERTMN' }), code: '01' },
      {
        name: 'unknown TxnRef re-signed',
        query: signed(intent, { vnp_TxnRef: 'NOSUCHTXNREF0000000000' }),
        code: '01',
      },
      {
        name: 'amount +1 VND re-signed',
        query: signed(intent, { vnp_Amount: `${intent.amount + 1}00` }),
        code: '04',
      },
      {
        name: 'amount -1 VND re-signed',
        query: signed(intent, { vnp_Amount: `${intent.amount - 1}00` }),
        code: '04',
      },
      {
        name: 'amount not ×100 re-signed',
        query: signed(intent, { vnp_Amount: `${intent.amount}01` }),
        code: '04',
      },
      {
        name: 'amount in VND, not ×100',
        query: signed(intent, { vnp_Amount: `${intent.amount}` }),
        code: '04',
      },
      {
        name: 'amount not digits re-signed',
        query: signed(intent, { vnp_Amount: `${intent.amount}.00` }),
        code: '04',
      },
    );
    expect(cases.length).toBeGreaterThanOrEqual(50);

    const before = await world.payments.paymentIntents.retrieve(intent.id);
    const eventsBefore = await eventsOf(world.payments, intent.id);
    for (const c of cases) {
      expect({ name: c.name, code: (await ipn(c.query)).RspCode }).toEqual({ name: c.name, code: c.code });
    }
    expect(await world.payments.paymentIntents.retrieve(intent.id)).toEqual(before);
    expect(await eventsOf(world.payments, intent.id)).toEqual(eventsBefore);
    // Re-signed wrong amounts claim money was taken: kept for a refund (PAYMENTS.md), nothing else.
    const late = await listVnpayLatePayments({ payment_intent: intent.id });
    expect(late.map((l) => [l.reason, l.amount]).sort()).toEqual([['amount_mismatch', intent.amount + 1]]);
    // The genuine IPN still works afterwards.
    expect((await ipn(good)).RspCode).toBe('00');
  });

  it('property: any single changed value of a signed IPN is refused with 97', async () => {
    const intent = await confirmedIntent(world.payments, 99_000);
    const good = signed(intent);
    const before = await world.payments.paymentIntents.retrieve(intent.id);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIELDS),
        fc.string({ minLength: 1, maxLength: 12 }),
        async (field, value) => {
          fc.pre(value !== new URLSearchParams(good).get(field));
          expect((await ipn(tamper(good, field, value))).RspCode).toBe('97');
        },
      ),
      { numRuns: 40 },
    );
    expect(await world.payments.paymentIntents.retrieve(intent.id)).toEqual(before);
  });
});

function swapCase(s: string): string {
  const swapped = [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
  // Digits have no case: change them instead so the value really differs.
  return swapped === s ? `${s}0` : swapped;
}

describe('return URL', () => {
  it('forged or replayed: verified false for forgeries, and never a state change', async () => {
    const intent = await confirmedIntent(world.payments);
    const genuine = `http://shop.test/thanh-toan/ket-qua?${signed(intent)}`;
    const forged = [
      `http://shop.test/thanh-toan/ket-qua?${signed(intent, {}, 'guessed-secret')}`,
      genuine.replace(`vnp_ResponseCode=00`, 'vnp_ResponseCode=24'),
      genuine.replace(/vnp_SecureHash=[0-9a-f]+/, 'vnp_SecureHash=' + '0'.repeat(128)),
      `http://shop.test/thanh-toan/ket-qua?${new URLSearchParams({ ...result(intent) }).toString()}`,
      'http://shop.test/thanh-toan/ket-qua?vnp_ResponseCode=00&vnp_TransactionStatus=00',
      '%%%not a query',
    ];
    for (const url of forged) {
      expect(await readVnpayReturn(world.settings, url)).toEqual({
        verified: false,
        success: false,
        paymentIntentId: null,
        responseCode: null,
        amount: null,
      });
    }
    // The genuine one, read any number of times, is only read.
    for (let i = 0; i < 3; i++) {
      expect(await readVnpayReturn(world.settings, new URL(genuine).searchParams)).toEqual({
        verified: true,
        success: true,
        paymentIntentId: intent.id,
        responseCode: '00',
        amount: intent.amount,
      });
    }
    expect(await world.payments.paymentIntents.retrieve(intent.id)).toEqual(intent);
    expect(typesOf(await eventsOf(world.payments, intent.id))).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
    ]);
  });
});

describe('a payment after the intent was cancelled', () => {
  it('is answered 02, leaves the intent cancelled, and is kept once as a late payment', async () => {
    const intent = await confirmedIntent(world.payments, 250_000);
    await world.payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'expired' });
    const query = signed(intent);
    expect((await ipn(query)).RspCode).toBe('02');
    expect((await ipn(query)).RspCode).toBe('02');
    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('canceled');
    expect(typesOf(await eventsOf(world.payments, intent.id))).not.toContain('payment_intent.succeeded');
    const late = await listVnpayLatePayments({ payment_intent: intent.id });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      txn_ref: intent.metadata.vnp_txn_ref,
      amount: 250_000,
      reason: 'intent_canceled',
      state: 'received',
      transaction_no: '14000001',
    });
    // A failed attempt on a cancelled intent is not money: nothing kept.
    const other = await confirmedIntent(world.payments);
    await world.payments.paymentIntents.cancel(other.id);
    expect((await ipn(signed(other, { vnp_ResponseCode: '24', vnp_TransactionStatus: '02' }))).RspCode).toBe(
      '02',
    );
    expect(await listVnpayLatePayments({ payment_intent: other.id })).toEqual([]);
  });
});

describe('confirm', () => {
  it('takes the return URL, bank, locale and shopper IP from metadata, and refuses a bad IP', async () => {
    const intent = await confirmedIntent(world.payments, 75_000, {
      return_url: 'https://cho.example.vn/don-hang/DH-1/ket-qua',
      bank_code: 'VNPAYQR',
      locale: 'en',
      client_ip: '2001:db8::7',
    });
    const url = new URL(
      intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url.url : 'http://x',
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      vnp_ReturnUrl: 'https://cho.example.vn/don-hang/DH-1/ket-qua',
      vnp_BankCode: 'VNPAYQR',
      vnp_Locale: 'en',
      vnp_IpAddr: '2001:db8::7',
      vnp_Amount: '7500000',
      vnp_CreateDate: intent.metadata.vnp_create_date,
      vnp_ExpireDate: intent.metadata.vnp_expire_date,
      vnp_OrderInfo: 'Che Tan Cuong don hang DH-TN-0001',
    });
    expect(intent.next_action).toMatchObject({
      redirect_to_url: { return_url: 'https://cho.example.vn/don-hang/DH-1/ket-qua' },
    });
    await expect(
      world.payments.paymentIntents.create({
        amount: 10_000,
        currency: 'vnd',
        payment_method_types: ['vnpay'],
        metadata: { client_ip: '<script>' },
        confirm: true,
      }),
    ).rejects.toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid' });
  });
});
