/**
 * `npm run soak`: a bounded soak of the local runtime. Mixed traffic for SOAK_MINUTES (default 10)
 * from SOAK_CONCURRENCY clients (default 8), each request drawn at random: 80 % browsing (the home
 * page, the catalog list and search, a product's API answer and its rendered page), 15 % checkout
 * (POST /api/orders, COD or VietQR), 5 % the cooperative board (a manager's order list). Order
 * limits are off (RATE_LIMITS=off). Prints p50/p99 per route, every status other than 2xx (5xx
 * counted apart), and the process's RSS after a warm-up (SOAK_WARMUP_SECONDS, default 60, capped at
 * a fifth of the run) and at the end, with the growth between them. Exits 1 on any 5xx or a growth
 * over 10 %.
 *
 *   npm run soak                       # 10 minutes
 *   SOAK_MINUTES=2 npm run soak        # a quick check
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startExchange } from '../../infra/local/runtime.ts';
import { accounts } from '../../shared/db/accounts.ts';
import { giveStock, percentile } from './measure.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 8);
const durationMs = minutes * 60_000;
const warmupMs = Math.min(Number(process.env.SOAK_WARMUP_SECONDS ?? 60) * 1000, durationMs / 5);
/** A demo cooperative's manager (infra/local/demo): the board's reader. */
const MANAGER_PHONE = '+84912000101';

interface Product {
  id: string;
  slug: string;
  variants: { id: string }[];
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** A full collection, whatever flags the process was started with. */
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Where the memory is, after a full collection: RSS, the
 * live heap, and each V8 space's size (what V8 holds) beside what is used in it. A leak shows as
 * live heap that keeps growing; a space that V8 enlarges under load shows as size without use.
 */
function memorySnapshot() {
  collectGarbage();
  const { rss, heapUsed, external } = process.memoryUsage();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics()
      .filter((space) => space.space_size > 1024 * 1024)
      .map((space) => [space.space_name, `${mb(space.space_used_size)}/${mb(space.space_size)}`]),
  );
  return { rss, heapUsed, external, spaces };
}

