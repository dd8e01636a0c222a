/**
 * The programme's aggregates, kept from the table's stream: what one change of one item adds to
 * the counters. Pure: no database, no clock; the stream worker (shared/db/stats.ts) gives it the
 * record's old and new images (unmarshalled) and the producers and products its lines name.
 *
 * Two kinds of counters:
 * - gauges ("how many now"): verified producers by kind and commune, published listings by
 *   category, verified OCOP certificates by star and expiry month. A change adds what the new
 *   image counts for and takes away what the old one counted for, so an update that changes
 *   nothing they depend on adds nothing, and a retried record nets to the same.
 * - events ("how many happened"): an order counted once, when a `placed` step first appears in
 *   its history (paid online, or COD confirmed); a sub-order's delivery counted once, when a
 *   `delivered` step first appears in its history; a household's first delivered part counted
 *   once through a per-household marker written only if absent (`firstSales`).
 * Periods are months in Vietnam time (UTC+7), `YYYY-MM`; gauges have the period `all`.
 * `days` (period the month, bucket `YYYY-MM-DD`) repeats the orders and deliveries by day, for the
 * IOC feed's daily export; `onboarded` (a gauge, bucket `<YYYY-MM>#<commune>`) counts verified
 * households by the month of their verification, for the admin's programme report.
 */
import { THAI_NGUYEN_PROVINCE_CODE } from '../domain/admin-codes.ts';
import { ocopExpiresOn } from '../domain/ocop.ts';

export const STATS_DIMENSIONS = [
  'producers',
  'listings',
  'ocop',
  'households_sold',
  'orders',
  'months',
  'delivery',
  'days',
  'onboarded',
] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** The item types whose changes can move a counter (the stream filter names the same). */
export const STATS_ITEM_TYPES = ['producer', 'product', 'ocop', 'order', 'sub_order'] as const;

/** One counter's increments: `n` (a count) and, for orders, `units`, `sales` (VND), `hours`. */
export interface CounterDelta {
  dimension: StatsDimension;
  /** `all` for gauges and series, `YYYY-MM` for a month's breakdown. */
  period: string;
  bucket: string;
  values: Record<string, number>;
}

export interface RecordEffect {
  counters: CounterDelta[];
  /** Counters that apply only the first time each household sells (its marker is absent). */
  firstSales: { householdId: string; counters: CounterDelta[] }[];
}

/** What the lines of an order need from the catalog: the producer's kind and commune, the category. */
export interface StatsLookups {
  producers: ReadonlyMap<string, { kind: string; communeCode: string }>;
  products: ReadonlyMap<string, { category: string }>;
}

type Item = Record<string, unknown>;

/** Delivery-time buckets (placed → delivered), upper bounds in hours; the last is open. */
export const DELIVERY_BUCKETS = [
  { key: 'le1d', maxHours: 24 },
  { key: 'le2d', maxHours: 48 },
  { key: 'le3d', maxHours: 72 },
  { key: 'le5d', maxHours: 120 },
  { key: 'le7d', maxHours: 168 },
  { key: 'gt7d', maxHours: Infinity },
] as const;

