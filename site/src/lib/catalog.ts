/**
 * The storefront's one door to data: every call to the catalog API goes through here (in the
 * spirit of vercel/commerce `lib/shopify`), at build time for the prebuilt pages and at request
 * time for the pages rendered on demand (product, producer, lot, listings). Responses are checked
 * against the API's own zod schemas, so a contract change fails loudly instead of shipping broken
 * pages.
 *
 * Memo: during a build every call is memoized for the life of the build (pages share one fetch per
 * resource). During a request (`withRequestScope`, used by the render entry) calls are memoized
 * for that request only: a warm renderer never serves a price older than the API's.
 *
 * The API origin: the request scope's, else EXCHANGE_API_URL (e.g. http://127.0.0.1:8080).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import {
  CategoryView,
  LotTrace,
  ProducerDetail,
  ProducerProfile,
  ProductDetail,
  ProductSummary,
} from '../../../shared/domain/catalog-view.ts';
import { ReviewPage } from '../../../shared/reviews/model.ts';
import { StatisticsOverview } from '../../../shared/stats/publish.ts';
import { href } from './format.ts';
import type { SitemapEntry } from './sitemap.ts';

const PAGE_LIMIT = 60;
const CONCURRENCY = 8;
const TIMEOUT_MS = 20_000;

const ProductPage = z.object({
  items: z.array(ProductSummary),
  nextCursor: z.string().nullable(),
  total: z.int(),
});
const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

interface RequestScope {
  apiOrigin: string | undefined;
  memo: Map<string, Promise<unknown>>;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `render` with a memo of its own (one fetch per resource per request, nothing kept after)
 * and, when given, the catalog API at `apiOrigin` instead of EXCHANGE_API_URL.
 */
export function withRequestScope<T>(apiOrigin: string | undefined, render: () => Promise<T>): Promise<T> {
  return requestScope.run({ apiOrigin, memo: new Map() }, render);
}

function apiBase(): string {
  const raw = (requestScope.getStore()?.apiOrigin ?? process.env.EXCHANGE_API_URL)?.trim();
  if (!raw) {
    throw new Error(
      'EXCHANGE_API_URL is not set. The storefront is built from the catalog API: start it ' +
        '(npm start) and build with EXCHANGE_API_URL=http://127.0.0.1:8080 (its origin, no /api).',
    );
  }
  try {
    return new URL(raw).origin;
  } catch {
    throw new Error(`EXCHANGE_API_URL="${raw}" is not a URL (expected e.g. http://127.0.0.1:8080).`);
  }
}

/**
 * In AWS the API refuses requests without CloudFront's origin-verify secret (functions/http.ts,
 * `x-origin-verify`); the renderer and the scheduled build read it directly, so they send it too.
 */
function originVerify(): Record<string, string> {
  const secret = process.env.ORIGIN_VERIFY_SECRET;
  return secret ? { 'x-origin-verify': secret } : {};
}

/** The API answered 404: the page asked for does not exist (or no longer). */
export class NotFoundError extends Error {}

/** The API answered 410: the product was on sale and has been archived for good. */
export class GoneError extends NotFoundError {}

