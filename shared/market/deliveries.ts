/**
 * Counting deliveries for the market panel. When a sub-order becomes `delivered` (a manager on the
 * board, a carrier's event), `changeOrder` (shared/orders/lifecycle.ts) adds these updates to the
 * transaction that moves it: each delivered line adds its weight to the price bucket of its
 * grade (weighed packs) and its units and revenue to its seller's own days. The sub-order's write
 * is conditional on the version read, so a delivery is counted once, never twice, and not at all
 * if the move loses a race (it is then read again and counted by the move that wins).
 *
 * The grade is the product's category when it is delivered. Parts refunded after delivery stay
 * counted (a refund is rare and says nothing about the price asked).
 */
import { addSalesItems, categoriesOf, marketShardOf, type SellerDaySale } from '../db/market-sales.ts';
import type { TransactItem } from '../db/items.ts';
import type { SubOrder } from '../orders/model.ts';
import { vnDay } from '../orders/reports.ts';
import { bucketOf, pricePerKg } from './price-stats.ts';

/** The sub-orders of `planned` that this change moves to delivered. */
export function newlyDelivered(before: readonly SubOrder[], planned: readonly SubOrder[]): SubOrder[] {
  return planned.filter(
    (sub) =>
      sub.status === 'delivered' &&
      before.find((b) => b.fulfillerId === sub.fulfillerId)?.status !== 'delivered',
  );
}

/** The sales of delivered sub-orders, one per seller, grade and day (before the shard's grouping). */
export function salesOf(delivered: readonly SubOrder[], categories: Map<string, string>): SellerDaySale[] {
  const sales = new Map<string, SellerDaySale>();
  for (const sub of delivered) {
    const at = [...sub.history].reverse().find((s) => s.status === 'delivered')?.at ?? sub.createdAt;
    const day = vnDay(at);
    const shard = marketShardOf(`${sub.orderCode}#${sub.fulfillerId}`);
    for (const line of sub.lines) {
      const category = categories.get(line.productId);
      if (!category) continue; // the product is gone: nothing to file it under
      const id = `${line.producerId}|${category}|${day}|${shard}`;
      const sale = sales.get(id) ?? {
        day,
        category,
        producerId: line.producerId,
        shard,
        buckets: new Map<number, number>(),
        products: new Map<string, { units: number; revenue: number }>(),
      };
      if (line.grams) {
        const bucket = bucketOf(pricePerKg(line.unitPrice, line.grams));
        sale.buckets.set(bucket, (sale.buckets.get(bucket) ?? 0) + line.grams * line.quantity);
      }
      const had = sale.products.get(line.productId) ?? { units: 0, revenue: 0 };
      sale.products.set(line.productId, {
        units: had.units + line.quantity,
        revenue: had.revenue + line.lineTotal,
      });
      sales.set(id, sale);
    }
  }
  return [...sales.values()];
}

/** The updates that count this change's deliveries (none when it delivers nothing). */
export async function deliveredSalesItems(
  before: readonly SubOrder[],
  planned: readonly SubOrder[],
): Promise<TransactItem[]> {
  const delivered = newlyDelivered(before, planned);
  if (delivered.length === 0) return [];
  const categories = await categoriesOf(delivered.flatMap((s) => s.lines.map((l) => l.productId)));
  return addSalesItems(salesOf(delivered, categories));
}
