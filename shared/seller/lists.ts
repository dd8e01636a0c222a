/**
 * The seller center's lists, each one page at a time: a caller's listings or review queue, a
 * listing's stock history, a cooperative's households and the producers awaiting verification.
 * Every page holds at most `limit` items (capped by the API, LIST_LIMITS) and a sealed cursor to
 * the next (domain/cursor.ts), bound to the list and the caller it was issued for.
 */
import * as z from 'zod';
import {
  cooperativeMembers,
  listPage,
  reviewQueue,
  sellerListings,
  stockChanges,
  type ListPartition,
} from '../db/pages.ts';
import { REVIEW_QUEUES } from '../db/products.ts';
import { producers } from '../db/producers.ts';
import { nextCursor, openOptionalCursor } from '../domain/cursor.ts';
import { forbidden } from '../domain/errors.ts';
import { isAdmin, managedCooperativeId, type Principal } from '../domain/permissions.ts';
import type { Producer } from '../domain/producer.ts';
import { fromItem } from '../db/items.ts';
import {
  listingForEditor,
  loadListing,
  sellerView,
  type SellerProduct,
  type StockChange,
} from './listings.ts';

/** Page sizes of the seller center's lists: the default and the most one page may hold. */
export const LIST_LIMITS = { default: 50, max: 100 } as const;

export interface PageOptions {
  limit: number;
  cursor?: string;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

const SortPosition = z.string().min(1).max(300);

async function pageOf(
  scope: string,
  parts: readonly ListPartition[],
  options: PageOptions,
  descending: boolean,
) {
  const after = openOptionalCursor(scope, options.cursor, SortPosition);
  const page = await listPage(parts, { limit: options.limit, descending, ...(after ? { after } : {}) });
  return { items: page.items, nextCursor: nextCursor(scope, page.next) };
}

/** The caller's listings, newest first (a manager's include its members'), or its review queue. */
export async function listSellerProductsPage(
  p: Principal,
  scope: 'mine' | 'review',
  options: PageOptions,
): Promise<ListPage<SellerProduct>> {
  let parts: ListPartition[];
  if (scope === 'review') {
    parts = [
      ...(isAdmin(p) ? [REVIEW_QUEUES.admin] : []),
      ...(p.producer?.kind === 'cooperative' && p.producer.verification.status === 'verified'
        ? [REVIEW_QUEUES.cooperative(p.producer.id)]
        : []),
    ].map(reviewQueue);
  } else {
    if (!p.producer) return { items: [], nextCursor: null };
    const sellers = [p.producer.id];
    if (p.producer.kind === 'cooperative' && p.producer.verification.status === 'verified') {
      sellers.push(...(await producers.listMembers(p.producer.id)).map((m) => m.id));
    }
    parts = sellers.map(sellerListings);
  }
  // The review queue is oldest first (first come, first reviewed); one's own listings newest first.
  const page = await pageOf(`seller-products:${scope}:${p.sub}`, parts, options, scope === 'mine');
  const listings = await Promise.all(page.items.map((item) => loadListing(String(item.id))));
  return { items: listings.map(sellerView), nextCursor: page.nextCursor };
}

/** A listing's stock changes, newest first. */
export async function listStockHistoryPage(
  p: Principal,
  productId: string,
  options: PageOptions,
): Promise<ListPage<StockChange>> {
  await listingForEditor(p, productId);
  const page = await pageOf(`stock:${productId}`, [stockChanges(productId)], options, true);
  return { items: page.items.map((i) => fromItem<StockChange>(i)), nextCursor: page.nextCursor };
}

/** A cooperative's households with one membership status (its manager or an admin). */
export async function listMembersPage(
  p: Principal,
  cooperativeId: string,
  status: 'requested' | 'approved' | 'rejected',
  options: PageOptions,
): Promise<ListPage<Producer>> {
  if (!isAdmin(p) && managedCooperativeId(p) !== cooperativeId) {
    throw forbidden(
      'cooperative.not_yours',
      'Chỉ quản lý hợp tác xã xem được / Only the manager can see this',
    );
  }
  const page = await pageOf(
    `members:${cooperativeId}:${status}`,
    [cooperativeMembers(cooperativeId, status)],
    options,
    false,
  );
  return { items: page.items.map((i) => fromItem<Producer>(i)), nextCursor: page.nextCursor };
}

/**
 * Producers awaiting an admin's verification, oldest first (households that asked a cooperative
 * wait for its manager instead). No index holds them alone, so the producers are read and the page
 * is cut here; only the page goes out.
 */
export async function listPendingProducersPage(
  p: Principal,
  options: PageOptions,
): Promise<ListPage<Producer>> {
  if (!isAdmin(p)) throw forbidden('producer.admins_only', 'Chỉ quản trị viên / Admins only');
  const scope = 'pending-producers';
  const after = openOptionalCursor(scope, options.cursor, SortPosition);
  const position = (x: Producer) => `${x.createdAt}#${x.id}`;
  const pending = (await producers.listAll())
    .filter((x) => x.verification.status === 'pending' && x.membership?.status !== 'requested')
    .sort((a, b) => (position(a) < position(b) ? -1 : 1))
    .filter((x) => after === undefined || position(x) > after);
  const items = pending.slice(0, options.limit);
  const more = pending.length > options.limit;
  return { items, nextCursor: nextCursor(scope, more ? position(items.at(-1)!) : null) };
}
