import { describe, expect, it } from 'vitest';
import { ChangeStatusBody } from '../../functions/board/operations.ts';
import { formatVnd } from '../../shared/domain/money.ts';
import type { OrderStatus, StatusStep, SubOrder } from '../../shared/orders/model.ts';
import { paymentState } from '../../shared/orders/payment-state.ts';
import { cleanTrackingNumber, isTrackingNumber } from '../../shared/orders/tracking.ts';

describe('tracking numbers', () => {
  it('are cleaned of spaces and dots and capitalised before they are checked', () => {
    expect(cleanTrackingNumber('VTP 1234 5678 9')).toBe('VTP123456789');
    expect(cleanTrackingNumber('S12345678.BO')).toBe('S12345678BO');
    expect(cleanTrackingNumber(' ghn-tn 2468\u00a0')).toBe('GHN-TN2468');
    expect(isTrackingNumber('VTP 1234 5678 9')).toBe(true);
    expect(isTrackingNumber('S12345678.BO')).toBe(true);
    expect(isTrackingNumber('. . .')).toBe(false);
    expect(isTrackingNumber('VTP/1234')).toBe(false);
  });

  it('reach the API cleaned: the body the board sends is accepted and stored without spaces or dots', () => {
    const shipped = (trackingNumber: string) =>
      ChangeStatusBody.safeParse({ to: 'shipped', carrier: 'Viettel Post', trackingNumber });
    expect(shipped('VTP 1234 5678 9')).toMatchObject({
      success: true,
      data: { trackingNumber: 'VTP123456789' },
    });
    expect(shipped('S12345678.BO')).toMatchObject({ success: true, data: { trackingNumber: 'S12345678BO' } });
    const bad = shipped('mã #12');
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/^Mã vận đơn gồm 4–40/);
    expect(shipped('1 2 3').success).toBe(false); // 3 characters once cleaned
    expect(shipped('A'.repeat(81)).success).toBe(false);
  });
});

describe('payment state on the board', () => {
  const step = (status: OrderStatus): StatusStep => ({ status, at: '2025-06-10T03:00:00.000Z', by: 'x' });
  const part = (status: OrderStatus, steps: OrderStatus[], extra: Partial<SubOrder> = {}) => ({
    status,
    history: steps.map(step),
    subtotal: 440_000,
    shippingFee: 20_000,
    ...extra,
  });
  const amount = formatVnd(460_000);

  it('says whether VNPay and VietQR orders are paid', () => {
    expect(paymentState('vnpay', part('pending_payment', ['pending_payment']))).toEqual({
      text: 'Chờ thanh toán VNPay',
      tone: 'due',
      paid: false,
    });
    expect(paymentState('vnpay', part('confirmed', ['pending_payment', 'placed', 'confirmed']))).toEqual({
      text: 'Đã thanh toán VNPay',
      tone: 'paid',
      paid: true,
    });
    expect(paymentState('vietqr', part('pending_payment', ['pending_payment'])).text).toBe(
      'Chờ chuyển khoản',
    );
    expect(paymentState('vietqr', part('placed', ['pending_payment', 'placed'])).text).toBe(
      'Đã nhận chuyển khoản',
    );
    expect(
      paymentState('vnpay', part('refunded', ['pending_payment', 'placed', 'delivered', 'refunded'])),
    ).toMatchObject({
      text: 'Đã hoàn tiền VNPay',
      paid: false,
    });
    expect(paymentState('vnpay', part('cancelled', ['pending_payment', 'placed', 'cancelled'])).text).toBe(
      'Đã hủy — hoàn tiền VNPay',
    );
    expect(paymentState('vnpay', part('cancelled', ['pending_payment', 'cancelled'])).text).toBe(
      'Đã hủy — chưa thu tiền',
    );
    expect(paymentState('vnpay', part('expired', ['pending_payment', 'expired'])).text).toBe(
      'Chưa thanh toán — đơn hết hạn',
    );
  });

  it('gives a COD order the amount to collect, then collected', () => {
    expect(paymentState('cod', part('shipped', ['placed', 'confirmed', 'packed', 'shipped']))).toEqual({
      text: `COD — thu ${amount}`,
      tone: 'due',
      paid: false,
    });
    expect(paymentState('cod', part('delivered', ['placed', 'delivered'], { cashCollected: true }))).toEqual({
      text: `COD — đã thu ${amount}`,
      tone: 'paid',
      paid: true,
    });
    expect(paymentState('cod', part('pending_payment', ['pending_payment'])).text).toBe(
      'COD — chờ người mua xác nhận đơn',
    );
    expect(paymentState('cod', part('cancelled', ['placed', 'cancelled'])).text).toBe('COD — không thu tiền');
  });
});