/** `YYYY-MM` of an instant in Vietnam time. */
export function monthOf(iso: string): string {
  return new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` of an instant in Vietnam time. */
export function dayOf(iso: string): string {
  return new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
}

const UNKNOWN = 'unknown';

/** Producers and products named by the record (for the look-ups `recordEffect` needs). */
export function referencedIds(oldImage: Item | undefined, newImage: Item | undefined) {
  const producers = new Set<string>();
  const products = new Set<string>();
  for (const image of [oldImage, newImage]) {
    if (!image || (image.type !== 'order' && image.type !== 'sub_order')) continue;
    for (const line of lines(image)) {
      producers.add(line.producerId);
      products.add(line.productId);
    }
  }
  return { producers, products };
}

/** What one stream record adds to the counters (empty when it moves none). */
export function recordEffect(
  oldImage: Item | undefined,
  newImage: Item | undefined,
  lookups: StatsLookups,
): RecordEffect {
  const type = (newImage ?? oldImage)?.type;
  const effect: RecordEffect = { counters: [], firstSales: [] };
  switch (type) {
    case 'producer':
    case 'product':
    case 'ocop':
      effect.counters = gaugeDelta(oldImage, newImage);
      break;
    case 'order': {
      const placed = firstStep(oldImage, newImage, 'placed');
      if (placed) effect.counters = orderPlaced(newImage!, placed, lookups);
      break;
    }
    case 'sub_order': {
      const delivered = firstStep(oldImage, newImage, 'delivered');
      if (delivered) return subDelivered(newImage!, delivered, lookups);
      break;
    }
  }
  return effect;
}

/** The gauge buckets an item counts for while it stands as it is. */
function gauge(item: Item | undefined): CounterDelta[] {
  if (!item) return [];
  const one = (dimension: StatsDimension, bucket: string): CounterDelta => ({
    dimension,
    period: 'all',
    bucket,
    values: { n: 1 },
  });
  switch (item.type) {
    case 'producer': {
      const verification = item.verification as { status?: string } | undefined;
      if (verification?.status !== 'verified') return [];
      const kind = String(item.kind ?? UNKNOWN);
      const commune = String((item.address as { communeCode?: string } | undefined)?.communeCode ?? UNKNOWN);
      const counted = [one('producers', `kind#${kind}`), one('producers', `commune#${commune}#${kind}`)];
      // A household counts as onboarded in the month it was verified (its creation, if undated).
      const since = (item.verification as { decidedAt?: string }).decidedAt ?? item.createdAt;
      if (kind === 'household' && typeof since === 'string')
        counted.push(one('onboarded', `${monthOf(since)}#${commune}`));
      return counted;
    }
    case 'product':
      return item.status === 'published' ? [one('listings', `category#${String(item.category)}`)] : [];
    case 'ocop': {
      if (item.verified !== true || typeof item.decisionDate !== 'string') return [];
      return [one('ocop', `${String(item.stars)}#${ocopExpiresOn(item.decisionDate).slice(0, 7)}`)];
    }
    default:
      return [];
  }
}

function gaugeDelta(oldImage: Item | undefined, newImage: Item | undefined): CounterDelta[] {
  const totals = new Map<string, CounterDelta>();
  const add = (deltas: CounterDelta[], sign: number) => {
    for (const d of deltas) {
      const key = counterKey(d);
      const found = totals.get(key) ?? { ...d, values: { n: 0 } };
      found.values.n! += sign * d.values.n!;
      totals.set(key, found);
    }
  };
  add(gauge(newImage), 1);
  add(gauge(oldImage), -1);
  return [...totals.values()].filter((d) => d.values.n !== 0);
}

/** The step with `status` in the new image's history when the old image had none: once per item. */
function firstStep(
  oldImage: Item | undefined,
  newImage: Item | undefined,
  status: string,
): { at: string } | undefined {
  if (!newImage) return undefined;
  const step = history(newImage).find((s) => s.status === status);
  if (!step) return undefined;
  if (oldImage && history(oldImage).some((s) => s.status === status)) return undefined;
  return step;
}

function history(item: Item): { status: string; at: string }[] {
  return Array.isArray(item.history) ? (item.history as { status: string; at: string }[]) : [];
}

interface Line {
  productId: string;
  producerId: string;
  quantity: number;
  lineTotal: number;
}

function lines(item: Item): Line[] {
  return Array.isArray(item.lines) ? (item.lines as Line[]) : [];
}

/** Where an order goes: pickup, or a delivery inside or outside Thái Nguyên. */
export function regionOf(order: Item): 'pickup' | 'inside' | 'outside' {
  const delivery = order.delivery as { method?: string; address?: { provinceCode?: string } } | undefined;
  if (delivery?.method !== 'shipping') return 'pickup';
  return delivery.address?.provinceCode === THAI_NGUYEN_PROVINCE_CODE ? 'inside' : 'outside';
}

