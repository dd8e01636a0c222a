/**
 * The catalog query engine: filters, diacritic-insensitive relevance search, sorting and cursor
 * pagination over the published catalog. Pure functions: the catalog function loads a snapshot
 * of the catalog (one paged Query) and runs these in memory — a province's catalog is hundreds
 * to a few thousand products, which keeps list and search cheaper than extra round trips.
 */
import * as z from 'zod';
import { invalid } from './errors.ts';
import { CATEGORY_SLUGS, CATEGORIES } from './categories.ts';
import { isVisibleToShoppers, type Producer } from './producer.ts';
import { isPublished, type Product, type Variant } from './product.ts';
import type { OcopCertificate } from './ocop.ts';
import { foldForSearch, searchTokens } from './text.ts';
import { productSummary, type CategoryView, type ProductSummary } from './catalog-view.ts';

/** Folded search fields, computed when the product is written. */
export interface ProductSearchFields {
  /** Folded Vietnamese and English names. */
  searchName: string;
  /** Folded category, producer, place and description text. */
  searchText: string;
}

/** The search fields of a product, given the producer and commune it is listed under. */
export function productSearchFields(
  product: Pick<Product, 'name' | 'description' | 'category'>,
  producerName: string,
  placeName: string,
): ProductSearchFields {
  const category = CATEGORIES.find((c) => c.slug === product.category);
  return {
    searchName: foldForSearch(`${product.name.vi} ${product.name.en ?? ''}`),
    searchText: foldForSearch(
      [category?.name.vi, category?.name.en, producerName, placeName, product.description.vi]
        .filter(Boolean)
        .join(' '),
    ),
  };
}

export interface CatalogInput {
  producers: readonly Producer[];
  products: readonly (Product & Partial<ProductSearchFields>)[];
  variants: readonly Variant[];
  certificates: readonly OcopCertificate[];
}

export interface CatalogEntry {
  summary: ProductSummary;
  description: Product['description'];
  producerId: string;
  nameTokens: string[];
  textTokens: string[];
  foldedName: string;
}

export interface Catalog {
  entries: readonly CatalogEntry[];
  producersById: ReadonlyMap<string, Producer>;
  producersBySlug: ReadonlyMap<string, Producer>;
  entriesBySlug: ReadonlyMap<string, CatalogEntry>;
  entriesById: ReadonlyMap<string, CatalogEntry>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Joins the stored entities into shopper-visible entries (published, verified producer, ≥1 pack). */
export function buildCatalog(input: CatalogInput, today?: string): Catalog {
  const producersById = new Map(input.producers.map((p) => [p.id, p]));
  const variants = groupBy(input.variants, (v) => v.productId);
  const certs = groupBy(input.certificates, (c) => c.productId);
  const entries: CatalogEntry[] = [];
  for (const product of input.products) {
    const producer = producersById.get(product.producerId);
    const packs = variants.get(product.id) ?? [];
    if (!producer || !isVisibleToShoppers(producer) || !isPublished(product) || packs.length === 0) continue;
    const summary = productSummary(product, producer, packs, certs.get(product.id) ?? [], today);
    const searchName = product.searchName ?? foldForSearch(`${product.name.vi} ${product.name.en ?? ''}`);
    const searchText = product.searchText ?? '';
    entries.push({
      summary,
      description: product.description,
      producerId: producer.id,
      nameTokens: searchName.split(' ').filter(Boolean),
      textTokens: searchText.split(' ').filter(Boolean),
      foldedName: searchName,
    });
  }
  return {
    entries,
    producersById,
    producersBySlug: new Map(input.producers.map((p) => [p.slug, p])),
    entriesBySlug: new Map(entries.map((e) => [e.summary.slug, e])),
    entriesById: new Map(entries.map((e) => [e.summary.id, e])),
  };
}

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'ocop'] as const;
export const PAGE_SIZE = { default: 24, max: 60 } as const;

