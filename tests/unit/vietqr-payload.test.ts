/**
 * The exchange's VietQR encoder builds, byte for byte, the payload the vietnam-qr-pay library
 * builds for the same transfer (the library is the reference), and the
 * library reads ours back.
 */
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { vietQrPayload } from '../../shared/payments/providers/vietqr-payload.ts';

const cases = [
  { bankBin: '970436', accountNumber: '0011004455667', amount: '235000', purpose: 'TN DH1024' },
  { bankBin: '970415', accountNumber: '0123456789', amount: '1', purpose: 'TN A' },
  {
    bankBin: '970418',
    accountNumber: '12345678901234567890',
    amount: '9999999999',
    purpose: 'TN DH2026ABCDEFGHIJKLMNOP',
  },
  { bankBin: '970422', accountNumber: '7', amount: '185000', purpose: 'TN PIABCDEF012345' },
  { bankBin: '970436', accountNumber: '0011004999999', amount: '50000' },
  { bankBin: '970436', accountNumber: '0011004999999' },
  { bankBin: '970436', accountNumber: '0011004999999', purpose: 'Chè Tân Cương' },
];

describe('vietQrPayload', () => {
  it.each(cases)('builds what vietnam-qr-pay builds: %o', (input) => {
    const reference = QRPay.initVietQR({
      bankBin: input.bankBin,
      bankNumber: input.accountNumber,
      ...(input.amount ? { amount: input.amount } : {}),
      ...(input.purpose ? { purpose: input.purpose } : {}),
    }).build();
    const ours = vietQrPayload(input);
    expect(ours).toBe(reference);
    const decoded = new QRPay(ours);
    expect(decoded.isValid).toBe(true);
    expect(decoded.consumer.bankBin).toBe(input.bankBin);
    expect(decoded.consumer.bankNumber).toBe(input.accountNumber);
    expect(decoded.amount).toBe(input.amount);
  });

  it('refuses a field the two-digit length cannot carry', () => {
    expect(() =>
      vietQrPayload({ bankBin: '970436', accountNumber: '1', amount: '1', purpose: 'x'.repeat(100) }),
    ).toThrow(/over 99/);
  });
});
