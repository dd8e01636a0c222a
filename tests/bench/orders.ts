/**
 * Checkout figures (issue budgets: placeOrder p99 ≤ 60 ms at concurrency 32): POST /api/orders
 * in-process (Hono app.request → DynamoDB Local) at concurrency 1 and 32, orders per second, and
 * the capacity each order consumes (every DynamoDB call of a checkout made with
 * ReturnConsumedCapacity=TOTAL), priced at on-demand rates ($0.625 per million write units,
 * $0.125 per million read units). Runs against the demo catalog of the running exchange.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { app as catalogApp } from '../../functions/catalog/app.ts';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { db } from '../../shared/db/client.ts';

const WRITE_PRICE = 0.625; // $ per million write request units
const READ_PRICE = 0.125; // $ per million read request units

interface Pack {
  id: string;
  productId: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function packsForSale(count: number): Promise<Pack[]> {
  const res = await catalogApp.request('/api/catalog/products?limit=48');
  const body = (await res.json()) as { items: { id: string; variants: { id: string }[] }[] };
  const packs = body.items.flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id })));
  // Plenty of stock: the bench measures placing, not running out.
  for (const pack of packs.slice(0, count)) {
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCT#${pack.productId}`, sk: `VARIANT#${pack.id}` },
        UpdateExpression: 'SET stock = :s',
        ExpressionAttributeValues: { ':s': 1_000_000 },
      }),
    );
  }
  return packs.slice(0, count);
}

function body(packs: Pack[], i: number) {
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

async function placeOne(packs: Pack[], i: number): Promise<number> {
  const start = performance.now();
  const res = await ordersApp.request('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench_${randomUUID()}` },
    body: JSON.stringify(body(packs, i)),
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`placeOrder answered ${res.status}`);
  return performance.now() - start;
}

async function run(packs: Pack[], total: number, concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) samples.push(await placeOne(packs, next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((x, y) => x - y);
  return {
    concurrency,
    orders: total,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    perSecond: total / seconds,
  };
}

/** Sums the capacity of every DynamoDB call made while `work` runs. */
async function consumedCapacity(work: () => Promise<void>) {
  const totals = { read: 0, write: 0 };
  const { doc } = db();
  const name = 'benchConsumedCapacity';
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of ([] as Record<string, number | undefined>[]).concat((consumed ?? []) as never)) {
        totals.read += c.ReadCapacityUnits ?? 0;
        totals.write += c.WriteCapacityUnits ?? 0;
        if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined) {
          // Some answers only carry CapacityUnits: count by the command's kind.
          if (/Get|Query/.test(context.commandName ?? '')) totals.read += c.CapacityUnits ?? 0;
          else totals.write += c.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    doc.middlewareStack.remove(name);
  }
  return totals;
}

/** The floor: a bare 12-item TransactWriteItems (what one order writes) at a given concurrency. */
async function transactionFloor(total: number, concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const id = randomUUID();
        const start = performance.now();
        await db().doc.send(
          new TransactWriteCommand({
            TransactItems: Array.from({ length: 12 }, (_, i) => ({
              Put: {
                TableName: db().tableName,
                Item: { pk: `BENCHFLOOR#${id}`, sk: `ITEM#${i}`, payload: 'x'.repeat(600) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
        samples.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((x, y) => x - y);
  return {
    concurrency,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    perSecond: total / seconds,
  };
}

export async function benchOrders(): Promise<void> {
  const packs = await packsForSale(12);
  for (let i = 0; i < 20; i++) await placeOne(packs, i); // warm-up
  const one = await run(packs, 300, 1);
  const many = await run(packs, 1000, 32);
  const sampled = 100;
  const capacity = await consumedCapacity(async () => {
    for (let i = 0; i < sampled; i++) await placeOne(packs, i);
  });
  const wcu = capacity.write / sampled;
  const rcu = capacity.read / sampled;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    '\nplaceOrder in-process (Hono app.request → DynamoDB Local; 1–2 lines, half COD, half VietQR)',
  );
  console.table(
    [one, many].map((r) => ({
      concurrency: r.concurrency,
      orders: r.orders,
      p50: ms(r.p50),
      p99: ms(r.p99),
      'orders/s': r.perSecond.toFixed(0),
    })),
  );
  const floors = [await transactionFloor(300, 1), await transactionFloor(1000, 32)];
  console.log('Floor: DynamoDB Local alone, one 12-item TransactWriteItems per "order"');
  console.table(
    floors.map((r) => ({
      concurrency: r.concurrency,
      p50: ms(r.p50),
      p99: ms(r.p99),
      'transactions/s': r.perSecond.toFixed(0),
    })),
  );
  console.log(
    `Budget: placeOrder p99 at concurrency 32 ${ms(many.p99)} (≤ 60 ms: ${many.p99 <= 60 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `Capacity per order (ReturnConsumedCapacity, ${sampled} orders): ${wcu.toFixed(1)} write units, ${rcu.toFixed(1)} read units` +
      ` → $${(wcu * WRITE_PRICE + rcu * READ_PRICE).toFixed(2)} per million orders at on-demand prices` +
      ` (writes $${(wcu * WRITE_PRICE).toFixed(2)}, reads $${(rcu * READ_PRICE).toFixed(2)})`,
  );
}
