/**
 * Our VNPay signing against an independent implementation, the `vnpay` npm package (2.5.0):
 * built by one, verified by the other, both ways. Limits (PAYMENTS.md): its default dates are
 * wrong off-UTC (we always pass explicit dates), it compares hashes with `===` and its
 * `isSuccess` ignores verification (we only read its `isVerified`).
 */
import fc from 'fast-check';
import {
  HashAlgorithm,
  VNPay,
  buildPaymentUrlSearchParams,
  calculateSecureHash,
  hash as theirHmac,
} from 'vnpay';
import type { ReturnQueryFromVNPay } from 'vnpay';
import { describe, expect, it } from 'vitest';
import { createMockVnpayResult } from '../fixtures.ts';
import {
  buildPaymentUrl,
  hmacSha512Hex,
  signParams,
  signPaymentResult,
  verifySignedQuery,
  vnpDate,
  type PaymentResultParams,
} from '../../shared/payments/vnpay/protocol.ts';

const tmnCode = 'TNOCOP01';
const hashSecret = 'ORACLESECRET0123456789ABCDEFGHIJ';
const payUrl = 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html';
const theirs = new VNPay({ tmnCode, secureSecret: hashSecret, vnpayHost: 'https://sandbox.vnpayment.vn' });

const created = new Date('2025-03-01T02:15:30Z');
const expires = new Date('2025-03-01T02:30:30Z');

const asTheirQuery = (query: string) =>
  Object.fromEntries(new URLSearchParams(query)) as unknown as ReturnQueryFromVNPay;

/** Their canonical query and hash for a set of params (their utils, not ours). */
function theirSignedQuery(params: Record<string, string>): string {
  const search = buildPaymentUrlSearchParams(params);
  const signed = calculateSecureHash({
    secureSecret: hashSecret,
    data: search.toString(),
    hashAlgorithm: 'SHA512' as never,
    bufferEncode: 'utf-8',
  });
  search.append('vnp_SecureHash', signed);
  return search.toString();
}

const result: PaymentResultParams = createMockVnpayResult({ vnp_TmnCode: tmnCode });

describe('vnpay package as oracle', () => {
  it('HMAC agrees on the published vectors', () => {
    expect(theirHmac('secret', 'data', HashAlgorithm.SHA512)).toBe(hmacSha512Hex('secret', 'data'));
    const data = 'vnp_Amount=10000&vnp_OrderInfo=Payment+for+order+%231234567890&vnp_TnxRef=1234567890';
    expect(theirHmac('YOUR_SECURE_SECRET', data, HashAlgorithm.SHA512)).toBe(
      hmacSha512Hex('YOUR_SECURE_SECRET', data),
    );
  });

  it('payment URL: byte-identical to theirs for the same parameters', () => {
    const ours = buildPaymentUrl(
      { tmnCode, hashSecret, payUrl },
      {
        amountVnd: 185_000,
        txnRef: 'ORD01JABCDEF',
        orderInfo: 'Thanh toan don hang ORD01JABCDEF',
        returnUrl: 'https://cho.example.vn/thanh-toan/ket-qua',
        ipAddr: '203.113.1.10',
        createdAt: created,
        expiresAt: expires,
      },
    );
    const theirUrl = theirs.buildPaymentUrl({
      vnp_Amount: 185_000,
      vnp_TxnRef: 'ORD01JABCDEF',
      vnp_OrderInfo: 'Thanh toan don hang ORD01JABCDEF',
      vnp_ReturnUrl: 'https://cho.example.vn/thanh-toan/ket-qua',
      vnp_IpAddr: '203.113.1.10',
      vnp_CreateDate: Number(vnpDate(created)),
      vnp_ExpireDate: Number(vnpDate(expires)),
    });
    expect(ours.url).toBe(theirUrl);
  });

  it('payment URL: ours verifies with theirs, theirs with ours', () => {
    const ours = buildPaymentUrl(
      { tmnCode, hashSecret, payUrl },
      {
        amountVnd: 1_250_000,
        txnRef: 'A-1_b',
        orderInfo: 'Che Tan Cuong, 2 goi. Giao nhanh',
        returnUrl: 'https://cho.example.vn/r?x=1&y=a%20b',
        ipAddr: '2001:db8::1',
        createdAt: created,
        expiresAt: expires,
        bankCode: 'VNPAYQR',
        locale: 'en',
      },
    );
    expect(theirs.verifyReturnUrl(asTheirQuery(new URL(ours.url).search)).isVerified).toBe(true);
    const tamperedUrl = ours.url.replace('vnp_Amount=125000000', 'vnp_Amount=125000100');
    expect(theirs.verifyReturnUrl(asTheirQuery(new URL(tamperedUrl).search)).isVerified).toBe(false);

    const theirUrl = theirs.buildPaymentUrl({
      vnp_Amount: 1_250_000,
      vnp_TxnRef: 'A-1_b',
      vnp_OrderInfo: 'Che Tan Cuong, 2 goi. Giao nhanh',
      vnp_ReturnUrl: 'https://cho.example.vn/r?x=1&y=a%20b',
      vnp_IpAddr: '2001:db8::1',
      vnp_CreateDate: Number(vnpDate(created)),
      vnp_ExpireDate: Number(vnpDate(expires)),
    });
    expect(verifySignedQuery(theirUrl, hashSecret).valid).toBe(true);
    expect(verifySignedQuery(theirUrl, 'wrong').valid).toBe(false);
  });

  it('return URL and IPN: ours verifies with theirs (verifyReturnUrl, verifyIpnCall)', () => {
    const query = signPaymentResult(result, hashSecret);
    const ret = theirs.verifyReturnUrl(asTheirQuery(query));
    expect(ret).toMatchObject({ isVerified: true, isSuccess: true, vnp_Amount: 185_000 });
    expect(theirs.verifyIpnCall(asTheirQuery(query)).isVerified).toBe(true);
    const failed = signPaymentResult(
      { ...result, vnp_ResponseCode: '24', vnp_TransactionStatus: '02' },
      hashSecret,
    );
    expect(theirs.verifyIpnCall(asTheirQuery(failed))).toMatchObject({ isVerified: true, isSuccess: false });
    expect(theirs.verifyIpnCall(asTheirQuery(signPaymentResult(result, 'forged'))).isVerified).toBe(false);
  });

  it('return URL and IPN: theirs verifies with ours', () => {
    const query = theirSignedQuery({ ...result });
    expect(query).toBe(signPaymentResult(result, hashSecret));
    expect(verifySignedQuery(query, hashSecret).valid).toBe(true);
  });

  it('agree on any text value, both directions (same form encoding)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.integer({ min: 1, max: 9_999_999 }),
        (orderInfo, bankCode, amountVnd) => {
          const params = {
            ...result,
            vnp_OrderInfo: orderInfo,
            vnp_BankCode: bankCode,
            vnp_Amount: `${amountVnd}00`,
          };
          const ours = signParams(params, hashSecret).query;
          expect(theirs.verifyIpnCall(asTheirQuery(ours)).isVerified).toBe(true);
          expect(verifySignedQuery(theirSignedQuery(params), hashSecret).valid).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
