import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMockVnpayResult } from '../fixtures.ts';
import {
  QUERYDR_REQUEST_FIELDS,
  REFUND_REQUEST_FIELDS,
  VnpayInputError,
  buildPaymentUrl,
  buildQueryDrRequest,
  buildRefundRequest,
  canonicalQuery,
  formEncode,
  fromVnpAmount,
  hmacSha512Hex,
  parseVnpDate,
  pipeHashData,
  readReturnUrl,
  signParams,
  signPaymentResult,
  signTransactionApiResponse,
  toVnpAmount,
  toVnpOrderInfo,
  verifyQueryDrRequest,
  verifyQueryDrResponse,
  verifyRefundRequest,
  verifyRefundResponse,
  verifySignedQuery,
  vnpDate,
  type PaymentUrlInput,
} from '../../shared/payments/vnpay/protocol.ts';

const config = {
  tmnCode: 'TNOCOP01',
  hashSecret: 'TESTSECRETTHAINGUYEN0123456789AB',
  payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
};
const created = new Date('2025-03-01T02:15:30Z'); // 09:15:30 in Hà Nội
const input: PaymentUrlInput = {
  amountVnd: 185_000,
  txnRef: 'ORD01JABCDEF',
  orderInfo: 'Thanh toan don hang ORD01JABCDEF',
  returnUrl: 'https://cho.example.vn/thanh-toan/ket-qua?src=vnpay',
  ipAddr: '203.113.1.10',
  createdAt: created,
  expiresAt: new Date(created.getTime() + 15 * 60_000),
};

describe('published vectors (PAYMENTS.md, from the vnpay package tests)', () => {
  it('HMAC-SHA512(secret, data)', () => {
    expect(hmacSha512Hex('secret', 'data')).toBe(
      '6274071d33dec2728a2a1c903697fc1210b3252221c3d137e12d9f1ae5c8ed53e05e692b05a9eefff289667e2387c0fc0bd8a3d9bd7000782730c856a77a77d5',
    );
  });

  it('sign data of a form-encoded query, built by canonicalQuery', () => {
    const data = canonicalQuery({
      vnp_OrderInfo: 'Payment for order #1234567890',
      vnp_TnxRef: '1234567890',
      vnp_Amount: '10000',
    });
    expect(data).toBe('vnp_Amount=10000&vnp_OrderInfo=Payment+for+order+%231234567890&vnp_TnxRef=1234567890');
    expect(hmacSha512Hex('YOUR_SECURE_SECRET', data)).toBe(
      '7bb8160a5d2085a85b3267817a40ee4f770a335282f19714726e6fc6f28a64c75a1e7e9c1aa96f3cbda5ce44095088fb4cb2af66c596d2f655b0b53966312089',
    );
  });
});

describe('canonical query', () => {
  it('form-encodes exactly as URLSearchParams does (any Unicode string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(formEncode(s)).toBe(new URLSearchParams({ k: s }).toString().slice(2));
      }),
      { numRuns: 500 },
    );
    expect(formEncode("a b!'()~*-._/é")).toBe('a+b%21%27%28%29%7E*-._%2F%C3%A9');
  });

  it('signs only vnp_* keys, drops empty values, the hash and its type; sorts by code unit', () => {
    const data = canonicalQuery({
      vnp_b: '2',
      vnp_A: '1',
      vnp_a: '',
      utm_source: 'x',
      vnp_SecureHash: 'f'.repeat(128),
      vnp_SecureHashType: 'HmacSHA512',
      vnp_Z: undefined,
    });
    expect(data).toBe('vnp_A=1&vnp_b=2');
  });

  it('appends vnp_SecureHash to the canonical query', () => {
    const { query, hash } = signParams({ vnp_TxnRef: 'A1', vnp_Amount: 100 }, 's');
    expect(query).toBe(`vnp_Amount=100&vnp_TxnRef=A1&vnp_SecureHash=${hash}`);
    expect(hash).toBe(hmacSha512Hex('s', 'vnp_Amount=100&vnp_TxnRef=A1'));
  });
});

