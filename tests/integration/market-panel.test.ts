/**
 * The market panel against DynamoDB Local, over HTTP: a cooperative's reference prices (who may
 * set them, what is refused, the history kept), the selling prices summed when sub-orders are
 * delivered (once per delivery, in the delivering transaction, on sharded partitions), the figures
 * withheld until three other sellers make them, the household's own sales, and who may read a
 * panel. Four sellers list the same grade (chè nõn): the member household of cooperative A whose
 * panel is read, another member of A, an independent household and cooperative B.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client.ts';
import { MARKET_SHARDS, marketShardOf } from '../../shared/db/market-sales.ts';
import { marketPanel } from '../../shared/market/panel.ts';
import { bucketOf, pricePerKg } from '../../shared/market/price-stats.ts';
import { addDays, vnDay } from '../../shared/orders/reports.ts';
import type { Principal } from '../../shared/domain/permissions.ts';
import { call, createShop, moveSubOrder, orderBody, place, type Shop } from './orders-world.ts';

let shop: Shop;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, probed by assertions
type Json = any;

beforeAll(async () => {
  shop = await createShop();
});

const today = () => vnDay(new Date());
const panelOf = (productId: string, token: string) =>
  call('GET', `/api/seller/products/${productId}/market`, { token });
const setPrices = (coopId: string, token: string, body: unknown) =>
  call('POST', `/api/board/${coopId}/reference-prices`, { token, body });

/** A COD order of `quantity` packs, moved by `token` (the fulfiller's manager) up to `to`. */
async function sellAndMove(
  variantId: string,
  quantity: number,
  fulfillerId: string,
  token: string,
  to: 'shipped' | 'delivered' = 'delivered',
): Promise<string> {
  const placed = await place(orderBody([{ variantId, quantity }]));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const code = placed.body.order.code as string;
  const steps: Record<string, unknown>[] = [
    { to: 'confirmed' },
    { to: 'packed' },
    { to: 'shipped', carrier: 'Viettel Post', trackingNumber: 'VTP2026000777' },
    ...(to === 'delivered' ? [{ to: 'delivered', cashCollected: true }] : []),
  ];
  for (const step of steps) {
    const moved = await moveSubOrder(token, fulfillerId, code, step);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  return code;
}

/** Every market item of the grade, as stored (all shards). */
async function marketItems(category: string): Promise<Record<string, unknown>[]> {
  const { doc, tableName } = db();
  const pages = await Promise.all(
    Array.from({ length: MARKET_SHARDS }, (_, shard) =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `MKT#${category}#${shard}` },
          ConsistentRead: true,
        }),
      ),
    ),
  );
  return pages.flatMap((p) => p.Items ?? []);
}

const gramsIn = (items: Record<string, unknown>[]) => items.reduce((n, i) => n + Number(i.grams ?? 0), 0);

