/**
 * Opening a pre-order window (`createPreorderWindow`) and listing windows: the public list of open
 * windows with what is left (`listPreorderWindows`), and the manager's board view with figures
 * (`getPreorderBoard`, board.ts).
 *
 * Who opens a window: the fulfiller of the product — the cooperative's manager for a member
 * household's product, or an independent household (or cooperative, enterprise) for its own. The
 * window's households are the cooperative's approved members that pick for it (by default all of
 * them), each with the same quota; an independent household's window has one member: itself.
 */
import { newId, keys } from '../db/items.ts';
import { getConsistent } from '../db/item-access.ts';
import { createWindowItems, getHolds, getWindowRecord, listWindows } from '../db/preorders.ts';
import { producers } from '../db/producers.ts';
import { transactWrite } from '../db/retry.ts';
import { forbidden, invalid, notFound } from '../domain/errors.ts';
import { canManageSubOrder } from '../orders/lifecycle.ts';
import type { Principal } from '../domain/permissions.ts';
import type { Producer } from '../domain/producer.ts';
import type { Product } from '../domain/product.ts';
import { vnDay } from '../orders/reports.ts';
import {
  depositOf,
  depositRuleText,
  endOfDay,
  KEPT_ON_LAPSE_PERCENT,
  windowPhase,
  type CreatePreorderWindowBody,
  type PreorderHolds,
  type PreorderWindow,
  type WindowPhase,
} from './model.ts';

const notYours = () =>
  forbidden(
    'preorder.forbidden',
    'Bạn không quản lý đặt trước của đơn vị này / You do not manage this producer’s pre-orders',
  );

/** The fulfiller of a producer's orders: its cooperative (approved member) or itself. */
export async function fulfillerOf(producer: Producer): Promise<Producer | undefined> {
  const coopId = producer.membership?.status === 'approved' ? producer.membership.cooperativeId : undefined;
  return coopId ? producers.get(coopId) : producer;
}

export async function createPreorderWindow(
  principal: Principal,
  fulfillerId: string,
  body: CreatePreorderWindowBody,
  now: Date,
): Promise<PreorderWindow> {
  if (!canManageSubOrder(principal, fulfillerId)) throw notYours();
  const item = await getConsistent(keys.product(body.productId));
  const product = item as unknown as Product | undefined;
  const seller = product ? await producers.get(product.producerId) : undefined;
  const fulfiller = seller ? await fulfillerOf(seller) : undefined;
  if (!product || !seller || !fulfiller || fulfiller.id !== fulfillerId) {
    throw notFound(
      'preorder.product_not_found',
      'Không tìm thấy sản phẩm này trong các sản phẩm bạn quản lý / No such product among those you fulfil',
    );
  }
  if (product.status !== 'published' || seller.verification.status !== 'verified') {
    throw invalid(
      'preorder.product_not_published',
      'Sản phẩm phải đang được bán (đã duyệt) mới mở đặt trước được / The product must be published first',
    );
  }
  const today = vnDay(now);
  if (body.closesOn < today) {
    throw invalid(
      'preorder.closes_in_past',
      `Ngày đóng đặt trước (${body.closesOn}) đã qua; hãy chọn từ hôm nay (${today}) / The closing date has passed`,
    );
  }
  const households = await householdsOf(fulfiller, seller, body);
  const window: PreorderWindow = {
    id: newId(),
    productId: product.id,
    productSlug: product.slug,
    productName: product.name.vi,
    fulfillerId: fulfiller.id,
    fulfillerName: fulfiller.name,
    season: body.season,
    opensOn: body.opensOn,
    closesOn: body.closesOn,
    harvestFrom: body.harvestFrom,
    harvestTo: body.harvestTo,
    packs: body.packs.map((p, i) => ({
      id: `p${i + 1}`,
      grams: p.grams,
      price: p.price,
      ...(p.tolerancePercent !== undefined ? { tolerancePercent: p.tolerancePercent } : {}),
    })),
    totalGrams: body.totalKg * 1000,
    households: households.map((h) => ({ producerId: h.id, name: h.name, quotaGrams: body.quotaKg * 1000 })),
    depositPercent: body.depositPercent,
    graceDays: body.graceDays,
    keptOnLapsePercent: KEPT_ON_LAPSE_PERCENT,
    createdAt: now.toISOString(),
    createdBy: principal.sub,
  };
  await transactWrite(createWindowItems(window));
  return window;
}

