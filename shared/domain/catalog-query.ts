/**
 * The catalog query engine: the shopper's read model of the catalog, and filters,
 * diacritic-insensitive relevance search, sorting and cursor pagination over it. Pure code: the
 * catalog function loads every catalog shard once, then applies only the items that changed
 * (`Catalog.apply`), so the model is updated in place instead of rebuilt. Each sort order is kept
 * as a sorted array, updated by binary insertion, so a page costs one walk over the entries and
 * never a sort of the whole catalog.
 */
import * as z from 'zod';
import { CursorParam, openCursor, sealCursor } from './cursor.ts';
import { CATEGORY_SLUGS, CATEGORIES } from './categories.ts';
import { isVisibleToShoppers, type Producer } from './producer.ts';
import { isPublished, type Product, type Variant } from './product.ts';
import type { Lot } from './lot.ts';
import type { OcopCertificate } from './ocop.ts';
import { foldForSearch, searchTokens } from './text.ts';
import {
  producerCard,
  productSummary,
  type CategoryView,
  type ProductStats,
  type ProducerCard,
  type ProductSummary,
} from './catalog-view.ts';

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

/**
 * What the read model keeps of a product: what shoppers see and search. Its review record,
 * who listed it and its edit times are the seller's business and are not held by every container.
 */
export type CatalogProduct = Pick<
  Product,
  'id' | 'slug' | 'producerId' | 'category' | 'name' | 'description' | 'images' | 'status' | 'createdAt'
> &
  Partial<Pick<Product, 'publishedAt'> & ProductSearchFields>;

/** What the read model keeps of a lot: its public trace record. */
export type CatalogLot = Omit<Lot, 'createdAt'>;

export interface CatalogInput {
  producers: readonly Producer[];
  products: readonly (Product & Partial<ProductSearchFields>)[];
  variants: readonly Variant[];
  certificates: readonly OcopCertificate[];
  lots?: readonly Lot[];
}

/**
 * One item of the catalog index as the read model applies it. `version` orders the changes of
 * one item (the index's change-ordered sort key); `removed` marks an item that left the
 * catalog (a tombstone), so removals reach every container's model.
 */
export type CatalogItem = { version: string; removed?: boolean } & (
  | { type: 'producer'; entity: Producer }
  | { type: 'product'; entity: CatalogProduct }
  | { type: 'variant'; entity: Variant }
  | { type: 'ocop'; entity: OcopCertificate }
  | { type: 'lot'; entity: Lot | CatalogLot }
  | { type: 'stats'; entity: ProductStats }
);

export interface CatalogEntry {
  summary: ProductSummary;
  description: Product['description'];
  producerId: string;
  /** Folded name, for the phrase bonus; the words of name and text are in the word index. */
  foldedName: string;
  /** Folded other text (category, producer, place, description), computed once per product. */
  searchText: string;
  // Sort fields, fixed when the entry is built (entries are replaced, never mutated).
  publishedMs: number;
  stars: number;
  /** Rating average (0 without reviews) and count. */
  rating: number;
  ratingCount: number;
}

type SortOrder = Exclude<(typeof SORTS)[number], 'relevance'>;

const ORDERS: Record<SortOrder, (a: CatalogEntry, b: CatalogEntry) => number> = {
  newest: (a, b) => b.publishedMs - a.publishedMs || byId(a, b),
  price_asc: (a, b) => a.summary.price.min - b.summary.price.min || byId(a, b),
  price_desc: (a, b) => b.summary.price.max - a.summary.price.max || byId(a, b),
  ocop: (a, b) => b.stars - a.stars || b.publishedMs - a.publishedMs || byId(a, b),
  rating: (a, b) =>
    b.rating - a.rating || b.ratingCount - a.ratingCount || b.publishedMs - a.publishedMs || byId(a, b),
};

function byId(a: CatalogEntry, b: CatalogEntry): number {
  return a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0;
}

