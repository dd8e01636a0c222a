/**
 * The market panel of the seller center (`getMarketPanel`): for one of the caller's own products,
 * its cooperative's reference price for the grade beside each pack's own price, what the grade
 * sold for on the exchange in the last 30 and 90 days (other sellers only, and only when at least
 * MIN_OTHER_SELLERS of them make the figure), the open pre-order demand for its packs, and its own
 * sales by week and by month.
 *
 * Everything is read from the sums kept at delivery (shared/market/deliveries.ts): 8 range
 * queries for the grade's market, one for the seller's own days, one for the reference price —
 * never a scan of orders. The caller's own sales are taken out of the market figures, so what it
 * sees is made of other households' deliveries only, and never of fewer than three of them.
 */
import * as z from 'zod';
import { listingItems } from '../db/listings.ts';
import { marketDays, sellerDays, type StoredDay } from '../db/market-sales.ts';
import { referencePriceOn } from '../db/reference-prices.ts';
import { findCategory } from '../domain/categories.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { cooperativeOf, type Principal } from '../domain/permissions.ts';
import type { Producer } from '../domain/producer.ts';
import { packLabel } from '../domain/product.ts';
import { addDays, mondayOf, vnDay } from '../orders/reports.ts';
import type { OpenPreorderDemand } from './demand.ts';
import { addHistograms, priceFigure, pricePerKg, type PriceHistogram } from './price-stats.ts';

const Figure = z.union([
  z.object({
    available: z.literal(true),
    sellers: z.int(),
    kg: z.int(),
    medianPerKg: z.int(),
    lowPerKg: z.int(),
    highPerKg: z.int(),
  }),
  z.object({
    available: z.literal(false),
    reason: z.literal('too_few_sellers'),
    minimumSellers: z.int(),
  }),
]);

const Sales = z.object({ units: z.int(), revenue: z.int() });

export const MarketPanel = z
  .object({
    product: z.object({
      id: z.string(),
      name: z.string(),
      category: z.string(),
      categoryName: z.string(),
    }),
    /** The cooperative whose reference price applies (the household's, or the cooperative itself). */
    cooperative: z.object({ id: z.string() }).nullable(),
    referencePrice: z
      .object({ pricePerKg: z.int(), effectiveFrom: z.string(), setAt: z.string() })
      .nullable(),
    packs: z.array(
      z.object({
        variantId: z.string(),
        label: z.string(),
        grams: z.int().optional(),
        price: z.int(),
        /** The pack's price per kg (weighed packs). */
        pricePerKg: z.int().optional(),
        /** Own price per kg less the reference price, ₫ and % (weighed packs with a reference price). */
        difference: z.object({ perKg: z.int(), percent: z.number() }).optional(),
      }),
    ),
    recentPrices: z.object({ last30Days: Figure, last90Days: Figure }),
    demand: z.array(
      z.object({
        variantId: z.string(),
        label: z.string(),
        season: z.string(),
        reservedQuantity: z.int(),
        windowClosesAt: z.string(),
      }),
    ),
    sales: z.object({
      weeks: z.array(Sales.extend({ weekStart: z.string(), weekEnd: z.string() })),
      months: z.array(Sales.extend({ month: z.string() })),
    }),
    generatedAt: z.string(),
  })
  .meta({ id: 'MarketPanel' });
export type MarketPanel = z.infer<typeof MarketPanel>;

export interface MarketPanelDeps {
  now: Date;
  /** Open pre-order demand (shared/market/demand.ts). */
  demand: OpenPreorderDemand;
}

/** Weeks and months of sales shown. */
export const SALES_WEEKS = 12;
export const SALES_MONTHS = 12;

/** The cooperative whose reference prices a seller gets: its own, or the one it is a member of. */
function referenceCooperative(seller: Producer): string | undefined {
  return seller.kind === 'cooperative' ? seller.id : cooperativeOf(seller);
}

