/**
 * Checkout figures: POST /api/orders in-process (Hono app.request → DynamoDB Local) at
 * concurrency 1, then 64 buyers for 60 s (BENCH_ORDER_CONCURRENCY, BENCH_ORDER_SECONDS) beside
 * bare TransactWriteItems of the same items from as many writers for as long (budget: ≥ 70 % of
 * the bare rate, p99 ≤ 1.5× the bare p99, no 5xx, stock moved exactly by what was placed), and
 * the capacity each order consumes (every DynamoDB call of a checkout made with
 * ReturnConsumedCapacity=TOTAL), priced at the capacity model's on-demand rates (capacity.ts). Runs against the demo catalog of the running exchange.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { db } from '../../shared/db/client.ts';
import { PRICES } from './capacity.ts';
import { isMain, runStandalone } from './standalone.ts';
import { benchOrderBody as body, percentile, packsForSale, type Pack } from './measure.ts';
import { noticesDrained } from '../../infra/local/notice-queue.ts';

// On-demand prices per million request units, as the capacity model states them.
const WRITE_PRICE = PRICES.dynamoWrite;
const READ_PRICE = PRICES.dynamoRead;

interface Placed {
  status: number;
  ms: number;
  /** Quantities per pack of an order that was placed (201). */
  lines?: { variantId: string; quantity: number }[];
  paymentMethod: string;
}

async function placeOne(packs: Pack[], i: number): Promise<Placed> {
  const order = body(packs, i);
  const start = performance.now();
  const res = await ordersApp.request('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench_${randomUUID()}` },
    body: JSON.stringify(order),
  });
  await res.arrayBuffer();
  const ms = performance.now() - start;
  const paymentMethod = order.paymentMethod;
  return res.status === 201
    ? { status: 201, ms, lines: order.lines, paymentMethod }
    : { status: res.status, ms, paymentMethod };
}

interface RunResult {
  concurrency: number;
  orders: number;
  seconds: number;
  p50: number;
  p99: number;
  perSecond: number;
  statuses: Record<string, number>;
  placedQuantities: Map<string, number>;
  /** p50 and p99 of the placed orders of each payment method. */
  byMethod: Record<string, { p50: number; p99: number; n: number }>;
}

/** Places orders from `concurrency` buyers until `total` are sent or `seconds` have passed. */
async function run(
  packs: Pack[],
  limit: { total?: number; seconds?: number },
  concurrency: number,
): Promise<RunResult> {
  const samples: number[] = [];
  const perMethod: Record<string, number[]> = {};
  const statuses: Record<string, number> = {};
  const placedQuantities = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const deadline = limit.seconds ? started + limit.seconds * 1000 : Infinity;
  const more = () => next < (limit.total ?? Infinity) && performance.now() < deadline;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        const placed = await placeOne(packs, next++);
        statuses[placed.status] = (statuses[placed.status] ?? 0) + 1;
        if (placed.status !== 201) continue;
        samples.push(placed.ms);
        (perMethod[placed.paymentMethod] ??= []).push(placed.ms);
        for (const l of placed.lines!)
          placedQuantities.set(l.variantId, (placedQuantities.get(l.variantId) ?? 0) + l.quantity);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((x, y) => x - y);
  return {
    concurrency,
    orders: samples.length,
    seconds,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    perSecond: samples.length / seconds,
    statuses,
    placedQuantities,
    byMethod: Object.fromEntries(
      Object.entries(perMethod).map(([method, ms]) => {
        ms.sort((x, y) => x - y);
        return [method, { p50: percentile(ms, 50), p99: percentile(ms, 99), n: ms.length }];
      }),
    ),
  };
}

/** The stock of each pack as the table has it now (strongly consistent). */
async function stockOf(packs: Pack[]): Promise<Map<string, number>> {
  const stock = new Map<string, number>();
  for (const pack of packs) {
    const { Item } = await db().doc.send(
      new GetCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCT#${pack.productId}`, sk: `VARIANT#${pack.id}` },
        ConsistentRead: true,
      }),
    );
    stock.set(pack.id, Item?.stock as number);
  }
  return stock;
}

/**
 * The shape of a real checkout transaction: how many items it writes and how big each is, taken
 * from one order placed while a middleware watches the TransactWriteItems it sends.
 */
async function checkoutTransactionShape(packs: Pack[]): Promise<number[]> {
  const sizes: number[][] = [];
  const { doc } = db();
  const name = 'benchCheckoutShape';
  doc.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: Record<string, unknown>[] }).TransactItems;
      if (items) sizes.push(items.map((item) => JSON.stringify(Object.values(item)[0]).length));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    const placed = await placeOne(packs, 1);
    if (placed.status !== 201) throw new Error(`placeOrder answered ${placed.status}`);
  } finally {
    doc.middlewareStack.remove(name);
  }
  // The largest transaction of the order is the one that places it.
  return sizes.sort((a, b) => b.length - a.length)[0] ?? [];
}

/**
 * Calls made by the checkouts being measured, told apart from the rest of the process: the
 * catalog read model (packsForSale loads it) polls its shards in this process too, and after the
 * 64-buyer run it has thousands of stock changes to read, which were counted as the orders' reads.
 */
