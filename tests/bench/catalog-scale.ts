/**
 * Catalog reads at province scale (issue 10, items 4 and 5): the deterministic province catalog of
 * `npm run seed:scale` (20,000 listings by default, written through the repositories) in DynamoDB
 * Local, then, in-process with Hono `app.request`: list, search and product page p50/p99;
 * the read model's full load and the cost of a change poll; the catalog function's RSS in a child
 * process that loads only the bundled catalog app; the bytes a search downloads (gzipped answers
 * of the search page's requests) beside the old whole-catalog index.
 *
 * Budgets: list and search p99 ≤ 25 ms, product p99 ≤ 15 ms, RSS ≤ 256 MB, ≤ 60 KB a search.
 *
 * `npx tsx tests/bench/catalog-scale.ts [--listings N]` runs it alone on its own DynamoDB Local;
 * `npm run bench` runs it after the other figures (benchCatalogScale).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { app, catalogCache } from '../../functions/catalog/app.ts';
import { seedScale } from '../../infra/local/demo/scale-seed.ts';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { fileMediaStore } from '../../infra/local/media-store.ts';
import { db } from '../../shared/db/client.ts';
import { provideServices, services } from '../../shared/services.ts';
import { writeCatalogSnapshots } from '../../shared/db/catalog-snapshot.ts';
import { fileSnapshotStore } from '../../infra/local/catalog-snapshots.ts';
import { localConfig, localServices } from '../../infra/local/services.ts';
import { createTable } from '../../shared/db/create-table.ts';
import { reserveStock } from '../../shared/db/orders.ts';
import { CATEGORIES } from '../../shared/domain/categories.ts';
import type { ProductSummary } from '../../shared/domain/catalog-view.ts';
import { foldForSearch } from '../../shared/domain/text.ts';
import { searchPath, shouldAsk } from '../../site/src/shop/search.ts';
import { toSearchEntry } from '../../site/src/shop/search-entry.ts';
import { percentile } from './measure.ts';

const BUDGET = { listP99: 25, productP99: 15, rssMb: 256, searchKb: 60 };

// --- measurements ------------------------------------------------------------------------------

/**
 * Wall time per request, and the process's CPU time per request: on a shared machine the wall
 * time includes waiting for a core, the CPU time is the work itself (GC threads included).
 */
async function time(label: string, paths: readonly string[], runs: number) {
  for (let i = 0; i < 30; i++) await (await app.request(paths[i % paths.length]!)).arrayBuffer();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const path = paths[i % paths.length]!;
    const start = performance.now();
    const used = process.cpuUsage();
    const res = await app.request(path);
    await res.arrayBuffer();
    const spent = process.cpuUsage(used);
    samples.push(performance.now() - start);
    cpu.push((spent.user + spent.system) / 1000);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    label,
    runs,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.at(-1)!,
    cpuP50: percentile(cpu, 50),
    cpuP99: percentile(cpu, 99),
  };
}

/**
 * The V8 limits Lambda's Node.js bootstrap (/var/runtime/bootstrap) gives a function of
 * `memoryMiB`: a tenth of the memory for the young generation (half of it per semi-space), the
 * rest for the old generation. V8 sizes its heap and collects by these, so a process measured
 * without them (Node's defaults are sized for a desktop) keeps far more than Lambda's would.
 */
export function lambdaV8Flags(memoryMiB: number): string[] {
  const young = Math.floor(memoryMiB / 10);
  return [`--max-semi-space-size=${Math.floor(young / 2)}`, `--max-old-space-size=${memoryMiB - young}`];
}

/**
 * RSS of a fresh Node process that loads only the bundled catalog app and its read model, with
 * the V8 limits Lambda gives a function of the budget's size: does the catalog fit a 256 MB function?
 */
