/**
 * The order lifecycle over HTTP against DynamoDB Local: every (from, to) pair of statuses for
 * the manager through the board route, the inputs some steps require (carrier and tracking,
 * cash collected), COD capture when the last live part is delivered, the shopper's cancel,
 * who may see and move what, and stock released exactly once when parts are cancelled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../shared/db/accounts.ts';
import { producers } from '../../shared/db/producers.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { canTransition, ORDER_STATUSES, type OrderStatus } from '../../shared/orders/model.ts';
import { createMockProducer } from '../fixtures.ts';
import {
  bankTransfer,
  call,
  cancelOrder,
  createShop,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  OTHER_SHOPPER,
  place,
  SHOPPER,
  stockOf,
  track,
  type Shop,
} from './orders-world.ts';

let shop: Shop;

beforeAll(async () => {
  // Every product exists before the first checkout (the orders function caches the catalog).
  shop = await createShop({
    memberTea: 1000,
    memberTeaBig: 1000,
    otherMemberTea: 1000,
    coopBTea: 1000,
    independentTea: 1000,
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order JSON, probed by assertions
type Json = any;
type Line = { variantId: string; quantity: number };

async function placeOk(lines: Line[], overrides: Record<string, unknown> = {}): Promise<Json> {
  const res = await place(orderBody(lines, overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const TRACKING = { carrier: 'Viettel Post', trackingNumber: 'VTP2026000123' };

/** The body a step needs when everything it requires is given. */
function stepBody(to: OrderStatus): Record<string, unknown> {
  return {
    to,
    ...(to === 'shipped' ? TRACKING : {}),
    ...(to === 'delivered' ? { cashCollected: true } : {}),
  };
}

const sub = (order: Json, fulfillerId: string): Json =>
  order.subOrders.find((s: Json) => s.fulfillerId === fulfillerId);

async function intentOf(order: Json) {
  return shop.payments.paymentIntents.retrieve(order.paymentIntentId);
}

async function stocks(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(shop.packs).map(async ([name, v]) => [name, await stockOf(v)] as const),
  );
  return Object.fromEntries(entries);
}

describe('every (from, to) pair for the manager, through the board route', () => {
  // How a fresh co-op B order reaches each status (a one-part order: its status is the sub-order's).
  const PATHS: Record<OrderStatus, { payment: 'cod' | 'vietqr'; steps: OrderStatus[]; expire?: true }> = {
    pending_payment: { payment: 'vietqr', steps: [] },
    placed: { payment: 'cod', steps: [] },
    confirmed: { payment: 'cod', steps: ['confirmed'] },
    packed: { payment: 'cod', steps: ['confirmed', 'packed'] },
    shipped: { payment: 'cod', steps: ['confirmed', 'packed', 'shipped'] },
    delivered: { payment: 'cod', steps: ['confirmed', 'packed', 'shipped', 'delivered'] },
    completed: { payment: 'cod', steps: ['confirmed', 'packed', 'shipped', 'delivered', 'completed'] },
    cancelled: { payment: 'cod', steps: ['cancelled'] },
    refunded: { payment: 'cod', steps: ['confirmed', 'packed', 'shipped', 'delivered', 'refunded'] },
    expired: { payment: 'vietqr', steps: [], expire: true },
  };

  /** A fresh one-part order of co-op B driven to `from` by its manager. */
  async function orderAt(from: OrderStatus): Promise<string> {
    const path = PATHS[from];
    const placed = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], {
      paymentMethod: path.payment,
    });
    const code = placed.order.code as string;
    for (const to of path.steps) {
      const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, stepBody(to));
      expect(res.status, `${code} → ${to}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    if (path.expire) {
      await expireUnpaidOrders(shop.payments, new Date(Date.now() + 16 * 60_000));
    }
    const now = await track(code);
    expect(now.body.status).toBe(from);
    expect(sub(now.body, shop.coopB.id).status).toBe(from);
    return code;
  }

  let pairs = 0;
  for (const from of ORDER_STATUSES) {
    it(`from ${from}`, async () => {
      const allowed = ORDER_STATUSES.filter((to) => canTransition(from, to, 'manager'));
      const refused = ORDER_STATUSES.filter((to) => !canTransition(from, to, 'manager'));

      // Refused moves change nothing, so one order serves them all.
      const code = await orderAt(from);
      const before = (await track(code)).body;
      for (const to of refused) {
        const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, stepBody(to));
        expect(res.status, `${from} → ${to}`).toBe(409);
        expect(res.body.error.code, `${from} → ${to}`).toBe('order.transition_refused');
        expect(res.body.error.message).toContain(`from ${from} to ${to}`);
        pairs += 1;
      }
      const after = (await track(code)).body;
      expect(after.version).toBe(before.version);
      expect(sub(after, shop.coopB.id)).toEqual(sub(before, shop.coopB.id));

      // Each allowed move on its own fresh order.
      for (const to of allowed) {
        const fresh = await orderAt(from);
        const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, fresh, stepBody(to));
        expect(res.status, `${from} → ${to}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(sub(res.body, shop.coopB.id).status).toBe(to);
        expect(res.body.status).toBe(to);
        const step = sub(res.body, shop.coopB.id).history.at(-1);
        expect(step).toMatchObject({ status: to, by: shop.actors.managerB.account.sub });
        expect((await track(fresh)).body.status).toBe(to);
        pairs += 1;
      }
    });
  }

  it('covered all 100 pairs', () => {
    expect(pairs).toBe(ORDER_STATUSES.length ** 2);
  });

  it('an unknown order answers 404', async () => {
    const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, 'TN-22222', {
      to: 'confirmed',
    });
    expect(res.status).toBe(404);
  });
});