const metered = new AsyncLocalStorage<true>();

/** Sums the capacity of every DynamoDB call `work` makes. */
async function consumedCapacity(work: () => Promise<void>) {
  const totals = { read: 0, write: 0 };
  const { doc } = db();
  const name = 'benchConsumedCapacity';
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!metered.getStore()) return next(args);
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
    await metered.run(true, work);
  } finally {
    doc.middlewareStack.remove(name);
  }
  return totals;
}

/**
 * The floor: bare TransactWriteItems of the same number of items, each as large as checkout's
 * (conditional Puts of new items), from the same number of writers for the same time.
 */
async function transactionFloor(itemSizes: number[], concurrency: number, seconds: number) {
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const id = randomUUID();
        const start = performance.now();
        await db().doc.send(
          new TransactWriteCommand({
            TransactItems: itemSizes.map((size, i) => ({
              Put: {
                TableName: db().tableName,
                Item: {
                  pk: `BENCHFLOOR#${id}`,
                  sk: `ITEM#${i}`,
                  payload: 'x'.repeat(Math.max(1, size - 60)),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
        samples.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    concurrency,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    perSecond: samples.length / elapsed,
  };
}

export async function benchOrders(options: { concurrency?: number; seconds?: number } = {}): Promise<void> {
  const concurrency = options.concurrency ?? Number(process.env.BENCH_ORDER_CONCURRENCY ?? 64);
  const seconds = options.seconds ?? Number(process.env.BENCH_ORDER_SECONDS ?? 60);
  const packs = await packsForSale(12);
  for (let i = 0; i < 20; i++) await placeOne(packs, i); // warm-up
  const shape = await checkoutTransactionShape(packs);
  const one = await run(packs, { total: 300 }, 1);
  const before = await stockOf(packs);
  const many = await run(packs, { seconds }, concurrency);
  // The COD codes leave after the answer (the notice queue): the backlog is sent before anything
  // else is measured, so it loads neither the capacity sample nor the bare transactions.
  const drainStarted = performance.now();
  await noticesDrained(120_000);
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const after = await stockOf(packs);
  const oversold = packs.filter(
    (p) =>
      before.get(p.id)! - after.get(p.id)! !== (many.placedQuantities.get(p.id) ?? 0) || after.get(p.id)! < 0,
  );
  const fiveHundreds = Object.entries(many.statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  const sampled = 100;
  // The notices' own reads and writes (router claims, the send) are counted with their orders.
  const capacity = await consumedCapacity(async () => {
    for (let i = 0; i < sampled; i++) await placeOne(packs, i);
    await noticesDrained(60_000);
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
      placed: r.orders,
      seconds: r.seconds.toFixed(0),
      p50: ms(r.p50),
      p99: ms(r.p99),
      'orders/s': r.perSecond.toFixed(1),
      answers: Object.entries(r.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(' '),
    })),
  );
  console.log(
    `By payment method at ${concurrency} buyers: ` +
      Object.entries(many.byMethod)
        .map(([method, r]) => `${method} p50 ${ms(r.p50)}, p99 ${ms(r.p99)} (${r.n})`)
        .join('; '),
  );
  console.log(`Notices still queued when the buyers stopped were sent within ${drainSeconds.toFixed(1)} s.`);
  const floor = await transactionFloor(shape, concurrency, seconds);
  console.log(
    `Floor: DynamoDB Local alone, bare TransactWriteItems of checkout's ${shape.length} items ` +
      `(${shape.reduce((a, b) => a + b, 0)} bytes of JSON), ${concurrency} writers for ${seconds} s`,
  );
  console.table([
    {
      concurrency: floor.concurrency,
      p50: ms(floor.p50),
      p99: ms(floor.p99),
      'transactions/s': floor.perSecond.toFixed(1),
    },
  ]);
  const share = many.perSecond / floor.perSecond;
  const tail = many.p99 / floor.p99;
  console.log(
    `Budget: placeOrder at ${concurrency} buyers: ${(share * 100).toFixed(0)} % of the bare rate (≥ 70 %: ${share >= 0.7 ? 'met' : 'NOT met'}), ` +
      `p99 ${tail.toFixed(2)}× the bare p99 (≤ 1.5×: ${tail <= 1.5 ? 'met' : 'NOT met'}), ` +
      `5xx answers ${fiveHundreds} (0: ${fiveHundreds === 0 ? 'met' : 'NOT met'}), ` +
      `packs whose stock moved by other than what was placed ${oversold.length} (0: ${oversold.length === 0 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `Capacity per order (ReturnConsumedCapacity, ${sampled} orders): ${wcu.toFixed(1)} write units, ${rcu.toFixed(1)} read units` +
      ` → $${(wcu * WRITE_PRICE + rcu * READ_PRICE).toFixed(2)} per million orders at on-demand prices` +
      ` (writes $${(wcu * WRITE_PRICE).toFixed(2)}, reads $${(rcu * READ_PRICE).toFixed(2)})`,
  );
}

if (isMain(import.meta.url)) await runStandalone('orders', () => benchOrders());
