/** What several benches share: percentiles and packs with plenty of stock to place orders for. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { app as catalogApp } from '../../functions/catalog/app.ts';
import { db } from '../../shared/db/client.ts';

// Every bench drives the exchange from one machine and one address: the order limits would
// refuse it after a few orders (shared/orders/limits.ts). Deployments never turn them off.
process.env.RATE_LIMITS = 'off';

/** The p-th percentile of ascending samples (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Pack {
  id: string;
  productId: string;
}

/** `count` packs on sale, each given a million in stock: the benches measure placing, not running out. */
export async function packsForSale(count: number): Promise<Pack[]> {
  const res = await catalogApp.request('/api/catalog/products?limit=48');
  const body = (await res.json()) as { items: { id: string; variants: { id: string }[] }[] };
  const packs = body.items
    .flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id })))
    .slice(0, count);
  await giveStock(packs, 1_000_000);
  return packs;
}

/** Sets each pack's stock to `stock`, so a bench never runs out. */
export async function giveStock(packs: readonly Pack[], stock: number): Promise<void> {
  for (const pack of packs) {
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCT#${pack.productId}`, sk: `VARIANT#${pack.id}` },
        UpdateExpression: 'SET stock = :s',
        ExpressionAttributeValues: { ':s': stock },
      }),
    );
  }
}

/**
 * The orders bench's order i (tests/bench/orders.ts, and the read trace of the same mix): 1–2
 * lines of the given packs, half COD, half VietQR, one phone.
 */
export function benchOrderBody(packs: readonly Pack[], i: number) {
  const a = packs[i % packs.length]!;
  const b = packs[(i * 7 + 3) % packs.length]!;
  return {
    lines:
      a.id === b.id
        ? [{ variantId: a.id, quantity: 1 }]
        : [
            { variantId: a.id, quantity: 1 },
            { variantId: b.id, quantity: 2 },
          ],
    contact: { name: 'Khách thử tải', phone: '0987654321' },
    delivery: { method: 'shipping', address: { provinceCode: '01', wardCode: '00004', street: '1 Phố Huế' } },
    paymentMethod: i % 2 === 0 ? 'cod' : 'vietqr',
  };
}
