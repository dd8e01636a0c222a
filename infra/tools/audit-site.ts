/**
 * `npm run audit:site`: audits the storefront like a shopper's phone sees it, and checks the
 * performance and accessibility budgets.
 *
 * 1. Starts the exchange in-process (a fresh temporary data dir with demo data; the storefront is
 *    built into node_modules/.cache, so site/dist and .data are never touched), or audits a running
 *    origin when AUDIT_URL is set (e.g. AUDIT_URL=http://127.0.0.1:8080).
 * 2. Picks the page templates from the catalog API: home, catalog, a category, a product with
 *    photos and OCOP, its producer and a lot trace page, cart and checkout (with one line in the
 *    cart), order tracking, search, about and 404 — each in Vietnamese and in English (`/en` + the same
 *    path). A page that answers 404 is reported as missing and skipped.
 * 3. Runs Lighthouse 12 (mobile, simulated throttling) on home, catalog, product, producer and trace
 *    in one Debian Chromium, and axe-core (390×844) on every page.
 * 4. Prints a table with each figure that misses its budget marked, the axe violations and the
 *    failed Lighthouse audits; writes everything to .audit/site-audit.json (Lighthouse reports in
 *    .audit/lighthouse/).
 *
 *   --strict         exit 1 when any budget is missed (a missing page or a failed run counts)
 *   --out FILE       where the JSON goes (default .audit/site-audit.json)
 *   --ref REF        build the storefront as committed at REF (e.g. HEAD) instead of the working tree
 *   --runs N         Lighthouse runs per page, the median (by performance) reported (default 1)
 *   --site-dir DIR   serve a storefront already built from the demo data (e.g. site/dist/client), no build
 *
 * CHROMIUM_PATH (default /usr/bin/chromium) picks the browser.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, type ServerType } from '@hono/node-server';
import { launch as launchChrome, type LaunchedChrome } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium, type Browser, type Response as PwResponse } from 'playwright-core';
import { StartupError } from '../local/dynamodb-local.ts';
import { startExchange, type RunningExchange } from '../local/runtime.ts';
import { createLocalApp } from '../local/server.ts';
import { astroBuild, AstroBuildError, REPO_ROOT } from '../local/site-build.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// ---------------------------------------------------------------------------------------------
// Settings

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags this closed network needs (see STACK.md). */
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type CategoryId = (typeof CATEGORIES)[number];
const VIEWPORT = { width: 390, height: 844 };
const KB = 1024;

const BUDGETS = {
  performance: 98,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
  /** Scripts (gzipped) loaded before any interaction, on these templates only. */
  jsKb: 15,
  jsTemplates: ['catalog', 'product'] as readonly string[],
  /** The document and its stylesheets, gzipped, on every page. */
  htmlCssKb: 50,
  /** Everything a product page transfers at 360 × 740 (DPR 2), its first photo included. */
  productTransferKb: 100,
  cls: 0.02,
  /** Largest Contentful Paint, Lighthouse's simulated slow 4G (150 ms RTT, 1.6 Mbps, 4× CPU). */
  lcpMs: 1000,
  axeViolations: 0,
} as const;

type Template =
  | 'home'
  | 'catalog'
  | 'category'
  | 'product'
  | 'producer'
  | 'trace'
  | 'cart'
  | 'checkout'
  | 'tracking'
  | 'search'
  | 'about'
  | '404';
const LIGHTHOUSE_TEMPLATES: readonly Template[] = ['home', 'catalog', 'product', 'producer', 'trace'];
const LANGS = ['vi', 'en'] as const;
type Lang = (typeof LANGS)[number];