function orderPlaced(order: Item, placed: { at: string }, lookups: StatsLookups): CounterDelta[] {
  const month = monthOf(placed.at);
  const orderLines = lines(order);
  const units = orderLines.reduce((sum, l) => sum + l.quantity, 0);
  const sales = orderLines.reduce((sum, l) => sum + l.lineTotal, 0);
  const region = regionOf(order);
  const counters: CounterDelta[] = [
    { dimension: 'orders', period: month, bucket: 'total', values: { n: 1, units, sales } },
    {
      dimension: 'months',
      period: 'all',
      bucket: month,
      // Deliveries inside and outside the province, for the share from outside (pickups in neither).
      values: { n: 1, units, sales, ...(region === 'pickup' ? {} : { [region]: 1 }) },
    },
    {
      dimension: 'orders',
      period: month,
      bucket: `method#${String(order.paymentMethod ?? UNKNOWN)}`,
      values: { n: 1, units, sales },
    },
    { dimension: 'orders', period: month, bucket: `region#${region}`, values: { n: 1, units, sales } },
    {
      dimension: 'days',
      period: month,
      bucket: dayOf(placed.at),
      values: { n: 1, units, sales, ...(region === 'pickup' ? {} : { [region]: 1 }) },
    },
  ];
  // An order with lines from two communes (or categories) counts once in each; its units and
  // sales are split by line.
  const byCommune = new Map<string, { units: number; sales: number }>();
  const byCategory = new Map<string, { units: number; sales: number }>();
  for (const line of orderLines) {
    const commune = lookups.producers.get(line.producerId)?.communeCode ?? UNKNOWN;
    const category = lookups.products.get(line.productId)?.category ?? UNKNOWN;
    for (const [map, key] of [
      [byCommune, commune],
      [byCategory, category],
    ] as const) {
      const sum = map.get(key) ?? { units: 0, sales: 0 };
      sum.units += line.quantity;
      sum.sales += line.lineTotal;
      map.set(key, sum);
    }
  }
  for (const [commune, sum] of byCommune)
    counters.push({
      dimension: 'orders',
      period: month,
      bucket: `commune#${commune}`,
      values: { n: 1, ...sum },
    });
  for (const [category, sum] of byCategory)
    counters.push({
      dimension: 'orders',
      period: month,
      bucket: `category#${category}`,
      values: { n: 1, ...sum },
    });
  return counters;
}

function subDelivered(sub: Item, delivered: { at: string }, lookups: StatsLookups): RecordEffect {
  const month = monthOf(delivered.at);
  const placedAt = history(sub).find((s) => s.status === 'placed')?.at ?? String(sub.createdAt);
  const hours = Math.max(0, (Date.parse(delivered.at) - Date.parse(placedAt)) / 3_600_000);
  const bucket = DELIVERY_BUCKETS.find((b) => hours <= b.maxHours)!.key;
  const rounded = Math.round(hours * 10) / 10;
  const counters: CounterDelta[] = [
    { dimension: 'delivery', period: month, bucket: `bucket#${bucket}`, values: { n: 1 } },
    { dimension: 'delivery', period: month, bucket: 'total', values: { n: 1, hours: rounded } },
    { dimension: 'months', period: 'all', bucket: month, values: { delivered: 1, deliveryHours: rounded } },
    {
      dimension: 'days',
      period: month,
      bucket: dayOf(delivered.at),
      values: { delivered: 1, deliveryHours: rounded },
    },
  ];
  const households = new Set(
    lines(sub)
      .map((l) => l.producerId)
      .filter((id) => lookups.producers.get(id)?.kind === 'household'),
  );
  const firstSales = [...households].sort().map((householdId) => ({
    householdId,
    counters: [
      { dimension: 'households_sold' as const, period: 'all', bucket: 'total', values: { n: 1 } },
      {
        dimension: 'households_sold' as const,
        period: 'all',
        bucket: `commune#${lookups.producers.get(householdId)!.communeCode}`,
        values: { n: 1 },
      },
    ],
  }));
  return { counters, firstSales };
}

export const counterKey = (d: Pick<CounterDelta, 'dimension' | 'period' | 'bucket'>): string =>
  `${d.dimension}|${d.period}|${d.bucket}`;

/** Many deltas summed per counter (one write per counter for a whole batch); zeros dropped. */
export function sumDeltas(deltas: Iterable<CounterDelta>): CounterDelta[] {
  const totals = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = counterKey(d);
    const found = totals.get(key) ?? {
      dimension: d.dimension,
      period: d.period,
      bucket: d.bucket,
      values: {},
    };
    for (const [name, value] of Object.entries(d.values))
      found.values[name] = Math.round(((found.values[name] ?? 0) + value) * 10) / 10;
    totals.set(key, found);
  }
  return [...totals.values()].filter((d) => Object.values(d.values).some((v) => v !== 0));
}
