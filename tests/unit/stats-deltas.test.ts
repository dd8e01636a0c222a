/**
 * The programme's counters from stream records (shared/stats/deltas.ts) and what the public sees
 * of them (shared/stats/publish.ts): each fact counted once across updates and retries, an update
 * that changes nothing counted adds nothing, and no published figure from fewer than 5.
 */
import { describe, expect, it } from 'vitest';
import {
  counterKey,
  monthOf,
  recordEffect,
  sumDeltas,
  type CounterDelta,
  type StatsLookups,
} from '../../shared/stats/deltas.ts';
import {
  figure,
  monthCsv,
  monthStatistics,
  OPEN_DATA_CSV_HEADER,
  overview,
} from '../../shared/stats/publish.ts';

const lookups: StatsLookups = {
  producers: new Map([
    ['hh-1', { kind: 'household', communeCode: '05503' }],
    ['hh-2', { kind: 'household', communeCode: '05770' }],
    ['coop-1', { kind: 'cooperative', communeCode: '05503' }],
  ]),
  products: new Map([
    ['p-1', { category: 'che-non' }],
    ['p-2', { category: 'mat-ong' }],
  ]),
};

const producer = (overrides: Record<string, unknown> = {}) => ({
  type: 'producer',
  id: 'hh-1',
  kind: 'household',
  address: { provinceCode: '19', communeCode: '05503' },
  verification: { status: 'pending' },
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...overrides,
});

const order = (history: { status: string; at: string }[], overrides: Record<string, unknown> = {}) => ({
  type: 'order',
  code: 'TN-ABCDE',
  status: history.at(-1)!.status,
  paymentMethod: 'cod',
  delivery: { method: 'shipping', address: { provinceCode: '01', wardCode: '00004', street: 'x' } },
  lines: [
    { productId: 'p-1', producerId: 'hh-1', quantity: 2, lineTotal: 360_000 },
    { productId: 'p-2', producerId: 'hh-2', quantity: 1, lineTotal: 150_000 },
  ],
  history,
  ...overrides,
});

const sub = (history: { status: string; at: string }[]) => ({
  type: 'sub_order',
  orderCode: 'TN-ABCDE',
  fulfillerId: 'coop-1',
  status: history.at(-1)!.status,
  createdAt: history[0]!.at,
  lines: [
    { productId: 'p-1', producerId: 'hh-1', quantity: 2, lineTotal: 360_000 },
    { productId: 'p-1', producerId: 'coop-1', quantity: 1, lineTotal: 100_000 },
  ],
  history,
});

const byKey = (deltas: CounterDelta[]) => Object.fromEntries(deltas.map((d) => [counterKey(d), d.values]));

describe('gauges: producers, listings, certificates', () => {
  it('a producer counts when verified, and stops counting when it is no longer', () => {
    const pending = producer();
    const verified = producer({ verification: { status: 'verified' } });
    expect(byKey(recordEffect(pending, verified, lookups).counters)).toEqual({
      'producers|all|kind#household': { n: 1 },
      'producers|all|commune#05503#household': { n: 1 },
    });
    expect(
      byKey(recordEffect(verified, producer({ verification: { status: 'rejected' } }), lookups).counters),
    ).toEqual({
      'producers|all|kind#household': { n: -1 },
      'producers|all|commune#05503#household': { n: -1 },
    });
    // Deleted while verified: taken away.
    expect(
      byKey(recordEffect(verified, undefined, lookups).counters)['producers|all|kind#household'],
    ).toEqual({
      n: -1,
    });
  });

  it('an update that changes nothing counted (a new name, a new photo) adds nothing', () => {
    const verified = producer({ verification: { status: 'verified' } });
    expect(
      recordEffect(verified, { ...verified, name: 'Tên mới', updatedAt: 'later' }, lookups).counters,
    ).toEqual([]);
    const published = { type: 'product', id: 'p-1', category: 'che-non', status: 'published' };
    expect(recordEffect(published, { ...published, updatedAt: 'later' }, lookups).counters).toEqual([]);
  });

  it('a producer that moves commune moves between communes, not in the kind total', () => {
    const before = producer({ verification: { status: 'verified' } });
    const after = producer({
      verification: { status: 'verified' },
      address: { provinceCode: '19', communeCode: '05770' },
    });
    expect(byKey(recordEffect(before, after, lookups).counters)).toEqual({
      'producers|all|commune#05770#household': { n: 1 },
      'producers|all|commune#05503#household': { n: -1 },
    });
  });

  it('a listing counts in its category while published', () => {
    const draft = { type: 'product', id: 'p-1', category: 'che-non', status: 'in_review' };
    expect(byKey(recordEffect(draft, { ...draft, status: 'published' }, lookups).counters)).toEqual({
      'listings|all|category#che-non': { n: 1 },
    });
    expect(
      byKey(
        recordEffect({ ...draft, status: 'published' }, { ...draft, status: 'archived' }, lookups).counters,
      ),
    ).toEqual({ 'listings|all|category#che-non': { n: -1 } });
  });

  it('a verified OCOP certificate counts by star and expiry month (36 months on)', () => {
    const cert = { type: 'ocop', id: 'c', stars: 4, decisionDate: '2025-03-15', verified: false };
    expect(byKey(recordEffect(cert, { ...cert, verified: true }, lookups).counters)).toEqual({
      'ocop|all|4#2028-03': { n: 1 },
    });
  });
});