const { values: args } = parseArgs({
  options: {
    strict: { type: 'boolean', default: false },
    out: { type: 'string' },
    ref: { type: 'string' },
    runs: { type: 'string', default: '1' },
    'site-dir': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 9) {
  console.error(`[audit] --runs must be a whole number from 1 to 9, got "${args.runs}"`);
  process.exit(2);
}
const OUT_FILE = resolve(args.out ?? join(REPO_ROOT, '.audit', 'site-audit.json'));
const REPORT_DIR = join(dirname(OUT_FILE), 'lighthouse');

const log = (line: string) => console.log(`[audit] ${line}`);

class AuditError extends Error {}

// ---------------------------------------------------------------------------------------------
// Results

interface Bytes {
  /** Gzipped (level 9) bytes of external scripts, as CloudFront would send them. */
  jsGz: number;
  /** Gzipped bytes of the document plus its stylesheets. */
  htmlCssGz: number;
  /** Gzipped bytes of inline `<script>` (not JSON-LD) inside the document, already in htmlCssGz. */
  inlineJsGz: number;
  /** What the audited server put on the wire (uncompressed when it does not compress). */
  wire: { js: number; document: number; css: number };
  files: { type: 'document' | 'script' | 'stylesheet'; url: string; bytes: number; gz: number }[];
  source: 'lighthouse' | 'playwright';
}

interface FailedAudit {
  id: string;
  title: string;
  category: CategoryId;
  score: number | null;
  displayValue?: string;
  explanation?: string;
  /** Elements or resources involved (CSS selectors, snippets or URLs), at most 8. */
  items: string[];
  itemCount: number;
}

interface LighthouseResult {
  scores: Record<CategoryId, number | null>;
  /** Performance score of every run (`--runs`); the median run is the one reported. */
  performanceRuns: number[];
  /** Lighthouse's CPU benchmark of this machine during the run (lower = busier/slower). */
  benchmarkIndex?: number;
  metrics: { cls?: number; lcpMs?: number; fcpMs?: number; tbtMs?: number; speedIndexMs?: number };
  resourceSummary: { resourceType: string; requestCount: number; transferSize: number }[];
  failedAudits: FailedAudit[];
  warnings: string[];
  report: { json: string; html: string };
  durationMs: number;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  tags: string[];
  nodeCount: number;
  firstTarget: string;
  nodes: { target: string; html: string; failureSummary?: string }[];
}

interface PageResult {
  template: Template;
  lang: Lang;
  path: string;
  url: string;
  /** What the page was checked in: `cart` = one line in the cart. */
  state?: string;
  status: number | null;
  /** ok, missing (answered 404), or unreachable. */
  availability: 'ok' | 'missing' | 'unreachable';
  htmlLang?: string | null;
  notes: string[];
  lighthouse?: LighthouseResult;
  lighthouseError?: string;
  bytes?: Bytes;
  axe?: { violations: AxeViolation[]; passes: number; incomplete: number };
  axeError?: string;
  /** Product pages: bytes on the wire at 360 × 740 (DPR 2) until the network is idle. */
  transfer360?: { totalBytes: number; imageBytes: number; requests: number; photoLoaded: boolean };
  misses: string[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function message(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message.split('\n')[0]}${cause}`;
  }
  return String(error);
}

async function getJson<T>(origin: string, path: string): Promise<T> {
  const url = `${origin}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new AuditError(`cannot reach ${url}: ${message(error)}`);
  }
  if (!response.ok) throw new AuditError(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

const gz = (body: Buffer | string) => gzipSync(body, { level: 9 }).length;
const kb = (bytes: number) => bytes / KB;
const htmlLangOf = (html: string) => /<html\b[^>]*\blang=["']?([^"'\s>]+)/i.exec(html)?.[1] ?? null;

/** Inline classic and module scripts of a document (JSON-LD and other data blocks excluded). */
function inlineScripts(html: string): string {
  let code = '';
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = match[1] ?? '';
    if (/\bsrc=/i.test(attrs)) continue;
    const type = /\btype=["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    if (type && type !== 'module' && type !== 'text/javascript' && type !== 'application/javascript')
      continue;
    code += match[2] ?? '';
  }
  return code;
}

// ---------------------------------------------------------------------------------------------
// The origin to audit

interface Origin {
  url: string;
  mode: 'in-process' | 'AUDIT_URL';
  /** Which storefront is audited. */
  site: string;
  stop(): Promise<void>;
}

/**
 * The site's sources as committed at `ref`, unpacked into `dir` with `git archive` (read-only for
 * the repository), so a working tree that is being edited does not stop the audit.
 */
async function checkoutSources(ref: string, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await new Promise<void>((done, fail) => {
    const git = spawn(
      'git',
      ['archive', '--format=tar', ref, 'site', 'shared', 'package.json', 'tsconfig.json'],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    git.stdout.pipe(tar.stdin);
    let errors = '';
    git.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    tar.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    git.once('error', fail);
    tar.once('error', fail);
    tar.once('exit', (code) =>
      code === 0 && git.exitCode === 0
        ? done()
        : fail(
            new AuditError(`cannot read the site's sources at ${ref}: ${errors.trim() || `exit ${code}`}`),
          ),
    );
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Builds the storefront of `root` (the working tree, or sources unpacked from a ref) into `outDir`,
 * never into site/dist, which other people's `npm start` and tests build and serve.
 */
async function buildSite(root: string, outDir: string, apiUrl: string, siteUrl: string): Promise<void> {
  try {
    await astroBuild({ root, outDir, apiUrl, siteUrl, demoData: true });
  } catch (error) {
    if (!(error instanceof AstroBuildError)) throw error;
    // Astro's own message and location; its stack trace says nothing about the page.
    const reason = error.output
      .split(/\n\s*Stack trace:/)[0]!
      .trim()
      .split('\n')
      .slice(-12)
      .join('\n');
    throw new AuditError(
      `the storefront does not build (astro build, exit ${error.code}):\n${reason}\n\n` +
        "To audit anyway: --ref HEAD (the last commit's storefront), --site-dir site/dist/client (a site already " +
        'built from the demo data), or AUDIT_URL=<origin of a running exchange>.',
    );
  }
}

async function startOrigin(): Promise<Origin> {
  const given = process.env.AUDIT_URL?.trim();
  if (given) {
    let url: string;
    try {
      url = new URL(given).origin;
    } catch {
      throw new AuditError(`AUDIT_URL="${given}" is not a URL (expected e.g. http://127.0.0.1:8080)`);
    }
    await getJson(url, '/api/health');
    log(`auditing the running exchange at ${url}`);
    return { url, mode: 'AUDIT_URL', site: 'served by AUDIT_URL', stop: async () => {} };
  }

  const tempDir = mkdtempSync(join(tmpdir(), 'site-audit-'));
  const dataDir = join(tempDir, 'data');
  // The build goes inside the repository (node_modules/.cache, ignored), where its renderer
  // (dist/server) resolves its packages; the prebuilt pages are in dist/client.
  const buildDir = join(REPO_ROOT, 'node_modules', '.cache', `site-audit-${process.pid}`);
  const siteDir = args['site-dir'] ? resolve(args['site-dir']) : join(buildDir, 'client');
  const mediaDir = join(dataDir, 'media');
  let exchange: RunningExchange | undefined;
  let server: ServerType | undefined;
  const stop = async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await exchange?.stop();
    rmSync(tempDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  };
  try {
    log(`starting the exchange with demo data in ${tempDir}`);
    exchange = await startExchange({
      port: 0,
      dataDir,
      site: 'never',
      paymentJobsIntervalMs: 0,
      log: (line) => log(`  ${line}`),
    });
    // The same local origin as `npm start` (API, media, pages), but serving the audit's own build.
    if (args['site-dir'] && !existsSync(join(siteDir, 'index.html')))
      throw new AuditError(`--site-dir ${args['site-dir']}: no index.html there`);
    mkdirSync(siteDir, { recursive: true });
    // The local server compresses the site and caches Astro's fingerprinted assets for good, as
    // CloudFront does in AWS (site-stack.ts): Lighthouse scores the site, not a bare file server.
    const app = createLocalApp({ siteDir, mediaDir });
    server = await new Promise<ServerType>((ready, fail) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
      s.once('error', fail);
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (args['site-dir']) {
      log(`serving the storefront already built in ${args['site-dir']} at ${url}`);
      return { url, mode: 'in-process', site: `prebuilt ${args['site-dir']}`, stop };
    }
    const started = Date.now();
    const root = args.ref ? await checkoutSources(args.ref, join(tempDir, 'src')) : REPO_ROOT;
    log(
      `building the storefront ${args.ref ? `as committed at ${args.ref}` : 'of the working tree'} (astro build)…`,
    );
    // SITE_URL = the audited origin, so canonical and hreflang URLs point where the pages are.
    await buildSite(root, buildDir, url, url);
    log(`storefront built in ${((Date.now() - started) / 1000).toFixed(1)} s; serving it at ${url}`);
    return {
      url,
      mode: 'in-process',
      site: args.ref ? `built from ${args.ref}` : 'built from the working tree',
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Which pages

interface Pack {
  id: string;
  label: string;
  price: number;
  stock: number;
}
interface Summary {
  slug: string;
  name: { vi: string; en?: string };
  category: { slug: string };
  producer: { slug: string; name: string };
  ocop: { stars: number } | null;
  variants: Pack[];
  images: unknown[];
}
interface Detail extends Summary {
  lots: { traceCode: string }[];
}

interface Target {
  template: Template;
  path: string;
  state?: string;
}

interface Picked {
  targets: Target[];
  product: Detail;
  cartLine: Record<string, unknown> | null;
}

async function pickPages(origin: string): Promise<Picked> {
  const products: Summary[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Summary[]; nextCursor: string | null } = await getJson(
      origin,
      `/api/catalog/products?limit=60&sort=newest${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    products.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  if (products.length === 0) throw new AuditError(`the catalog at ${origin} has no products to audit`);

  // A product with photos and a valid OCOP badge, and a lot to trace; the richest page of its kind.
  const ranked = [...products].sort(
    (a, b) =>
      Number(b.images.length > 0 && !!b.ocop) - Number(a.images.length > 0 && !!a.ocop) ||
      (b.ocop?.stars ?? 0) - (a.ocop?.stars ?? 0) ||
      b.images.length - a.images.length,
  );
  let product: Detail | undefined;
  for (const candidate of ranked.slice(0, 10)) {
    const detail = await getJson<Detail>(
      origin,
      `/api/catalog/products/${encodeURIComponent(candidate.slug)}`,
    );
    if (detail.lots.length > 0) {
      product = detail;
      break;
    }
  }
  if (!product) throw new AuditError('no product on sale has a lot to trace');
  if (product.images.length === 0 || !product.ocop)
    log(`note: ${product.slug} lacks photos or an OCOP badge`);

  const categories = (
    await getJson<{ items: { slug: string; productCount: number }[] }>(origin, '/api/catalog/categories')
  ).items.filter((c) => c.productCount > 0);
  const category = categories.find((c) => c.slug === product.category.slug) ?? categories[0];
  if (!category) throw new AuditError('no category has products');

  const pack = product.variants.find((v) => v.stock > 0) ?? product.variants[0];
  const cartLine = pack
    ? {
        variantId: pack.id,
        quantity: 1,
        productSlug: product.slug,
        productName: product.name.vi,
        pack: pack.label,
        producerName: product.producer.name,
        price: pack.price,
        stock: pack.stock,
      }
    : null;
  const trace = product.lots[0]!.traceCode;

  const targets: Target[] = [
    { template: 'home', path: '/' },
    { template: 'catalog', path: '/san-pham/' },
    { template: 'category', path: `/san-pham/danh-muc/${category.slug}/` },
    { template: 'product', path: `/san-pham/${product.slug}/` },
    { template: 'producer', path: `/nha-san-xuat/${product.producer.slug}/` },
    { template: 'trace', path: `/truy-xuat/${encodeURIComponent(trace)}/` },
    { template: 'cart', path: '/gio-hang/', state: cartLine ? 'one line in the cart' : 'empty cart' },
    { template: 'checkout', path: '/thanh-toan/', state: cartLine ? 'one line in the cart' : 'empty cart' },
    { template: 'tracking', path: '/don-hang/' },
    { template: 'search', path: '/tim-kiem/?q=che' },
    { template: 'about', path: '/gioi-thieu/' },
    { template: '404', path: '/khong-co-trang-nay-audit/' },
  ];
  return { targets, product, cartLine };
}

const localized = (lang: Lang, path: string) => (lang === 'vi' ? path : `/en${path}`);

/** Whether the page is there: a 404 (other than the 404 template's own) is a missing page. */
async function probe(page: PageResult): Promise<void> {
  try {
    const response = await fetch(page.url, { signal: AbortSignal.timeout(20_000) });
    page.status = response.status;
    const html = await response.text();
    page.htmlLang = htmlLangOf(html);
    if (response.url !== page.url) page.notes.push(`redirected to ${new URL(response.url).pathname}`);
    if (page.template === '404') {
      page.availability = 'ok';
      if (response.status !== 404) page.notes.push(`answered ${response.status}, expected 404`);
    } else {
      page.availability = response.status === 404 ? 'missing' : 'ok';
      if (response.status !== 404 && !response.ok) page.notes.push(`answered ${response.status}`);
    }
    if (page.availability === 'ok' && page.htmlLang !== page.lang) {
      page.notes.push(`<html lang="${page.htmlLang ?? ''}"> on a ${page.lang} page`);
    }
  } catch (error) {
    page.availability = 'unreachable';
    page.status = null;
    page.notes.push(`unreachable: ${message(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Lighthouse

/** The parts of a Lighthouse result read here. */
interface Lhr {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  categories: Record<
    string,
    { score: number | null; auditRefs: { id: string; weight: number; group?: string }[] }
  >;
  audits: Record<
    string,
    {
      id: string;
      title: string;
      score: number | null;
      scoreDisplayMode: string;
      numericValue?: number;
      displayValue?: string;
      explanation?: string;
      details?: { type: string; items?: unknown[] };
    }
  >;
  environment?: { hostUserAgent?: string; benchmarkIndex?: number };
}

interface LhNetworkItem {
  url: string;
  resourceType?: string;
  transferSize?: number;
  statusCode?: number;
}

/** A readable label for one row of an audit's details: the element, else the resource. */
function itemLabel(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const row = item as Record<string, unknown>;
  const node = row.node as { selector?: string; snippet?: string; nodeLabel?: string } | undefined;
  if (node?.selector || node?.snippet) {
    const label = node.nodeLabel ? ` “${node.nodeLabel.replace(/\s+/g, ' ').slice(0, 60)}”` : '';
    return `${node.selector ?? node.snippet}${label}`;
  }
  for (const key of ['url', 'source', 'entity', 'label', 'description']) {
    const value = row[key];
    if (typeof value === 'string' && value) return value;
    if (value && typeof value === 'object') {
      const v = value as { url?: string; text?: string; line?: number };
      if (v.url) return `${v.url}${v.line !== undefined ? `:${v.line + 1}` : ''}`;
      if (v.text) return v.text;
    }
  }
  return undefined;
}

function detailItems(details: { type: string; items?: unknown[] } | undefined): string[] {
  if (!details?.items) return [];
  const out: string[] = [];
  for (const item of details.items) {
    // `list` details hold tables of their own.
    const nested = (item as { type?: string; items?: unknown[] })?.type
      ? detailItems(item as { type: string; items?: unknown[] })
      : [];
    if (nested.length) out.push(...nested);
    else {
      const label = itemLabel(item);
      if (label) out.push(label);
    }
  }
  return out;
}

function failedAudits(lhr: Lhr): FailedAudit[] {
  const failed: FailedAudit[] = [];
  for (const category of CATEGORIES) {
    const cat = lhr.categories[category];
    if (!cat || cat.score === null || cat.score >= 1) continue;
    for (const ref of cat.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit || audit.score === null) continue;
      if (['notApplicable', 'manual', 'informative', 'error'].includes(audit.scoreDisplayMode)) continue;
      // Weighted metrics cost points below 1; other numeric audits count as failed below 0.9 (as Lighthouse shows them).
      const isMetric = ref.group === 'metrics' || ref.weight > 0;
      const bad = audit.scoreDisplayMode === 'binary' || isMetric ? audit.score < 1 : audit.score < 0.9;
      if (!bad) continue;
      const items = detailItems(audit.details);
      failed.push({
        id: audit.id,
        title: audit.title,
        category,
        score: audit.score,
        displayValue: audit.displayValue,
        explanation: audit.explanation,
        items: [...new Set(items)].slice(0, 8),
        itemCount: items.length,
      });
    }
  }
  return failed;
}

async function lighthouseBytes(items: LhNetworkItem[], origin: string): Promise<Bytes> {
  const kinds: Record<string, 'document' | 'script' | 'stylesheet'> = {
    Document: 'document',
    Script: 'script',
    Stylesheet: 'stylesheet',
  };
  const files: Bytes['files'] = [];
  const wire = { js: 0, document: 0, css: 0 };
  let inlineJsGz = 0;
  for (const item of items) {
    const type = kinds[item.resourceType ?? ''];
    if (!type || !item.url.startsWith('http')) continue;
    if (type === 'script') wire.js += item.transferSize ?? 0;
    else if (type === 'stylesheet') wire.css += item.transferSize ?? 0;
    else wire.document += item.transferSize ?? 0;
    if (new URL(item.url).origin !== origin) {
      files.push({ type, url: item.url, bytes: item.transferSize ?? 0, gz: item.transferSize ?? 0 });
      continue;
    }
    const body = Buffer.from(
      await (await fetch(item.url, { signal: AbortSignal.timeout(20_000) })).arrayBuffer(),
    );
    files.push({ type, url: item.url, bytes: body.length, gz: gz(body) });
    if (type === 'document' && files.filter((f) => f.type === 'document').length === 1) {
      const code = inlineScripts(body.toString('utf8'));
      inlineJsGz = code ? gz(code) : 0;
    }
  }
  return summarizeBytes(files, wire, inlineJsGz, 'lighthouse');
}

function summarizeBytes(
  files: Bytes['files'],
  wire: Bytes['wire'],
  inlineJsGz: number,
  source: Bytes['source'],
): Bytes {
  const sum = (types: string[]) => files.filter((f) => types.includes(f.type)).reduce((n, f) => n + f.gz, 0);
  return {
    jsGz: sum(['script']),
    htmlCssGz: sum(['document', 'stylesheet']),
    inlineJsGz,
    wire,
    files,
    source,
  };
}

async function runLighthouse(
  pages: PageResult[],
  origin: string,
  runs: number,
): Promise<{ version?: string; warmUpMs?: number }> {
  const todo = pages.filter((p) => LIGHTHOUSE_TEMPLATES.includes(p.template) && p.availability === 'ok');
  if (todo.length === 0) return {};
  let chrome: LaunchedChrome | undefined;
  const ensureChrome = async () => {
    if (chrome && chrome.process.exitCode === null && !chrome.process.killed) return chrome;
    chrome = await launchChrome({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
    return chrome;
  };
  const audit = async (url: string, onlyCategories: string[]) => {
    const { port } = await ensureChrome();
    const result = await lighthouse(url, {
      port,
      output: ['json', 'html'],
      logLevel: 'error',
      onlyCategories,
      maxWaitForLoad: 60_000,
    });
    if (!result) throw new Error('Lighthouse returned no result');
    const lhr = result.lhr as unknown as Lhr;
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const [json, html] = Array.isArray(result.report) ? result.report : [result.report, ''];
    return { lhr, json: json ?? '', html: html ?? '' };
  };
  // Lighthouse 12 on this Chromium now and then loses the trace of a load (NO_NAVSTART: "Please run
  // Lighthouse again"): that run is made again, up to twice, instead of losing the page's figures.
  const auditRetryingLostTraces = async (url: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await audit(url, [...CATEGORIES]);
      } catch (error) {
        if (attempt >= 3 || !message(error).startsWith('NO_NAVSTART')) throw error;
        process.stdout.write('(trace lost, again) ');
      }
    }
  };
  let version: string | undefined;
  let warmUpMs: number | undefined;
  mkdirSync(REPORT_DIR, { recursive: true });
  try {
    // A cold Chromium's first page pays for its own start-up (≈ 1 s of unattributable main-thread
    // work on these machines), which would land on the first page audited: warm it up first.
    const warmStarted = Date.now();
    process.stdout.write(`[audit] lighthouse warm-up (discarded) ${todo[0]!.path} … `);
    await audit(todo[0]!.url, ['performance']).then(
      () => console.log(`${((Date.now() - warmStarted) / 1000).toFixed(0)} s`),
      (error: unknown) => console.log(`failed (${message(error)})`),
    );
    warmUpMs = Date.now() - warmStarted;

    for (const [index, page] of todo.entries()) {
      const started = Date.now();
      process.stdout.write(`[audit] lighthouse ${index + 1}/${todo.length} ${page.lang} ${page.path} … `);
      try {
        const results: Awaited<ReturnType<typeof audit>>[] = [];
        for (let run = 0; run < runs; run++) results.push(await auditRetryingLostTraces(page.url));
        // The median run by performance score, as Lighthouse's docs advise for noisy machines.
        results.sort(
          (a, b) => (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0),
        );
        const { lhr, json, html } = results[Math.floor((results.length - 1) / 2)]!;
        version = lhr.lighthouseVersion;
        const base = `${page.template}-${page.lang}`;
        const jsonPath = join(REPORT_DIR, `${base}.report.json`);
        const htmlPath = join(REPORT_DIR, `${base}.report.html`);
        writeFileSync(jsonPath, json);
        if (html) writeFileSync(htmlPath, html);
        const score = (id: CategoryId) => {
          const s = lhr.categories[id]?.score;
          return s === null || s === undefined ? null : Math.round(s * 100);
        };
        const numeric = (id: string) => lhr.audits[id]?.numericValue;
        const network = (lhr.audits['network-requests']?.details?.items ?? []) as LhNetworkItem[];
        page.lighthouse = {
          scores: {
            performance: score('performance'),
            accessibility: score('accessibility'),
            'best-practices': score('best-practices'),
            seo: score('seo'),
          },
          performanceRuns: results.map((r) => Math.round((r.lhr.categories.performance?.score ?? 0) * 100)),
          benchmarkIndex: lhr.environment?.benchmarkIndex,
          metrics: {
            cls: numeric('cumulative-layout-shift'),
            lcpMs: numeric('largest-contentful-paint'),
            fcpMs: numeric('first-contentful-paint'),
            tbtMs: numeric('total-blocking-time'),
            speedIndexMs: numeric('speed-index'),
          },
          resourceSummary: (lhr.audits['resource-summary']?.details?.items ??
            []) as LighthouseResult['resourceSummary'],
          failedAudits: failedAudits(lhr),
          warnings: lhr.runWarnings,
          report: { json: relative(REPO_ROOT, jsonPath), html: relative(REPO_ROOT, htmlPath) },
          durationMs: Date.now() - started,
        };
        page.bytes = await lighthouseBytes(network, origin);
        const s = page.lighthouse.scores;
        const perfRuns = runs > 1 ? ` of ${page.lighthouse.performanceRuns.join('/')}` : '';
        console.log(
          `${((Date.now() - started) / 1000).toFixed(0)} s (perf ${s.performance}${perfRuns}, a11y ${s.accessibility}, bp ${s['best-practices']}, seo ${s.seo})`,
        );
      } catch (error) {
        page.lighthouseError = `Lighthouse could not audit ${page.url}: ${message(error)}`;
        console.log('failed');
        console.log(`[audit]   ${page.lighthouseError}`);
      }
    }
  } finally {
    chrome?.kill();
  }
  return { version, warmUpMs };
}

// ---------------------------------------------------------------------------------------------
// axe-core (and bytes of the pages Lighthouse does not run on)

async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_FLAGS.filter((flag) => !flag.startsWith('--headless')),
  });
}

async function runAxe(
  pages: PageResult[],
  cartLine: Record<string, unknown> | null,
): Promise<{ axeVersion?: string; browser?: string }> {
  const todo = pages.filter((p) => p.availability === 'ok');
  const browser = await launchChromium();
  let axeVersion: string | undefined;
  try {
    for (const [index, page] of todo.entries()) {
      process.stdout.write(`[audit] axe ${index + 1}/${todo.length} ${page.lang} ${page.path} … `);
      const context = await browser.newContext({
        viewport: VIEWPORT,
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
        locale: page.lang === 'vi' ? 'vi-VN' : 'en-US',
      });
      try {
        if (page.state && cartLine) {
          await context.addInitScript(
            ([key, value]) => {
              if (!window.localStorage.getItem(key)) window.localStorage.setItem(key, value);
            },
            ['tn.cart.v1', JSON.stringify({ lines: [cartLine] })] as const,
          );
        }
        const tab = await context.newPage();
        const responses: PwResponse[] = [];
        let recording = true;
        tab.on('response', (r) => recording && responses.push(r));
        await tab.goto(page.url, { waitUntil: 'load', timeout: 60_000 });
        await tab.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
        recording = false;
        if (!page.bytes) page.bytes = await playwrightBytes(responses);
        const result = await new AxeBuilder({ page: tab }).analyze();
        axeVersion = result.testEngine.version;
        page.axe = {
          violations: result.violations.map((v) => ({
            id: v.id,
            impact: v.impact ?? null,
            help: v.help,
            helpUrl: v.helpUrl,
            tags: v.tags,
            nodeCount: v.nodes.length,
            firstTarget: v.nodes[0]?.target.map(String).join(' ') ?? '',
            nodes: v.nodes.map((n) => ({
              target: n.target.map(String).join(' '),
              html: n.html.slice(0, 300),
              failureSummary: n.failureSummary,
            })),
          })),
          passes: result.passes.length,
          incomplete: result.incomplete.length,
        };
        const n = page.axe.violations.length;
        console.log(n === 0 ? 'no violations' : `${n} violation${n === 1 ? '' : 's'}`);
      } catch (error) {
        page.axeError = `axe could not check ${page.url}: ${message(error)}`;
        console.log('failed');
        console.log(`[audit]   ${page.axeError}`);
      } finally {
        await context.close();
      }
    }
    return { axeVersion, browser: browser.version() };
  } finally {
    await browser.close();
  }
}

/**
 * What a product page costs a phone at 360 × 740 (DPR 2): every response's body and headers on the
 * wire until the network is idle, with the first photo loaded (lazy photos further down are not).
 */
async function measureProductTransfer(pages: PageResult[]): Promise<void> {
  const todo = pages.filter((p) => p.template === 'product' && p.availability === 'ok');
  if (todo.length === 0) return;
  const browser = await launchChromium();
  try {
    for (const page of todo) {
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const tab = await context.newPage();
        const responses: PwResponse[] = [];
        tab.on('response', (r) => responses.push(r));
        await tab.goto(page.url, { waitUntil: 'load', timeout: 60_000 });
        await tab.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
        const photoLoaded = await tab
          .locator('main img')
          .first()
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)
          .catch(() => false);
        let totalBytes = 0;
        let imageBytes = 0;
        for (const response of responses) {
          const sizes = await response
            .request()
            .sizes()
            .catch(() => null);
          const bytes = sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0;
          totalBytes += bytes;
          if (response.request().resourceType() === 'image') imageBytes += bytes;
        }
        page.transfer360 = { totalBytes, imageBytes, requests: responses.length, photoLoaded };
        console.log(
          `[audit] ${page.lang} ${page.path} at 360 × 740: ${kb(totalBytes).toFixed(1)} KB transferred ` +
            `(${kb(imageBytes).toFixed(1)} KB of images, ${responses.length} requests${photoLoaded ? ', first photo loaded' : ', first photo NOT loaded'})`,
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

async function playwrightBytes(responses: PwResponse[]): Promise<Bytes> {
  const files: Bytes['files'] = [];
  const wire = { js: 0, document: 0, css: 0 };
  let inlineJsGz = 0;
  for (const response of responses) {
    const kind = response.request().resourceType();
    const type =
      kind === 'document' ? 'document' : kind === 'script' ? 'script' : kind === 'stylesheet' ? kind : null;
    if (!type || response.status() >= 300 || response.request().frame().parentFrame()) continue;
    const body = await response.body().catch(() => null);
    if (!body) continue;
    const sizes = await response
      .request()
      .sizes()
      .catch(() => null);
    const onWire = sizes ? sizes.responseBodySize + sizes.responseHeadersSize : body.length;
    if (type === 'script') wire.js += onWire;
    else if (type === 'stylesheet') wire.css += onWire;
    else wire.document += onWire;
    files.push({ type, url: response.url(), bytes: body.length, gz: gz(body) });
    if (type === 'document' && files.filter((f) => f.type === 'document').length === 1) {
      const code = inlineScripts(body.toString('utf8'));
      inlineJsGz = code ? gz(code) : 0;
    }
  }
  return summarizeBytes(files, wire, inlineJsGz, 'playwright');
}

// ---------------------------------------------------------------------------------------------
// Budgets and the printout

function checkBudgets(page: PageResult): void {
  const misses = page.misses;
  if (page.availability === 'missing') misses.push('page missing (404)');
  if (page.availability === 'unreachable') misses.push('page unreachable');
  if (page.availability !== 'ok') return;
  if (LIGHTHOUSE_TEMPLATES.includes(page.template)) {
    if (page.lighthouseError) misses.push('lighthouse failed');
    const lh = page.lighthouse;
    if (lh) {
      for (const category of CATEGORIES) {
        const score = lh.scores[category];
        if (score === null || score < BUDGETS[category])
          misses.push(`${category} ${score ?? '—'} < ${BUDGETS[category]}`);
      }
      const cls = lh.metrics.cls;
      if (cls === undefined || cls > BUDGETS.cls)
        misses.push(`CLS ${cls?.toFixed(3) ?? '—'} > ${BUDGETS.cls}`);
      const lcp = lh.metrics.lcpMs;
      if (lcp === undefined || lcp > BUDGETS.lcpMs)
        misses.push(
          `LCP ${lcp === undefined ? '—' : `${(lcp / 1000).toFixed(2)} s`} > ${BUDGETS.lcpMs / 1000} s`,
        );
    }
  }
  if (page.bytes) {
    if (BUDGETS.jsTemplates.includes(page.template) && kb(page.bytes.jsGz) > BUDGETS.jsKb)
      misses.push(`JS ${kb(page.bytes.jsGz).toFixed(1)} KB gz > ${BUDGETS.jsKb}`);
    if (kb(page.bytes.htmlCssGz) > BUDGETS.htmlCssKb)
      misses.push(`HTML+CSS ${kb(page.bytes.htmlCssGz).toFixed(1)} KB gz > ${BUDGETS.htmlCssKb}`);
  }
  if (page.axeError) misses.push('axe failed');
  if (page.transfer360) {
    const { totalBytes, photoLoaded } = page.transfer360;
    if (kb(totalBytes) > BUDGETS.productTransferKb)
      misses.push(`transfer at 360 px ${kb(totalBytes).toFixed(1)} KB > ${BUDGETS.productTransferKb}`);
    if (!photoLoaded) misses.push('first photo not loaded at 360 px');
  }
  if (page.axe && page.axe.violations.length > BUDGETS.axeViolations)
    misses.push(`axe ${page.axe.violations.length} violation(s)`);
}

const MISS = '✗';

function row(page: PageResult): string[] {
  const lh = page.lighthouse;
  const isLh = LIGHTHOUSE_TEMPLATES.includes(page.template);
  const status =
    page.availability === 'missing'
      ? 'MISSING'
      : page.availability === 'unreachable'
        ? 'UNREACHABLE'
        : isLh && page.lighthouseError
          ? `${page.status} LH-ERR`
          : String(page.status);
  if (page.availability !== 'ok')
    return [page.template, page.lang, status, '', '', '', '', '', '', '', '', ''];
  const score = (category: CategoryId) => {
    if (!isLh) return '';
    const value = lh?.scores[category];
    if (value === undefined) return '—';
    return value === null || value < BUDGETS[category] ? `${value ?? '—'} ${MISS}` : String(value);
  };
  const bytes = page.bytes;
  const js = bytes
    ? `${kb(bytes.jsGz).toFixed(1)}${BUDGETS.jsTemplates.includes(page.template) && kb(bytes.jsGz) > BUDGETS.jsKb ? ` ${MISS}` : ''}`
    : '—';
  const htmlCss = bytes
    ? `${kb(bytes.htmlCssGz).toFixed(1)}${kb(bytes.htmlCssGz) > BUDGETS.htmlCssKb ? ` ${MISS}` : ''}`
    : '—';
  const cls = !isLh
    ? ''
    : lh?.metrics.cls === undefined
      ? '—'
      : `${lh.metrics.cls.toFixed(3)}${lh.metrics.cls > BUDGETS.cls ? ` ${MISS}` : ''}`;
  const lcp = !isLh
    ? ''
    : lh?.metrics.lcpMs === undefined
      ? '—'
      : `${(lh.metrics.lcpMs / 1000).toFixed(2)} s${lh.metrics.lcpMs > BUDGETS.lcpMs ? ` ${MISS}` : ''}`;
  const axe = page.axe
    ? `${page.axe.violations.length}${page.axe.violations.length > 0 ? ` ${MISS}` : ''}`
    : '—';
  return [
    page.template,
    page.lang,
    status,
    score('performance'),
    score('accessibility'),
    score('best-practices'),
    score('seo'),
    js,
    htmlCss,
    cls,
    lcp,
    axe,
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printReport(pages: PageResult[], origin: string, site: string): void {
  const header = [
    'page',
    'lang',
    'status',
    'perf',
    'a11y',
    'bp',
    'seo',
    'JS KB gz',
    'HTML+CSS KB gz',
    'CLS',
    'LCP',
    'axe',
  ];
  console.log(`\nStorefront audit of ${origin} (${site}) — mobile; ${MISS} = misses its budget`);
  console.log(
    `Budgets: perf ≥ ${BUDGETS.performance}, a11y = 100, best practices = 100, SEO = 100, JS ≤ ${BUDGETS.jsKb} KB gz (${BUDGETS.jsTemplates.join(', ')}), HTML+CSS ≤ ${BUDGETS.htmlCssKb} KB gz, product page ≤ ${BUDGETS.productTransferKb} KB on the wire at 360 px, CLS ≤ ${BUDGETS.cls}, LCP ≤ ${(BUDGETS.lcpMs / 1000).toFixed(1)} s, axe 0 violations (KB = 1024 bytes, gzip -9)\n`,
  );
  console.log(table(header, pages.map(row)));
  console.log(
    `\nLighthouse runs on ${LIGHTHOUSE_TEMPLATES.join(', ')}; bytes of the other pages come from loading them in Chromium (390×844). LCP is Lighthouse's simulated slow-4G figure.`,
  );

  const missing = pages.filter((p) => p.availability !== 'ok');
  if (missing.length) {
    console.log(`\nMissing pages (${missing.length}, not audited):`);
    for (const p of missing)
      console.log(
        `  ${p.lang} ${p.template.padEnd(9)} ${p.path}  → ${p.availability}${p.status ? ` (${p.status})` : ''}`,
      );
  }
  const notes = pages.filter((p) => p.notes.length && p.availability === 'ok');
  if (notes.length) {
    console.log('\nNotes:');
    for (const p of notes)
      console.log(`  ${p.lang} ${p.template.padEnd(9)} ${p.path}  ${p.notes.join('; ')}`);
  }
  const inline = pages.flatMap((p) => (p.bytes ? [p.bytes.inlineJsGz] : []));
  if (inline.some((n) => n > 0)) {
    console.log(
      `\nInline scripts inside the HTML (in HTML+CSS, not in JS): ${kb(Math.min(...inline)).toFixed(1)}–${kb(Math.max(...inline)).toFixed(1)} KB gz per page.`,
    );
  }

  console.log('\naxe-core violations (390×844):');
  let anyAxe = false;
  for (const p of pages) {
    if (p.axeError) console.log(`  ${p.lang} ${p.template.padEnd(9)} ${p.axeError}`);
    for (const v of p.axe?.violations ?? []) {
      anyAxe = true;
      console.log(
        `  ${p.lang} ${p.template.padEnd(9)} ${v.id} (${v.impact ?? 'n/a'}) ×${v.nodeCount} — ${v.help}; first: ${v.firstTarget}`,
      );
    }
  }
  if (!anyAxe && !pages.some((p) => p.axeError)) console.log('  none');

  console.log('\nLighthouse audits that cost points (categories under 100):');
  let anyLh = false;
  for (const p of pages) {
    if (p.lighthouseError) {
      anyLh = true;
      console.log(`  ${p.lang} ${p.template}: ${p.lighthouseError}`);
    }
    for (const a of p.lighthouse?.failedAudits ?? []) {
      anyLh = true;
      const score = a.score === null ? '' : ` score ${Math.round(a.score * 100)}`;
      console.log(
        `  ${p.lang} ${p.template.padEnd(9)} [${a.category}] ${a.id} — ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}${score}`,
      );
      if (a.explanation) console.log(`      ${a.explanation.split('\n')[0]}`);
      for (const item of a.items.slice(0, 4)) console.log(`      · ${item}`);
      if (a.itemCount > 4) console.log(`      · … ${a.itemCount - 4} more`);
    }
  }
  if (!anyLh) console.log('  none');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  const loadAtStart = loadavg();
  if (!existsSync(CHROMIUM)) {
    throw new AuditError(
      `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
    );
  }
  const origin = await startOrigin();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await origin.stop();
  };
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const picked = await pickPages(origin.url);
    log(
      `product ${picked.product.slug} (${picked.product.images.length} photos, OCOP ${picked.product.ocop?.stars ?? '—'}★), ` +
        `producer ${picked.product.producer.slug}, lot ${picked.product.lots[0]!.traceCode}`,
    );
    const pages: PageResult[] = [];
    for (const target of picked.targets) {
      for (const lang of LANGS) {
        const path = localized(lang, target.path);
        pages.push({
          template: target.template,
          lang,
          path,
          url: `${origin.url}${path}`,
          state: target.state,
          status: null,
          availability: 'ok',
          notes: [],
          misses: [],
        });
      }
    }
    await Promise.all(pages.map(probe));
    const missing = pages.filter((p) => p.availability !== 'ok').length;
    if (missing)
      log(`${missing} of ${pages.length} pages are missing or unreachable; they are listed, not audited`);

    const lighthouseStarted = Date.now();
    const { version: lighthouseVersion, warmUpMs } = await runLighthouse(pages, origin.url, RUNS);
    const lighthouseMs = Date.now() - lighthouseStarted;
    const axeStarted = Date.now();
    const { axeVersion, browser } = await runAxe(pages, picked.cartLine);
    const axeMs = Date.now() - axeStarted;
    await measureProductTransfer(pages);

    for (const page of pages) checkBudgets(page);
    printReport(pages, origin.url, origin.site);

    const benchmarks = pages.flatMap((p) =>
      p.lighthouse?.benchmarkIndex ? [p.lighthouse.benchmarkIndex] : [],
    );
    const busiest = Math.max(loadAtStart[0] ?? 0, loadavg()[0] ?? 0);
    if (
      benchmarks.length &&
      (Math.min(...benchmarks) < 0.6 * Math.max(...benchmarks) || busiest > cpus().length)
    ) {
      console.log(
        `\nNote: the machine was busy (load average up to ${busiest.toFixed(1)} on ${cpus().length} cores; Lighthouse ` +
          `CPU benchmark ${Math.round(Math.min(...benchmarks))}–${Math.round(Math.max(...benchmarks))}): performance ` +
          'scores are noisy; re-run when it is idle, or with --runs 3 for the median of three.',
      );
    }

    const misses = pages.flatMap((p) => p.misses.map((m) => `${p.lang} ${p.template}: ${m}`));
    const durationMs = Date.now() - started;
    mkdirSync(dirname(OUT_FILE), { recursive: true });
    writeFileSync(
      OUT_FILE,
      `${JSON.stringify(
        {
          auditedAt: new Date(started).toISOString(),
          durationMs,
          phasesMs: { lighthouse: lighthouseMs, lighthouseWarmUp: warmUpMs, axe: axeMs },
          loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
          origin: origin.url,
          mode: origin.mode,
          site: origin.site,
          tools: {
            lighthouse: lighthouseVersion,
            axeCore: axeVersion,
            chromium: browser,
            lighthouseSettings: `mobile form factor, simulated throttling (defaults), ${RUNS} run(s) per page, median reported`,
            viewport: VIEWPORT,
          },
          budgets: BUDGETS,
          picked: {
            product: picked.product.slug,
            producer: picked.product.producer.slug,
            traceCode: picked.product.lots[0]!.traceCode,
          },
          misses,
          pages,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\n${misses.length === 0 ? 'All budgets met.' : `${misses.length} budget miss(es).`} ` +
        `Full results: ${relative(process.cwd(), OUT_FILE)}; Lighthouse reports: ${relative(process.cwd(), REPORT_DIR)}/`,
    );
    console.log(
      `Audit took ${(durationMs / 1000).toFixed(0)} s (Lighthouse ${(lighthouseMs / 1000).toFixed(0)} s, axe ${(axeMs / 1000).toFixed(0)} s).`,
    );
    return args.strict && misses.length > 0 ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AuditError || error instanceof StartupError)
      console.error(`[audit] ${error.message}`);
    else console.error('[audit] failed:', error);
    process.exit(1);
  },
);
