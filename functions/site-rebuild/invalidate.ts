/**
 * Which storefront paths a batch of catalog changes makes stale at CloudFront: pure functions, the
 * AWS calls are in invalidate-handler.ts. The pages are rendered on request and cached by path
 * (site/src/render/cache.ts), so a change is live as soon as exactly these paths are invalidated:
 *
 * - a product (published, unpublished, edited), one of its packs (price, size, in / out of stock)
 *   or its OCOP badge: its page and OG card, the listings of its category (old and new) and of all
 *   products (every sort and page: a price moves it across pages), its producer's page, and the
 *   sitemap when it appears or goes;
 * - a lot: its trace page and its product's page;
 * - a product's rating or units sold (a review written or hidden, a delivery): as a product change;
 * - a producer: its page and the producers index; when its name, place or visibility changes, the
 *   product pages and listings that show it (all of them: a producer's products are not in the
 *   record, and such changes are rare).
 *
 * Every page path comes in both languages. Which changes count is decided by decide.ts (the rules
 * the static rebuild used: a sale that leaves stock above zero changes no HTML).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { catalogChanges, fromImage, itemKind, sameValue } from './decide.ts';

/** What the paths of a product need, read from its item when the record is a pack's or a lot's. */
export interface ProductRef {
  slug: string;
  category: string;
  producerId: string;
}

/** Reads of the table the invalidation needs (GetItem only, see handler). */
export interface CatalogLookup {
  product(productId: string): Promise<ProductRef | undefined>;
  producerSlug(producerId: string): Promise<string | undefined>;
}

/** CloudFront allows 15 wildcard paths in progress per distribution: stay well below. */
export const MAX_WILDCARDS = 8;
/** And 3,000 paths per invalidation; beyond this many, the whole site is cheaper to say. */
export const MAX_PATHS = 1_000;

/** What the storefront shows of a product's stats item (shared/db/product-stats.ts). */
const STATS_FIELDS = ['ratingCount', 'ratingSum', 'sold'];

const LISTINGS_ALL = ['/san-pham/', '/san-pham/trang/*', '/san-pham/sap-xep/*'];
/** The sitemap index and its files (`/sitemap.xml`, `/sitemap-<n>.xml`): one wildcard. */
export const SITEMAP_FILES = '/sitemap*';
const categoryListings = (category: string) => [`/san-pham/danh-muc/${category}/*`];
const productPage = (slug: string) => `/san-pham/${slug}/`;
const producerPage = (slug: string) => `/nha-san-xuat/${slug}/`;
const lotPage = (traceCode: string) => `/truy-xuat/${traceCode}/`;

/** `/x/` and `/en/x/` (the OG card and the sitemap's files have one path). */
export function bothLanguages(path: string): string[] {
  return path.startsWith('/og/') || path.startsWith('/sitemap') ? [path] : [path, `/en${path}`];
}

function idOf(partitionKey: string | undefined, prefix: string): string | undefined {
  return partitionKey?.startsWith(prefix) ? partitionKey.slice(prefix.length) : undefined;
}