/** First index whose element does not sort before `item`. */
function bisect<T, K = T>(list: readonly T[], item: K, compare: (a: T, b: K) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per product: its packs, certificates or lots (a handful each), as small arrays. */
type Children<T> = Map<string, T[]>;

function setChild<T extends { id: string }>(
  map: Children<T>,
  productId: string,
  id: string,
  value: T | undefined,
): void {
  const children = map.get(productId);
  const at = children ? children.findIndex((c) => c.id === id) : -1;
  if (value === undefined) {
    if (at >= 0) children!.splice(at, 1);
    if (children?.length === 0) map.delete(productId);
  } else if (!children) map.set(productId, [value]);
  else if (at >= 0) children[at] = value;
  else children.push(value);
}

const values = <T>(list: readonly T[] | undefined): T[] => (list ? list.slice() : []);

/**
 * The held version of an item, compared with `>=`. A change-ordered index key
 * (`<ISO time>#<type>#<id>`) is kept as its time in ms: for one item the rest of the key never
 * changes, and a number takes a fraction of the key's memory.
 */
function versionRank(version: string): number | string {
  if (version.length > 24 && version[23] === 'Z' && version[24] === '#') {
    const ms = Date.parse(version.slice(0, 24));
    if (!Number.isNaN(ms)) return ms;
  }
  return version;
}

/** One copy of each repeated string or list (seasons, growing areas, pack labels, certifications). */
class Interner {
  private readonly held = new Map<string, unknown>();
  string(value: string): string {
    const found = this.held.get(value) as string | undefined;
    if (found !== undefined) return found;
    this.held.set(value, value);
    return value;
  }
  list<T extends string>(list: readonly T[]): T[] {
    const key = `\u0000${list.join('\u0000')}`;
    const found = this.held.get(key) as T[] | undefined;
    if (found) return found;
    const copy = list.slice();
    this.held.set(key, copy);
    return copy;
  }
}

/**
 * The shopper's catalog: the stored entities as last seen, and the visible entries (published,
 * verified producer, at least one pack) with their indexes. `apply` takes any mix of items, in
 * any order, any number of times: an item older than the one held is ignored.
 */
export class Catalog {
  readonly producersById = new Map<string, Producer>();
  readonly producersBySlug = new Map<string, Producer>();
  readonly entriesBySlug = new Map<string, CatalogEntry>();
  readonly entriesById = new Map<string, CatalogEntry>();
  private readonly products = new Map<string, CatalogProduct>();
  private readonly productsByProducer = new Map<string, Set<string>>();
  private readonly variants: Children<Variant> = new Map();
  private readonly certificates: Children<OcopCertificate> = new Map();
  private readonly lots: Children<CatalogLot> = new Map();
  private readonly lotsByTraceCode = new Map<string, CatalogLot>();
  /** Per product: its rating aggregate and units sold (absent until its first review or sale). */
  private readonly stats = new Map<string, ProductStats>();
  /** Slugs of products taken off sale for good (archived): their pages are gone, not missing. */
  private readonly archivedSlugs = new Set<string>();
  /** Per item type: id → version held (versionRank of the index sort key it was read with). */
  private readonly versions = new Map<CatalogItem['type'], Map<string, number | string>>();
  /** Products whose items arrived with `apply(…, { defer: true })`, built by `flush()`. */
  private readonly pending = new Set<string>();
  /** Word → ids of the visible products with it in their name / in their other text. */
  private readonly nameWords = new Map<string, string[]>();
  private readonly textWords = new Map<string, string[]>();
  /** Every indexed word, sorted, for prefix look-ups; rebuilt when a new word arrives. */
  private vocabulary: string[] | undefined = [];
  /** Per query token: product id → its best match score; dropped when the word index changes. */
  private readonly tokenScores = new Map<string, Map<string, number>>();
  /** Shared copies: one card per producer, one string per repeated label or season. */
  private readonly cards = new WeakMap<Producer, ProducerCard>();
  private readonly interned = new Interner();
  private sorted: Record<SortOrder, CatalogEntry[]> = {
    newest: [],
    price_asc: [],
    price_desc: [],
    ocop: [],
    rating: [],
  };

  /** `day` (YYYY-MM-DD) decides which OCOP certificates are valid. */
  constructor(private day?: string) {}

  /** Visible entries, newest first. */
  get entries(): readonly CatalogEntry[] {
    return this.sorted.newest;
  }

  /** Entries in one sort order. */
  inOrder(order: SortOrder): readonly CatalogEntry[] {
    return this.sorted[order];
  }

  get today(): string | undefined {
    return this.day;
  }

  /**
   * Applies items of the catalog index; returns how many changed the model. With `defer`, the
   * shopper's entries are built only at `flush()` (a full load applies page by page, builds once).
   * Only what shoppers see is kept of each item (CatalogProduct, CatalogLot).
   */
  apply(items: Iterable<CatalogItem>, options: { defer?: boolean } = {}): number {
    const touched = options.defer ? this.pending : new Set<string>();
    let changed = 0;
    for (const item of items) {
      const id = item.entity.id;
      let versions = this.versions.get(item.type);
      if (!versions) this.versions.set(item.type, (versions = new Map()));
      const held = versions.get(id);
      const version = versionRank(item.version);
      if (held !== undefined && held >= version) continue;
      versions.set(id, version);
      changed++;
      const gone = item.removed === true;
      switch (item.type) {
        case 'producer': {
          const previous = this.producersById.get(id);
          if (previous) this.producersBySlug.delete(previous.slug);
          if (gone) this.producersById.delete(id);
          else {
            this.producersById.set(id, item.entity);
            this.producersBySlug.set(item.entity.slug, item.entity);
          }
          for (const productId of this.productsByProducer.get(id) ?? []) touched.add(productId);
          break;
        }
        case 'product': {
          const previous = this.products.get(id);
          if (previous) {
            this.productsByProducer.get(previous.producerId)?.delete(id);
            this.archivedSlugs.delete(previous.slug);
          }
          if (gone) this.products.delete(id);
          else {
            const product = compactProduct(item.entity);
            if (product.status === 'archived') this.archivedSlugs.add(product.slug);
            this.products.set(id, product);
            const own = this.productsByProducer.get(product.producerId);
            if (own) own.add(id);
            else this.productsByProducer.set(product.producerId, new Set([id]));
          }
          touched.add(id);
          break;
        }
        case 'variant':
          setChild(this.variants, item.entity.productId, id, gone ? undefined : item.entity);
          touched.add(item.entity.productId);
          break;
        case 'ocop':
          setChild(this.certificates, item.entity.productId, id, gone ? undefined : item.entity);
          touched.add(item.entity.productId);
          break;
        case 'lot': {
          const previous = this.lots.get(item.entity.productId)?.find((l) => l.id === id);
          if (previous) this.lotsByTraceCode.delete(previous.traceCode);
          const lot = gone ? undefined : this.compactLot(item.entity);
          setChild(this.lots, item.entity.productId, id, lot);
          if (lot) this.lotsByTraceCode.set(lot.traceCode, lot);
          break;
        }
        case 'stats':
          if (gone) this.stats.delete(id);
          else
            this.stats.set(id, {
              id,
              ratingCount: Number(item.entity.ratingCount ?? 0),
              ratingSum: Number(item.entity.ratingSum ?? 0),
              sold: Number(item.entity.sold ?? 0),
            });
          touched.add(id);
          break;
      }
    }
    if (!options.defer) this.rebuildAll(touched);
    return changed;
  }

  /** Builds the entries of everything applied with `defer`. */
  flush(): void {
    this.rebuildAll(this.pending);
    this.pending.clear();
  }

  /**
   * Rebuilds the entries of the given products. A few are moved in the sorted orders one by one
   * (binary search); many at once (a full load, a new day) rebuild the orders with one sort each.
   */
  private rebuildAll(productIds: Iterable<string>, count = (productIds as Set<string>).size): void {
    const bulk = count > 256;
    for (const productId of productIds) {
      this.shareIds(productId);
      this.rebuild(productId, !bulk);
    }
    if (bulk) {
      const entries = [...this.entriesById.values()];
      for (const order of Object.keys(ORDERS) as SortOrder[])
        this.sorted[order] = entries.slice().sort(ORDERS[order]);
    }
  }

  /** Moves the model to another day: OCOP badges are recomputed, so validity never spans midnight. */
  setDay(day: string): void {
    if (day === this.day) return;
    this.day = day;
    this.rebuildAll(this.products.keys(), this.products.size);
  }

  /** A product's lots, oldest harvest first (whatever the product's status). */
  lotsOf(productId: string): CatalogLot[] {
    return values(this.lots.get(productId)).sort((a, b) => a.harvestDate.localeCompare(b.harvestDate));
  }

  lotByTraceCode(traceCode: string): CatalogLot | undefined {
    return this.lotsByTraceCode.get(traceCode);
  }

  /** Whether `slug` names a product that was on sale and has been archived. */
  isArchived(slug: string): boolean {
    return this.archivedSlugs.has(slug);
  }

  /** How many items the model holds (producers, products, packs, certificates, lots). */
  get itemCount(): number {
    let count = 0;
    for (const versions of this.versions.values()) count += versions.size;
    return count;
  }

  /**
   * Makes the product's packs, certificates and lots, and the product itself, point at one copy of
   * each id they repeat (the product's id, its producer's, each lot's household's): every item is
   * parsed on its own, so each carried its own copy of the same text. At 20,000 listings that was
   * about 110,000 strings of 30 bytes and more. Only equal strings are swapped.
   */
  private shareIds(productId: string): void {
    const product = this.products.get(productId);
    if (!product) return;
    const id = product.id;
    product.producerId = this.producersById.get(product.producerId)?.id ?? product.producerId;
    for (const variant of this.variants.get(productId) ?? []) variant.productId = id;
    for (const certificate of this.certificates.get(productId) ?? []) certificate.productId = id;
    for (const lot of this.lots.get(productId) ?? []) {
      lot.productId = id;
      lot.householdId = this.producersById.get(lot.householdId)?.id ?? lot.householdId;
    }
  }

  /** A lot's trace record, its repeated strings and lists shared with the other lots. */
  private compactLot(lot: Lot | CatalogLot): CatalogLot {
    return {
      id: lot.id,
      productId: lot.productId,
      householdId: lot.householdId,
      traceCode: lot.traceCode,
      harvestDate: this.interned.string(lot.harvestDate),
      season: this.interned.string(lot.season),
      growingAreaCode: this.interned.string(lot.growingAreaCode),
      certifications: this.interned.list(lot.certifications),
    };
  }

  /** One card per producer (its entity is replaced, never mutated, when it changes). */
  private cardOf(producer: Producer): ProducerCard {
    let card = this.cards.get(producer);
    if (!card) this.cards.set(producer, (card = producerCard(producer)));
    return card;
  }

  private rebuild(productId: string, keepOrders: boolean): void {
    const previous = this.entriesById.get(productId);
    if (previous) this.remove(previous, keepOrders);
    const rebuilt = this.build(productId, previous, keepOrders);
    // Gone from the shop (or its words changed and were re-indexed by build): drop old words.
    if (previous && !rebuilt) this.unindexWords(previous);
  }

  private build(productId: string, previous: CatalogEntry | undefined, keepOrders: boolean): boolean {
    const product = this.products.get(productId);
    const producer = product && this.producersById.get(product.producerId);
    const packs = this.variants.get(productId);
    if (!product || !producer || !isVisibleToShoppers(producer) || !isPublished(product) || !packs?.length)
      return false;
    const summary = productSummary(
      product,
      this.cardOf(producer),
      packs,
      this.certificates.get(productId) ?? [],
      this.day,
      this.stats.get(productId),
    );
    for (const pack of summary.variants) pack.label = this.interned.string(pack.label);
    const entry: CatalogEntry = {
      summary,
      description: product.description,
      producerId: producer.id,
      foldedName: product.searchName ?? foldForSearch(`${product.name.vi} ${product.name.en ?? ''}`),
      searchText: product.searchText ?? '',
      publishedMs: Date.parse(summary.publishedAt) || 0,
      stars: summary.ocop?.stars ?? 0,
      rating: summary.rating?.average ?? 0,
      ratingCount: summary.rating?.count ?? 0,
    };
    this.entriesById.set(productId, entry);
    this.entriesBySlug.set(summary.slug, entry);
    if (!previous || previous.foldedName !== entry.foldedName || previous.searchText !== entry.searchText) {
      if (previous) this.unindexWords(previous);
      this.indexWords(entry);
    }
    if (!keepOrders) return true;
    for (const order of Object.keys(ORDERS) as SortOrder[]) {
      const list = this.sorted[order];
      list.splice(bisect(list, entry, ORDERS[order]), 0, entry);
    }
    return true;
  }

  private indexWords(entry: CatalogEntry): void {
    this.postWords(this.nameWords, entry.foldedName, entry.summary.id, true);
    this.postWords(this.textWords, entry.searchText, entry.summary.id, true);
    this.tokenScores.clear();
  }

  private unindexWords(entry: CatalogEntry): void {
    this.postWords(this.nameWords, entry.foldedName, entry.summary.id, false);
    this.postWords(this.textWords, entry.searchText, entry.summary.id, false);
    this.tokenScores.clear();
  }

  /** Posts (or withdraws) each distinct word of `text` for product `id`. */
  private postWords(index: Map<string, string[]>, text: string, id: string, add: boolean): void {
    for (const word of new Set(text.split(' '))) {
      if (!word) continue;
      const ids = index.get(word);
      if (add) {
        if (ids) ids.push(id);
        else {
          index.set(word, [id]);
          this.vocabulary = undefined;
        }
      } else if (ids) {
        const at = ids.lastIndexOf(id);
        if (at >= 0) ids.splice(at, 1);
        if (ids.length === 0) {
          index.delete(word);
          this.vocabulary = undefined;
        }
      }
    }
  }

  /**
   * Products matching one folded query token, with their best score: 4 for a word of the name,
   * 2.4 for a name word it begins (typing in progress), 1 and 0.6 for the other text. Found through
   * the word index (prefixes by binary search in the sorted vocabulary), cached per token.
   */
  matchesOf(token: string): ReadonlyMap<string, number> {
    const cached = this.tokenScores.get(token);
    if (cached) return cached;
    const vocabulary = (this.vocabulary ??= [
      ...new Set([...this.nameWords.keys(), ...this.textWords.keys()]),
    ].sort());
    const scores = new Map<string, number>();
    const post = (ids: readonly string[] | undefined, score: number) => {
      for (const id of ids ?? []) if ((scores.get(id) ?? 0) < score) scores.set(id, score);
    };
    for (
      let i = bisect(vocabulary, token, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
      i < vocabulary.length;
      i++
    ) {
      const word = vocabulary[i]!;
      if (!word.startsWith(token)) break;
      const exact = word === token;
      post(this.nameWords.get(word), exact ? 4 : 2.4);
      post(this.textWords.get(word), exact ? 1 : 0.6);
    }
    if (this.tokenScores.size >= 1000) this.tokenScores.clear();
    this.tokenScores.set(token, scores);
    return scores;
  }

  private remove(entry: CatalogEntry, keepOrders: boolean): void {
    this.entriesById.delete(entry.summary.id);
    if (this.entriesBySlug.get(entry.summary.slug) === entry) this.entriesBySlug.delete(entry.summary.slug);
    if (!keepOrders) return;
    for (const order of Object.keys(ORDERS) as SortOrder[]) {
      const list = this.sorted[order];
      const at = bisect(list, entry, ORDERS[order]);
      if (list[at] === entry) list.splice(at, 1);
    }
  }
}

/** The fields of a product the read model keeps (a stored product has more). */
function compactProduct(product: CatalogProduct): CatalogProduct {
  return {
    id: product.id,
    slug: product.slug,
    producerId: product.producerId,
    category: product.category,
    name: product.name,
    description: product.description,
    images: product.images,
    status: product.status,
    createdAt: product.createdAt,
    ...(product.publishedAt !== undefined ? { publishedAt: product.publishedAt } : {}),
    ...(product.searchName !== undefined ? { searchName: product.searchName } : {}),
    ...(product.searchText !== undefined ? { searchText: product.searchText } : {}),
  };
}

/** The catalog items of stored entities, all at one version. */
export function catalogItems(input: CatalogInput, version = ''): CatalogItem[] {
  return [
    ...input.producers.map((entity) => ({ type: 'producer' as const, version, entity })),
    ...input.products.map((entity) => ({ type: 'product' as const, version, entity })),
    ...input.variants.map((entity) => ({ type: 'variant' as const, version, entity })),
    ...input.certificates.map((entity) => ({ type: 'ocop' as const, version, entity })),
    ...(input.lots ?? []).map((entity) => ({ type: 'lot' as const, version, entity })),
  ];
}

/** Joins the stored entities into shopper-visible entries (published, verified producer, ≥1 pack). */
export function buildCatalog(input: CatalogInput, today?: string): Catalog {
  const catalog = new Catalog(today);
  catalog.apply(catalogItems(input));
  return catalog;
}

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'ocop', 'rating'] as const;
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
    cursor: CursorParam.optional(),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, {
    message: 'priceMin must not exceed priceMax',
    path: ['priceMin'],
  });
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;

