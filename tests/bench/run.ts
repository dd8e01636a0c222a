/**
 * `npm run bench`: prints figures, asserts nothing. Catalog list latency in-process (Hono
 * `app.request` against DynamoDB Local) and over HTTP (autocannon against the local server),
 * and the minified bundle size of each API function, bundled as the CDK stack bundles it.
 *
 * Budgets (issue #2): list products p99 ≤ 15 ms in-process; each API bundle ≤ 300 KB minified.
 *
 * Flags (`npm run bench -- --capacity …`):
 *   --capacity          only the capacity model (tests/bench/capacity.ts, docs/CAPACITY.md)
 *   --bundles           only the API bundle sizes, with each one's ten heaviest inputs
 *                       (tests/bench/bundles.ts)
 *   --catalog           only the catalog reads at scale (tests/bench/catalog-scale.ts); with a
 *                       --data-dir seeded by `npm run seed:scale` it measures that catalog as it is
 *   --data-dir DIR      run on a DATA_DIR (e.g. one seeded by `npm run seed:scale`; orders are
 *                       added to it) instead of the demo catalog in memory
 *   --samples N         samples per operation for --capacity (default 40)
 *   --orders N          orders of the hot-key run for --capacity (default 600)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { app, catalogCache } from '../../functions/catalog/app.ts';
import { readScaleManifest } from '../../infra/local/demo/scale-seed.ts';
import { startExchange } from '../../infra/local/runtime.ts';
import { bundleSizes, printBundleSizes } from './bundles.ts';
import { benchCapacity } from './capacity.ts';
import { benchCatalogScale } from './catalog-scale.ts';
import { benchImages } from './images.ts';
import { benchJobs } from './jobs.ts';
import { benchOrders } from './orders.ts';
import { benchPages } from './pages.ts';
import { benchPayments } from './payments.ts';
import { percentile } from './measure.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function timeInProcess(label: string, path: string, runs: number, before?: () => void) {
  for (let i = 0; i < 20; i++) await (await app.request(path)).arrayBuffer(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const start = performance.now();
    const res = await app.request(path);
    await res.arrayBuffer();
    samples.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  samples.sort((a, b) => a - b);
  return { label, runs, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)! };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

const { values: flags } = parseArgs({
  options: {
    capacity: { type: 'boolean', default: false },
    catalog: { type: 'boolean', default: false },
    bundles: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    samples: { type: 'string' },
    orders: { type: 'string' },
  },
});

async function main() {
  if (flags.bundles) {
    printBundleSizes(await bundleSizes(), 10);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  // No payment timer: its reads and writes would be counted in the checkout's capacity.
  const scaleSeeded = Boolean(flags['data-dir'] && readScaleManifest(flags['data-dir']));
  const exchange = await startExchange({
    port: 0,
    ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : { mediaDir: join(work, 'media') }),
    // A DATA_DIR seeded by `npm run seed:scale` is used as it is.
    ...(scaleSeeded ? { seed: false } : {}),
    site: 'never',
    paymentJobsIntervalMs: 0,
  });
  if (flags.catalog) {
    try {
      await benchCatalogScale({ endpoint: exchange.dynamodb.endpoint, seed: !scaleSeeded });
    } finally {
      await exchange.stop();
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  if (flags.capacity) {
    try {
      await benchCapacity(exchange, {
        ...(flags.samples ? { samples: Number(flags.samples) } : {}),
        ...(flags.orders ? { orders: Number(flags.orders) } : {}),
      });
    } finally {
      await exchange.stop();
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  try {
    const inProcess = [
      await timeInProcess('list, cached snapshot (limit 24)', '/api/catalog/products?limit=24', 2000),
      await timeInProcess(
        'search "che tan cuong", cached',
        '/api/catalog/products?q=che%20tan%20cuong',
        2000,
      ),
      await timeInProcess(
        'list, filters + price sort',
        '/api/catalog/products?ocopMin=3&inStock=true&sort=price_asc',
        2000,
      ),
      await timeInProcess(
        'list, cold (full catalog Query each time)',
        '/api/catalog/products?limit=24',
        300,
        () => catalogCache.clear(),
      ),
      await timeInProcess(
        'product detail (snapshot + lots Query)',
        '/api/catalog/products/che-dinh-tan-cuong-thuong-hang',
        1000,
      ),
    ];
    console.log('\nCatalog API in-process (Hono app.request → DynamoDB Local, 32 products)');
    console.table(
      inProcess.map((r) => ({ case: r.label, runs: r.runs, p50: ms(r.p50), p99: ms(r.p99), max: ms(r.max) })),
    );

    const http = await autocannon({
      url: `${exchange.url}/api/catalog/products?limit=24`,
      connections: 10,
      duration: 10,
    });
    console.log(
      'HTTP against the local server (autocannon, 10 connections, 10 s): GET /api/catalog/products?limit=24',
    );
    console.table([
      {
        'req/s (avg)': Math.round(http.requests.average),
        p50: `${http.latency.p50} ms`,
        p99: `${http.latency.p99} ms`,
        errors: http.errors,
        non2xx: http.non2xx,
      },
    ]);

    printBundleSizes(await bundleSizes());

    const list = inProcess[0]!;
    console.log(
      `Budget: list products p99 in-process ${ms(list.p99)} (≤ 15 ms: ${list.p99 <= 15 ? 'met' : 'NOT met'})`,
    );
    await benchOrders();
    await benchPayments({ endpoint: exchange.dynamodb.endpoint });
    await benchJobs();
    await benchImages();
    await benchCatalogScale({ endpoint: exchange.dynamodb.endpoint, seed: !scaleSeeded });
    // Static build time and pages rendered on request, on the same exchange.
    await benchPages({ exchange, demoData: !flags['data-dir'] });
  } finally {
    await exchange.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
