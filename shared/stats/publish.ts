/**
 * What the public sees of the counters: the statistics page's overview and the open data of a
 * month (JSON and CSV). Every published figure passes through `figure()` here, the one place
 * small cells are suppressed: a figure that comes from fewer than SUPPRESSION_THRESHOLD producers,
 * orders or parts is published as `null` (JSON), an empty cell with `suppressed` = 1 (CSV), and
 * "ít hơn 5" / "fewer than 5" on the page. Pure: the counters are read by shared/db/stats.ts.
 */
import * as z from 'zod';
import { findCommune } from '../domain/admin-units.ts';
import { CATEGORIES, findCategory } from '../domain/categories.ts';
import { csvField } from '../orders/reports.ts';
import { DELIVERY_BUCKETS } from './deltas.ts';

export const SUPPRESSION_THRESHOLD = 5;
export const STATS_LICENCE = {
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  attribution: 'Sàn OCOP Thái Nguyên',
} as const;

export interface CounterRow {
  bucket: string;
  values: Record<string, number>;
}

/**
 * A published number: the value when it comes from at least SUPPRESSION_THRESHOLD producers,
 * orders or parts (`basis`), otherwise null (suppressed).
 */
export function figure(value: number, basis: number = value): number | null {
  return basis >= SUPPRESSION_THRESHOLD ? value : null;
}

const Figure = z.number().nullable().meta({ description: 'null: fewer than 5 behind it, withheld' });
const Named = z.strictObject({ vi: z.string(), en: z.string() });

export const StatisticsOverview = z
  .strictObject({
    licence: z.strictObject({ name: z.string(), url: z.string(), attribution: z.string() }),
    suppressionThreshold: z.int(),
    producers: z.strictObject({
      total: Figure,
      household: Figure,
      cooperative: Figure,
      enterprise: Figure,
    }),
    householdsWithSale: Figure,
    listings: z.strictObject({
      total: Figure,
      byCategory: z.array(z.strictObject({ category: z.string(), name: Named, listings: Figure })),
    }),
    ocop: z.strictObject({
      /** Verified certificates not yet expired this month. */
      valid: Figure,
      byStars: z.array(z.strictObject({ stars: z.int(), valid: Figure })),
    }),
    orders: z.strictObject({ orders: Figure, units: Figure, sales: Figure, outsideShare: Figure }),
    communes: z.array(
      z.strictObject({
        code: z.string(),
        name: z.string(),
        producers: Figure,
        households: Figure,
        householdsWithSale: Figure,
      }),
    ),
    months: z.array(
      z.strictObject({
        month: z.string(),
        orders: Figure,
        units: Figure,
        sales: Figure,
        delivered: Figure,
        averageDeliveryHours: Figure,
        outsideShare: Figure,
      }),
    ),
  })
  .meta({ id: 'StatisticsOverview' });
export type StatisticsOverview = z.infer<typeof StatisticsOverview>;

const Breakdown = z.strictObject({
  key: z.string(),
  label: z.string(),
  orders: Figure,
  units: Figure,
  sales: Figure,
});

export const MonthStatistics = z
  .strictObject({
    month: z.string(),
    licence: z.strictObject({ name: z.string(), url: z.string(), attribution: z.string() }),
    suppressionThreshold: z.int(),
    orders: z.strictObject({ orders: Figure, units: Figure, sales: Figure, outsideShare: Figure }),
    byPaymentMethod: z.array(Breakdown),
    byRegion: z.array(Breakdown),
    byCommune: z.array(Breakdown),
    byCategory: z.array(Breakdown),
    delivery: z.strictObject({
      parts: Figure,
      averageHours: Figure,
      buckets: z.array(z.strictObject({ key: z.string(), maxHours: z.number().nullable(), parts: Figure })),
    }),
  })
  .meta({ id: 'MonthStatistics' });
export type MonthStatistics = z.infer<typeof MonthStatistics>;

const v = (row: CounterRow | undefined, name: string) => row?.values[name] ?? 0;
const byBucket = (rows: readonly CounterRow[]) => new Map(rows.map((r) => [r.bucket, r]));
const share = (part: number, whole: number) =>
  figure(whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0, whole);