describe('dates (GMT+7)', () => {
  it('formats yyyyMMddHHmmss in Asia/Ho_Chi_Minh, across the day and year boundary', () => {
    expect(vnpDate(new Date('2024-12-31T16:59:59Z'))).toBe('20241231235959');
    expect(vnpDate(new Date('2024-12-31T17:00:00Z'))).toBe('20250101000000');
    expect(vnpDate(new Date('2025-06-15T05:07:09Z'))).toBe('20250615120709');
  });

  it('parses back to the same instant and rejects impossible dates', () => {
    expect(parseVnpDate('20250101000000')?.toISOString()).toBe('2024-12-31T17:00:00.000Z');
    for (const bad of [
      '20250231120000',
      '20251301000000',
      '2025010100000',
      '2025010100000a',
      '20250101240000',
    ]) {
      expect(parseVnpDate(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const s = vnpDate(d);
          expect(parseVnpDate(s)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});

describe('payment URL', () => {
  it('has every 2.1.0 parameter, amount ×100, GMT+7 dates, and a valid hash', () => {
    const { url, params } = buildPaymentUrl(config, { ...input, bankCode: 'VNBANK', locale: 'en' });
    expect(url.startsWith(`${config.payUrl}?`)).toBe(true);
    const q = new URL(url).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: 'TNOCOP01',
      vnp_Amount: '18500000',
      vnp_CurrCode: 'VND',
      vnp_TxnRef: 'ORD01JABCDEF',
      vnp_OrderInfo: 'Thanh toan don hang ORD01JABCDEF',
      vnp_OrderType: 'other',
      vnp_Locale: 'en',
      vnp_ReturnUrl: input.returnUrl,
      vnp_IpAddr: '203.113.1.10',
      vnp_CreateDate: '20250301091530',
      vnp_ExpireDate: '20250301093030',
      vnp_BankCode: 'VNBANK',
    });
    expect(q.has('vnp_SecureHashType')).toBe(false);
    // Sorted keys, hash last.
    const keys = [...q.keys()];
    expect(keys.at(-1)).toBe('vnp_SecureHash');
    expect(keys.slice(0, -1)).toEqual([...keys.slice(0, -1)].sort());
    expect(params.vnp_Amount).toBe('18500000');
    expect(verifySignedQuery(url, config.hashSecret).valid).toBe(true);
    expect(verifySignedQuery(url, 'another secret').valid).toBe(false);
  });

  it('refuses what VNPay would refuse or sign differently', () => {
    const bad: Partial<PaymentUrlInput>[] = [
      { amountVnd: 0 },
      { amountVnd: -1000 },
      { amountVnd: 1000.5 },
      { amountVnd: 10_000_000_000 },
      { orderInfo: 'Thanh toán đơn hàng' },
      { orderInfo: 'Order (gift)!' },
      { orderInfo: '' },
      { txnRef: 'has space' },
      { returnUrl: 'javascript:alert(1)' },
      { ipAddr: '' },
      { expiresAt: created },
      { bankCode: 'x' },
    ];
    for (const b of bad)
      expect(() => buildPaymentUrl(config, { ...input, ...b }), JSON.stringify(b)).toThrow(VnpayInputError);
    expect(() => buildPaymentUrl({ ...config, tmnCode: 'SHORT' }, input)).toThrow(VnpayInputError);
  });

  it('folds Vietnamese order info to the safe alphabet', () => {
    expect(toVnpOrderInfo('Thanh toán đơn hàng #ĐH-0012 (chè Tân Cương)')).toBe(
      'Thanh toan don hang DH-0012 che Tan Cuong',
    );
  });

  it('converts amounts: whole VND ×100 on the wire only', () => {
    expect(toVnpAmount(1)).toBe('100');
    expect(toVnpAmount(185_000)).toBe('18500000');
    expect(fromVnpAmount('18500000')).toBe(185_000);
    expect(fromVnpAmount(18500000)).toBe(185_000);
    for (const bad of ['18500050', '185000.00', '-18500000', '', '1e7', '00', undefined]) {
      expect(fromVnpAmount(bad)).toBeUndefined();
    }
  });
});

describe('signed query verification', () => {
  const result = createMockVnpayResult();

  it('accepts every input form: raw query, ?query, full URL, URLSearchParams, record', () => {
    const query = signPaymentResult(result, config.hashSecret);
    const forms = [
      query,
      `?${query}`,
      `https://cho.example.vn/r?${query}`,
      new URLSearchParams(query),
      Object.fromEntries(new URLSearchParams(query)),
    ];
    for (const f of forms) expect(verifySignedQuery(f, config.hashSecret)).toMatchObject({ valid: true });
  });

  it('accepts an uppercase-hex hash and merchant params beside the signed ones', () => {
    const query = signPaymentResult(result, config.hashSecret);
    const upper = query.replace(
      /vnp_SecureHash=([0-9a-f]+)/,
      (_m, h: string) => `vnp_SecureHash=${h.toUpperCase()}`,
    );
    expect(verifySignedQuery(`src=vnpay&${upper}`, config.hashSecret).valid).toBe(true);
  });

  it('rejects a missing, short, non-hex or wrong hash, and repeated vnp_ keys', () => {
    const query = signPaymentResult(result, config.hashSecret);
    const noHash = query.replace(/&vnp_SecureHash=.*/, '');
    expect(verifySignedQuery(noHash, config.hashSecret)).toMatchObject({
      valid: false,
      reason: 'missing_hash',
    });
    expect(verifySignedQuery(`${noHash}&vnp_SecureHash=abc`, config.hashSecret)).toMatchObject({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifySignedQuery(`${noHash}&vnp_SecureHash=${'z'.repeat(128)}`, config.hashSecret).valid).toBe(
      false,
    );
    expect(verifySignedQuery(`${query}&vnp_Amount=1`, config.hashSecret)).toMatchObject({
      valid: false,
      reason: 'duplicate_parameter',
    });
  });

  it('return URL: display only; success needs verification, our terminal and both codes 00', () => {
    const ok = readReturnUrl(signPaymentResult(result, config.hashSecret), config);
    expect(ok).toMatchObject({
      verified: true,
      success: true,
      result: { amountVnd: 185_000, transactionNo: '14000001' },
    });
    expect(ok.result.paidAt?.toISOString()).toBe('2025-03-01T02:20:01.000Z');
    const forged = signPaymentResult(result, 'guessed secret');
    expect(readReturnUrl(forged, config)).toMatchObject({ verified: false, success: false });
    const statusNotOk = signPaymentResult({ ...result, vnp_TransactionStatus: '02' }, config.hashSecret);
    expect(readReturnUrl(statusNotOk, config)).toMatchObject({ verified: true, success: false });
    const foreign = signPaymentResult({ ...result, vnp_TmnCode: 'OTHER001' }, config.hashSecret);
    expect(readReturnUrl(foreign, config)).toMatchObject({ verified: false, success: false });
  });
});

describe('querydr and refund (pipe-joined hashes)', () => {
  const at = new Date('2025-03-02T03:00:00Z');

  it('querydr: the exact field order of PAYMENTS.md', () => {
    const body = buildQueryDrRequest(config, {
      requestId: '01JN5Q3M8Z9K4T7V2W6X0Y1A2B',
      txnRef: 'ORD01JABCDEF',
      transactionDate: '20250301091530',
      createdAt: at,
      ipAddr: '10.0.0.1',
      orderInfo: 'Truy van ORD01JABCDEF',
    });
    const data =
      '01JN5Q3M8Z9K4T7V2W6X0Y1A2B|2.1.0|querydr|TNOCOP01|ORD01JABCDEF|20250301091530|20250302100000|10.0.0.1|Truy van ORD01JABCDEF';
    expect(pipeHashData(body, QUERYDR_REQUEST_FIELDS)).toBe(data);
    expect(body.vnp_SecureHash).toBe(hmacSha512Hex(config.hashSecret, data));
    expect(verifyQueryDrRequest(body, config.hashSecret)).toBe(true);
    expect(verifyQueryDrRequest({ ...body, vnp_TxnRef: 'ORD01JABCDEG' }, config.hashSecret)).toBe(false);
    // vnp_TransactionNo is sent but not signed.
    expect(verifyQueryDrRequest({ ...body, vnp_TransactionNo: '1' }, config.hashSecret)).toBe(true);
  });

  it('refund: the exact field order of PAYMENTS.md, amount ×100, TransactionNo "0" when unknown', () => {
    const body = buildRefundRequest(config, {
      requestId: 'R1',
      transactionType: '03',
      txnRef: 'ORD01JABCDEF',
      amountVnd: 50_000,
      transactionDate: new Date('2025-03-01T02:15:30Z'),
      createBy: 'quanly.tancuong',
      createdAt: at,
      ipAddr: '10.0.0.1',
      orderInfo: 'Hoan tien mot phan',
    });
    const data =
      'R1|2.1.0|refund|TNOCOP01|03|ORD01JABCDEF|5000000|0|20250301091530|quanly.tancuong|20250302100000|10.0.0.1|Hoan tien mot phan';
    expect(pipeHashData(body, REFUND_REQUEST_FIELDS)).toBe(data);
    expect(body.vnp_SecureHash).toBe(hmacSha512Hex(config.hashSecret, data));
    expect(verifyRefundRequest(body, config.hashSecret)).toBe(true);
    expect(verifyRefundRequest({ ...body, vnp_Amount: '5000100' }, config.hashSecret)).toBe(false);
    const valid = {
      requestId: 'R2',
      transactionType: '02' as const,
      txnRef: 'X1',
      amountVnd: 1,
      transactionDate: at,
      createBy: 'x',
      createdAt: at,
      ipAddr: '1.1.1.1',
      orderInfo: 'x',
    };
    expect(() => buildRefundRequest(config, valid)).not.toThrow();
    // A "|" would shift the pipe-joined fields; a fraction of a đồng does not exist.
    expect(() => buildRefundRequest(config, { ...valid, requestId: 'a|b' })).toThrow(VnpayInputError);
    expect(() => buildRefundRequest(config, { ...valid, amountVnd: 1.5 })).toThrow(VnpayInputError);
  });

  it('responses: signed in the response order, numbers and strings hash alike, absent fields as empty', () => {
    const answer = signTransactionApiResponse(
      {
        vnp_ResponseId: 'abc',
        vnp_Command: 'querydr',
        vnp_ResponseCode: '00',
        vnp_Message: 'QueryDR Success',
        vnp_TmnCode: 'TNOCOP01',
        vnp_TxnRef: 'ORD01JABCDEF',
        vnp_Amount: '18500000',
        vnp_TransactionStatus: '00',
      },
      config.hashSecret,
    );
    expect(answer.vnp_SecureHash).toBe(
      hmacSha512Hex(
        config.hashSecret,
        'abc|querydr|00|QueryDR Success|TNOCOP01|ORD01JABCDEF|18500000|||||00|||',
      ),
    );
    expect(verifyQueryDrResponse(answer, config.hashSecret)).toBe(true);
    expect(verifyQueryDrResponse({ ...answer, vnp_Amount: 18500000 }, config.hashSecret)).toBe(true);
    expect(verifyQueryDrResponse({ ...answer, vnp_TransactionStatus: '01' }, config.hashSecret)).toBe(false);
    const { vnp_SecureHash: _h, ...unsigned } = answer;
    expect(verifyQueryDrResponse(unsigned, config.hashSecret)).toBe(false);

    const refund = signTransactionApiResponse(
      { ...unsigned, vnp_Command: 'refund', vnp_PromotionCode: 'X' },
      config.hashSecret,
    );
    // The refund order has 13 fields: no promotion fields.
    expect(refund.vnp_SecureHash).toBe(
      hmacSha512Hex(
        config.hashSecret,
        'abc|refund|00|QueryDR Success|TNOCOP01|ORD01JABCDEF|18500000|||||00|',
      ),
    );
    expect(verifyRefundResponse(refund, config.hashSecret)).toBe(true);
    expect(verifyRefundResponse(refund, 'other')).toBe(false);
  });
});