describe('reference prices per grade', () => {
  it('the manager sets them; a newer price is in force and the older one stays in the history', async () => {
    const older = await setPrices(shop.coopA.id, shop.actors.managerA.token, {
      prices: [{ category: 'che-non', pricePerKg: 700_000, effectiveFrom: addDays(today(), -30) }],
    });
    expect(older.status, JSON.stringify(older.body)).toBe(201);
    const newer = await setPrices(shop.coopA.id, shop.actors.managerA.token, {
      prices: [
        { category: 'che-non', pricePerKg: 800_000, effectiveFrom: addDays(today(), -1) },
        { category: 'che-dinh', pricePerKg: 2_500_000, effectiveFrom: today() },
      ],
    });
    expect(newer.status, JSON.stringify(newer.body)).toBe(201);
    // A price from next week is kept but not yet in force.
    const future = await setPrices(shop.coopA.id, shop.actors.managerA.token, {
      prices: [{ category: 'che-non', pricePerKg: 850_000, effectiveFrom: addDays(today(), 7) }],
    });
    expect(future.status).toBe(201);

    const board = await call('GET', `/api/board/${shop.coopA.id}/reference-prices`, {
      token: shop.actors.managerA.token,
    });
    expect(board.status).toBe(200);
    const current = Object.fromEntries(board.body.current.map((p: Json) => [p.category, p.pricePerKg]));
    expect(current).toEqual({ 'che-dinh': 2_500_000, 'che-non': 800_000 });
    const history = board.body.history.filter((p: Json) => p.category === 'che-non');
    expect(history.map((p: Json) => p.pricePerKg)).toEqual([850_000, 800_000, 700_000]);
    expect(history[0]).toMatchObject({
      cooperativeId: shop.coopA.id,
      setBy: shop.actors.managerA.account.sub,
    });

    // Each change is in the cooperative's audit trail.
    const { Items = [] } = await db().doc.send(
      new QueryCommand({
        TableName: db().tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${shop.coopA.id}` },
        ConsistentRead: true,
      }),
    );
    expect(Items.filter((i) => i.action === 'reference_prices.set')).toHaveLength(3);
  });

  it('another cooperative’s manager, an admin and a member household cannot set or read them (403, nothing written)', async () => {
    const body = { prices: [{ category: 'che-non', pricePerKg: 1_000, effectiveFrom: today() }] };
    for (const token of [shop.actors.managerB.token, shop.actors.admin.token, shop.actors.member.token]) {
      const set = await setPrices(shop.coopA.id, token, body);
      expect(set.status, JSON.stringify(set.body)).toBe(403);
      expect(set.body.error.message).toMatch(/Chỉ quản lý của hợp tác xã này/);
      const read = await call('GET', `/api/board/${shop.coopA.id}/reference-prices`, { token });
      expect(read.status).toBe(403);
    }
    const board = await call('GET', `/api/board/${shop.coopA.id}/reference-prices`, {
      token: shop.actors.managerA.token,
    });
    expect(board.body.history.some((p: Json) => p.pricePerKg === 1_000)).toBe(false);
  });

  it('refuses unknown fields, prices not above 0, unknown grades, repeated grades and far dates (400, Vietnamese)', async () => {
    const ok = { category: 'che-non', pricePerKg: 900_000, effectiveFrom: today() };
    const bad: [string, unknown][] = [
      ['unknown top field', { prices: [ok], cooperativeId: shop.coopB.id }],
      ['unknown price field', { prices: [{ ...ok, verified: true }] }],
      ['negative price', { prices: [{ ...ok, pricePerKg: -900_000 }] }],
      ['zero price', { prices: [{ ...ok, pricePerKg: 0 }] }],
      ['fraction of a đồng', { prices: [{ ...ok, pricePerKg: 900_000.5 }] }],
      ['price as text', { prices: [{ ...ok, pricePerKg: '900000' }] }],
      ['unknown grade', { prices: [{ ...ok, category: 'che-sao' }] }],
      ['same grade twice', { prices: [ok, { ...ok, pricePerKg: 950_000 }] }],
      ['no prices', { prices: [] }],
      ['bad date', { prices: [{ ...ok, effectiveFrom: '2026-02-30' }] }],
    ];
    for (const [what, body] of bad) {
      const res = await setPrices(shop.coopA.id, shop.actors.managerA.token, body);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.message, what).toMatch(/[à-ỹ]/);
    }
    const far = await setPrices(shop.coopA.id, shop.actors.managerA.token, {
      prices: [{ ...ok, effectiveFrom: addDays(today(), 400) }],
    });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('market.effective_date_out_of_range');
    const board = await call('GET', `/api/board/${shop.coopA.id}/reference-prices`, {
      token: shop.actors.managerA.token,
    });
    expect(board.body.history.some((p: Json) => p.pricePerKg === 900_000)).toBe(false);
  });
});

describe('selling prices summed at delivery, and the panel', () => {
  it('counts a delivery once, in the delivering move only, and withholds figures made by fewer than 3 other sellers', async () => {
    const { packs, actors, coopA, coopB, independent } = shop;
    // Nothing is counted before delivery.
    await sellAndMove(packs.otherMemberTea.id, 1, coopA.id, actors.managerA.token, 'shipped');
    expect(gramsIn(await marketItems('che-non'))).toBe(0);

    // The household itself: 2 × 200 g at 180,000 ₫ (900,000 ₫/kg).
    const own = await sellAndMove(packs.memberTea.id, 2, coopA.id, actors.managerA.token);
    // Two other sellers: another member (100 g at 110,000 ₫) and an independent (200 g at 150,000 ₫).
    await sellAndMove(packs.otherMemberTea.id, 1, coopA.id, actors.managerA.token);
    await sellAndMove(packs.independentTea.id, 1, independent.id, actors.independent.token);
    expect(gramsIn(await marketItems('che-non'))).toBe(400 + 100 + 200);

    const two = await panelOf(packs.memberTea.productId, actors.member.token);
    expect(two.status, JSON.stringify(two.body)).toBe(200);
    for (const figure of [two.body.recentPrices.last30Days, two.body.recentPrices.last90Days]) {
      expect(figure).toEqual({ available: false, reason: 'too_few_sellers', minimumSellers: 3 });
    }
    // No figure of the other two sellers anywhere in the answer.
    expect(JSON.stringify(two.body)).not.toMatch(/medianPerKg|lowPerKg|highPerKg/);

    // A third other seller: cooperative B's own tea, 100 g at 95,000 ₫.
    const third = await sellAndMove(packs.coopBTea.id, 1, coopB.id, actors.managerB.token);
    // Completing it afterwards adds nothing.
    expect((await moveSubOrder(actors.managerB.token, coopB.id, third, { to: 'completed' })).status).toBe(
      200,
    );

    const three = await panelOf(packs.memberTea.productId, actors.member.token);
    expect(three.status).toBe(200);
    const figure = three.body.recentPrices.last30Days;
    // The household's own 400 g are left out: 100 + 200 + 100 g of three other sellers, shown
    // as whole kg (at least 1).
    expect(figure).toMatchObject({ available: true, sellers: 3, kg: 1 });
    // Weighted by weight, the median falls on the independent's 750,000 ₫/kg (the 200 g half).
    expect(Math.abs(figure.medianPerKg - 750_000)).toBeLessThanOrEqual(750_000 * 0.02);
    expect(figure.lowPerKg).toBeLessThanOrEqual(750_000);
    expect(figure.lowPerKg).toBeGreaterThanOrEqual(750_000 * 0.97);
    expect(figure.highPerKg).toBeGreaterThanOrEqual(1_100_000);
    expect(figure.highPerKg).toBeLessThanOrEqual(1_100_000 * 1.03);
    expect(three.body.recentPrices.last90Days).toEqual(figure);
    expect(gramsIn(await marketItems('che-non'))).toBe(400 + 100 + 200 + 100);

    // Each delivery is on the market shard of its part; the sellers are recorded by id.
    const items = await marketItems('che-non');
    expect(items.map((i) => i.pk)).toContain(`MKT#che-non#${marketShardOf(`${own}#${coopA.id}`)}`);
    expect(new Set(items.flatMap((i) => [...(i.sellers as Set<string>)]))).toEqual(
      new Set([shop.member.id, shop.otherMember.id, independent.id, coopB.id]),
    );
    expect(items.every((i) => i.sk === `DAY#${today()}`)).toBe(true);
    // The 900,000 ₫/kg bucket holds exactly the household's 400 g.
    const ownBucket = `b${bucketOf(pricePerKg(180_000, 200))}`;
    expect(items.reduce((n, i) => n + Number(i[ownBucket] ?? 0), 0)).toBe(400);
  });

  it('two managers delivering the same part at once count it once', async () => {
    const { packs, actors, coopA } = shop;
    const code = await sellAndMove(packs.memberTeaBig.id, 1, coopA.id, actors.managerA.token, 'shipped');
    const before = gramsIn(await marketItems('che-non'));
    const both = await Promise.all(
      [0, 1].map(() =>
        moveSubOrder(actors.managerA.token, coopA.id, code, { to: 'delivered', cashCollected: true }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(gramsIn(await marketItems('che-non'))).toBe(before + 500);
  });

  it('shows the reference price beside each pack, and the household’s own sales by week and month', async () => {
    const { packs, actors } = shop;
    const res = await panelOf(packs.memberTea.productId, actors.member.token);
    expect(res.status).toBe(200);
    expect(res.body.cooperative).toEqual({ id: shop.coopA.id });
    expect(res.body.referencePrice).toMatchObject({
      pricePerKg: 800_000,
      effectiveFrom: addDays(today(), -1),
    });
    expect(res.body.product).toMatchObject({ category: 'che-non', categoryName: 'Chè nõn' });
    const small = res.body.packs.find((p: Json) => p.variantId === packs.memberTea.id);
    expect(small).toMatchObject({
      label: '200 g',
      price: 180_000,
      pricePerKg: 900_000,
      difference: { perKg: 100_000, percent: 12.5 },
    });
    const big = res.body.packs.find((p: Json) => p.variantId === packs.memberTeaBig.id);
    expect(big).toMatchObject({ pricePerKg: 840_000, difference: { perKg: 40_000, percent: 5 } });
    // 2 small packs and (the test before) 1 big pack, this week and this month.
    const week = res.body.sales.weeks.at(-1);
    expect(res.body.sales.weeks).toHaveLength(12);
    expect(week).toMatchObject({ units: 3, revenue: 2 * 180_000 + 420_000 });
    expect(res.body.sales.months.at(-1)).toMatchObject({ month: today().slice(0, 7), units: 3 });
    expect(res.body.sales.weeks.slice(0, -1).every((w: Json) => w.units === 0)).toBe(true);
    // The independent household has no cooperative: no reference price, its own differences absent.
    const independent = await panelOf(packs.independentTea.productId, actors.independent.token);
    expect(independent.status).toBe(200);
    expect(independent.body).toMatchObject({ cooperative: null, referencePrice: null });
    expect(independent.body.packs[0].difference).toBeUndefined();
  });

  it('reads a panel from the sums, not the orders: 20 reads, timed', async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await panelOf(shop.packs.memberTea.productId, shop.actors.member.token);
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    times.sort((a, b) => a - b);
    console.info(
      JSON.stringify({ panelReads: 20, p50ms: +times[9]!.toFixed(1), maxMs: +times[19]!.toFixed(1) }),
    );
  });

  it('a household cannot read another household’s panel, nor its manager nor an admin (403); no such product is 404', async () => {
    const productId = shop.packs.memberTea.productId;
    for (const actor of ['otherMember', 'independent', 'managerA', 'managerB', 'admin'] as const) {
      const res = await panelOf(productId, shop.actors[actor].token);
      expect(res.status, actor).toBe(403);
      expect(res.body.error.code).toBe('market.not_yours');
      expect(JSON.stringify(res.body)).not.toMatch(/sales|recentPrices/);
    }
    expect((await panelOf('no-such-product', shop.actors.member.token)).status).toBe(404);
    expect((await call('GET', `/api/seller/products/${productId}/market`)).status).toBe(401);
    // Nothing else is taken: a query naming another household is refused.
    const extra = await call(
      'GET',
      `/api/seller/products/${productId}/market?producerId=${shop.otherMember.id}`,
      {
        token: shop.actors.member.token,
      },
    );
    expect(extra.status).toBe(400);
  });

  it('shows the open pre-order demand of the product’s packs, from the demand it is given', async () => {
    const { packs, member } = shop;
    const principal: Principal = {
      sub: shop.actors.member.account.sub,
      phone: shop.actors.member.account.phone,
      groups: [],
      producer: member,
    };
    const closes = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const panel = await marketPanel(principal, packs.memberTea.productId, {
      now: new Date(),
      demand: async (productIds) => {
        expect(productIds).toEqual([packs.memberTea.productId]);
        return [
          {
            productId: packs.memberTea.productId,
            variantId: packs.memberTea.id,
            season: 'Vụ xuân 2027',
            reservedQuantity: 14,
            windowClosesAt: closes,
          },
          {
            productId: packs.otherMemberTea.productId,
            variantId: packs.otherMemberTea.id,
            season: 'Vụ xuân 2027',
            reservedQuantity: 9,
            windowClosesAt: closes,
          },
        ];
      },
    });
    expect(panel.demand).toEqual([
      {
        variantId: packs.memberTea.id,
        label: '200 g',
        season: 'Vụ xuân 2027',
        reservedQuantity: 14,
        windowClosesAt: closes,
      },
    ]);
  });
});
