/**
 * Selling prices per kilogram, kept as histograms so they can be added up incrementally (one
 * delivery at a time) and subtracted (a household's own sales taken out of what it is shown).
 * Pure: no database, no clock; the seller pages may bundle it.
 *
 * A price per kg falls into a bucket 2 % wide (bucket i covers BASE × 1.02^i up to BASE ×
 * 1.02^(i+1)); a bucket holds the grams sold at that price. The median and the range are read
 * off the buckets, so every figure is rounded to the bucket (±1 %) and to 1,000 ₫ — a market
 * indicator, not anyone's exact price.
 */

/** Lowest price per kg told apart (below it, the first bucket). */
export const BUCKET_BASE_PER_KG = 10_000;
/** Each bucket is 2 % wider than the one before. */
export const BUCKET_RATIO = 1.02;
/** The last bucket (about 10,000 ₫ × 1.02^400 ≈ 27.5 billion ₫/kg: no tea costs more). */
const LAST_BUCKET = 400;

/**
 * A figure made from fewer other sellers than this is not shown: with one or two others, a
 * household could read (or work out) another household's own price.
 */
export const MIN_OTHER_SELLERS = 3;

/** Grams sold per price bucket. */
export type PriceHistogram = Map<number, number>;

/** The price per kg of a weighed pack, in whole đồng. */
export function pricePerKg(unitPrice: number, grams: number): number {
  return Math.round((unitPrice * 1000) / grams);
}

/** The bucket a price per kg falls into. */
export function bucketOf(perKg: number): number {
  if (!(perKg > BUCKET_BASE_PER_KG)) return 0;
  const i = Math.floor(Math.log(perKg / BUCKET_BASE_PER_KG) / Math.log(BUCKET_RATIO) + 1e-9);
  return Math.min(LAST_BUCKET, Math.max(0, i));
}

/** Lower and upper bound of a bucket, ₫/kg. */
export function bucketBounds(bucket: number): { low: number; high: number } {
  return {
    low: BUCKET_BASE_PER_KG * BUCKET_RATIO ** bucket,
    high: BUCKET_BASE_PER_KG * BUCKET_RATIO ** (bucket + 1),
  };
}

/** `a` plus `b` (or minus, with `sign` −1), buckets left empty dropped. */
export function addHistograms(a: PriceHistogram, b: PriceHistogram, sign: 1 | -1 = 1): PriceHistogram {
  const out = new Map(a);
  for (const [bucket, grams] of b) {
    const next = (out.get(bucket) ?? 0) + sign * grams;
    if (next > 0) out.set(bucket, next);
    else out.delete(bucket);
  }
  return out;
}

const roundTo1000 = (n: number) => Math.round(n / 1000) * 1000;

/**
 * The kilograms sold as shown: whole kg up to 100 kg (at least 1 kg when anything sold), to 10 kg
 * up to 1,000 kg, to 100 kg above. An exact figure would move with every delivery, and comparing
 * two days would show one other household's deliveries.
 */
export function shownKg(grams: number): number {
  const kg = grams / 1000;
  const step = kg > 1000 ? 100 : kg > 100 ? 10 : 1;
  return Math.max(1, Math.round(kg / step) * step);
}

export type PriceFigure =
  | {
      available: true;
      /** Other sellers whose deliveries make the figure (the reader's own are left out). */
      sellers: number;
      /** Kilograms sold, rounded coarsely (shownKg). */
      kg: number;
      /** Median price per kg, weighted by the weight sold. */
      medianPerKg: number;
      lowPerKg: number;
      highPerKg: number;
    }
  | { available: false; reason: 'too_few_sellers'; minimumSellers: number };

/**
 * The figure of a histogram made by `sellers` other sellers: nothing but "too few sellers" under
 * MIN_OTHER_SELLERS (or with nothing sold), otherwise the weighted median and the range.
 */
export function priceFigure(histogram: PriceHistogram, sellers: number): PriceFigure {
  const buckets = [...histogram.entries()].filter(([, g]) => g > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((n, [, g]) => n + g, 0);
  if (sellers < MIN_OTHER_SELLERS || total <= 0) {
    return { available: false, reason: 'too_few_sellers', minimumSellers: MIN_OTHER_SELLERS };
  }
  let seen = 0;
  let median = buckets[0]![0];
  for (const [bucket, grams] of buckets) {
    seen += grams;
    if (seen * 2 >= total) {
      median = bucket;
      break;
    }
  }
  const { low, high } = bucketBounds(median);
  return {
    available: true,
    sellers,
    kg: shownKg(total),
    medianPerKg: roundTo1000(Math.sqrt(low * high)),
    lowPerKg: Math.floor(bucketBounds(buckets[0]![0]).low / 1000) * 1000,
    highPerKg: Math.ceil(bucketBounds(buckets.at(-1)![0]).high / 1000) * 1000,
  };
}