export async function catalogRss(
  endpoint: string,
  tableName: string,
  options: { heapSnapshot?: string } = {},
): Promise<{ rssMb: number; heapMb: number; heapTotalMb: number; externalMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-rss-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { installLambdaServices } from ${JSON.stringify(join(process.cwd(), 'functions/services.ts'))};
import { app } from ${JSON.stringify(join(process.cwd(), 'functions/catalog/app.ts'))};
// The function's own composition root, as its Lambda entry runs it (functions/catalog/handler.ts).
installLambdaServices('catalog');
const res = await app.request('/api/catalog/products?limit=24', {
  headers: { 'x-origin-verify': process.env.ORIGIN_VERIFY_SECRET },
});
if (res.status !== 200) throw new Error('catalog answered ' + res.status);
await res.arrayBuffer();
globalThis.gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external }));
// tests/bench/catalog-heap.ts: what the heap holds, after the figures above were taken.
if (process.env.HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
`,
    );
    // Bundled as the CDK stack bundles the function (the SDK is inside: Node has none of its own).
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      outfile: join(dir, 'entry.mjs'),
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const out = await new Promise<string>((done, fail) => {
      const child = spawn(
        process.execPath,
        ['--expose-gc', ...lambdaV8Flags(BUDGET.rssMb), join(dir, 'entry.mjs')],
        {
          env: {
            ...process.env,
            DYNAMODB_ENDPOINT: endpoint,
            TABLE_NAME: tableName,
            AWS_REGION: 'local',
            // The settings the catalog function cannot start without (functions/services.ts).
            ORIGIN_VERIFY_SECRET: 'bench-origin-secret',
            CURSOR_SECRET: 'bench-cursor-secret-of-at-least-32-chars',
            ...(options.heapSnapshot ? { HEAP_SNAPSHOT: options.heapSnapshot } : {}),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) => (code === 0 ? done(text) : fail(new Error(`RSS child exited ${code}`))));
    });
    const m = JSON.parse(out.trim().split('\n').at(-1)!) as Record<
      'rss' | 'heap' | 'heapTotal' | 'external',
      number
    >;
    return {
      rssMb: m.rss / 2 ** 20,
      heapMb: m.heap / 2 ** 20,
      heapTotalMb: m.heapTotal / 2 ** 20,
      externalMb: m.external / 2 ** 20,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The gzipped size of what the search page downloads while a shopper types `typed`. */
async function searchBytes(typed: string) {
  // The page asks after a 150 ms pause, from the second letter on: a shopper typing a word at a
  // time asks once a word; the worst case asks once a letter. Answers are cached in the page, so each URL counts once.
  const perWord = typed.split(' ').map((_, i, words) => words.slice(0, i + 1).join(' '));
  const perLetter = Array.from({ length: typed.length }, (_, i) => typed.slice(0, i + 1)).filter(shouldAsk);
  const size = async (queries: string[]) => {
    let bytes = 0;
    for (const path of new Set(queries.map((q) => searchPath(q)))) {
      const body = Buffer.from(await (await app.request(path)).arrayBuffer());
      bytes += gzipSync(body, { level: 6 }).length;
    }
    return bytes;
  };
  return { typed, perWord: await size(perWord), perLetter: await size(perLetter) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Seeds `listings` listings into the current table (unless told not to) and prints the catalog figures. */
export async function benchCatalogScale(options: {
  listings?: number;
  endpoint: string;
  tableName?: string;
  /** false: measure the catalog already in the table (a folder seeded by `npm run seed:scale`). */
  seed?: boolean;
}) {
  if (options.seed !== false) await seedCatalog(options.listings ?? 20_000);
  else console.log('\nCatalog as seeded in the data folder');
  await measureCatalog(options);
}

async function seedCatalog(listings: number) {
  console.log(`\nCatalog at ${listings} listings (seeding the province catalog…)`);
  const media = mkdtempSync(join(tmpdir(), 'catalog-scale-media-'));
  let lastLog = 0;
  const seeded = await seedScale({
    media: fileMediaStore(media),
    listings,
    producers: Math.max(10, Math.round(listings / 4)),
    accounts: false,
    log: (line) => {
      if (!line.startsWith('listings') || Date.now() - lastLog > 60_000) {
        console.log(`  ${line}`);
        lastLog = Date.now();
      }
    },
  });
  rmSync(media, { recursive: true, force: true });
  console.log(
    `  seeded ${seeded.listings} listings, ${seeded.producers} producers, ${seeded.packs} packs, ${seeded.lots} lots in ${(seeded.ms / 1000).toFixed(0)} s`,
  );
}

async function measureCatalog(options: { endpoint: string; tableName?: string }) {
  // Counting the bytes read serializes every item: only the bench asks for it.
  catalogCache.countBytes(true);

  catalogCache.clear();
  const loadStart = performance.now();
  await catalogCache.get();
  const fullLoadMs = performance.now() - loadStart;
  const full = catalogCache.stats.fullLoad!;

  const entries = (await catalogCache.get()).entries;
  const slugs = entries.map((e) => e.summary.slug);
  const sample = Array.from({ length: 200 }, (_, i) => slugs[(i * 7919) % slugs.length]!);
  const queries = [
    'che',
    'che tan cuong',
    'tra',
    'mat ong',
    'dinh la bang',
    'ch',
    'khe coc thuong',
    'nam huong',
  ];
  const rows = [
    await time('list newest (limit 24)', ['/api/catalog/products?limit=24'], 2000),
    await time(
      'list category + price sort + in stock',
      CATEGORIES.map((c) => `/api/catalog/products?category=${c.slug}&sort=price_asc&inStock=true`),
      2000,
    ),
    await time('list page 5 (cursor walk, ocop sort)', [await pageFive()], 1000),
    await time(
      'search (8 queries, limit 24)',
      queries.map((q) => searchPath(q)),
      2000,
    ),
    await time(
      'product page',
      sample.map((s) => `/api/catalog/products/${s}`),
      2000,
    ),
  ];
  console.log(
    `  load average while measuring: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  );
  console.table(
    rows.map((r) => ({
      case: r.label,
      runs: r.runs,
      p50: ms(r.p50),
      p99: ms(r.p99),
      max: ms(r.max),
      'cpu p50': ms(r.cpuP50),
      'cpu p99': ms(r.cpuP99),
    })),
  );

  // Change polls: the first re-reads the overlap window before the last read; the second, with
  // nothing written meanwhile, reads only empty answers. Then one after 100 stock moves.
  await new Promise((done) => setTimeout(done, 11_000)); // past the overlap window (10 s)
  await catalogCache.refresh();
  await catalogCache.refresh();
  const idle = { ...catalogCache.stats.lastPoll! };
  for (let i = 0; i < 100; i++) {
    const summary = entries[(i * 7919) % entries.length]!.summary;
    const pack = summary.variants.find((v) => v.stock > 0);
    if (pack)
      await db().doc.send(
        new TransactWriteCommand({ TransactItems: [reserveStock(summary.id, pack.id, 1, pack.price)] }),
      );
  }
  await catalogCache.refresh();
  const busy = { ...catalogCache.stats.lastPoll! };

  // A cold start from the shards' snapshots (shared/db/catalog-snapshot.ts): what the snapshot
  // job writes, then a new container's load from it plus the changes since (the 100 moves above
  // were made before the snapshot, so this reads only the overlap window).
  const snapshotDir = mkdtempSync(join(tmpdir(), 'catalog-snapshots-'));
  const store = fileSnapshotStore(snapshotDir);
  const written = await writeCatalogSnapshots(store);
  const composed = services();
  provideServices({ ...composed, catalogSnapshots: store });
  catalogCache.clear();
  const snapshotStart = performance.now();
  await catalogCache.get();
  const snapshotLoadMs = performance.now() - snapshotStart;
  const fromSnapshot = { ...catalogCache.stats.fullLoad! };
  provideServices(composed);
  rmSync(snapshotDir, { recursive: true, force: true });
  console.table([
    {
      read: 'full load (once per container)',
      ms: ms(fullLoadMs),
      items: full.items,
      bytes: kb(full.bytes),
      'read units': full.readUnits.toFixed(1),
      requests: full.requests,
    },
    {
      read: 'snapshot job (every shard read whole, compressed, stored)',
      ms: ms(written.ms),
      items: written.items,
      bytes: `${kb(written.bytes)} gz`,
      'read units': written.readUnits.toFixed(1),
      requests: '',
    },
    {
      read: `cold load from snapshots (${fromSnapshot.fromSnapshot} shards) + changes since`,
      ms: ms(snapshotLoadMs),
      items: `${fromSnapshot.snapshotItems} + ${fromSnapshot.items}`,
      bytes: kb(fromSnapshot.bytes),
      'read units': fromSnapshot.readUnits.toFixed(1),
      requests: fromSnapshot.requests,
    },
    {
      read: 'change poll, nothing changed',
      ms: ms(idle.ms),
      items: idle.items,
      bytes: kb(idle.bytes),
      'read units': idle.readUnits.toFixed(1),
      requests: idle.requests,
    },
    {
      read: 'change poll after 100 stock moves',
      ms: ms(busy.ms),
      items: busy.items,
      bytes: kb(busy.bytes),
      'read units': busy.readUnits.toFixed(1),
      requests: busy.requests,
    },
  ]);
  console.log(`  full loads so far: ${catalogCache.stats.fullLoads} (the polls above read only changes)`);

  const rss = await catalogRss(options.endpoint, options.tableName ?? db().tableName);
  console.log(
    `  catalog function RSS after loading the catalog (bundled, own process, V8 limits of a ${BUDGET.rssMb} MB Lambda: ${lambdaV8Flags(BUDGET.rssMb).join(' ')}): ${rss.rssMb.toFixed(0)} MB (heap ${rss.heapMb.toFixed(0)} MB; budget ${BUDGET.rssMb} MB)`,
  );

  const typed = ['che tan cuong', 'mat ong rung', 'tra tui loc la bang'];
  const bytes = [];
  for (const t of typed) bytes.push(await searchBytes(t));
  const all = (await (await app.request('/api/catalog/products?limit=1')).json()) as { total: number };
  const before = await wholeIndexBytes(all.total);
  console.table(
    bytes.map((b) => ({
      typed: b.typed,
      'a request a word': kb(b.perWord),
      'a request a letter (worst)': kb(b.perLetter),
      budget: `${BUDGET.searchKb} KB`,
    })),
  );
  console.log(`  before: the whole-catalog search index was ${kb(before)} gzipped at ${all.total} listings`);

  const list = rows[0]!;
  const search = rows[3]!;
  const product = rows[4]!;
  const worst = Math.max(...bytes.map((b) => b.perLetter));
  console.log(
    [
      `Budgets: list p99 ${ms(list.p99)} (≤ ${BUDGET.listP99}: ${list.p99 <= BUDGET.listP99 ? 'met' : 'NOT met'})`,
      `search p99 ${ms(search.p99)} (≤ ${BUDGET.listP99}: ${search.p99 <= BUDGET.listP99 ? 'met' : 'NOT met'})`,
      `product p99 ${ms(product.p99)} (≤ ${BUDGET.productP99}: ${product.p99 <= BUDGET.productP99 ? 'met' : 'NOT met'})`,
      `RSS ${rss.rssMb.toFixed(0)} MB (≤ ${BUDGET.rssMb}: ${rss.rssMb <= BUDGET.rssMb ? 'met' : 'NOT met'})`,
      `search bytes worst ${kb(worst)} (≤ ${BUDGET.searchKb} KB: ${worst <= BUDGET.searchKb * 1024 ? 'met' : 'NOT met'})`,
    ].join('; '),
  );
}

