/**
 * Switching the VNPay secret without downtime: while the switch is under way the previous secret
 * is kept next to the current one. What VNPay signs (IPN, return URL, querydr/refund answers) is
 * accepted under either; what we sign (payment URLs, API requests) uses the current one only.
 */
import { describe, expect, it } from 'vitest';
import { createMockVnpayResult } from '../fixtures.ts';
import { paymentSettings, SECRET_PARAMETERS } from '../../shared/payments/settings.ts';
import {
  acceptedSecrets,
  buildPaymentUrl,
  buildQueryDrRequest,
  decideIpn,
  readReturnUrl,
  signPaymentResult,
  signTransactionApiResponse,
  verifyQueryDrRequest,
  verifyQueryDrResponse,
  verifySignedQuery,
  QUERYDR_RESPONSE_FIELDS,
  type VnpayMerchantConfig,
} from '../../shared/payments/vnpay/protocol.ts';

const OLD = 'OLDSECRETOFTHETERMINALBEFOREJUNE';
const NEW = 'NEWSECRETOFTHETERMINALAFTERJUNE1';
const before: VnpayMerchantConfig = { tmnCode: 'TNOCOP01', hashSecret: OLD };
const during: VnpayMerchantConfig = { tmnCode: 'TNOCOP01', hashSecret: NEW, previousHashSecret: OLD };
const after: VnpayMerchantConfig = { tmnCode: 'TNOCOP01', hashSecret: NEW };

const result = createMockVnpayResult();
const pendingOrder = async () => ({ amountVnd: 185_000, pending: true });

describe('the VNPay secret switch', () => {
  it('accepts an IPN signed with the old secret only while the previous one is kept', async () => {
    const ipn = signPaymentResult(result, OLD);
    expect((await decideIpn(ipn, before, pendingOrder)).response.RspCode).toBe('00');
    expect((await decideIpn(ipn, during, pendingOrder)).response.RspCode).toBe('00');
    expect((await decideIpn(ipn, during, pendingOrder)).action.type).toBe('succeed');
    expect((await decideIpn(ipn, after, pendingOrder)).response.RspCode).toBe('97');
  });

  it('accepts an IPN signed with the new secret during and after the switch', async () => {
    const ipn = signPaymentResult(result, NEW);
    expect((await decideIpn(ipn, before, pendingOrder)).response.RspCode).toBe('97');
    expect((await decideIpn(ipn, during, pendingOrder)).response.RspCode).toBe('00');
    expect((await decideIpn(ipn, after, pendingOrder)).response.RspCode).toBe('00');
  });

  it('still refuses a signature under any other secret, and tampered values', async () => {
    const forged = signPaymentResult(result, 'GUESSEDSECRETGUESSEDSECRETGUESS1');
    expect((await decideIpn(forged, during, pendingOrder)).response.RspCode).toBe('97');
    const tampered = signPaymentResult(result, OLD).replace('vnp_Amount=18500000', 'vnp_Amount=100');
    expect((await decideIpn(tampered, during, pendingOrder)).response.RspCode).toBe('97');
  });

  it('verifies the return URL under either secret during the switch', () => {
    expect(readReturnUrl(signPaymentResult(result, OLD), during)).toMatchObject({
      verified: true,
      success: true,
    });
    expect(readReturnUrl(signPaymentResult(result, NEW), during)).toMatchObject({
      verified: true,
      success: true,
    });
    expect(readReturnUrl(signPaymentResult(result, OLD), after).verified).toBe(false);
  });

  it('signs payment URLs and API requests with the current secret only', () => {
    const { url } = buildPaymentUrl(
      { ...during, payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' },
      {
        amountVnd: 185_000,
        txnRef: 'ORD01JABCDEF',
        orderInfo: 'Thanh toan don hang ORD01JABCDEF',
        returnUrl: 'https://cho.example.vn/thanh-toan/ket-qua/',
        ipAddr: '113.161.42.17',
        createdAt: new Date('2026-03-01T02:20:01Z'),
        expiresAt: new Date('2026-03-01T02:35:01Z'),
      },
    );
    expect(verifySignedQuery(url, NEW).valid).toBe(true);
    expect(verifySignedQuery(url, OLD).valid).toBe(false);
    const request = buildQueryDrRequest(during, {
      requestId: 'REQ0001',
      txnRef: 'ORD01JABCDEF',
      transactionDate: '20260301092001',
      createdAt: new Date('2026-03-01T02:25:00Z'),
      ipAddr: '127.0.0.1',
      orderInfo: 'Truy van ORD01JABCDEF',
    });
    expect(verifyQueryDrRequest(request, NEW)).toBe(true);
    expect(verifyQueryDrRequest(request, OLD)).toBe(false);
  });

  it('checks VNPay API answers under both secrets during the switch', () => {
    expect(acceptedSecrets(during)).toEqual([NEW, OLD]);
    expect(acceptedSecrets(after)).toEqual([NEW]);
    expect(acceptedSecrets({ hashSecret: NEW, previousHashSecret: NEW })).toEqual([NEW]);
    const fields = Object.fromEntries(QUERYDR_RESPONSE_FIELDS.map((f) => [f, 'x'])) as unknown as Parameters<
      typeof signTransactionApiResponse
    >[0];
    const signedWithOld = signTransactionApiResponse({ ...fields, vnp_Command: 'querydr' }, OLD);
    const verifies = (config: VnpayMerchantConfig) =>
      acceptedSecrets(config).some((secret) => verifyQueryDrResponse(signedWithOld, secret));
    expect(verifies(during)).toBe(true);
    expect(verifies(after)).toBe(false);
  });

  it('reads the previous secret from SSM or the environment, never requiring it', () => {
    expect(SECRET_PARAMETERS.vnpayHashSecretPrevious).toBe('vnpay-hash-secret-previous');
    const origin = 'https://cho.example.vn';
    const fromSsm = paymentSettings({
      env: {},
      origin,
      secrets: { vnpayHashSecret: NEW, vnpayHashSecretPrevious: OLD },
    });
    expect(fromSsm.vnpay).toMatchObject({ hashSecret: NEW, previousHashSecret: OLD });
    const fromEnv = paymentSettings({
      env: { VNPAY_HASH_SECRET: NEW, VNPAY_HASH_SECRET_PREVIOUS: OLD },
      origin,
    });
    expect(fromEnv.vnpay).toMatchObject({ hashSecret: NEW, previousHashSecret: OLD });
    const none = paymentSettings({ env: { VNPAY_HASH_SECRET: NEW }, origin });
    expect(none.vnpay.previousHashSecret).toBeUndefined();
  });
});
