/**
 * The catalog's listings: category × sort × page, each its own URL so that filters, sort and
 * pagination are plain links that work without JavaScript and cache well at CloudFront (one object
 * per path, no query string in the key). Rendered on demand (lib/listing-data.ts). Paths:
 *   /san-pham/                                  all products, newest first, page 1
 *   /san-pham/trang/2/                          page 2
 *   /san-pham/sap-xep/gia-tang/trang/2/         cheapest first, page 2
 *   /san-pham/danh-muc/che-tom-non/sap-xep/ocop/ a category, most OCOP stars first
 *   /san-pham/sap-xep/danh-gia/                 best rated first (average, then number of reviews)
 * Pure: used by the listing page and its tests.
 */
import type { ProductSummary } from '../../../shared/domain/catalog-view.ts';

export const PAGE_SIZE = 24;

export const SORTS = ['moi-nhat', 'gia-tang', 'gia-giam', 'ocop', 'danh-gia'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = 'moi-nhat';

export interface ListingView {
  category?: string | undefined;
  sort: Sort;
  page: number;
}

/** The products of a listing in its order (stable: ties keep the API's newest-first order). */
export function sortProducts(products: readonly ProductSummary[], sort: Sort): ProductSummary[] {
  const list = [...products];
  switch (sort) {
    case 'gia-tang':
      return list.sort((a, b) => a.price.min - b.price.min);
    case 'gia-giam':
      return list.sort((a, b) => b.price.min - a.price.min);
    case 'ocop':
      return list.sort((a, b) => (b.ocop?.stars ?? 0) - (a.ocop?.stars ?? 0));
    case 'danh-gia':
      return list.sort(
        (a, b) =>
          (b.rating?.average ?? 0) - (a.rating?.average ?? 0) ||
          (b.rating?.count ?? 0) - (a.rating?.count ?? 0),
      );
    default:
      return list;
  }
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

export function pageOf<T>(items: readonly T[], page: number): T[] {
  return items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
}

/** The path segments after `/san-pham/` (undefined for the default view). */
export function viewParam(view: ListingView): string | undefined {
  const parts: string[] = [];
  if (view.category) parts.push('danh-muc', view.category);
  if (view.sort !== DEFAULT_SORT) parts.push('sap-xep', view.sort);
  if (view.page > 1) parts.push('trang', String(view.page));
  return parts.length ? parts.join('/') : undefined;
}

/** The API's sort for each listing sort (the API sorts and pages; the page only shows). */
export const API_SORT = {
  'moi-nhat': 'newest',
  'gia-tang': 'price_asc',
  'gia-giam': 'price_desc',
  ocop: 'ocop',
  'danh-gia': 'rating',
} as const satisfies Record<Sort, string>;

/**
 * The view a `[...view]` parameter stands for (the inverse of viewParam), or null for a path that
 * is no listing: unknown segments, a sort or page spelled out at its default, page 0 or `01`.
 */
export function parseView(param: string | undefined): ListingView | null {
  const parts = param ? param.split('/').filter(Boolean) : [];
  const view: ListingView = { sort: DEFAULT_SORT, page: 1 };
  let i = 0;
  if (parts[i] === 'danh-muc') {
    const category = parts[i + 1];
    if (!category || !/^[a-z0-9-]+$/.test(category)) return null;
    view.category = category;
    i += 2;
  }
  if (parts[i] === 'sap-xep') {
    const sort = parts[i + 1] as Sort | undefined;
    if (!sort || !SORTS.includes(sort) || sort === DEFAULT_SORT) return null;
    view.sort = sort;
    i += 2;
  }
  if (parts[i] === 'trang') {
    const page = parts[i + 1] ?? '';
    if (!/^[1-9]\d{0,4}$/.test(page) || page === '1') return null;
    view.page = Number(page);
    i += 2;
  }
  return i === parts.length ? view : null;
}

/** `/san-pham/…/` for a view (Vietnamese path; localize for English). */
export function listingPath(view: ListingView): string {
  const param = viewParam(view);
  return param ? `/san-pham/${param}/` : '/san-pham/';
}

/** Every view of the catalog: all products and each category, in every sort, every page. */
export function allViews(products: readonly ProductSummary[], categories: readonly string[]): ListingView[] {
  const views: ListingView[] = [];
  for (const category of [undefined, ...categories]) {
    const count = category ? products.filter((p) => p.category.slug === category).length : products.length;
    for (const sort of SORTS) {
      for (let page = 1; page <= pageCount(count); page++) views.push({ category, sort, page });
    }
  }
  return views;
}