async function pageFive(): Promise<string> {
  let path = '/api/catalog/products?sort=ocop&limit=24';
  for (let i = 0; i < 4; i++) {
    const page = (await (await app.request(path)).json()) as { nextCursor: string };
    path = `/api/catalog/products?sort=ocop&limit=24&cursor=${page.nextCursor}`;
  }
  return path;
}

/** The old /search-index.json at this catalog size: every product's card and folded text, gzipped. */
async function wholeIndexBytes(total: number): Promise<number> {
  const items: ProductSummary[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (
      await app.request(`/api/catalog/products?limit=60${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()) as { items: ProductSummary[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < total);
  const body = JSON.stringify({
    builtAt: new Date().toISOString(),
    items: items.map((p) => toSearchEntry(p, foldForSearch)),
  });
  return gzipSync(body).length;
}

// Alone: its own DynamoDB Local and table.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const at = process.argv.indexOf('--listings');
  const listings = at > 0 ? Number(process.argv[at + 1]) : 20_000;
  const dynamodb = await startDynamoDbLocal();
  try {
    const tableName = `bench-catalog-${Date.now()}`;
    const services = localServices({
      config: localConfig({ dynamodbEndpoint: dynamodb.endpoint, region: 'local', tableName }),
    });
    provideServices(services);
    const local = services.db;
    await createTable(local.raw, tableName);
    await benchCatalogScale({ listings, endpoint: dynamodb.endpoint, tableName });
  } finally {
    await dynamodb.stop();
  }
}