/** Query string of GET /api/catalog/products. Unknown parameters are rejected. */
export const ListProductsQuery = z
  .strictObject({
    q: z.string().max(100).optional(),
    category: z.enum(CATEGORY_SLUGS).optional(),
    ocopMin: intParam(3, 5).optional(),
    province: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    commune: z
      .string()
      .regex(/^\d{5}$/)
      .optional(),
    priceMin: intParam(0, 1_000_000_000).optional(),
    priceMax: intParam(0, 1_000_000_000).optional(),
    inStock: booleanParam.optional(),
    producer: z.string().max(80).optional(),
    sort: z.enum(SORTS).optional(),
    limit: intParam(1, PAGE_SIZE.max).optional(),
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, {
    message: 'priceMin must not exceed priceMax',
    path: ['priceMin'],
  });
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;

/** Relevance of an entry for the folded query tokens; 0 when some token does not match. */
export function relevance(
  entry: Pick<CatalogEntry, 'nameTokens' | 'textTokens' | 'foldedName'>,
  tokens: string[],
  phrase: string,
): number {
  let score = 0;
  for (const token of tokens) {
    const inName = bestMatch(entry.nameTokens, token);
    const inText = bestMatch(entry.textTokens, token);
    const best = Math.max(inName * 4, inText);
    if (best === 0) return 0;
    score += best;
  }
  if (tokens.length > 1 && entry.foldedName.includes(phrase)) score += 4;
  return score;
}

/** 1 for an exact token, 0.6 for a prefix (typing in progress), 0 otherwise. */
function bestMatch(haystack: string[], token: string): number {
  let best = 0;
  for (const word of haystack) {
    if (word === token) return 1;
    if (word.startsWith(token)) best = 0.6;
  }
  return best;
}

type SortKey = (number | string)[];

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((k) => typeof k === 'number' || typeof k === 'string')) return key;
  } catch {
    // fall through
  }
  throw invalid(
    'catalog.invalid_cursor',
    'The cursor is not one this API returned; start again from the first page',
  );
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

export interface ProductPage {
  items: ProductSummary[];
  nextCursor: string | null;
  total: number;
}

/** Filters, ranks, sorts and pages the catalog. Keys ascend, so "descending" keys are negated. */
export function queryCatalog(catalog: Catalog, query: ListProductsQuery): ProductPage {
  const tokens = query.q ? searchTokens(query.q) : [];
  const phrase = tokens.join(' ');
  const sort = query.sort ?? (tokens.length ? 'relevance' : 'newest');
  const producer = query.producer ? catalog.producersBySlug.get(query.producer) : undefined;
  const keyed: { key: SortKey; summary: ProductSummary }[] = [];
  for (const entry of catalog.entries) {
    const s = entry.summary;
    if (query.category && s.category.slug !== query.category) continue;
    if (query.ocopMin && (s.ocop?.stars ?? 0) < query.ocopMin) continue;
    if (query.province && s.producer.province.code !== query.province) continue;
    if (query.commune && s.producer.commune.code !== query.commune) continue;
    if (query.inStock && !s.inStock) continue;
    if (query.producer && entry.producerId !== producer?.id) continue;
    if (query.priceMin !== undefined || query.priceMax !== undefined) {
      const min = query.priceMin ?? 0;
      const max = query.priceMax ?? Number.MAX_SAFE_INTEGER;
      if (!s.variants.some((v) => v.price >= min && v.price <= max)) continue;
    }
    const score = tokens.length ? relevance(entry, tokens, phrase) : 0;
    if (tokens.length && score === 0) continue;
    const newest = -Date.parse(s.publishedAt);
    const stars = -(s.ocop?.stars ?? 0);
    const key: SortKey =
      sort === 'relevance'
        ? [-score, stars, newest, s.id]
        : sort === 'price_asc'
          ? [s.price.min, s.id]
          : sort === 'price_desc'
            ? [-s.price.max, s.id]
            : sort === 'ocop'
              ? [stars, newest, s.id]
              : [newest, s.id];
    keyed.push({ key, summary: s });
  }
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const start = after ? keyed.findIndex((k) => compareKeys(k.key, after) > 0) : 0;
  const limit = query.limit ?? PAGE_SIZE.default;
  const page = start < 0 ? [] : keyed.slice(start, start + limit);
  const last = page.at(-1);
  const hasMore = start >= 0 && start + limit < keyed.length;
  return {
    items: page.map((k) => k.summary),
    nextCursor: hasMore && last ? encodeCursor(last.key) : null,
    total: keyed.length,
  };
}

/** Categories with the number of visible products in each. */
export function categoryCounts(catalog: Catalog): CategoryView[] {
  const counts = groupBy(catalog.entries, (e) => e.summary.category.slug);
  return CATEGORIES.map((c) => ({
    slug: c.slug,
    name: c.name,
    group: c.group,
    productCount: counts.get(c.slug)?.length ?? 0,
  }));
}
