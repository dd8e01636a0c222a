/**
 * The market panel's pure parts: price buckets, the median and range read off them, the
 * three-seller threshold, subtracting a seller's own sales, how delivered lines become sums, and
 * how evenly deliveries spread over the market shards.
 */
import { describe, expect, it } from 'vitest';
import { MARKET_SHARDS, marketShardOf } from '../../shared/db/market-sales.ts';
import { newlyDelivered, salesOf } from '../../shared/market/deliveries.ts';
import {
  addHistograms,
  bucketBounds,
  bucketOf,
  MIN_OTHER_SELLERS,
  priceFigure,
  pricePerKg,
} from '../../shared/market/price-stats.ts';
import type { OrderLine, SubOrder } from '../../shared/orders/model.ts';

describe('price buckets', () => {
  it('a price per kg falls inside its bucket, and buckets are 2 % wide', () => {
    for (const perKg of [10_001, 95_000, 750_000, 900_000, 2_600_000, 4_500_000]) {
      const { low, high } = bucketBounds(bucketOf(perKg));
      expect(low).toBeLessThanOrEqual(perKg);
      expect(high).toBeGreaterThan(perKg);
      expect(high / low).toBeCloseTo(1.02, 6);
    }
    expect(pricePerKg(180_000, 200)).toBe(900_000);
    expect(pricePerKg(640_000, 250)).toBe(2_560_000);
  });

  it('withholds a figure made by fewer than three sellers, and says nothing else', () => {
    const histogram = new Map([[bucketOf(900_000), 400]]);
    for (const sellers of [0, 1, MIN_OTHER_SELLERS - 1]) {
      expect(priceFigure(histogram, sellers)).toEqual({
        available: false,
        reason: 'too_few_sellers',
        minimumSellers: 3,
      });
    }
    expect(priceFigure(new Map(), 5).available).toBe(false);
    expect(priceFigure(histogram, 3)).toMatchObject({ available: true, sellers: 3, kg: 1 });
  });

  it('shows the kg sold rounded coarsely, so one delivery between two days cannot be read off', () => {
    const kgOf = (grams: number) => {
      const figure = priceFigure(new Map([[bucketOf(900_000), grams]]), 3);
      if (!figure.available) throw new Error('expected a figure');
      return figure.kg;
    };
    // Whole kg up to 100 kg (never 0 when something sold), tens of kg to 1,000 kg, then hundreds.
    expect([400, 1_400, 1_600, 37_400, 99_400].map(kgOf)).toEqual([1, 1, 2, 37, 99]);
    expect([104_000, 126_000, 995_000].map(kgOf)).toEqual([100, 130, 1_000]);
    expect([1_240_000, 12_360_000].map(kgOf)).toEqual([1_200, 12_400]);
    // Yesterday 37.1 kg, today one more household's 300 g: the same figure.
    expect(kgOf(37_400)).toBe(kgOf(37_100));
    expect(kgOf(250_300)).toBe(kgOf(248_000));
  });

  it('the median is weighted by weight sold; the range spans the lowest and highest buckets', () => {
    const histogram = new Map([
      [bucketOf(700_000), 100],
      [bucketOf(800_000), 1_000],
      [bucketOf(1_500_000), 100],
    ]);
    const figure = priceFigure(histogram, 4);
    if (!figure.available) throw new Error('expected a figure');
    expect(Math.abs(figure.medianPerKg - 800_000)).toBeLessThanOrEqual(16_000);
    expect(figure.lowPerKg).toBeLessThanOrEqual(700_000);
    expect(figure.lowPerKg).toBeGreaterThan(680_000);
    expect(figure.highPerKg).toBeGreaterThanOrEqual(1_500_000);
    expect(figure.highPerKg).toBeLessThan(1_540_000);
    expect(figure.medianPerKg % 1000).toBe(0);
  });

  it('a seller’s own buckets are taken out, emptied buckets dropped', () => {
    const all = new Map([
      [10, 500],
      [20, 300],
    ]);
    expect(addHistograms(all, new Map([[10, 500]]), -1)).toEqual(new Map([[20, 300]]));
    expect(addHistograms(all, new Map([[30, 5]]))).toEqual(new Map([...all, [30, 5]]));
  });
});

