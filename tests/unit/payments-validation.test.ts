import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { PaymentError } from '../../shared/payments/errors.ts';
import { canonicalJson, requestFingerprint } from '../../shared/payments/idempotency.ts';
import { exponentialBackoff } from '../../shared/payments/outbox.ts';
import {
  memoCandidates,
  memoCode,
  parseBankTransfer,
  signBankNotification,
  verifyBankNotification,
} from '../../shared/payments/providers/bank-notification.ts';
import { vietQrDisplay } from '../../shared/payments/providers/vietqr.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { assertAmount, assertCurrency, assertMetadata } from '../../shared/payments/validation.ts';

function errorOf(fn: () => unknown): PaymentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PaymentError) return error;
    throw error;
  }
  throw new Error('expected a PaymentError');
}

describe('amounts are whole VND', () => {
  it('accepts positive integers', () => {
    expect(assertAmount(150_000)).toBe(150_000);
    expect(assertAmount(1)).toBe(1);
  });

  it.each([0, -1, 1.5, 150_000.01, Number.NaN, Infinity, '150000', null, 1e12])(
    'rejects %s as an invalid_request_error',
    (value) => {
      const error = errorOf(() => assertAmount(value));
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe('amount');
      expect(error.statusCode).toBe(400);
    },
  );

  it('only vnd, case-insensitively', () => {
    expect(assertCurrency('VND')).toBe('vnd');
    expect(errorOf(() => assertCurrency('usd')).param).toBe('currency');
  });

  it('metadata is at most 50 string values', () => {
    expect(assertMetadata({ order_code: 'DH1' })).toEqual({ order_code: 'DH1' });
    expect(errorOf(() => assertMetadata({ n: 1 })).type).toBe('invalid_request_error');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(errorOf(() => assertMetadata(many)).param).toBe('metadata');
  });
});

describe('idempotency fingerprint', () => {
  it('ignores key order and undefined values, sees every other difference', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: undefined } })).toBe('{"a":{"d":[1,2]},"b":1}');
    const a = requestFingerprint('payment_intents.create', { amount: 1, currency: 'vnd' });
    expect(requestFingerprint('payment_intents.create', { currency: 'vnd', amount: 1 })).toBe(a);
    expect(requestFingerprint('payment_intents.create', { currency: 'vnd', amount: 2 })).not.toBe(a);
    expect(requestFingerprint('refunds.create', { amount: 1, currency: 'vnd' })).not.toBe(a);
  });
});

describe('webhook backoff', () => {
  it('doubles from one minute and is capped at six hours', () => {
    expect([1, 2, 3, 4].map((n) => exponentialBackoff(n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(exponentialBackoff(30)).toBe(6 * 3_600_000);
  });
});

describe('VietQR memo and bank notification', () => {
  it('memo codes are upper-case ASCII letters and digits', () => {
    expect(memoCode('đh-2025/001 ă')).toBe('DH2025001A');
  });

  it('finds the code however the bank rewrote the memo', () => {
    expect(memoCandidates('TN DH1024', 'TN')).toEqual(['DH1024']);
    expect(memoCandidates('MBVCB.1234.tn.dh1024.CT tu 0123', 'TN')).toEqual(['DH1024']);
    expect(memoCandidates('TNDH1024 chuyen tien', 'TN')).toEqual(['DH1024']);
    expect(memoCandidates('thanh toán đơn hàng', 'TN')).toEqual([]);
  });

  it('verifies HMAC-SHA256 over the raw body', () => {
    const body = JSON.stringify({ id: 'FT1', amount: 150000, description: 'TN DH1', account_number: '1' });
    const signature = signBankNotification(body, 'bank-secret');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyBankNotification(body, signature, 'bank-secret')).toBe(true);
    expect(verifyBankNotification(body, signature.toUpperCase(), 'bank-secret')).toBe(true);
    expect(verifyBankNotification(body.replace('150000', '150001'), signature, 'bank-secret')).toBe(false);
    expect(verifyBankNotification(body, signature, 'other')).toBe(false);
    expect(verifyBankNotification(body, undefined, 'bank-secret')).toBe(false);
    expect(verifyBankNotification(body, signature.slice(2), 'bank-secret')).toBe(false);
  });

  it('parses transfers strictly', () => {
    expect(parseBankTransfer('{"id":"FT1","amount":5000,"description":"x"}').amount).toBe(5000);
    expect(() => parseBankTransfer('{"id":"FT1","amount":5000.5}')).toThrow(PaymentError);
    expect(() => parseBankTransfer('{"amount":5000}')).toThrow(PaymentError);
    expect(() => parseBankTransfer('not json')).toThrow(PaymentError);
  });

  it('the QR payload is a valid NAPAS VietQR with the amount and the memo', () => {
    const intent = {
      id: 'pi_abc',
      amount: 235_000,
      metadata: { order_code: 'DH-1024' },
    } as unknown as PaymentIntent;
    const display = vietQrDisplay(
      {
        bankBin: '970436',
        accountNumber: '0011004455667',
        accountName: 'HTX CHE TAN CUONG',
        notificationSecret: 's',
      },
      intent,
    );
    expect(display.memo).toBe('TN DH1024');
    const decoded = new QRPay(display.payload);
    expect(decoded.isValid).toBe(true);
    expect(decoded.amount).toBe('235000');
    expect(decoded.additionalData.purpose).toBe('TN DH1024');
    expect(decoded.consumer.bankBin).toBe('970436');
    expect(decoded.consumer.bankNumber).toBe('0011004455667');
  });
});