describe('what some steps require', () => {
  it('shipped requires both a carrier and a tracking number (400 otherwise), shown to the shopper', async () => {
    const { order } = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 1 }]);
    for (const to of ['confirmed', 'packed'] as const) {
      expect((await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, { to })).status).toBe(
        200,
      );
    }
    for (const partial of [{}, { carrier: 'GHN' }, { trackingNumber: 'GHN12345678' }]) {
      const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
        to: 'shipped',
        ...partial,
      });
      expect(res.status, JSON.stringify(partial)).toBe(400);
      expect(res.body.error.code).toBe('order.tracking_required');
      expect(res.body.error.message).toMatch(/tracking number/);
    }
    expect((await track(order.code)).body.status).toBe('packed');
    const shipped = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'shipped',
      ...TRACKING,
    });
    expect(shipped.status).toBe(200);
    const seen = sub((await track(order.code)).body, shop.coopB.id);
    expect(seen).toMatchObject({ status: 'shipped', ...TRACKING });
  });

  it('COD delivered requires the cash collected (400), then captures the payment', async () => {
    const { order } = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 2 }]);
    for (const to of ['confirmed', 'packed', 'shipped'] as const) {
      await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, stepBody(to));
    }
    for (const cash of [{}, { cashCollected: false }]) {
      const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
        to: 'delivered',
        ...cash,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('order.cash_required');
    }
    expect((await intentOf(order)).status).toBe('requires_capture');
    expect((await track(order.code)).body.status).toBe('shipped');
    const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'delivered',
      cashCollected: true,
    });
    expect(res.status).toBe(200);
    expect(sub(res.body, shop.coopB.id)).toMatchObject({ status: 'delivered', cashCollected: true });
    expect(await intentOf(order)).toMatchObject({ status: 'succeeded', amount_received: order.total });
  });

  it('a two-cooperative COD order is captured only when both parts are delivered', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]);
    const deliver = async (token: string, fulfillerId: string) => {
      for (const to of ['confirmed', 'packed', 'shipped', 'delivered'] as const) {
        const res = await moveSubOrder(token, fulfillerId, order.code, stepBody(to));
        expect(res.status, `${fulfillerId} → ${to}`).toBe(200);
      }
    };
    await deliver(shop.actors.managerA.token, shop.coopA.id);
    expect((await intentOf(order)).status).toBe('requires_capture');
    // The order is as far as its least advanced part.
    expect((await track(order.code)).body.status).toBe('placed');
    await deliver(shop.actors.managerB.token, shop.coopB.id);
    expect(await intentOf(order)).toMatchObject({ status: 'succeeded', amount_received: order.total });
    expect((await track(order.code)).body.status).toBe('delivered');
  });

  it('a part already completed counts as delivered: the last delivery still captures', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]);
    for (const to of ['confirmed', 'packed', 'shipped', 'delivered', 'completed'] as const) {
      await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, stepBody(to));
    }
    expect(sub((await track(order.code)).body, shop.coopA.id).status).toBe('completed');
    for (const to of ['confirmed', 'packed', 'shipped', 'delivered'] as const) {
      await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, stepBody(to));
    }
    expect((await intentOf(order)).status).toBe('succeeded');
  });

  it('a cancelled part does not hold back the capture of the others', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
      { variantId: shop.packs.independentTea.id, quantity: 1 },
    ]);
    const cancelled = await moveSubOrder(shop.actors.independent.token, shop.independent.id, order.code, {
      to: 'cancelled',
    });
    expect(cancelled.status).toBe(200);
    expect((await intentOf(order)).status).toBe('requires_capture');
    for (const [token, id] of [
      [shop.actors.managerA.token, shop.coopA.id],
      [shop.actors.managerB.token, shop.coopB.id],
    ] as const) {
      for (const to of ['confirmed', 'packed', 'shipped', 'delivered'] as const) {
        expect((await moveSubOrder(token, id, order.code, stepBody(to))).status).toBe(200);
      }
    }
    // Only the cash for the delivered parts was collected.
    const partC = sub(order, shop.independent.id);
    expect(await intentOf(order)).toMatchObject({
      status: 'succeeded',
      amount_received: order.total - partC.subtotal - partC.shippingFee,
    });
    expect((await track(order.code)).body.status).toBe('delivered');
  });

  it('an order paid by transfer needs no cash at the door and is not captured again', async () => {
    const placed = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], {
      paymentMethod: 'vietqr',
    });
    expect((await notifyTransfer(bankTransfer(shop, placed))).body).toEqual({ result: 'matched' });
    expect((await track(placed.order.code)).body.status).toBe('placed');
    for (const to of ['confirmed', 'packed', 'shipped'] as const) {
      await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, stepBody(to));
    }
    const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, placed.order.code, {
      to: 'delivered',
    });
    expect(res.status).toBe(200);
    expect(await intentOf(placed.order)).toMatchObject({
      status: 'succeeded',
      amount_received: placed.order.total,
    });
  });
});