describe('events: orders placed, parts delivered, first sales', () => {
  const placedAt = '2026-03-31T18:30:00.000Z'; // 1 April in Vietnam
  const pending = order([{ status: 'pending_payment', at: '2026-03-31T18:20:00.000Z' }]);
  const placed = order([
    { status: 'pending_payment', at: '2026-03-31T18:20:00.000Z' },
    { status: 'placed', at: placedAt },
  ]);

  it('months are Vietnam time', () => {
    expect(monthOf(placedAt)).toBe('2026-04');
  });

  it('an order counts once, when it is placed: by month, method, region, commune and category', () => {
    expect(recordEffect(undefined, pending, lookups).counters).toEqual([]);
    const counted = byKey(recordEffect(pending, placed, lookups).counters);
    expect(counted).toEqual({
      'orders|2026-04|total': { n: 1, units: 3, sales: 510_000 },
      'months|all|2026-04': { n: 1, units: 3, sales: 510_000, outside: 1 },
      // The day (Vietnam time), for the IOC feed's daily export.
      'days|2026-04|2026-04-01': { n: 1, units: 3, sales: 510_000, outside: 1 },
      'orders|2026-04|method#cod': { n: 1, units: 3, sales: 510_000 },
      'orders|2026-04|region#outside': { n: 1, units: 3, sales: 510_000 },
      'orders|2026-04|commune#05503': { n: 1, units: 2, sales: 360_000 },
      'orders|2026-04|commune#05770': { n: 1, units: 1, sales: 150_000 },
      'orders|2026-04|category#che-non': { n: 1, units: 2, sales: 360_000 },
      'orders|2026-04|category#mat-ong': { n: 1, units: 1, sales: 150_000 },
    });
  });

  it('later changes of a placed order (confirmed, cancelled, a new version) add nothing', () => {
    const confirmed = order([...placed.history, { status: 'confirmed', at: '2026-04-01T01:00:00.000Z' }]);
    expect(recordEffect(placed, confirmed, lookups).counters).toEqual([]);
    expect(recordEffect(placed, { ...placed, version: 3 }, lookups).counters).toEqual([]);
    const cancelled = order([...placed.history, { status: 'cancelled', at: '2026-04-01T01:00:00.000Z' }]);
    expect(recordEffect(placed, cancelled, lookups).counters).toEqual([]);
    // An unpaid order that expires was never placed.
    const expired = order([...pending.history, { status: 'expired', at: '2026-04-01T01:00:00.000Z' }]);
    expect(recordEffect(pending, expired, lookups).counters).toEqual([]);
  });

  it('a COD order written placed at once counts; inside Thái Nguyên and pickups are told apart', () => {
    const inside = order([{ status: 'placed', at: placedAt }], {
      delivery: { method: 'shipping', address: { provinceCode: '19', wardCode: '05503', street: 'x' } },
    });
    expect(byKey(recordEffect(undefined, inside, lookups).counters)['months|all|2026-04']).toEqual({
      n: 1,
      units: 3,
      sales: 510_000,
      inside: 1,
    });
    const pickup = order([{ status: 'placed', at: placedAt }], { delivery: { method: 'pickup' } });
    const counted = byKey(recordEffect(undefined, pickup, lookups).counters);
    expect(counted['orders|2026-04|region#pickup']).toEqual({ n: 1, units: 3, sales: 510_000 });
    expect(counted['months|all|2026-04']).toEqual({ n: 1, units: 3, sales: 510_000 });
  });

  it("a part's delivery counts once with its delivery time, and its households' first sale", () => {
    const shipped = sub([
      { status: 'placed', at: '2026-04-01T00:00:00.000Z' },
      { status: 'shipped', at: '2026-04-02T00:00:00.000Z' },
    ]);
    const delivered = sub([...shipped.history, { status: 'delivered', at: '2026-04-03T12:00:00.000Z' }]);
    const effect = recordEffect(shipped, delivered, lookups);
    expect(byKey(effect.counters)).toEqual({
      'delivery|2026-04|bucket#le3d': { n: 1 },
      'delivery|2026-04|total': { n: 1, hours: 60 },
      'months|all|2026-04': { delivered: 1, deliveryHours: 60 },
      'days|2026-04|2026-04-03': { delivered: 1, deliveryHours: 60 },
    });
    // hh-1 is a household; coop-1 (a cooperative's own line) is not.
    expect(effect.firstSales.map((f) => f.householdId)).toEqual(['hh-1']);
    expect(byKey(effect.firstSales[0]!.counters)).toEqual({
      'households_sold|all|total': { n: 1 },
      'households_sold|all|commune#05503': { n: 1 },
    });
    const completed = sub([...delivered.history, { status: 'completed', at: '2026-04-10T00:00:00.000Z' }]);
    expect(recordEffect(delivered, completed, lookups)).toEqual({ counters: [], firstSales: [] });
  });

  it('a batch sums per counter: one write each, zeros dropped', () => {
    const a = { dimension: 'listings', period: 'all', bucket: 'category#che-non', values: { n: 1 } } as const;
    expect(sumDeltas([a, a, { ...a, values: { n: -2 } }])).toEqual([]);
    expect(sumDeltas([a, a])).toEqual([{ ...a, values: { n: 2 } }]);
  });
});