/** Relevance of an entry for the folded query tokens; 0 when some token does not match. */
export function relevance(
  entry: Pick<CatalogEntry, 'summary' | 'foldedName'>,
  tokenMatches: readonly ReadonlyMap<string, number>[],
  phrase: string,
): number {
  let score = 0;
  for (const matches of tokenMatches) {
    const best = matches.get(entry.summary.id);
    if (best === undefined) return 0;
    score += best;
  }
  if (tokenMatches.length > 1 && entry.foldedName.includes(phrase)) score += 4;
  return score;
}

type SortKey = (number | string)[];

const CATALOG_CURSOR = 'catalog';
const SortKeySchema = z.array(z.union([z.number(), z.string()]));

function encodeCursor(key: SortKey): string {
  return sealCursor(CATALOG_CURSOR, key);
}

function decodeCursor(cursor: string): SortKey {
  return openCursor(CATALOG_CURSOR, cursor, SortKeySchema);
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

/** The cursor key of an entry in a sort order; keys ascend, so "descending" fields are negated. */
function sortKey(sort: (typeof SORTS)[number], entry: CatalogEntry, score: number): SortKey {
  const s = entry.summary;
  const newest = -entry.publishedMs;
  const stars = -entry.stars;
  switch (sort) {
    case 'relevance':
      return [-score, stars, newest, s.id];
    case 'price_asc':
      return [s.price.min, s.id];
    case 'price_desc':
      return [-s.price.max, s.id];
    case 'ocop':
      return [stars, newest, s.id];
    case 'rating':
      return [-entry.rating, -entry.ratingCount, newest, s.id];
    default:
      return [newest, s.id];
  }
}

export interface ProductPage {
  items: ProductSummary[];
  nextCursor: string | null;
  total: number;
}

/**
 * Filters, ranks and pages the catalog: one walk over the entries in the requested order (kept
 * sorted by the model), then a slice. Relevance starts from the OCOP order and puts the matches
 * in one bucket per score, best score first: a stable sort by score without a sort. A cursor is
 * the last key of a page; the next page starts after it, found by binary search in its bucket.
 */
export function queryCatalog(catalog: Catalog, query: ListProductsQuery): ProductPage {
  const tokens = query.q ? searchTokens(query.q) : [];
  const phrase = tokens.join(' ');
  // Rarest token first: most entries are ruled out by one look-up.
  const tokenMatches = tokens.map((token) => catalog.matchesOf(token)).sort((a, b) => a.size - b.size);
  const sort = query.sort ?? (tokens.length ? 'relevance' : 'newest');
  const ranked = sort === 'relevance' && tokens.length > 0;
  const producer = query.producer ? catalog.producersBySlug.get(query.producer) : undefined;
  const priced = query.priceMin !== undefined || query.priceMax !== undefined;
  const min = query.priceMin ?? 0;
  const max = query.priceMax ?? Number.MAX_SAFE_INTEGER;
  const order = catalog.inOrder(sort === 'relevance' ? 'ocop' : sort);
  const filtered =
    tokens.length > 0 ||
    query.category !== undefined ||
    query.ocopMin !== undefined ||
    query.province !== undefined ||
    query.commune !== undefined ||
    query.inStock === true ||
    query.producer !== undefined ||
    priced;
  /** Score → the matching entries with it, in `order`'s order (one bucket unless ranked). */
  const buckets = new Map<number, readonly CatalogEntry[]>();
  let total = 0;
  // Nothing to filter: the order itself is the answer, sliced after the cursor below.
  if (!filtered) {
    buckets.set(0, order);
    total = order.length;
  }
  for (const entry of filtered ? order : []) {
    const s = entry.summary;
    if (query.category && s.category.slug !== query.category) continue;
    if (query.ocopMin && entry.stars < query.ocopMin) continue;
    if (query.province && s.producer.province.code !== query.province) continue;
    if (query.commune && s.producer.commune.code !== query.commune) continue;
    if (query.inStock && !s.inStock) continue;
    if (query.producer && entry.producerId !== producer?.id) continue;
    if (priced && !s.variants.some((v) => v.price >= min && v.price <= max)) continue;
    const score = tokens.length ? relevance(entry, tokenMatches, phrase) : 1;
    if (score === 0) continue;
    total++;
    const key = ranked ? score : 0;
    const bucket = buckets.get(key) as CatalogEntry[] | undefined;
    if (bucket) bucket.push(entry);
    else buckets.set(key, [entry]);
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const limit = query.limit ?? PAGE_SIZE.default;
  const page: { entry: CatalogEntry; score: number }[] = [];
  let more = false;
  walk: for (const score of [...buckets.keys()].sort((x, y) => y - x)) {
    const bucket = buckets.get(score)!;
    let from = 0;
    if (after) {
      if (ranked && score > -(after[0] as number)) continue; // that whole bucket came before the cursor
      if (!ranked || score === -(after[0] as number)) {
        const key = (entry: CatalogEntry) => sortKey(sort, entry, score);
        from = bisect(bucket, after, (entry, cursor) => (compareKeys(key(entry), cursor) <= 0 ? -1 : 1));
      }
    }
    for (let i = from; i < bucket.length; i++) {
      if (page.length === limit) {
        more = true;
        break walk;
      }
      page.push({ entry: bucket[i]!, score });
    }
  }
  const last = page.at(-1);
  return {
    items: page.map((p) => p.entry.summary),
    nextCursor: more && last ? encodeCursor(sortKey(sort, last.entry, last.score)) : null,
    total,
  };
}

/** Categories with the number of visible products in each. */
export function categoryCounts(catalog: Catalog): CategoryView[] {
  const counts = new Map<string, number>();
  for (const entry of catalog.entries) {
    const slug = entry.summary.category.slug;
    counts.set(slug, (counts.get(slug) ?? 0) + 1);
  }
  return CATEGORIES.map((c) => ({
    slug: c.slug,
    name: c.name,
    group: c.group,
    productCount: counts.get(c.slug) ?? 0,
  }));
}