describe('the shopper’s cancel', () => {
  it('before confirmation: the order is cancelled, the COD payment cancelled, the stock back', async () => {
    const before = await stocks();
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 2 },
      { variantId: shop.packs.coopBTea.id, quantity: 3 },
    ]);
    const res = await cancelOrder(order.code);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.subOrders.map((s: Json) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(await intentOf(order)).toMatchObject({ status: 'canceled' });
    expect(await stocks()).toEqual(before);
    expect((await track(order.code)).body.history.at(-1)).toMatchObject({
      status: 'cancelled',
      by: 'shopper',
    });
  });

  it('an unpaid online order: the payment is cancelled too', async () => {
    const before = await stockOf(shop.packs.independentTea);
    const { order } = await placeOk([{ variantId: shop.packs.independentTea.id, quantity: 4 }], {
      paymentMethod: 'vietqr',
    });
    expect(order.status).toBe('pending_payment');
    expect((await cancelOrder(order.code)).status).toBe(200);
    expect((await intentOf(order)).status).toBe('canceled');
    expect(await stockOf(shop.packs.independentTea)).toBe(before);
  });

  it('after any part is confirmed: 409 order.already_confirmed, nothing changes', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]);
    expect(
      (await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, { to: 'confirmed' })).status,
    ).toBe(200);
    const before = await stocks();
    const res = await cancelOrder(order.code);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('order.already_confirmed');
    expect(res.body.error.message).toMatch(/confirmed/i);
    const after = (await track(order.code)).body;
    expect(after.subOrders.map((s: Json) => s.status).sort()).toEqual(['confirmed', 'placed']);
    expect((await intentOf(order)).status).toBe('requires_capture');
    expect(await stocks()).toEqual(before);
  });
});