describe('suppression: no published figure from fewer than 5', () => {
  it('figure() withholds below 5 of what it comes from', () => {
    expect(figure(4)).toBeNull();
    expect(figure(5)).toBe(5);
    expect(figure(1_200_000, 4)).toBeNull();
    expect(figure(1_200_000, 5)).toBe(1_200_000);
  });

  it('the overview and a month withhold small cells, and the CSV marks them', () => {
    const view = overview(
      {
        producers: [
          { bucket: 'kind#household', values: { n: 7 } },
          { bucket: 'kind#cooperative', values: { n: 2 } },
          { bucket: 'commune#05503#household', values: { n: 6 } },
          { bucket: 'commune#05770#household', values: { n: 1 } },
          { bucket: 'commune#05503#cooperative', values: { n: 2 } },
        ],
        listings: [{ bucket: 'category#che-non', values: { n: 9 } }],
        ocop: [
          { bucket: '4#2028-03', values: { n: 5 } },
          { bucket: '3#2020-01', values: { n: 9 } },
        ],
        householdsSold: [{ bucket: 'total', values: { n: 3 } }],
        months: [{ bucket: '2026-04', values: { n: 4, units: 9, sales: 900_000, outside: 4 } }],
      },
      Date.parse('2026-04-15T00:00:00Z'),
    );
    expect(view.producers).toEqual({ total: 9, household: 7, cooperative: null, enterprise: null });
    expect(view.communes.find((c) => c.code === '05503')).toMatchObject({ producers: 8, households: 6 });
    expect(view.communes.find((c) => c.code === '05770')).toMatchObject({
      producers: null,
      households: null,
    });
    expect(view.householdsWithSale).toBeNull();
    // The expired 3★ certificates are not valid any more.
    expect(view.ocop).toEqual({
      valid: 5,
      byStars: [
        { stars: 3, valid: null },
        { stars: 4, valid: 5 },
        { stars: 5, valid: null },
      ],
    });
    expect(view.orders).toEqual({ orders: null, units: null, sales: null, outsideShare: null });
    expect(view.months[0]).toMatchObject({ month: '2026-04', orders: null, sales: null });

    const month = monthStatistics('2026-04', {
      orders: [
        { bucket: 'total', values: { n: 6, units: 10, sales: 1_000_000 } },
        { bucket: 'method#cod', values: { n: 5, units: 8, sales: 800_000 } },
        { bucket: 'method#vnpay', values: { n: 1, units: 2, sales: 200_000 } },
        { bucket: 'region#outside', values: { n: 6, units: 10, sales: 1_000_000 } },
      ],
      delivery: [],
    });
    expect(month.orders).toEqual({ orders: 6, units: 10, sales: 1_000_000, outsideShare: 1 });
    expect(month.byPaymentMethod.find((m) => m.key === 'vnpay')).toMatchObject({
      orders: null,
      units: null,
      sales: null,
    });
    const csv = monthCsv(month).split('\r\n');
    expect(csv[0]).toBe(OPEN_DATA_CSV_HEADER.join(','));
    expect(csv).toContain('2026-04,payment_method,vnpay,VNPay,,,,1');
    expect(csv).toContain('2026-04,payment_method,cod,Thanh toán khi nhận hàng (COD),5,8,800000,0');
  });
});
