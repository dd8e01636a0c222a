/**
 * The catalog's static listings: category × sort × page, each its own page so that filters, sort
 * and pagination live in the URL and work without JavaScript (the site is static; a query string
 * could not change what is served). Paths:
 *   /san-pham/                                  all products, newest first, page 1
 *   /san-pham/trang/2/                          page 2
 *   /san-pham/sap-xep/gia-tang/trang/2/         cheapest first, page 2
 *   /san-pham/danh-muc/che-tom-non/sap-xep/ocop/ a category, most OCOP stars first
 * Pure: used by the listing page and its tests.
 */
import type { ProductSummary } from '../../../shared/domain/catalog-view.ts';

export const PAGE_SIZE = 24;

export const SORTS = ['moi-nhat', 'gia-tang', 'gia-giam', 'ocop'] as const;
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