async function householdsOf(
  fulfiller: Producer,
  seller: Producer,
  body: CreatePreorderWindowBody,
): Promise<Producer[]> {
  if (fulfiller.kind !== 'cooperative' || fulfiller.id === seller.id) {
    if (body.householdIds && (body.householdIds.length !== 1 || body.householdIds[0] !== seller.id)) {
      throw invalid(
        'preorder.households_invalid',
        'Đặt trước của hộ độc lập chỉ có một hộ là chính mình / An independent producer’s window has itself as its only household',
      );
    }
    return [seller];
  }
  const members = await producers.listMembers(fulfiller.id, 'approved');
  if (!body.householdIds) {
    if (members.length === 0) {
      throw invalid(
        'preorder.no_households',
        'Hợp tác xã chưa có hộ thành viên / The cooperative has no members',
      );
    }
    return members;
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  const unknown = body.householdIds.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw invalid(
      'preorder.not_members',
      `Không phải hộ thành viên của hợp tác xã: ${unknown.join(', ')} / Not members of your cooperative`,
    );
  }
  return body.householdIds.map((id) => byId.get(id)!);
}

/** What a shopper sees of a window. */
export interface PublicWindow {
  id: string;
  productId: string;
  productSlug: string;
  productName: string;
  fulfillerName: string;
  season: string;
  phase: WindowPhase;
  opensOn: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  packs: {
    id: string;
    grams: number;
    price: number;
    deposit: number;
    tolerancePercent?: number;
    /** Packs of this size that can still be reserved (one reservation's most). */
    left: number;
  }[];
  totalKg: number;
  leftGrams: number;
  depositPercent: number;
  graceDays: number;
  depositRule: { vi: string; en: string };
  closesAt: string;
}

export function publicWindow(window: PreorderWindow, holds: PreorderHolds, now: Date): PublicWindow {
  // One reservation is held by one household: the most one can take is the roomiest household's.
  const roomiest = Math.max(0, ...Object.values(holds.households));
  const left = Math.max(0, Math.min(holds.leftGrams, roomiest));
  return {
    id: window.id,
    productId: window.productId,
    productSlug: window.productSlug,
    productName: window.productName,
    fulfillerName: window.fulfillerName,
    season: window.season,
    phase: windowPhase(window, now),
    opensOn: window.opensOn,
    closesOn: window.closesOn,
    harvestFrom: window.harvestFrom,
    harvestTo: window.harvestTo,
    packs: window.packs.map((p) => ({
      id: p.id,
      grams: p.grams,
      price: p.price,
      deposit: depositOf(p.price, window.depositPercent),
      ...(p.tolerancePercent !== undefined ? { tolerancePercent: p.tolerancePercent } : {}),
      left: Math.floor(left / p.grams),
    })),
    totalKg: window.totalGrams / 1000,
    leftGrams: holds.leftGrams,
    depositPercent: window.depositPercent,
    graceDays: window.graceDays,
    depositRule: depositRuleText(window.graceDays, window.keptOnLapsePercent),
    closesAt: new Date(endOfDay(window.closesOn)).toISOString(),
  };
}

/** Open windows (and those opening later), optionally of one product, with what is left. */
export async function listOpenWindows(
  filter: { productId?: string; productSlug?: string },
  now: Date,
): Promise<PublicWindow[]> {
  const windows = (await listWindows(vnDay(now))).filter(
    (w) =>
      !w.allocatedAt &&
      (!filter.productId || w.productId === filter.productId) &&
      (!filter.productSlug || w.productSlug === filter.productSlug) &&
      ['open', 'upcoming'].includes(windowPhase(w, now)),
  );
  const holds = await getHolds(windows.map((w) => w.id));
  return windows.flatMap((w) => {
    const h = holds.get(w.id);
    return h ? [publicWindow(w, h, now)] : [];
  });
}

/** A window for its manager, or 404 (the same for another producer's window). */
export async function managedWindow(principal: Principal, fulfillerId: string, windowId: string) {
  if (!canManageSubOrder(principal, fulfillerId)) throw notYours();
  const record = await getWindowRecord(windowId);
  if (!record || record.window.fulfillerId !== fulfillerId) {
    throw notFound('preorder.not_found', 'Không tìm thấy đợt đặt trước này / No such pre-order window');
  }
  return record;
}