/** Today's month (`YYYY-MM`, Vietnam time), for the certificates still valid. */
export const currentMonth = (now: number) => new Date(now + 7 * 3_600_000).toISOString().slice(0, 7);

export function overview(
  counters: {
    producers: readonly CounterRow[];
    listings: readonly CounterRow[];
    ocop: readonly CounterRow[];
    householdsSold: readonly CounterRow[];
    months: readonly CounterRow[];
  },
  now: number,
): StatisticsOverview {
  const producers = byBucket(counters.producers);
  const kind = (k: string) => v(producers.get(`kind#${k}`), 'n');
  const totalProducers = kind('household') + kind('cooperative') + kind('enterprise');

  const communes = new Map<string, { producers: number; households: number }>();
  for (const row of counters.producers) {
    const m = /^commune#([^#]+)#(.+)$/.exec(row.bucket);
    if (!m) continue;
    const c = communes.get(m[1]!) ?? { producers: 0, households: 0 };
    c.producers += v(row, 'n');
    if (m[2] === 'household') c.households += v(row, 'n');
    communes.set(m[1]!, c);
  }
  const sold = byBucket(counters.householdsSold);
  const communeRows = [...communes]
    .filter(([, c]) => c.producers > 0)
    .map(([code, c]) => {
      const withSale = v(sold.get(`commune#${code}`), 'n');
      return {
        code,
        name: findCommune(code)?.commune.name ?? code,
        producers: figure(c.producers),
        households: figure(c.households),
        householdsWithSale: figure(withSale),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));

  const listings = byBucket(counters.listings);
  const listingTotal = counters.listings.reduce((sum, r) => sum + v(r, 'n'), 0);

  const thisMonth = currentMonth(now);
  const validByStars = new Map<number, number>();
  for (const row of counters.ocop) {
    const [stars, expiry] = row.bucket.split('#');
    if (!expiry || expiry < thisMonth) continue;
    validByStars.set(Number(stars), (validByStars.get(Number(stars)) ?? 0) + v(row, 'n'));
  }
  const validTotal = [...validByStars.values()].reduce((a, b) => a + b, 0);

  const months = [...counters.months].sort((a, b) => a.bucket.localeCompare(b.bucket));
  const sum = (name: string) => months.reduce((total, r) => total + v(r, name), 0);
  const orders = sum('n');
  return {
    licence: { ...STATS_LICENCE },
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    producers: {
      total: figure(totalProducers),
      household: figure(kind('household')),
      cooperative: figure(kind('cooperative')),
      enterprise: figure(kind('enterprise')),
    },
    householdsWithSale: figure(v(sold.get('total'), 'n')),
    listings: {
      total: figure(listingTotal),
      byCategory: CATEGORIES.map((c) => ({
        category: c.slug,
        name: { ...c.name },
        listings: figure(v(listings.get(`category#${c.slug}`), 'n')),
      })),
    },
    ocop: {
      valid: figure(validTotal),
      byStars: [3, 4, 5].map((stars) => ({ stars, valid: figure(validByStars.get(stars) ?? 0) })),
    },
    orders: {
      orders: figure(orders),
      units: figure(sum('units'), orders),
      sales: figure(sum('sales'), orders),
      outsideShare: share(sum('outside'), sum('inside') + sum('outside')),
    },
    communes: communeRows,
    months: months
      .filter((r) => /^\d{4}-\d{2}$/.test(r.bucket))
      .map((r) => ({
        month: r.bucket,
        orders: figure(v(r, 'n')),
        units: figure(v(r, 'units'), v(r, 'n')),
        sales: figure(v(r, 'sales'), v(r, 'n')),
        delivered: figure(v(r, 'delivered')),
        averageDeliveryHours: figure(
          v(r, 'delivered') > 0 ? Math.round((v(r, 'deliveryHours') / v(r, 'delivered')) * 10) / 10 : 0,
          v(r, 'delivered'),
        ),
        outsideShare: share(v(r, 'outside'), v(r, 'inside') + v(r, 'outside')),
      })),
  };
}

const METHOD_LABELS: Record<string, string> = {
  vnpay: 'VNPay',
  cod: 'Thanh toán khi nhận hàng (COD)',
  vietqr: 'Chuyển khoản VietQR',
};
const REGION_LABELS: Record<string, string> = {
  inside: 'Giao trong tỉnh Thái Nguyên',
  outside: 'Giao ngoài tỉnh',
  pickup: 'Nhận tại chỗ',
};

function breakdown(rows: readonly CounterRow[], prefix: string, label: (key: string) => string) {
  return rows
    .filter((r) => r.bucket.startsWith(`${prefix}#`))
    .map((r) => {
      const key = r.bucket.slice(prefix.length + 1);
      const n = v(r, 'n');
      return {
        key,
        label: label(key),
        orders: figure(n),
        units: figure(v(r, 'units'), n),
        sales: figure(v(r, 'sales'), n),
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** One month's open data from its `orders` and `delivery` counters. */
export function monthStatistics(
  month: string,
  counters: { orders: readonly CounterRow[]; delivery: readonly CounterRow[] },
): MonthStatistics {
  const orders = byBucket(counters.orders);
  const total = orders.get('total');
  const n = v(total, 'n');
  const inside = v(orders.get('region#inside'), 'n');
  const outside = v(orders.get('region#outside'), 'n');
  const delivery = byBucket(counters.delivery);
  const parts = v(delivery.get('total'), 'n');
  return {
    month,
    licence: { ...STATS_LICENCE },
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    orders: {
      orders: figure(n),
      units: figure(v(total, 'units'), n),
      sales: figure(v(total, 'sales'), n),
      outsideShare: share(outside, inside + outside),
    },
    byPaymentMethod: breakdown(counters.orders, 'method', (k) => METHOD_LABELS[k] ?? k),
    byRegion: breakdown(counters.orders, 'region', (k) => REGION_LABELS[k] ?? k),
    byCommune: breakdown(counters.orders, 'commune', (k) => findCommune(k)?.commune.name ?? k),
    byCategory: breakdown(counters.orders, 'category', (k) => findCategory(k)?.name.vi ?? k),
    delivery: {
      parts: figure(parts),
      averageHours: figure(
        parts > 0 ? Math.round((v(delivery.get('total'), 'hours') / parts) * 10) / 10 : 0,
        parts,
      ),
      buckets: DELIVERY_BUCKETS.map((b) => ({
        key: b.key,
        maxHours: Number.isFinite(b.maxHours) ? b.maxHours : null,
        parts: figure(v(delivery.get(`bucket#${b.key}`), 'n')),
      })),
    },
  };
}

export const OPEN_DATA_CSV_HEADER = [
  'month',
  'dimension',
  'key',
  'label',
  'count',
  'units',
  'sales_vnd',
  'suppressed',
] as const;

/**
 * A month's open data as CSV (RFC 4180, UTF-8, CRLF): one row per figure group, `count` being
 * orders (or delivered parts for `delivery`); a suppressed row has empty numbers and
 * `suppressed` = 1.
 */
export function monthCsv(stats: MonthStatistics): string {
  const rows: (string | number)[][] = [[...OPEN_DATA_CSV_HEADER]];
  const cell = (value: number | null) => (value === null ? '' : value);
  const push = (
    dimension: string,
    key: string,
    label: string,
    count: number | null,
    units: number | null | '',
    sales: number | null | '',
  ) =>
    rows.push([
      stats.month,
      dimension,
      key,
      label,
      cell(count),
      units === '' ? '' : cell(units),
      sales === '' ? '' : cell(sales),
      count === null ? 1 : 0,
    ]);
  push('orders', 'total', 'Tất cả đơn hàng', stats.orders.orders, stats.orders.units, stats.orders.sales);
  for (const [dimension, list] of [
    ['payment_method', stats.byPaymentMethod],
    ['region', stats.byRegion],
    ['commune', stats.byCommune],
    ['category', stats.byCategory],
  ] as const) {
    for (const row of list) push(dimension, row.key, row.label, row.orders, row.units, row.sales);
  }
  push('delivery', 'total', 'Phần đơn đã giao', stats.delivery.parts, '', '');
  for (const b of stats.delivery.buckets) push('delivery', b.key, deliveryLabel(b.maxHours), b.parts, '', '');
  return rows.map((row) => row.map((value) => csvField(value)).join(',')).join('\r\n') + '\r\n';
}

function deliveryLabel(maxHours: number | null): string {
  return maxHours === null ? 'Trên 7 ngày' : `Trong ${maxHours / 24} ngày`;
}
