/**
 * The market panel's demo data: reference prices of HTX Chè Tân Cương Xanh and HTX Trà La Bằng
 * (an older set and the set in force, so the board shows a history), and twelve weeks of
 * deliveries before the day the demo is seeded, summed the way deliveries are summed
 * (shared/market/deliveries.ts). Hộ Nguyễn Văn Thành (0987 000 201) sees his cooperative's
 * reference price and his weekly sales; his tôm nõn has only two other sellers, so its recent
 * prices are withheld; Hộ Hoàng Văn Dũng's chè nõn has four, so his show. Invented figures.
 *
 * Idempotent: the reference prices have fixed ids, and each day's sums are written in one
 * transaction with a marker of that day, so a second run writes nothing twice.
 */
import { addSalesItems } from '../../../shared/db/market-sales.ts';
import { addReferencePrices } from '../../../shared/db/reference-prices.ts';
import { db } from '../../../shared/db/client.ts';
import { transactWrite } from '../../../shared/db/retry.ts';
import { salesOf } from '../../../shared/market/deliveries.ts';
import type { ReferencePrice } from '../../../shared/market/reference-prices.ts';
import type { OrderLine, SubOrder } from '../../../shared/orders/model.ts';
import { addDays, vnDay } from '../../../shared/orders/reports.ts';
import { demoListings, demoProducers } from './demo-data.ts';
import { mulberry32 } from './prng.ts';

/** Reference prices (₫/kg) per cooperative: set 60 days ago, then the prices in force from 10 days ago. */
const REFERENCE: Record<string, { category: string; older: number; now: number }[]> = {
  'htx-tan-cuong-xanh': [
    { category: 'che-dinh', older: 4_200_000, now: 4_500_000 },
    { category: 'che-tom-non', older: 2_300_000, now: 2_400_000 },
    { category: 'che-non', older: 820_000, now: 850_000 },
    { category: 'che-moc-cau', older: 560_000, now: 600_000 },
  ],
  'htx-la-bang': [
    { category: 'che-tom-non', older: 2_100_000, now: 2_200_000 },
    { category: 'che-non', older: 780_000, now: 800_000 },
  ],
};

/** Products with weekly deliveries: [product id, most packs of each pack a week]. */
const SOLD: [string, number][] = [
  ['prd-006', 4], // Hộ Nguyễn Văn Thành: chè tôm nõn vụ xuân sao tay
  ['prd-001', 2], // Hộ Nguyễn Văn Thành: chè đinh
  ['prd-002', 3], // HTX Tân Cương Xanh: chè tôm nõn
  ['prd-031', 3], // Hộ Trần Thị Hoa: chè tôm nõn La Bằng vụ xuân
  ['prd-003', 3], // HTX Tân Cương Xanh: chè nõn
  ['prd-007', 3], // HTX Trà La Bằng: chè nõn
  ['prd-011', 2], // HTX Vô Tranh: chè nõn
  ['prd-017', 3], // Hộ Hoàng Văn Dũng: chè nõn
];

const WEEKS = 12;

function referencePrices(today: string): ReferencePrice[] {
  return Object.entries(REFERENCE).flatMap(([cooperativeId, grades]) =>
    grades.flatMap(({ category, older, now }) =>
      (
        [
          ['older', older, addDays(today, -60)],
          ['now', now, addDays(today, -10)],
        ] as const
      ).map(([which, pricePerKg, effectiveFrom]) => ({
        id: `demo-${cooperativeId}-${category}-${which}`,
        cooperativeId,
        category: category as ReferencePrice['category'],
        pricePerKg,
        effectiveFrom,
        setAt: `${effectiveFrom}T01:00:00.000Z`,
        setBy: `manager-${cooperativeId}`,
      })),
    ),
  );
}

/** The delivered parts of one day: one part per product sold, its packs at prices a little apart. */
function deliveriesOn(day: string, random: () => number): SubOrder[] {
  const producers = new Map(demoProducers.map((p) => [p.id, p]));
  const parts: SubOrder[] = [];
  for (const [productId, most] of SOLD) {
    const listing = demoListings.find((l) => l.product.id === productId);
    if (!listing) continue;
    const seller = producers.get(listing.product.producerId)!;
    const lines: OrderLine[] = listing.variants.flatMap((v) => {
      const quantity = Math.floor(random() * (most + 1));
      if (quantity === 0) return [];
      // Prices moved a little over the weeks: up to 5 % below the price listed today.
      const unitPrice = Math.round((v.price * (0.95 + random() * 0.05)) / 1000) * 1000;
      return [
        {
          variantId: v.id,
          productId,
          productSlug: listing.product.slug,
          productName: listing.product.name.vi,
          pack: v.grams ? `${v.grams} g` : (v.unit ?? ''),
          ...(v.grams ? { grams: v.grams } : {}),
          producerId: seller.id,
          producerName: seller.name,
          unitPrice,
          quantity,
          lineTotal: unitPrice * quantity,
        },
      ];
    });
    if (lines.length === 0) continue;
    const fulfillerId =
      seller.membership?.status === 'approved' ? seller.membership.cooperativeId : seller.id;
    const at = `${day}T03:00:00.000Z`;
    parts.push({
      orderCode: `DEMO-${day}-${productId}`,
      fulfillerId,
      fulfillerName: producers.get(fulfillerId)?.name ?? seller.name,
      status: 'delivered',
      lines,
      subtotal: lines.reduce((n, l) => n + l.lineTotal, 0),
      shippingFee: 0,
      history: [{ status: 'delivered', at, by: 'demo' }],
      createdAt: at,
      version: 1,
    });
  }
  return parts;
}

/** Writes the market demo data (nothing already there is written again). */
export async function seedMarketDemo(
  now: Date = new Date(),
): Promise<{ referencePrices: number; days: number }> {
  const today = vnDay(now);
  const prices = referencePrices(today);
  for (const [coop, grades] of Object.entries(REFERENCE)) {
    const own = prices.filter((p) => p.cooperativeId === coop);
    await addReferencePrices(own, {
      at: now.toISOString(),
      actor: { sub: `manager-${coop}`, role: 'cooperative_manager' },
      action: 'reference_prices.set',
      subject: { type: 'producer', id: coop },
      details: { grades: grades.length },
    }).catch(ignoreCancelled);
  }
  const categories = new Map(demoListings.map((l) => [l.product.id, l.product.category]));
  const random = mulberry32(15_11);
  const { tableName } = db();
  let days = 0;
  // Two delivery days a week (Tuesday-ish and Friday-ish), oldest first, none after yesterday.
  for (let back = WEEKS * 7; back >= 1; back--) {
    if (back % 7 !== 2 && back % 7 !== 5) continue;
    const day = addDays(today, -back);
    const items = addSalesItems(salesOf(deliveriesOn(day, random), categories));
    const marker = {
      Put: {
        TableName: tableName,
        Item: { pk: 'META', sk: `DEMO_MARKET#${day}` },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    await transactWrite([marker, ...items]).then(() => (days += 1), ignoreCancelled);
  }
  return { referencePrices: prices.length, days };
}

/** Written already (a fixed id or a day's marker exists): nothing to do. */
function ignoreCancelled(error: unknown): void {
  if (error instanceof Error && error.name === 'TransactionCanceledException') return;
  throw error;
}
