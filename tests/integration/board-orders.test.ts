/**
 * The cooperative board's orders over HTTP against DynamoDB Local: the list carries each order's
 * payment method, buyer and delivery (so the board says how each is paid and whether it is paid,
 * and the packing list prints the address), a paid transfer's step is the system's, and tracking
 * numbers typed with spaces and dots are cleaned before they are checked and stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatVnd } from '../../shared/domain/money.ts';
import { paymentState } from '../../shared/orders/payment-state.ts';
import { stepActor } from '../../shared/orders/reports.ts';
import {
  bankTransfer,
  call,
  createShop,
  HANOI,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  OTHER_SHOPPER,
  place,
  SHOPPER,
  track,
  type Shop,
} from './orders-world.ts';

let shop: Shop;

beforeAll(async () => {
  shop = await createShop({ memberTea: 1000 });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order JSON, probed by assertions
type Json = any;

async function placeOk(paymentMethod: 'cod' | 'vietqr', contact = SHOPPER): Promise<Json> {
  const res = await place(
    orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }], { paymentMethod, contact }),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function boardItem(code: string): Promise<Json> {
  const list = await call('GET', `/api/board/${shop.coopA.id}/orders?limit=100`, {
    token: shop.actors.managerA.token,
  });
  expect(list.status).toBe(200);
  return list.body.items.find((s: Json) => s.orderCode === code);
}

describe('the board’s list of orders', () => {
  it('gives each order’s payment method, buyer and delivery, enough to say whether it is paid', async () => {
    const cod = await placeOk('cod');
    const paid = await placeOk('vietqr', OTHER_SHOPPER);
    expect((await notifyTransfer(bankTransfer(shop, paid))).body).toEqual({ result: 'matched' });
    const waiting = await placeOk('vietqr', OTHER_SHOPPER);

    const codItem = await boardItem(cod.order.code);
    expect(codItem).toMatchObject({
      paymentMethod: 'cod',
      contact: { name: SHOPPER.name, phone: '+84987654321' },
      delivery: { method: 'shipping', address: HANOI },
    });
    expect(paymentState(codItem.paymentMethod, codItem).text).toBe(`COD — thu ${formatVnd(cod.order.total)}`);

    const paidItem = await boardItem(paid.order.code);
    expect(paidItem.status).toBe('placed');
    expect(paymentState(paidItem.paymentMethod, paidItem)).toMatchObject({
      text: 'Đã nhận chuyển khoản',
      paid: true,
    });
    // The transfer placed the order: the system's step, not the manager's.
    expect(paidItem.history.map((s: Json) => stepActor(s.by))).toEqual([
      'Người mua',
      'Hệ thống (thanh toán trực tuyến)',
    ]);

    const waitingItem = await boardItem(waiting.order.code);
    expect(paymentState(waitingItem.paymentMethod, waitingItem)).toMatchObject({
      text: 'Chờ chuyển khoản',
      paid: false,
    });
  });
});

describe('tracking numbers', () => {
  it('are cleaned of spaces and dots before they are checked, and stored cleaned', async () => {
    const { order } = await placeOk('cod');
    const manager = shop.actors.managerA.token;
    for (const to of ['confirmed', 'packed'] as const) {
      expect((await moveSubOrder(manager, shop.coopA.id, order.code, { to })).status, to).toBe(200);
    }
    const refused = await moveSubOrder(manager, shop.coopA.id, order.code, {
      to: 'shipped',
      carrier: 'VNPost',
      trackingNumber: 'S123/45',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toContain('Mã vận đơn gồm 4–40');

    const shipped = await moveSubOrder(manager, shop.coopA.id, order.code, {
      to: 'shipped',
      carrier: 'VNPost',
      trackingNumber: 'S12345678.BO',
    });
    expect(shipped.status).toBe(200);
    const after = (await track(order.code)).body;
    expect(after.subOrders[0].trackingNumber).toBe('S12345678BO');
    const viettel = await placeOk('cod');
    for (const to of ['confirmed', 'packed'] as const) {
      await moveSubOrder(manager, shop.coopA.id, viettel.order.code, { to });
    }
    await moveSubOrder(manager, shop.coopA.id, viettel.order.code, {
      to: 'shipped',
      carrier: 'Viettel Post',
      trackingNumber: 'VTP 1234 5678 9',
    });
    expect((await boardItem(viettel.order.code)).trackingNumber).toBe('VTP123456789');
  });
});