const describeMemory = (m: ReturnType<typeof memorySnapshot>) =>
  `RSS ${mb(m.rss)} MB, live heap ${mb(m.heapUsed)} MB, external ${mb(m.external)} MB; spaces used/size MB ${JSON.stringify(m.spaces)}`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'soak-'));
  const log = (line: string) => console.log(`[soak] ${line}`);
  log(`starting the exchange (data in ${work})…`);
  const exchange = await startExchange({ port: 0, dataDir: work, log });
  const url = exchange.url;
  try {
    const list = (await (await fetch(`${url}/api/catalog/products?limit=48`)).json()) as { items: Product[] };
    const products = list.items;
    // Checkout never runs out: every pack gets a large stock.
    await giveStock(
      products.flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id }))),
      10_000_000,
    );
    const manager = await accounts.findByPhone(MANAGER_PHONE);
    if (!manager?.producerId) throw new Error(`no demo manager at ${MANAGER_PHONE}`);
    const { accessToken: token } = await exchange.issuer.sign(manager);
    const boardPath = `/api/board/${manager.producerId}/orders`;

    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
    type Call = { route: string; run: () => Promise<Response> };
    const browse = (): Call => {
      const product = pick(products);
      const r = Math.random();
      if (r < 0.2) return { route: 'GET /', run: () => fetch(`${url}/`) };
      if (r < 0.4)
        return { route: 'GET /san-pham/{slug}/', run: () => fetch(`${url}/san-pham/${product.slug}/`) };
      if (r < 0.6)
        return {
          route: 'GET /api/catalog/products',
          run: () => fetch(`${url}/api/catalog/products?limit=24`),
        };
      if (r < 0.8)
        return {
          route: 'GET /api/catalog/products/{slug}',
          run: () => fetch(`${url}/api/catalog/products/${product.slug}`),
        };
      return {
        route: 'GET /api/catalog/products?q=',
        run: () => fetch(`${url}/api/catalog/products?q=ch%C3%A8`),
      };
    };
    const checkout = (): Call => {
      const variant = pick(pick(products).variants);
      const body = {
        lines: [{ variantId: variant.id, quantity: 1 }],
        contact: { name: 'Khách thử tải', phone: '0987654321' },
        delivery: {
          method: 'shipping',
          address: { provinceCode: '01', wardCode: '00004', street: '1 Phố Huế' },
        },
        paymentMethod: Math.random() < 0.5 ? 'cod' : 'vietqr',
      };
      return {
        route: 'POST /api/orders',
        run: () =>
          fetch(`${url}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `soak_${randomUUID()}` },
            body: JSON.stringify(body),
          }),
      };
    };
    const board = (): Call => ({
      route: 'GET /api/board/{fulfillerId}/orders',
      run: () => fetch(`${url}${boardPath}?limit=25`, { headers: { authorization: `Bearer ${token}` } }),
    });
    const next = (): Call => {
      const r = Math.random();
      return r < 0.8 ? browse() : r < 0.95 ? checkout() : board();
    };

    const samples = new Map<string, number[]>();
    const statuses = new Map<string, number>();
    let fiveXx = 0;
    let failed = 0;
    const started = performance.now();
    let afterWarmup: ReturnType<typeof memorySnapshot> | undefined;
    const warmup = setTimeout(() => {
      afterWarmup = memorySnapshot();
      log(`warm-up done: ${describeMemory(afterWarmup)}`);
    }, warmupMs);
    const progress = setInterval(() => {
      const done = [...samples.values()].reduce((n, s) => n + s.length, 0);
      log(
        `${Math.round((performance.now() - started) / 1000)} s: ${done} requests, ${fiveXx} 5xx, RSS ${mb(process.memoryUsage().rss)} MB`,
      );
    }, 30_000);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() - started < durationMs) {
          const call = next();
          const t = performance.now();
          try {
            const res = await call.run();
            await res.arrayBuffer();
            const ms = performance.now() - t;
            (samples.get(call.route) ?? samples.set(call.route, []).get(call.route)!).push(ms);
            if (res.status >= 500) fiveXx += 1;
            if (res.status >= 300) {
              const key = `${call.route} → ${res.status}`;
              statuses.set(key, (statuses.get(key) ?? 0) + 1);
            }
          } catch (error) {
            failed += 1;
            const key = `${call.route} → ${String((error as Error).message)}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
          }
        }
      }),
    );
    clearTimeout(warmup);
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    const end = memorySnapshot();
    const rssAfterWarmup = afterWarmup?.rss;
    const rssEnd = end.rss;
    const growth = rssAfterWarmup ? ((rssEnd - rssAfterWarmup) / rssAfterWarmup) * 100 : NaN;
    const heapGrowth = afterWarmup
      ? ((end.heapUsed - afterWarmup.heapUsed) / afterWarmup.heapUsed) * 100
      : NaN;

    const rows = [...samples.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, ms]) => {
        const sorted = [...ms].sort((a, b) => a - b);
        return {
          route,
          requests: sorted.length,
          p50ms: Number(percentile(sorted, 50).toFixed(1)),
          p99ms: Number(percentile(sorted, 99).toFixed(1)),
        };
      });
    const total = rows.reduce((n, r) => n + r.requests, 0);
    console.log(
      `\nSoak: ${minutes} min, ${concurrency} clients, ${total} requests (${(total / seconds).toFixed(0)}/s)\n`,
    );
    console.table(rows);
    if (statuses.size > 0) console.log('Non-2xx answers and failures:', Object.fromEntries(statuses));
    console.log(`5xx: ${fiveXx}; failed requests: ${failed}`);
    console.log(
      `RSS after warm-up (${Math.round(warmupMs / 1000)} s): ${rssAfterWarmup ? mb(rssAfterWarmup) : '?'} MB; at the end: ${mb(rssEnd)} MB; growth ${growth.toFixed(1)} %`,
    );
    if (afterWarmup) console.log(`  after warm-up: ${describeMemory(afterWarmup)}`);
    console.log(`  at the end:    ${describeMemory(end)}; live heap growth ${heapGrowth.toFixed(1)} %`);
    process.exitCode = fiveXx > 0 || failed > 0 || !(growth <= 10) ? 1 : 0;
  } finally {
    await exchange.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
