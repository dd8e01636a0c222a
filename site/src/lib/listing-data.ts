/**
 * The data of one listing page, read from the catalog API at request time: the API filters, sorts
 * and pages (keyset cursors), so a page costs a few small calls whatever the catalog's size.
 *
 * Page N of a listing is reached by following the API's cursors from page 1. The cursor where each
 * page starts is remembered for a while (a cursor is the sort key of the previous page's last item,
 * so an old one still points at "everything after that item": never wrong, at worst an item moved
 * across a page boundary), which makes "next page" one call, as it is for a shopper clicking on.
 */
import type { CategoryView, ProductSummary } from '../../../shared/domain/catalog-view.ts';
import { getActiveCategories, queryProducts } from './catalog.ts';
import { API_SORT, PAGE_SIZE, pageCount, type ListingView } from './listing.ts';

const CURSOR_TTL_MS = 10 * 60_000;
const CURSOR_ENTRIES = 5_000;
const pageStarts = new Map<string, { cursor: string; at: number }>();

function rememberStart(key: string, cursor: string): void {
  if (pageStarts.size >= CURSOR_ENTRIES) pageStarts.delete(pageStarts.keys().next().value!);
  pageStarts.set(key, { cursor, at: Date.now() });
}

/** The cursor of page `page` (null for page 1), from the nearest remembered page before it. */
async function cursorOf(view: ListingView): Promise<string | null | undefined> {
  const base = `${view.category ?? ''}|${view.sort}`;
  let page = view.page;
  let cursor: string | null = null;
  for (; page > 1; page--) {
    const hit = pageStarts.get(`${base}|${page}`);
    if (hit && Date.now() - hit.at < CURSOR_TTL_MS) {
      cursor = hit.cursor;
      break;
    }
  }
  // Walk forward to the page asked for.
  for (; page < view.page; page++) {
    const result = await queryProducts({
      category: view.category,
      sort: API_SORT[view.sort],
      limit: PAGE_SIZE,
      cursor,
    });
    if (!result.nextCursor) return undefined;
    cursor = result.nextCursor;
    rememberStart(`${base}|${page + 1}`, cursor);
  }
  return cursor;
}

export interface ListingData {
  products: ProductSummary[];
  categories: CategoryView[];
  /** The category shown, when the listing is one. */
  current: CategoryView | undefined;
  /** All products on sale, how many this listing has, and how many of those are in stock. */
  total: number;
  listed: number;
  inStock: number;
}

/** The listing's page, or null when it does not exist (unknown category, page past the end). */
export async function listingData(view: ListingView): Promise<ListingData | null> {
  const categories = await getActiveCategories();
  const current = categories.find((c) => c.slug === view.category);
  if (view.category && !current) return null;
  const cursor = await cursorOf(view);
  if (cursor === undefined) return null;
  const query = { category: view.category, sort: API_SORT[view.sort], limit: PAGE_SIZE };
  const [page, stocked] = await Promise.all([
    queryProducts({ ...query, cursor }),
    queryProducts({ ...query, inStock: true, limit: 1 }),
  ]);
  if (view.page > pageCount(page.total) || (view.page > 1 && page.items.length === 0)) return null;
  return {
    products: page.items,
    categories,
    current,
    total: categories.reduce((sum, c) => sum + c.productCount, 0),
    listed: page.total,
    inStock: stocked.total,
  };
}