/** The invalidation paths for a batch of stream records, deduplicated and within CloudFront's limits. */
export async function pathsToInvalidate(
  records: readonly DynamoDBRecord[],
  lookup: CatalogLookup,
): Promise<string[]> {
  const pages = new Set<string>();
  const productIds = new Set<string>();
  const producerIds = new Set<string>();
  let everyProductPage = false;

  const addProduct = (ref: Partial<ProductRef>) => {
    if (ref.slug) {
      pages.add(productPage(ref.slug));
      pages.add(`/og/${ref.slug}.jpg`);
    }
    for (const path of LISTINGS_ALL) pages.add(path);
    if (ref.category) for (const path of categoryListings(ref.category)) pages.add(path);
    if (ref.producerId) producerIds.add(ref.producerId);
  };

  // Products, packs, certificates, producers: what decide.ts says a page shows.
  const changes = catalogChanges(records);
  const changedKeys = new Set(changes.map((c) => c.key));
  for (const record of records) {
    const stream = record.dynamodb;
    const pk = stream?.Keys?.pk?.S;
    const kind = itemKind(stream?.Keys?.sk?.S);
    if (!stream || !pk || !kind || !changedKeys.has(pk)) continue;
    const before = stream.OldImage ? fromImage(stream.OldImage) : undefined;
    const after = stream.NewImage ? fromImage(stream.NewImage) : undefined;
    if (kind === 'product') {
      for (const image of [before, after]) {
        if (image) addProduct(image as Partial<ProductRef>);
      }
      const wasListed = before?.status === 'published';
      const isListed = after?.status === 'published';
      if (wasListed !== isListed) pages.add(SITEMAP_FILES);
    } else if (kind === 'pack' || kind === 'certificate') {
      const productId = idOf(pk, 'PRODUCT#');
      if (productId) productIds.add(productId);
    } else {
      for (const image of [before, after]) {
        if (typeof image?.slug === 'string') pages.add(producerPage(image.slug));
      }
      pages.add('/nha-san-xuat/');
      const shown = ['name', 'address', 'kind', 'verification'];
      if (!before || !after || shown.some((field) => !sameValue(before[field], after[field]))) {
        everyProductPage = true;
      }
    }
  }

  // Lots (not a decide.ts kind: a lot has its own page and shows on its product's).
  for (const record of records) {
    const stream = record.dynamodb;
    if (!stream?.Keys?.sk?.S?.startsWith('LOT#')) continue;
    const before = stream.OldImage ? fromImage(stream.OldImage) : undefined;
    const after = stream.NewImage ? fromImage(stream.NewImage) : undefined;
    if (before && after && sameValue(before, after)) continue;
    for (const image of [before, after]) {
      if (typeof image?.traceCode === 'string') pages.add(lotPage(image.traceCode));
    }
    const productId = idOf(stream.Keys.pk?.S, 'PRODUCT#');
    if (productId) productIds.add(productId);
  }

  // A product's rating and units sold (PRODUCT#<id> / STATS, moved by a new or hidden review and
  // by deliveries): its page, JSON-LD and cards show them, as a price change would.
  for (const record of records) {
    const stream = record.dynamodb;
    if (stream?.Keys?.sk?.S !== 'STATS') continue;
    const before = stream.OldImage ? fromImage(stream.OldImage) : undefined;
    const after = stream.NewImage ? fromImage(stream.NewImage) : undefined;
    if (STATS_FIELDS.every((field) => sameValue(before?.[field], after?.[field]))) continue;
    const productId = idOf(stream.Keys.pk?.S, 'PRODUCT#');
    if (productId) productIds.add(productId);
  }

  for (const productId of productIds) {
    const ref = await lookup.product(productId);
    if (ref) addProduct(ref);
  }
  for (const producerId of producerIds) {
    const slug = await lookup.producerSlug(producerId);
    if (slug) pages.add(producerPage(slug));
  }
  if (everyProductPage) {
    for (const path of [...pages]) if (path.startsWith('/san-pham/')) pages.delete(path);
    pages.add('/san-pham/*');
  }
  return withinLimits([...pages].flatMap(bothLanguages));
}

/**
 * Many categories at once (an import) would exceed the wildcard limit: their listings collapse
 * into one wildcard over every product page and listing. Too many paths: the whole site.
 */
export function withinLimits(paths: readonly string[]): string[] {
  let out = [...new Set(paths)];
  if (out.filter((p) => p.endsWith('*')).length > MAX_WILDCARDS) {
    out = out.filter((p) => !/^(\/en)?\/san-pham\//.test(p));
    out.push('/san-pham/*', '/en/san-pham/*');
  }
  if (out.length > MAX_PATHS) return ['/*'];
  return out.sort();
}
