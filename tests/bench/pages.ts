/**
 * Storefront pages (issue 10, items 2 and 3): the static build's time (the bounded prebuilt set),
 * then product pages rendered on request over HTTP on the local server (static files first, the
 * renderer in-process), p50/p99 cold (each page's first request, right after the server started)
 * and warm (the same pages again), one request at a time, plus warm throughput at 8 connections.
 *
 * `npx tsx tests/bench/pages.ts [--data-dir DIR] [--pages N]` runs it alone (DIR: a DATA_DIR made
 * by `npm run seed:scale`, else the demo catalog in memory); `npm run bench` calls benchPages().
 * The build goes to node_modules/.cache/bench-pages (inside the repository, so the renderer
 * resolves its packages; site/dist is never touched).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { startExchange, type RunningExchange } from '../../infra/local/runtime.ts';
import { createLocalApp } from '../../infra/local/server.ts';
import { astroBuild, REPO_ROOT } from '../../infra/local/site-build.ts';
import { percentile } from './measure.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.ASTRO_TELEMETRY_DISABLED ??= '1';

function countFiles(dir: string, suffix: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) count += countFiles(path, suffix);
    else if (name.endsWith(suffix)) count++;
  }
  return count;
}

/** Product slugs from the API, newest first, following its cursors. */
async function productSlugs(origin: string, count: number): Promise<{ slugs: string[]; total: number }> {
  const slugs: string[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const url = `${origin}/api/catalog/products?limit=60${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(url)).json()) as {
      items: { slug: string }[];
      nextCursor: string | null;
      total: number;
    };
    slugs.push(...page.items.map((p) => p.slug));
    total = page.total;
    cursor = page.nextCursor;
  } while (cursor && slugs.length < count);
  return { slugs: slugs.slice(0, count), total };
}

async function timeGets(origin: string, paths: readonly string[]) {
  const samples: number[] = [];
  for (const path of paths) {
    const start = performance.now();
    const res = await fetch(`${origin}${path}`);
    await res.arrayBuffer();
    samples.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)! };
}

export interface PagesBenchOptions {
  /** A running exchange to measure on (npm run bench passes its own); else one is started. */
  exchange?: RunningExchange;
  /** Whether its catalog is the demo one (the footer's notice). @default !dataDir */
  demoData?: boolean;
  /** A DATA_DIR (e.g. from `npm run seed:scale`); default: the demo catalog in memory. */
  dataDir?: string;
  /** Product pages to time. @default 200 */
  pages?: number;
}

export async function benchPages(options: PagesBenchOptions = {}): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  const exchange =
    options.exchange ??
    (await startExchange({
      port: 0,
      ...(options.dataDir ? { dataDir: options.dataDir } : { mediaDir: join(work, 'media') }),
      seed: !options.dataDir,
      site: 'never',
      paymentJobsIntervalMs: 0,
    }));
  const demoData = options.demoData ?? !options.dataDir;
  try {
    const { total } = await productSlugs(exchange.url, 1);
    // The static build: the bounded prebuilt set, read from the running API.
    const outDir = join(REPO_ROOT, 'node_modules', '.cache', `bench-pages-${process.pid}`);
    const started = performance.now();
    await astroBuild({ apiUrl: exchange.url, demoData, outDir });
    const buildSeconds = (performance.now() - started) / 1000;
    const prebuilt = countFiles(join(outDir, 'client'), '.html');

    // A second origin on the same process: that build's files first, then its renderer.
    const app = createLocalApp({ siteDir: join(outDir, 'client'), mediaDir: join(work, 'media') });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { slugs } = await productSlugs(origin, options.pages ?? 200);
      const paths = slugs.map((slug) => `/san-pham/${slug}/`);
      const cold = await timeGets(origin, paths);
      const warm = await timeGets(origin, paths);
      const listing = await timeGets(origin, [
        '/san-pham/',
        '/san-pham/trang/2/',
        '/san-pham/danh-muc/che-dinh/sap-xep/gia-tang/',
        '/en/san-pham/sap-xep/ocop/',
      ]);
      const load = await autocannon({
        url: origin,
        connections: 8,
        duration: 10,
        requests: paths.slice(0, 50).map((path) => ({ method: 'GET', path })),
      });
      console.log(`\nStorefront pages (${total} products on sale${demoData ? ', demo catalog' : ''})`);
      console.table([
        { what: 'static build (astro build)', value: `${buildSeconds.toFixed(1)} s, ${prebuilt} HTML files` },
        {
          what: `product page cold (${paths.length} pages, first request each)`,
          value: `p50 ${cold.p50.toFixed(1)} ms, p99 ${cold.p99.toFixed(1)} ms`,
        },
        {
          what: `product page warm (same ${paths.length} pages again)`,
          value: `p50 ${warm.p50.toFixed(1)} ms, p99 ${warm.p99.toFixed(1)} ms`,
        },
        {
          what: 'listing pages (4 views, warm)',
          value: `p50 ${listing.p50.toFixed(1)} ms, max ${listing.max.toFixed(1)} ms`,
        },
        {
          what: 'product pages at 8 connections, 10 s',
          value: `${load.requests.average.toFixed(0)} req/s, p99 ${load.latency.p99} ms, ${load.non2xx} non-2xx`,
        },
      ]);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  } finally {
    if (!options.exchange) await exchange.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(join(REPO_ROOT, 'node_modules', '.cache', `bench-pages-${process.pid}`), {
      recursive: true,
      force: true,
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, pages: { type: 'string' } } });
  await benchPages({
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.pages ? { pages: Number(values.pages) } : {}),
  });
}
