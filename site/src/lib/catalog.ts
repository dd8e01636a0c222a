/**
 * The storefront's one door to data: every build-time call to the catalog API goes through here
 * (in the spirit of vercel/commerce `lib/shopify`). Responses are checked against the API's own
 * zod schemas, so a contract change fails the build instead of shipping broken pages, and every
 * call is memoized for the life of the build (pages share one fetch per resource).
 *
 * Needs EXCHANGE_API_URL (e.g. http://127.0.0.1:8080) pointing at a running API.
 */
import { z } from 'zod';
import {
  CategoryView,
  LotTrace,
  ProducerDetail,
  ProducerProfile,
  ProductDetail,
  ProductSummary,
} from '../../../shared/domain/catalog-view.ts';

const PAGE_LIMIT = 60;
const CONCURRENCY = 8;
const TIMEOUT_MS = 20_000;

const ProductPage = z.object({
  items: z.array(ProductSummary),
  nextCursor: z.string().nullable(),
  total: z.int(),
});
const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

function apiBase(): string {
  const raw = process.env.EXCHANGE_API_URL?.trim();
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

async function getJson<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
  const url = `${apiBase()}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new Error(
      `Cannot reach the catalog API at ${url} (${cause}). Is it running? EXCHANGE_API_URL=${process.env.EXCHANGE_API_URL}`,
    );
  }
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

const memo = new Map<string, Promise<unknown>>();

/** One promise per key for the whole build. */
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
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

export function getProducer(slug: string): Promise<ProducerDetail> {
  return once(`producer:${slug}`, () => getJson(path.producer(slug), ProducerDetail));
}

export function getLotTrace(traceCode: string): Promise<LotTrace> {
  return once(`lot:${traceCode}`, () => getJson(path.lot(traceCode), LotTrace));
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