const line = (overrides: Partial<OrderLine>): OrderLine => ({
  variantId: 'v1',
  productId: 'p1',
  productSlug: 'p1',
  productName: 'Chè',
  pack: '200 g',
  grams: 200,
  producerId: 'ho-a',
  producerName: 'Hộ A',
  unitPrice: 180_000,
  quantity: 2,
  lineTotal: 360_000,
  ...overrides,
});

const part = (
  status: SubOrder['status'],
  lines: OrderLine[],
  deliveredAt = '2026-12-05T18:30:00.000Z',
): SubOrder => ({
  orderCode: 'TN-ABCDE',
  fulfillerId: 'htx-a',
  fulfillerName: 'HTX A',
  status,
  lines,
  subtotal: lines.reduce((n, l) => n + l.lineTotal, 0),
  shippingFee: 0,
  history: status === 'delivered' ? [{ status, at: deliveredAt, by: 'manager' }] : [],
  createdAt: '2026-12-01T00:00:00.000Z',
  version: 3,
});

describe('delivered lines become sums', () => {
  it('only a move into delivered counts (not completing, not a part already delivered)', () => {
    const shipped = part('shipped', [line({})]);
    const delivered = part('delivered', [line({})]);
    expect(newlyDelivered([shipped], [delivered])).toEqual([delivered]);
    expect(newlyDelivered([delivered], [{ ...delivered, status: 'completed' }])).toEqual([]);
    expect(newlyDelivered([delivered], [delivered])).toEqual([]);
  });

  it('sums per seller, grade and Vietnamese day; counted packs add units and revenue but no price', () => {
    const sales = salesOf(
      [
        part('delivered', [
          line({}),
          line({ variantId: 'v2', grams: 500, unitPrice: 420_000, quantity: 1, lineTotal: 420_000 }),
          line({
            productId: 'gift',
            grams: undefined,
            pack: 'hộp quà',
            unitPrice: 480_000,
            quantity: 1,
            lineTotal: 480_000,
          }),
          line({ productId: 'p9', producerId: 'ho-b', quantity: 1, lineTotal: 180_000 }),
        ]),
      ],
      new Map([
        ['p1', 'che-non'],
        ['gift', 'che-non'],
        ['p9', 'che-non'],
      ]),
    );
    // 18:30 UTC on the 5th is 01:30 on the 6th in Thái Nguyên.
    expect(sales.every((s) => s.day === '2026-12-06')).toBe(true);
    const a = sales.find((s) => s.producerId === 'ho-a')!;
    expect(a.category).toBe('che-non');
    expect([...a.buckets.values()].reduce((n, g) => n + g, 0)).toBe(400 + 500);
    expect(a.buckets.get(bucketOf(900_000))).toBe(400);
    expect(a.buckets.get(bucketOf(840_000))).toBe(500);
    expect(a.products.get('p1')).toEqual({ units: 3, revenue: 780_000 });
    expect(a.products.get('gift')).toEqual({ units: 1, revenue: 480_000 });
    expect(sales.find((s) => s.producerId === 'ho-b')!.products.get('p9')).toEqual({
      units: 1,
      revenue: 180_000,
    });
    // A product that no longer exists is not filed under any grade.
    expect(salesOf([part('delivered', [line({ productId: 'gone' })])], new Map())).toEqual([]);
  });

  it('deliveries spread evenly over the market shards of a grade', () => {
    const counts = new Array<number>(MARKET_SHARDS).fill(0);
    const parts = 8_000;
    for (let i = 0; i < parts; i++)
      counts[marketShardOf(`TN-${i.toString(36).toUpperCase()}#htx-${i % 7}`)]! += 1;
    // Each shard takes about an eighth; none more than 15 %.
    expect(Math.max(...counts) / parts).toBeLessThan(0.15);
    expect(Math.min(...counts) / parts).toBeGreaterThan(0.1);
  });
});
