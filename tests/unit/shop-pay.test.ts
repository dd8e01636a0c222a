/**
 * The shopper's payment helpers (pure parts): a paid online order reads "Đã thanh toán", the
 * expected delivery by region and what it is based on, when an order can be paid again, and the
 * cart kept until its order is paid or confirmed.
 */
import { describe, expect, it } from 'vitest';
import { deliveryEstimate, DELIVERY_DAYS, regionOf } from '../../shared/orders/regions.ts';
import { regionOf as shippingRegionOf } from '../../shared/orders/shipping.ts';
import type { OrderView } from '../../site/src/shop/api.ts';
import { estimateText } from '../../site/src/shop/order-view.ts';
import { canPayAgain } from '../../site/src/shop/pay-again.ts';
import {
  cartFingerprint,
  findOrder,
  orderSettled,
  readCart,
  rememberOrder,
  writeCart,
  type Cart,
} from '../../site/src/shop/store.ts';
import { statusLabel } from '../../site/src/shop/text.ts';

const memory = () => {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
};

const order = (over: Partial<OrderView> = {}): OrderView => ({
  code: 'TN-7K3Q9',
  status: 'placed',
  contact: { name: 'Lan', phone: '+84912345678' },
  delivery: { method: 'shipping', address: { provinceCode: '19', wardCode: '05800', street: 'Xóm' } },
  paymentMethod: 'vnpay',
  paymentIntentId: 'pi_x',
  itemsTotal: 100_000,
  shippingTotal: 20_000,
  total: 120_000,
  lines: [],
  subOrders: [],
  history: [{ status: 'placed', at: '2026-12-01T03:00:00.000Z', by: 'payment' }],
  createdAt: '2026-12-01T02:58:00.000Z',
  ...over,
});

describe('labels', () => {
  it('a placed online order is “Đã thanh toán” / “Paid”; COD and unknown methods keep theirs', () => {
    expect(statusLabel('placed', 'vi', 'vnpay')).toBe('Đã thanh toán');
    expect(statusLabel('placed', 'vi', 'vietqr')).toBe('Đã thanh toán');
    expect(statusLabel('placed', 'en', 'vnpay')).toBe('Paid');
    expect(statusLabel('placed', 'vi', 'cod')).toBe('Đã đặt hàng');
    expect(statusLabel('placed')).toBe('Đã đặt hàng');
    expect(statusLabel('shipped', 'vi', 'vnpay')).toBe('Đã giao cho đơn vị vận chuyển');
  });
});

describe('expected delivery', () => {
  it('days by region, the same regions the fee uses', () => {
    for (const code of ['19', '01', '37', '38', '79']) expect(regionOf(code)).toBe(shippingRegionOf(code));
    const from = new Date('2026-12-01T03:00:00.000Z');
    const north = deliveryEstimate({ method: 'shipping', address: { provinceCode: '01' } }, from);
    expect(north.region).toBe('north');
    expect((north.earliest.getTime() - from.getTime()) / 86_400_000).toBe(DELIVERY_DAYS.north[0]);
    expect((north.latest.getTime() - from.getTime()) / 86_400_000).toBe(DELIVERY_DAYS.north[1]);
    expect(deliveryEstimate({ method: 'pickup' }, from).region).toBe('pickup');
  });

  it('the text says when and what it is based on; counted from the confirmation once there is one', () => {
    const now = new Date('2026-12-01T03:00:00.000Z');
    expect(estimateText(order(), now)).toMatch(
      /^Khoảng \d\d\/12 – \d\d\/12 \(giao trong tỉnh Thái Nguyên: 1–2 ngày sau khi hợp tác xã xác nhận; tính từ hôm nay\)$/,
    );
    const confirmed = order({
      status: 'confirmed',
      subOrders: [
        {
          orderCode: 'TN-7K3Q9',
          fulfillerId: 'c',
          fulfillerName: 'HTX',
          status: 'confirmed',
          lines: [],
          subtotal: 100_000,
          shippingFee: 20_000,
          history: [{ status: 'confirmed', at: '2026-12-05T03:00:00.000Z', by: 'manager' }],
        } as unknown as OrderView['subOrders'][number],
      ],
    });
    const text = estimateText(confirmed, now)!;
    expect(text).toContain('sau khi hợp tác xã xác nhận)');
    expect(text).not.toContain('tính từ hôm nay');
    expect(estimateText(order({ status: 'pending_payment' }), now)).toBeUndefined();
    expect(estimateText(order({ status: 'delivered' }), now)).toBeUndefined();
    expect(estimateText(order({ delivery: { method: 'pickup' } }), now)).toMatch(/^Sẵn sàng từ/);
  });
});

describe('pay again', () => {
  it('only an online order still waiting for its payment, within its hold', () => {
    const now = Date.parse('2026-12-01T03:00:00.000Z');
    const waiting = order({ status: 'pending_payment', payBy: '2026-12-01T03:10:00.000Z' });
    expect(canPayAgain(waiting, now)).toBe(true);
    expect(canPayAgain({ ...waiting, paymentMethod: 'vietqr' }, now)).toBe(true);
    expect(canPayAgain({ ...waiting, paymentMethod: 'cod' }, now)).toBe(false);
    expect(canPayAgain({ ...waiting, payBy: '2026-12-01T02:59:00.000Z' }, now)).toBe(false);
    expect(canPayAgain(order(), now)).toBe(false);
  });
});

describe('the cart kept until the order is paid or confirmed', () => {
  const cart: Cart = {
    lines: [
      {
        variantId: 'v1',
        productSlug: 'che',
        productName: 'Chè',
        pack: '200 g',
        producerName: 'Hộ A',
        price: 100_000,
        quantity: 1,
      },
    ],
  };

  it('emptied once its order settles; a cart changed since is left alone', () => {
    const store = memory();
    writeCart(store, cart);
    rememberOrder(store, {
      code: 'TN-7K3Q9',
      phone: '0912345678',
      paymentMethod: 'vnpay',
      paymentId: 'pi_x',
      clientSecret: null,
      total: 120_000,
      placedAt: '2026-12-01T02:58:00.000Z',
      cartFingerprint: cartFingerprint(cart),
    });
    expect(orderSettled(store, 'TN-7K3Q9')).toBe(true);
    expect(readCart(store).lines).toEqual([]);
    expect(findOrder(store, 'TN-7K3Q9')?.cartFingerprint).toBeUndefined();

    const other = memory();
    writeCart(other, { lines: [{ ...cart.lines[0]!, quantity: 2 }] });
    rememberOrder(other, { ...findOrder(store, 'TN-7K3Q9')!, cartFingerprint: cartFingerprint(cart) });
    expect(orderSettled(other, 'TN-7K3Q9')).toBe(false);
    expect(readCart(other).lines).toHaveLength(1);
  });
});
