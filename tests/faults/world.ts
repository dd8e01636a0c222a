/**
 * What the fault tests share: the whole local runtime (infra/local/runtime.ts) in this test
 * file's process, with its own DynamoDB Local (own port, own data folder) that a test may stop,
 * stall or restart without touching any other file's; checkout over HTTP; the stock and the live
 * reservations of a pack read from the table.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startExchange, type ExchangeOptions, type RunningExchange } from '../../infra/local/runtime.ts';
import { db } from '../../shared/db/client.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

// One machine, one address: the order limits are off, as for the benchmarks.
process.env.RATE_LIMITS = 'off';

export interface FaultWorld {
  exchange: RunningExchange;
  dataDir: string;
}

/**
 * The exchange on free ports with its data on disk (so DynamoDB Local can be restarted). No demo
 * catalog: a test lists the packs it needs (packsWithStock).
 */
export async function startWorld(options: Partial<ExchangeOptions> = {}): Promise<FaultWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
  const exchange = await startExchange({
    port: 0,
    dataDir,
    site: 'never',
    seed: false,
    paymentJobsIntervalMs: 0,
    ...options,
  });
  return { exchange, dataDir };
}

export interface Pack {
  id: string;
  productId: string;
}

/** An independent household's published tea with `count` packs, each with `stock` in stock. */
export async function packsWithStock(count: number, stock: number): Promise<Pack[]> {
  const producer = await producers.create(
    createMockProducer({
      id: `hh-faults-${randomUUID().slice(0, 8)}`,
      kind: 'household',
      name: 'Hộ chè thử lỗi',
    }),
  );
  const product = createMockProduct(producer.id, { name: { vi: 'Chè Tân Cương thử lỗi' } });
  const variants = Array.from({ length: count }, (_, i) =>
    createMockVariant(product.id, { grams: 100 * (i + 1), price: 120_000 + i * 10_000, stock }),
  );
  await products.create({ product, variants }, producer);
  return variants.map((v) => ({ id: v.id, productId: product.id }));
}

export function orderBody(lines: { variantId: string; quantity: number }[], paymentMethod = 'vietqr') {
  return {
    lines,
    contact: { name: 'Khách thử lỗi', phone: '0987654321' },
    delivery: { method: 'shipping', address: { provinceCode: '01', wardCode: '00004', street: '1 Phố Huế' } },
    paymentMethod,
  };
}

export interface Answer {
  status: number;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probed by each assertion
  body: any;
  retryAfter: string | null;
  startedAt: number;
}

/** POST /api/orders over HTTP, timed. */
export async function checkout(url: string, body: unknown, key = `k_${randomUUID()}`): Promise<Answer> {
  const startedAt = Date.now();
  const res = await fetch(`${url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return {
    status: res.status,
    ms: Date.now() - startedAt,
    body: parsed,
    retryAfter: res.headers.get('retry-after'),
    startedAt,
  };
}

/** Every item of the table (small tables only), read consistently. */
export async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().doc.send(
      new ScanCommand({ TableName: db().tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const RELEASED = new Set(['cancelled', 'expired', 'refunded']);

/** A pack's stock and what live orders hold of it (orders not cancelled, expired or refunded). */
export async function stockAndReservations(pack: Pack): Promise<{ stock: number; reserved: number }> {
  const items = await scanAll();
  const variant = items.find((i) => i.pk === `PRODUCT#${pack.productId}` && i.sk === `VARIANT#${pack.id}`);
  let reserved = 0;
  for (const item of items) {
    if (item.sk !== 'ORDER' || RELEASED.has(item.status as string)) continue;
    for (const line of item.lines as { variantId: string; quantity: number }[]) {
      if (line.variantId === pack.id) reserved += line.quantity;
    }
  }
  return { stock: variant!.stock as number, reserved };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