describe('who sees and moves what', () => {
  it('a shopper without the order’s phone gets 404, the same answer as an unknown code', async () => {
    const { order } = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], {
      contact: OTHER_SHOPPER,
    });
    expect((await track(order.code, OTHER_SHOPPER.phone)).status).toBe(200);
    const wrongPhone = await track(order.code, SHOPPER.phone);
    const unknownCode = await track('TN-ZZZZZ', OTHER_SHOPPER.phone);
    expect(wrongPhone.status).toBe(404);
    expect(wrongPhone).toEqual(unknownCode);

    const before = await stockOf(shop.packs.coopBTea);
    const cancelWrong = await cancelOrder(order.code, SHOPPER.phone);
    const cancelUnknown = await cancelOrder('TN-ZZZZZ', OTHER_SHOPPER.phone);
    expect(cancelWrong.status).toBe(404);
    expect(cancelWrong).toEqual(cancelUnknown);
    expect((await track(order.code, OTHER_SHOPPER.phone)).body.status).toBe('placed');
    expect(await stockOf(shop.packs.coopBTea)).toBe(before);
    // The same phone written another way is the same shopper.
    expect((await track(order.code, '+84912111222')).status).toBe(200);
  });

  it('co-op B’s manager cannot list, read or move co-op A’s sub-orders (403); A’s own manager can', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]);
    const b = shop.actors.managerB.token;
    const list = await call('GET', `/api/board/${shop.coopA.id}/orders`, { token: b });
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('order.forbidden');
    expect((await call('GET', `/api/board/${shop.coopA.id}/orders/${order.code}`, { token: b })).status).toBe(
      403,
    );
    for (const to of ['confirmed', 'cancelled'] as const) {
      const res = await moveSubOrder(b, shop.coopA.id, order.code, { to });
      expect(res.status, to).toBe(403);
    }
    // Households, the independent producer and strangers to the co-op are refused too.
    for (const actor of ['member', 'otherMember', 'independent'] as const) {
      const token = shop.actors[actor].token;
      expect((await call('GET', `/api/board/${shop.coopA.id}/orders`, { token })).status, actor).toBe(403);
      expect((await moveSubOrder(token, shop.coopA.id, order.code, { to: 'cancelled' })).status, actor).toBe(
        403,
      );
    }
    const after = (await track(order.code)).body;
    expect(sub(after, shop.coopA.id).status).toBe('placed');
    expect(sub(after, shop.coopA.id).version).toBe(1);

    const own = await call('GET', `/api/board/${shop.coopA.id}/orders`, {
      token: shop.actors.managerA.token,
    });
    expect(own.status).toBe(200);
    expect(own.body.items.map((s: Json) => s.orderCode)).toContain(order.code);
    expect(own.body.items.every((s: Json) => s.fulfillerId === shop.coopA.id)).toBe(true);
    const admin = await call('GET', `/api/board/${shop.coopA.id}/orders/${order.code}`, {
      token: shop.actors.admin.token,
    });
    expect(admin.status).toBe(200);
  });

  it('without signing in the board answers 401', async () => {
    const { order } = await placeOk([{ variantId: shop.packs.memberTea.id, quantity: 1 }]);
    expect((await call('GET', `/api/board/${shop.coopA.id}/orders`)).status).toBe(401);
    expect((await call('GET', `/api/board/${shop.coopA.id}/orders/${order.code}`)).status).toBe(401);
    const move = await call('POST', `/api/board/${shop.coopA.id}/orders/${order.code}/status`, {
      body: { to: 'cancelled' },
    });
    expect(move.status).toBe(401);
    expect((await call('GET', '/api/seller/order-lines')).status).toBe(401);
    expect((await track(order.code)).body.status).toBe('placed');
  });

  it('on its own board, a manager cannot reach an order it has no part in (404)', async () => {
    const { order } = await placeOk([{ variantId: shop.packs.memberTea.id, quantity: 1 }]);
    const b = shop.actors.managerB.token;
    expect((await call('GET', `/api/board/${shop.coopB.id}/orders/${order.code}`, { token: b })).status).toBe(
      404,
    );
    const move = await moveSubOrder(b, shop.coopB.id, order.code, { to: 'cancelled' });
    expect(move.status).toBe(404);
    const list = await call('GET', `/api/board/${shop.coopB.id}/orders?limit=100`, { token: b });
    expect(list.body.items.map((s: Json) => s.orderCode)).not.toContain(order.code);
    expect((await track(order.code)).body.status).toBe('placed');
  });

  it('the board’s status filter fills each page and skips nothing between pages', async () => {
    const b = shop.actors.managerB.token;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { order } = await placeOk([{ variantId: shop.packs.coopBTea.id, quantity: 1 }]);
      codes.push(order.code);
    }
    // The oldest is confirmed: newer placed orders come before it in the index.
    expect((await moveSubOrder(b, shop.coopB.id, codes[0]!, { to: 'confirmed' })).status).toBe(200);
    const first = await call('GET', `/api/board/${shop.coopB.id}/orders?status=confirmed&limit=1`, {
      token: b,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((s: Json) => s.orderCode)).toEqual([codes[0]]);

    const placed: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `status=placed&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call('GET', `/api/board/${shop.coopB.id}/orders?${query}`, { token: b });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items as Json[]) {
        expect(item.status).toBe('placed');
        placed.push(item.orderCode);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(placed).toEqual(expect.arrayContaining(codes.slice(1)));
    expect(placed).not.toContain(codes[0]);
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('the board detail shows only the caller’s own sub-order', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 2 },
      { variantId: shop.packs.independentTea.id, quantity: 3 },
    ]);
    const res = await call('GET', `/api/board/${shop.coopA.id}/orders/${order.code}`, {
      token: shop.actors.managerA.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(order.code);
    expect(res.body.subOrders).toHaveLength(1);
    expect(res.body.subOrders[0]).toMatchObject({ fulfillerId: shop.coopA.id });
    expect(res.body.subOrders[0].lines.map((l: Json) => l.variantId)).toEqual([shop.packs.memberTea.id]);
    // Lines and amounts are the co-op's own part: nothing tells what the shopper bought elsewhere.
    expect(res.body.lines.map((l: Json) => l.variantId)).toEqual([shop.packs.memberTea.id]);
    const own = res.body.subOrders[0];
    expect(res.body.itemsTotal).toBe(own.subtotal);
    expect(res.body.shippingTotal).toBe(own.shippingFee);
    expect(res.body.total).toBe(own.subtotal + own.shippingFee);
    expect(res.body.total).toBeLessThan(order.total);
    expect(res.body.fulfillerIds).toEqual([shop.coopA.id]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(shop.packs.coopBTea.id);
    expect(text).not.toContain(shop.packs.independentTea.id);
    expect(text).not.toContain(shop.coopB.id);
    // The delivery details are there: the co-op has to ship.
    expect(res.body.delivery.method).toBe('shipping');
    expect(res.body.contact.phone).toBe('+84987654321');

    // A status change answers with the same view.
    const moved = await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, {
      to: 'confirmed',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.subOrders).toHaveLength(1);
    expect(moved.body.total).toBe(res.body.total);
    expect(JSON.stringify(moved.body)).not.toContain(shop.packs.coopBTea.id);
  });

  it('a member household sees only its own lines of its co-op’s orders', async () => {
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 2 },
      { variantId: shop.packs.otherMemberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]);
    // Both households' lines are in one co-op A sub-order.
    expect(sub(order, shop.coopA.id).lines).toHaveLength(2);

    const mine = await call('GET', '/api/seller/order-lines', { token: shop.actors.member.token });
    expect(mine.status).toBe(200);
    const item = mine.body.items.find((i: Json) => i.orderCode === order.code);
    expect(item.lines).toEqual([
      expect.objectContaining({
        variantId: shop.packs.memberTea.id,
        quantity: 2,
        producerId: shop.member.id,
      }),
    ]);
    for (const i of mine.body.items) {
      for (const line of i.lines) expect(line.producerId).toBe(shop.member.id);
    }
    const theirs = await call('GET', '/api/seller/order-lines', { token: shop.actors.otherMember.token });
    const other = theirs.body.items.find((i: Json) => i.orderCode === order.code);
    expect(other.lines.map((l: Json) => l.variantId)).toEqual([shop.packs.otherMemberTea.id]);
    expect(JSON.stringify(theirs.body)).not.toContain(shop.packs.memberTea.id);
  });

  it('a producer with no orders sees an empty list; someone who is not a producer is refused', async () => {
    const newcomer = await producers.create(
      createMockProducer({ id: `household-new-${Date.now()}`, kind: 'household', phone: '+84977000111' }),
    );
    const account = await accounts.create({
      sub: `newcomer-${Date.now()}`,
      phone: newcomer.phone,
      groups: ['producer'],
      producerId: newcomer.id,
      createdAt: new Date().toISOString(),
    });
    const token = (await shop.issuer.sign(account)).accessToken;
    const res = await call('GET', '/api/seller/order-lines', { token });
    expect(res).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    const board = await call('GET', `/api/board/${newcomer.id}/orders`, { token });
    expect(board).toEqual({ status: 200, body: { items: [], nextCursor: null } });

    const admin = await call('GET', '/api/seller/order-lines', { token: shop.actors.admin.token });
    expect(admin.status).toBe(403);
  });
});

describe('cancelling releases stock exactly once', () => {
  it('a co-op cancels its part of a two-co-op order: only that part’s stock comes back', async () => {
    const before = await stocks();
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 2 },
      { variantId: shop.packs.coopBTea.id, quantity: 3 },
    ]);
    const res = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'cancelled',
      note: 'Hết hàng đợt này',
    });
    expect(res.status).toBe(200);
    expect(sub(res.body, shop.coopB.id)).toMatchObject({ status: 'cancelled' });
    expect(sub(res.body, shop.coopB.id).history.at(-1).note).toBe('Hết hàng đợt này');
    expect(res.body.status).toBe('placed'); // co-op A's part is still live
    let now = await stocks();
    expect(now.coopBTea).toBe(before.coopBTea);
    expect(now.memberTea).toBe(before.memberTea! - 2);
    // COD: nothing to refund, the payment stays open for the live part.
    expect((await intentOf(order)).status).toBe('requires_capture');

    // Cancelling it again is refused and releases nothing.
    const again = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'cancelled',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('order.transition_refused');
    expect(await stocks()).toEqual(now);

    expect(
      (await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, { to: 'confirmed' })).status,
    ).toBe(200);
    expect((await track(order.code)).body.status).toBe('confirmed');
    // A cancels too: the whole order is cancelled, its payment with it, all stock back once.
    expect(
      (await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, { to: 'cancelled' })).status,
    ).toBe(200);
    const final = (await track(order.code)).body;
    expect(final.status).toBe('cancelled');
    expect((await intentOf(order)).status).toBe('canceled');
    now = await stocks();
    expect(now).toEqual(before);
  });

  it('the shopper may still cancel the rest after one co-op cancelled its part', async () => {
    const before = await stocks();
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 1 },
      { variantId: shop.packs.coopBTea.id, quantity: 2 },
    ]);
    await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, { to: 'cancelled' });
    const res = await cancelOrder(order.code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect((await intentOf(order)).status).toBe('canceled');
    expect(await stocks()).toEqual(before);
  });

  it('the shopper cancelling twice, even at once, releases once', async () => {
    const before = await stocks();
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 3 },
      { variantId: shop.packs.independentTea.id, quantity: 1 },
    ]);
    const answers = await Promise.all([
      cancelOrder(order.code),
      cancelOrder(order.code),
      cancelOrder(order.code),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(409);
    }
    expect(await stocks()).toEqual(before);
    expect((await cancelOrder(order.code)).status).toBe(409);
    expect(await stocks()).toEqual(before);
    expect((await intentOf(order)).status).toBe('canceled');
  });

  it('the shopper and a manager cancelling at once: one wins per part, stock back once', async () => {
    const before = await stocks();
    const { order } = await placeOk([
      { variantId: shop.packs.memberTea.id, quantity: 2 },
      { variantId: shop.packs.coopBTea.id, quantity: 2 },
    ]);
    const answers = await Promise.all([
      cancelOrder(order.code),
      moveSubOrder(shop.actors.managerA.token, shop.coopA.id, order.code, { to: 'cancelled' }),
      moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, { to: 'cancelled' }),
    ]);
    for (const a of answers) expect([200, 409]).toContain(a.status);
    const final = (await track(order.code)).body;
    expect(final.status).toBe('cancelled');
    expect(final.subOrders.map((s: Json) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(await stocks()).toEqual(before);
    expect((await intentOf(order)).status).toBe('canceled');
  });
});