/** The market panel of one of the caller's own products. */
export async function marketPanel(
  principal: Principal,
  productId: string,
  deps: MarketPanelDeps,
): Promise<MarketPanel> {
  const { product, variants } = await listingItems(productId);
  if (!product) throw notFound('product.not_found', 'Không tìm thấy sản phẩm / Product not found');
  // Only the seller itself: the panel holds its sales, and figures made for its eyes.
  const seller = principal.producer?.id === product.producerId ? principal.producer : undefined;
  if (!seller) {
    throw forbidden(
      'market.not_yours',
      'Bạn chỉ xem được thị trường của sản phẩm của chính mình / Only your own products’ market',
    );
  }
  const today = vnDay(deps.now);
  const coopId = referenceCooperative(seller);
  const firstMonth = `${addMonths(today.slice(0, 7), -(SALES_MONTHS - 1))}-01`;
  const ownFrom = [firstMonth, addDays(today, -89)].sort()[0]!;
  const [reference, market, own, demand] = await Promise.all([
    coopId ? referencePriceOn(coopId, product.category, today) : undefined,
    marketDays(product.category, addDays(today, -89), today),
    sellerDays(seller.id, ownFrom, today),
    deps.demand([product.id], deps.now),
  ]);
  const packs = [...variants]
    .sort((a, b) => (a.grams ?? 0) - (b.grams ?? 0) || a.price - b.price)
    .map((v) => {
      const perKg = v.grams ? pricePerKg(v.price, v.grams) : undefined;
      return {
        variantId: v.id,
        label: packLabel(v),
        ...(v.grams ? { grams: v.grams } : {}),
        price: v.price,
        ...(perKg !== undefined ? { pricePerKg: perKg } : {}),
        ...(perKg !== undefined && reference
          ? {
              difference: {
                perKg: perKg - reference.pricePerKg,
                percent: Math.round(((perKg - reference.pricePerKg) / reference.pricePerKg) * 1000) / 10,
              },
            }
          : {}),
      };
    });
  const label = new Map(variants.map((v) => [v.id, packLabel(v)]));
  return {
    product: {
      id: product.id,
      name: product.name.vi,
      category: product.category,
      categoryName: findCategory(product.category)?.name.vi ?? product.category,
    },
    cooperative: coopId ? { id: coopId } : null,
    referencePrice: reference
      ? { pricePerKg: reference.pricePerKg, effectiveFrom: reference.effectiveFrom, setAt: reference.setAt }
      : null,
    packs,
    recentPrices: {
      last30Days: othersFigure(market, own, seller.id, product.category, addDays(today, -29)),
      last90Days: othersFigure(market, own, seller.id, product.category, addDays(today, -89)),
    },
    demand: demand
      .filter((d) => d.productId === product.id)
      .map((d) => ({
        variantId: d.variantId,
        label: d.label ?? label.get(d.variantId) ?? '',
        season: d.season,
        reservedQuantity: d.reservedQuantity,
        windowClosesAt: d.windowClosesAt,
      })),
    sales: ownSales(own, product.id, today),
    generatedAt: deps.now.toISOString(),
  };
}

/**
 * The grade's prices from `from` on, made of other sellers' deliveries: the caller's own buckets
 * are taken out and its id left out of the sellers counted.
 */
function othersFigure(
  market: readonly StoredDay[],
  own: readonly StoredDay[],
  sellerId: string,
  category: string,
  from: string,
) {
  let histogram: PriceHistogram = new Map();
  const sellers = new Set<string>();
  for (const day of market) {
    if (day.day < from) continue;
    histogram = addHistograms(histogram, day.buckets);
    for (const s of day.sellers) sellers.add(s);
  }
  for (const day of own) {
    if (day.day < from || day.category !== category) continue;
    histogram = addHistograms(histogram, day.buckets, -1);
  }
  sellers.delete(sellerId);
  return priceFigure(histogram, sellers.size);
}

/** "2026-03" plus `n` months. */
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The product's delivered units and revenue per week (Monday–Sunday) and per month, oldest first. */
export function ownSales(own: readonly StoredDay[], productId: string, today: string): MarketPanel['sales'] {
  const monday = mondayOf(today);
  const weeks = Array.from({ length: SALES_WEEKS }, (_, i) => {
    const weekStart = addDays(monday, -7 * (SALES_WEEKS - 1 - i));
    return { weekStart, weekEnd: addDays(weekStart, 6), units: 0, revenue: 0 };
  });
  const thisMonth = today.slice(0, 7);
  const months = Array.from({ length: SALES_MONTHS }, (_, i) => ({
    month: addMonths(thisMonth, -(SALES_MONTHS - 1 - i)),
    units: 0,
    revenue: 0,
  }));
  for (const day of own) {
    const sold = day.products.get(productId);
    if (!sold) continue;
    const week = weeks.find((w) => w.weekStart <= day.day && day.day <= w.weekEnd);
    const month = months.find((m) => m.month === day.day.slice(0, 7));
    for (const bucket of [week, month]) {
      if (!bucket) continue;
      bucket.units += sold.units;
      bucket.revenue += sold.revenue;
    }
  }
  return { weeks, months };
}
