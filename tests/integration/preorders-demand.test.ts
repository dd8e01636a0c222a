/**
 * `openPreorderDemand` (for the market panel): the packs reserved per product, pack and season
 * in open windows and in closed ones not yet allocated; unpaid deposits apart; cancelled and
 * expired reservations not counted; allocated windows and other products' windows left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preorderClock } from '../../functions/orders/preorders.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { openPreorderDemand } from '../../shared/preorders/demand.ts';
import {
  bankTransfer,
  call,
  cancelOrder,
  createShop,
  HANOI,
  newKey,
  notifyTransfer,
  SHOPPER,
  track,
  type Shop,
} from './orders-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, probed by assertions
type Json = any;

let shop: Shop;
let clock = Date.parse('2027-02-10T03:00:00Z');
beforeAll(async () => {
  shop = await createShop();
  preorderClock.now = () => new Date(clock);
});
afterAll(() => {
  preorderClock.now = () => new Date();
});

const open = async (productId: string, season: string, token: string, fulfillerId: string) => {
  const res = await call('POST', `/api/board/${fulfillerId}/preorders`, {
    token,
    body: {
      productId,
      season,
      opensOn: '2027-02-10',
      closesOn: '2027-02-20',
      harvestFrom: '2027-03-01',
      harvestTo: '2027-03-20',
      packs: [
        { grams: 200, price: 200_000 },
        { grams: 500, price: 450_000, tolerancePercent: 10 },
      ],
      totalKg: 50,
      quotaKg: 20,
      depositPercent: 30,
      graceDays: 2,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

const reserve = async (windowId: string, lines: { packId: string; quantity: number }[]): Promise<Json> => {
  const res = await call('POST', `/api/preorders/${windowId}/reservations`, {
    key: newKey(),
    body: {
      lines,
      contact: SHOPPER,
      delivery: { method: 'shipping', address: HANOI },
      paymentMethod: 'vietqr',
      balanceMethod: 'cod',
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

const pay = async (r: Json) => expect((await notifyTransfer(bankTransfer(shop, r))).status).toBe(200);

describe('open pre-order demand', () => {
  it('counts paid and pending packs per pack and season, until the window is allocated', async () => {
    const memberProduct = shop.packs.memberTea.productId;
    const independentProduct = shop.packs.independentTea.productId;
    const spring = await open(memberProduct, 'Chè xuân 2027', shop.actors.managerA.token, shop.coopA.id);
    await open(independentProduct, 'Chè xuân 2027', shop.actors.independent.token, shop.independent.id);

    await pay(await reserve(spring, [{ packId: 'p1', quantity: 3 }]));
    await pay(
      await reserve(spring, [
        { packId: 'p1', quantity: 2 },
        { packId: 'p2', quantity: 1 },
      ]),
    );
    const unpaid = await reserve(spring, [{ packId: 'p2', quantity: 4 }]);
    const cancelled = await reserve(spring, [{ packId: 'p1', quantity: 7 }]);
    await pay(cancelled);
    expect((await cancelOrder(cancelled.order.code)).status).toBe(200);

    const demand = await openPreorderDemand([memberProduct, shop.packs.coopBTea.productId], new Date(clock));
    expect(demand.get(shop.packs.coopBTea.productId)).toEqual([]);
    expect(
      demand.get(memberProduct)!.map((d) => [d.season, d.packId, d.grams, d.phase, d.reserved, d.pending]),
    ).toEqual([
      ['Chè xuân 2027', 'p1', 200, 'open', 5, 0],
      ['Chè xuân 2027', 'p2', 500, 'open', 1, 4],
    ]);

    // The unpaid deposit expires (its payment window, on the reservation's clock): its packs go back.
    await expireUnpaidOrders(shop.payments, new Date(clock + 16 * 60_000));
    expect((await track(unpaid.order.code)).body.status).toBe('expired');

    // Closed, not yet allocated: still demand.
    clock = Date.parse('2027-02-25T03:00:00Z');
    const closed = await openPreorderDemand([memberProduct], new Date(clock));
    expect(closed.get(memberProduct)!.map((d) => [d.packId, d.phase, d.reserved, d.pending])).toEqual([
      ['p1', 'closed', 5, 0],
      ['p2', 'closed', 1, 0],
    ]);

    // Allocated: no longer open demand.
    const allocated = await call('POST', `/api/board/${shop.coopA.id}/preorders/${spring}/allocation`, {
      token: shop.actors.managerA.token,
      body: {
        pickings: [
          { householdId: shop.member.id, grams: 5000 },
          { householdId: shop.otherMember.id, grams: 5000 },
        ],
      },
    });
    expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
    expect((await openPreorderDemand([memberProduct], new Date(clock))).get(memberProduct)).toEqual([]);
  });
});
