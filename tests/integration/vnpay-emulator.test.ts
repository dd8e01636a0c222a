/**
 * End to end over HTTP: our provider's payment URL at the VNPay emulator, the shopper's choice,
 * the signed return URL, and the emulator's IPN calls to our endpoint (with VNPay's retry rule),
 * down to the intent's final state in DynamoDB Local. Also what the emulator refuses.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPayments } from '../../shared/payments/index.ts';
import { handleVnpayIpn, readVnpayReturn } from '../../shared/payments/vnpay/ipn.ts';
import { createVnpayProvider } from '../../shared/payments/vnpay/provider.ts';
import {
  buildPaymentUrl,
  buildQueryDrRequest,
  signTransactionApiResponse,
  signParams,
  verifyQueryDrResponse,
} from '../../shared/payments/vnpay/protocol.ts';
import { startVnpayEmulator } from '../../infra/local/vnpay-emulator/index.ts';
import {
  HASH_SECRET,
  RETURN_URL,
  TMN_CODE,
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
  world = await startVnpayWorld();
});
afterAll(() => world.stop());
afterEach(() => {
  world.behaviour.current = undefined;
});

describe('pay at the emulator', () => {
  it.each([
    ['success', 'succeeded', null],
    ['cancel', 'requires_payment_method', 'vnp_24'],
    ['insufficient_balance', 'requires_payment_method', 'vnp_51'],
    ['timeout', 'requires_payment_method', 'vnp_11'],
  ] as const)('%s → %s %s', async (choice, status, code) => {
    const intent = await confirmedIntent(world.payments, 320_000, {
      client_ip: '203.113.1.10',
      locale: 'en',
    });
    const url = new URL(redirectUrl(intent));
    expect(url.searchParams.get('vnp_Amount')).toBe('32000000');
    expect(url.searchParams.get('vnp_IpAddr')).toBe('203.113.1.10');
    expect(url.searchParams.get('vnp_Locale')).toBe('en');
    expect(url.searchParams.get('vnp_ReturnUrl')).toBe(RETURN_URL);
    expect(url.searchParams.get('vnp_OrderInfo')).toMatch(/^[A-Za-z0-9 .,_-]+$/);
    expect(url.searchParams.get('vnp_TxnRef')).toBe(intent.metadata.vnp_txn_ref);

    const returned = await payAtEmulator(intent, choice);
    // The browser's return URL is signed by VNPay and reads as the shopper's result.
    const shown = await readVnpayReturn(world.settings, returned);
    expect(shown).toEqual({
      verified: true,
      success: choice === 'success',
      paymentIntentId: intent.id,
      responseCode: code ? code.slice(4) : '00',
      amount: 320_000,
    });
    await world.emulator.emulator.ipnIdle();
    const log = world.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log.map((e) => e.rspCode)).toEqual(['00']);

    const after = await world.payments.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe(status);
    expect(after.last_payment_error?.code ?? null).toBe(code);
    expect(typesOf(await eventsOf(world.payments, intent.id))).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      choice === 'success' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
    ]);
    if (choice === 'success') {
      const txn = world.emulator.emulator.transactions.get(intent.metadata.vnp_txn_ref!)!;
      expect(after.metadata.vnp_transaction_no).toBe(txn.transactionNo);
      expect(after.amount_received).toBe(320_000);
    }
  });

  it('the return URL replayed after a failure changes nothing', async () => {
    const intent = await confirmedIntent(world.payments);
    const returned = await payAtEmulator(intent, 'cancel');
    await world.emulator.emulator.ipnIdle();
    const before = await world.payments.paymentIntents.retrieve(intent.id);
    for (let i = 0; i < 3; i++) await readVnpayReturn(world.settings, returned);
    expect(await world.payments.paymentIntents.retrieve(intent.id)).toEqual(before);
  });
});

describe("VNPay's IPN retry rule", () => {
  it('an endpoint answering 99 is called again until it answers 00, then no more', async () => {
    let calls = 0;
    world.behaviour.current = async () =>
      ++calls <= 3 ? Response.json({ RspCode: '99', Message: 'x' }) : undefined;
    const intent = await confirmedIntent(world.payments);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const log = world.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log.map((e) => e.rspCode)).toEqual(['99', '99', '99', '00']);
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('stops at 02 as well', async () => {
    world.behaviour.current = async () =>
      Response.json({ RspCode: '02', Message: 'Order already confirmed' });
    const intent = await confirmedIntent(world.payments);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const log = world.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log.map((e) => e.rspCode)).toEqual(['02']);
  });

  it('an endpoint that always fails (99, 500, timeout) gets 10 calls in all', async () => {
    let calls = 0;
    world.behaviour.current = async () => {
      calls += 1;
      if (calls % 3 === 0) return new Response('oops', { status: 500 });
      if (calls % 3 === 1) return Response.json({ RspCode: '99', Message: 'Unknown error' });
      await new Promise((r) => setTimeout(r, 2_500)); // longer than the emulator's 2 s timeout
      return Response.json({ RspCode: '99', Message: 'late' });
    };
    const intent = await confirmedIntent(world.payments);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const log = world.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log).toHaveLength(10);
    expect(log.some((e) => e.error)).toBe(true);
    expect(log.some((e) => e.status === 500)).toBe(true);
    expect((await world.payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
  }, 30_000);

  it('the real handler answers a retried IPN 02 once it has recorded it', async () => {
    // First call recorded but its answer lost (the endpoint times out after handling it).
    let calls = 0;
    world.behaviour.current = async (raw) => {
      if (++calls > 1) return undefined;
      await handleVnpayIpn(world.payments, world.settings, raw);
      return Response.json({ RspCode: '99', Message: 'answer lost' });
    };
    const intent = await confirmedIntent(world.payments);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const log = world.emulator.emulator.ipnLog.filter((e) => e.txnRef === intent.metadata.vnp_txn_ref);
    expect(log.map((e) => e.rspCode)).toEqual(['99', '02']);
    const events = typesOf(await eventsOf(world.payments, intent.id));
    expect(events.filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
  });
});

describe('what the emulator refuses', () => {
  const errorCode = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!, url).searchParams.get('code');
  };

  it('a tampered, foreign, malformed, expired or reused payment URL', async () => {
    const intent = await confirmedIntent(world.payments);
    const good = redirectUrl(intent);
    expect(await errorCode(good.replace(/vnp_Amount=\d+/, 'vnp_Amount=100'))).toBe('70');
    expect(await errorCode(good.replace(/vnp_SecureHash=[0-9a-f]+/, 'vnp_SecureHash=abc'))).toBe('70');
    expect(await errorCode(good.replace(/&vnp_SecureHash=[0-9a-f]+/, ''))).toBe('70');
    const config = { tmnCode: TMN_CODE, hashSecret: HASH_SECRET, payUrl: world.settings.payUrl };
    const input = {
      amountVnd: 10_000,
      txnRef: 'EMUTEST0001',
      orderInfo: 'Thanh toan',
      returnUrl: RETURN_URL,
      ipAddr: '127.0.0.1',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
    };
    expect(await errorCode(buildPaymentUrl({ ...config, hashSecret: 'wrong' }, input).url)).toBe('70');
    expect(await errorCode(buildPaymentUrl({ ...config, tmnCode: 'OTHERTMN' }, input).url)).toBe('72');
    const past = {
      ...input,
      createdAt: new Date(Date.now() - 3_600_000),
      expiresAt: new Date(Date.now() - 60_000),
    };
    expect(await errorCode(buildPaymentUrl(config, past).url)).toBe('15');
    // Re-signed with a bad value: the signature is fine, the format is not.
    const params = { ...buildPaymentUrl(config, input).params, vnp_Amount: '1000050' };
    expect(await errorCode(`${config.payUrl}?${signParams(params, HASH_SECRET).query}`)).toBe('03');
    const noCurr = { ...buildPaymentUrl(config, input).params, vnp_CurrCode: 'USD' };
    expect(await errorCode(`${config.payUrl}?${signParams(noCurr, HASH_SECRET).query}`)).toBe('03');
    // A paid txnRef cannot be paid again.
    await payAtEmulator(intent, 'success');
    expect(await errorCode(good)).toBe('01');
    const page = await fetch(new URL('/paymentv2/Payment/Error.html?code=70', good));
    expect(await page.text()).toContain('Sai chữ ký');
  });

  it('querydr: bad checksum 97, foreign terminal 02, unknown payment 91, repeated request id 94', async () => {
    const post = async (body: object) => {
      const res = await fetch(world.settings.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, string>;
      expect(verifyQueryDrResponse(json, HASH_SECRET)).toBe(true);
      return json.vnp_ResponseCode;
    };
    const config = { tmnCode: TMN_CODE, hashSecret: HASH_SECRET };
    const request = (requestId: string, txnRef = 'NOSUCHTXN', tmnCode = TMN_CODE) =>
      buildQueryDrRequest(
        { ...config, tmnCode },
        {
          requestId,
          txnRef,
          transactionDate: new Date(),
          createdAt: new Date(),
          ipAddr: '127.0.0.1',
          orderInfo: 'Truy van',
        },
      );
    expect(await post({ ...request('R1'), vnp_TxnRef: 'OTHER' })).toBe('97');
    expect(await post(request('R2', 'NOSUCHTXN', 'OTHERTMN'))).toBe('02');
    expect(await post(request('R3'))).toBe('91');
    expect(await post(request('R3'))).toBe('94');
    // A forged answer (signed with another secret) does not verify on our side.
    const forged = signTransactionApiResponse(
      {
        vnp_ResponseId: 'x',
        vnp_Command: 'querydr',
        vnp_ResponseCode: '00',
        vnp_Message: 'ok',
        vnp_TmnCode: TMN_CODE,
      },
      'not-the-secret',
    );
    expect(verifyQueryDrResponse(forged, HASH_SECRET)).toBe(false);
  });
});

describe('IPN URL unreachable', () => {
  it('the emulator gives up after 10 calls and the intent waits for reconciliation', async () => {
    const emulator = await startVnpayEmulator({
      tmnCode: TMN_CODE,
      hashSecret: HASH_SECRET,
      ipnUrl: 'http://127.0.0.1:9/ipn', // discard port: connection refused
      ipnRetryIntervalMs: 5,
    });
    try {
      const settings = {
        ...world.settings,
        payUrl: `${emulator.url}/paymentv2/vpcpay.html`,
        apiUrl: `${emulator.url}/merchant_webapi/api/transaction`,
      };
      const payments = createPayments({ providers: { vnpay: createVnpayProvider(settings) } });
      const intent = await confirmedIntent(payments);
      await payAtEmulator(intent, 'success');
      await emulator.emulator.ipnIdle();
      expect(emulator.emulator.ipnLog).toHaveLength(10);
      expect(emulator.emulator.ipnLog.every((e) => e.error)).toBe(true);
      expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    } finally {
      await emulator.stop();
    }
  });
});
