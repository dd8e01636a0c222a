/**
 * The programme's counters on DynamoDB Local with its real stream: producers approved, orders
 * placed and delivered through the API, the stream read as Lambda reads it (infra/local/
 * stats-stream.ts feeding functions/stats/stream-worker.ts) → the counters equal what happened;
 * the whole stream read again from its start (every batch retried) → nothing counted twice. Then
 * the public routes: `GET /api/stats` and a month's open data as JSON and CSV, with small cells
 * withheld, and the answers to a wrong or unknown month.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStatsStream, type RunningStatsStream } from '../../infra/local/stats-stream.ts';
import { db } from '../../shared/db/client.ts';
import { ensureStream } from '../../shared/db/create-table.ts';
import { producers } from '../../shared/db/producers.ts';
import { readCounters, rebuildStats } from '../../shared/db/stats.ts';
import { monthOf } from '../../shared/stats/deltas.ts';
import { OPEN_DATA_CSV_HEADER } from '../../shared/stats/publish.ts';
import { createMockProducer } from '../fixtures.ts';
import { call, createShop, moveSubOrder, orderBody, place, type Shop } from './orders-world.ts';

const TRACKING = { carrier: 'Viettel Post', trackingNumber: 'VTP2026000123' };
const ORDERS = 6;
const DELIVERED = 5;
const NEW_HOUSEHOLDS = 5;
const COMMUNE = '01849';

let shop: Shop;
let streamArn: string;
let stream: RunningStatsStream;
let month: string;

const reader = () =>
  startStatsStream({ endpoint: inject('dynamodbEndpoint'), region: 'local', streamArn, intervalMs: 0 });

async function counters() {
  const [producerRows, listings, sold, orders, delivery, months] = await Promise.all([
    readCounters('producers', 'all'),
    readCounters('listings', 'all'),
    readCounters('households_sold', 'all'),
    readCounters('orders', month),
    readCounters('delivery', month),
    readCounters('months', 'all'),
  ]);
  const map = (rows: { bucket: string; values: Record<string, number> }[]) =>
    Object.fromEntries(rows.map((r) => [r.bucket, r.values]));
  return {
    producers: map(producerRows),
    listings: map(listings),
    sold: map(sold),
    orders: map(orders),
    delivery: map(delivery),
    months: map(months),
  };
}

beforeAll(async () => {
  streamArn = await ensureStream(db().raw, db().tableName);
  stream = reader();
  shop = await createShop();
  // Five households awaiting verification in one commune, approved by an admin.
  for (let i = 0; i < NEW_HOUSEHOLDS; i++) {
    const household = await producers.create(
      createMockProducer({
        id: `hh-stats-${Date.now().toString(36)}-${i}`,
        kind: 'household',
        phone: `+8498${String(1_000_000 + i).padStart(7, '0')}`,
        address: { provinceCode: '19', communeCode: COMMUNE },
        verification: { status: 'pending' },
      }),
    );
    const decided = await call('POST', `/api/producers/${household.id}/verification`, {
      body: { decision: 'approve' },
      token: shop.actors.admin.token,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  }
  const codes: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 2 }]));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    codes.push(placed.body.order.code);
  }
  month = monthOf(new Date().toISOString());
  for (const code of codes.slice(0, DELIVERED)) {
    for (const to of ['confirmed', 'packed', 'shipped', 'delivered'] as const) {
      const moved = await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, code, {
        to,
        ...(to === 'shipped' ? TRACKING : {}),
        ...(to === 'delivered' ? { cashCollected: true } : {}),
      });
      expect(moved.status, `${code} → ${to}: ${JSON.stringify(moved.body)}`).toBe(200);
    }
  }
  await stream.poll();
}, 120_000);

afterAll(() => stream?.stop());

describe('counters kept from the stream', () => {
  it('equal what happened', async () => {
    const c = await counters();
    // The world's 3 households (member, other member, independent) and the 5 approved; 2 co-ops.
    expect(c.producers['kind#household']).toEqual({ n: 3 + NEW_HOUSEHOLDS });
    expect(c.producers['kind#cooperative']).toEqual({ n: 2 });
    expect(c.producers[`commune#${COMMUNE}#household`]).toEqual({ n: NEW_HOUSEHOLDS });
    // Four published listings, all of the fixture's category.
    expect(c.listings).toEqual({ 'category#che-non': { n: 4 } });
    const sales = ORDERS * 2 * shop.packs.memberTea.price;
    expect(c.orders.total).toEqual({ n: ORDERS, units: ORDERS * 2, sales });
    expect(c.orders['method#cod']).toEqual({ n: ORDERS, units: ORDERS * 2, sales });
    // Delivered to Hà Nội: every order is from outside the province.
    expect(c.orders['region#outside']).toEqual({ n: ORDERS, units: ORDERS * 2, sales });
    expect(c.orders[`commune#${shop.member.address.communeCode}`]).toMatchObject({ n: ORDERS });
    expect(c.orders['category#che-non']).toMatchObject({ n: ORDERS, units: ORDERS * 2 });
    expect(c.delivery.total).toMatchObject({ n: DELIVERED });
    expect(c.delivery['bucket#le1d']).toEqual({ n: DELIVERED });
    expect(c.months[month]).toMatchObject({ n: ORDERS, outside: ORDERS, delivered: DELIVERED });
    // Five deliveries of one household's tea: one household with a sale.
    expect(c.sold).toEqual({
      total: { n: 1 },
      [`commune#${shop.member.address.communeCode}`]: { n: 1 },
    });
  });

  it('read again from the stream’s start, every batch retried, nothing counts twice', async () => {
    const before = await counters();
    const again = reader();
    await again.poll();
    again.stop();
    await stream.poll();
    expect(await counters()).toEqual(before);
  });

  it('equal a from-scratch recount of the table (npm run stats:rebuild)', async () => {
    const kept = await counters();
    const result = await rebuildStats({ pageSize: 50 });
    expect(result.households).toBe(1);
    expect(await counters()).toEqual(kept);
  });
});

describe('GET /api/stats and the open data of a month', () => {
  it('publishes the figures from 5 or more, withholds the others', async () => {
    const res = await call('GET', '/api/stats');
    expect(res.status).toBe(200);
    expect(res.body.producers).toEqual({ total: 10, household: 8, cooperative: null, enterprise: null });
    expect(res.body.householdsWithSale).toBeNull();
    expect(res.body.orders).toMatchObject({ orders: ORDERS, units: ORDERS * 2, outsideShare: 1 });
    expect(res.body.communes.find((c: { code: string }) => c.code === COMMUNE)).toMatchObject({
      producers: NEW_HOUSEHOLDS,
      households: NEW_HOUSEHOLDS,
      householdsWithSale: null,
    });
    expect(res.body.licence.name).toBe('CC BY 4.0');
  });

  it('serves a month as JSON and CSV under a stable URL, cached at the edge', async () => {
    const app = (await import('../../infra/local/function-apps.ts')).apiRoutes;
    const json = await app.request(`/api/stats/${month}.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('cache-control')).toMatch(/^public, max-age=60/);
    const body = await json.json();
    expect(body.orders).toMatchObject({ orders: ORDERS, units: ORDERS * 2 });
    expect(body.delivery.parts).toBe(DELIVERED);
    expect(body.byPaymentMethod).toEqual([expect.objectContaining({ key: 'cod', orders: ORDERS })]);

    const csv = await app.request(`/api/stats/${month}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(OPEN_DATA_CSV_HEADER.join(','));
    expect(lines).toContain(
      `${month},orders,total,Tất cả đơn hàng,${ORDERS},${ORDERS * 2},${ORDERS * 2 * shop.packs.memberTea.price},0`,
    );
    // Fewer than 5 parts took more than a day: withheld, marked.
    expect(lines).toContain(`${month},delivery,gt7d,Trên 7 ngày,,,,1`);
  });

  it('answers a wrong file name 400 and a month without data 404, in Vietnamese', async () => {
    const wrongMonth = await call('GET', '/api/stats/2026-13.json');
    expect(wrongMonth.status).toBe(400);
    expect(wrongMonth.body.error.message).toContain('YYYY-MM.json hoặc YYYY-MM.csv');
    expect((await call('GET', '/api/stats/2026-01.xml')).status).toBe(400);
    expect((await call('GET', '/api/stats/thang-nay')).status).toBe(400);
    const unknown = await call('GET', '/api/stats/2019-01.csv');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'Chưa có số liệu thống kê cho tháng 2019-01. Xem các tháng có số liệu tại /api/stats (mục months).',
    );
    // Strict: no query parameters.
    expect((await call('GET', '/api/stats?commune=05770')).status).toBe(400);
    expect((await call('GET', `/api/stats/${month}.json?x=1`)).status).toBe(400);
  });
});