async function getJson<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
  const url = `${apiBase()}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...originVerify() },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new Error(
      `Cannot reach the catalog API at ${url} (${cause}). Is it running? (EXCHANGE_API_URL=${process.env.EXCHANGE_API_URL ?? 'unset'}; a rendered page uses its request's API origin)`,
    );
  }
  if (response.status === 404) throw new NotFoundError(`GET ${url} answered 404`);
  if (response.status === 410) throw new GoneError(`GET ${url} answered 410`);
  if (!response.ok) {
    const body = (await response.text()).slice(0, 300);
    throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  }
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new Error(
      `GET ${url} returned JSON that does not match the API contract:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

const buildMemo = new Map<string, Promise<unknown>>();

/** One promise per key: for the whole build, or for the current request when rendering on demand. */
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = requestScope.getStore()?.memo ?? buildMemo;
  let hit = memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    memo.set(key, hit);
  }
  return hit;
}

/** Maps with at most `limit` calls in flight: fast, without flooding the local API. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const path = {
  products: (cursor: string | null) =>
    `/api/catalog/products?limit=${PAGE_LIMIT}&sort=newest${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  product: (slug: string) => `/api/catalog/products/${encodeURIComponent(slug)}`,
  producers: () => '/api/catalog/producers',
  producer: (slug: string) => `/api/catalog/producers/${encodeURIComponent(slug)}`,
  categories: () => '/api/catalog/categories',
  lot: (code: string) => `/api/catalog/lots/${encodeURIComponent(code)}`,
};

/** The listing's sort names, mapped to the API's. */
export type ApiSort = 'newest' | 'price_asc' | 'price_desc' | 'ocop' | 'rating';

export interface ProductQuery {
  category?: string | undefined;
  producer?: string | undefined;
  inStock?: boolean;
  sort?: ApiSort;
  limit?: number;
  cursor?: string | null | undefined;
}

/** One page of `GET /api/catalog/products` (filters and sort done by the API, not here). */
export function queryProducts(query: ProductQuery): Promise<z.infer<typeof ProductPage>> {
  const params = new URLSearchParams();
  if (query.category) params.set('category', query.category);
  if (query.producer) params.set('producer', query.producer);
  if (query.inStock) params.set('inStock', 'true');
  params.set('sort', query.sort ?? 'newest');
  params.set('limit', String(query.limit ?? PAGE_LIMIT));
  if (query.cursor) params.set('cursor', query.cursor);
  const search = params.toString();
  return once(`query:${search}`, () => getJson(`/api/catalog/products?${search}`, ProductPage));
}

/** Every product on sale, newest first (pages through the whole list). */
export function getProducts(): Promise<ProductSummary[]> {
  return once('products', async () => {
    const all: ProductSummary[] = [];
    let cursor: string | null = null;
    do {
      const page: z.infer<typeof ProductPage> = await getJson(path.products(cursor), ProductPage);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  });
}

/** All categories, with how many products each has on sale. */
export function getCategories(): Promise<CategoryView[]> {
  return once('categories', async () => (await getJson(path.categories(), Items(CategoryView))).items);
}

/** Categories that have at least one product (the ones worth a page and a link). */
export async function getActiveCategories(): Promise<CategoryView[]> {
  return (await getCategories()).filter((c) => c.productCount > 0);
}

/** Verified producers and cooperatives, sorted by name. */
export function getProducers(): Promise<ProducerProfile[]> {
  return once('producers', async () => (await getJson(path.producers(), Items(ProducerProfile))).items);
}

export function getProduct(slug: string): Promise<ProductDetail> {
  return once(`product:${slug}`, () => getJson(path.product(slug), ProductDetail));
}

/** The first page of a product's visible reviews (newest first). */
/**
 * A product's first page of reviews. A failed read (the product archived between the page's two
 * reads, the API away) renders the page without reviews instead of failing it.
 */
export function getProductReviews(slug: string): Promise<ReviewPage> {
  return once(`reviews:${slug}`, async () => {
    try {
      return await getJson(`/api/catalog/products/${encodeURIComponent(slug)}/reviews`, ReviewPage);
    } catch (error) {
      console.error(`[catalog] reviews of ${slug}: ${(error as Error).message}`);
      return { items: [], nextCursor: null };
    }
  });
}

/** What the product page's pre-order box shows of a window (GET /api/preorders?product=<slug>). */
const PreorderWindow = z.looseObject({
  id: z.string(),
  season: z.string(),
  phase: z.string(),
  closesOn: z.string(),
  harvestFrom: z.string(),
  harvestTo: z.string(),
  leftGrams: z.number(),
  depositPercent: z.number(),
  packs: z.array(z.looseObject({ grams: z.number(), price: z.int(), deposit: z.int() })),
  depositRule: z.object({ vi: z.string(), en: z.string() }),
});
export type PreorderWindow = z.infer<typeof PreorderWindow>;

/**
 * The product's open pre-order window, if any, rendered into the product page (no script). A
 * pre-order API that does not answer leaves the box out rather than failing the whole page.
 */
export function getOpenPreorderWindow(slug: string): Promise<PreorderWindow | null> {
  return once(`preorders:${slug}`, async () => {
    try {
      const { items } = await getJson(
        `/api/preorders?product=${encodeURIComponent(slug)}`,
        Items(PreorderWindow),
      );
      return items.find((w) => w.phase === 'open' && w.packs.length > 0) ?? null;
    } catch (error) {
      console.error(`[catalog] pre-order windows of ${slug}: ${(error as Error).message}`);
      return null;
    }
  });
}

export function getProducer(slug: string): Promise<ProducerDetail> {
  return once(`producer:${slug}`, () => getJson(path.producer(slug), ProducerDetail));
}

export function getLotTrace(traceCode: string): Promise<LotTrace> {
  return once(`lot:${traceCode}`, () => getJson(path.lot(traceCode), LotTrace));
}

/** The product, or null when the API has no published product by that slug. */
export function findProduct(slug: string): Promise<ProductDetail | null> {
  return orNull(getProduct(slug));
}

/** Every public page the sitemap lists, in a stable order (lib/sitemap.ts splits it into files). */
export async function sitemapEntries(): Promise<SitemapEntry[]> {
  const [products, categories, producers] = await Promise.all([
    getProducts(),
    getActiveCategories(),
    getProducers(),
  ]);
  return [
    { path: '/' },
    { path: '/san-pham/' },
    { path: '/nha-san-xuat/' },
    ...['/gioi-thieu/', '/giao-hang/', '/doi-tra/', '/quyen-rieng-tu/'].map((path) => ({ path })),
    ...categories.map((c) => ({ path: href.category(c.slug) })),
    ...products.map((p) => ({ path: href.product(p.slug), lastmod: p.publishedAt.slice(0, 10) })),
    ...producers.map((p) => ({ path: href.producer(p.slug) })),
  ];
}

/** The product; 'gone' when it was archived (its page answers 410); null when never on sale. */
export async function findProductOrGone(slug: string): Promise<ProductDetail | 'gone' | null> {
  try {
    return await getProduct(slug);
  } catch (error) {
    if (error instanceof GoneError) return 'gone';
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export function findProducer(slug: string): Promise<ProducerDetail | null> {
  return orNull(getProducer(slug));
}

export function findLotTrace(traceCode: string): Promise<LotTrace | null> {
  return orNull(getLotTrace(traceCode));
}

async function orNull<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** The detail of every product on sale, in catalog order. */
export function getProductDetails(): Promise<ProductDetail[]> {
  return once('productDetails', async () =>
    mapLimit(await getProducts(), CONCURRENCY, (p) => getProduct(p.slug)),
  );
}

/** The detail (members, products) of every verified producer. */
export function getProducerDetails(): Promise<ProducerDetail[]> {
  return once('producerDetails', async () =>
    mapLimit(await getProducers(), CONCURRENCY, (p) => getProducer(p.slug)),
  );
}

/** The trace record of every lot of every product on sale (one page each). */
export function getLotTraces(): Promise<LotTrace[]> {
  return once('lotTraces', async () => {
    const codes = new Set((await getProductDetails()).flatMap((p) => p.lots.map((l) => l.traceCode)));
    return mapLimit([...codes], CONCURRENCY, getLotTrace);
  });
}

/** Slugs of producers that have a page, to link only to pages that exist. */
export function getProducerSlugs(): Promise<ReadonlySet<string>> {
  return once('producerSlugs', async () => new Set((await getProducers()).map((p) => p.slug)));
}

/** The programme's statistics (`/thong-ke/`): GET /api/stats, small cells already withheld. */
export function getStatistics(): Promise<StatisticsOverview> {
  return once('stats', () => getJson('/api/stats', StatisticsOverview));
}
