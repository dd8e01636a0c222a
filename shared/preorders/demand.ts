/**
 * Open pre-order demand, for the market panel of the seller center: for each product, the packs
 * reserved in its windows that are open or closed but not yet allocated, by pack and season.
 * Only live reservations count (a cancelled or expired one gave its packs back, db/preorders.ts);
 * an unpaid deposit still holds its packs until it expires, and is counted apart (`pending`).
 */
import { getWindowRecord, listReservationRefs, listWindows } from '../db/preorders.ts';
import { readReservation } from './changes.ts';
import { windowPhase } from './model.ts';
import type { OpenPreorderDemand } from '../market/demand.ts';

export interface PackDemand {
  windowId: string;
  season: string;
  /** open, or closed and waiting for allocation */
  phase: 'open' | 'closed';
  closesOn: string;
  harvestFrom: string;
  packId: string;
  grams: number;
  price: number;
  /** Packs reserved with the deposit paid. */
  reserved: number;
  /** Packs held by reservations whose deposit is not paid yet. */
  pending: number;
}

/**
 * The reserved quantities per product, pack and season of the open (and closed, not yet
 * allocated) windows of `productIds`. A product without such a window has an empty list.
 */
export async function openPreorderDemand(
  productIds: readonly string[],
  now: Date,
): Promise<Map<string, PackDemand[]>> {
  const wanted = new Set(productIds);
  const out = new Map<string, PackDemand[]>(productIds.map((id) => [id, []]));
  // Windows that closed long ago and were never allocated still count until they are.
  const windows = (await listWindows('0')).filter((w) => {
    const phase = windowPhase(w, now);
    return wanted.has(w.productId) && (phase === 'open' || phase === 'closed');
  });
  for (const w of windows) {
    const record = await getWindowRecord(w.id);
    if (!record) continue;
    const pending = new Map<string, number>();
    const refs = await listReservationRefs(w.id);
    const reservations = await Promise.all(refs.map((r) => readReservation(r.code)));
    for (const r of reservations) {
      if (!r || r.sub.status !== 'pending_payment') continue;
      for (const [packId, n] of Object.entries(r.sub.preorder?.packs ?? {})) {
        pending.set(packId, (pending.get(packId) ?? 0) + n);
      }
    }
    const phase = windowPhase(w, now) as 'open' | 'closed';
    out.get(w.productId)!.push(
      ...w.packs.map((p) => {
        const held = record.holds.packCounts[p.id] ?? 0;
        const waiting = pending.get(p.id) ?? 0;
        return {
          windowId: w.id,
          season: w.season,
          phase,
          closesOn: w.closesOn,
          harvestFrom: w.harvestFrom,
          packId: p.id,
          grams: p.grams,
          price: p.price,
          reserved: held - waiting,
          pending: waiting,
        };
      }),
    );
  }
  return out;
}

/**
 * The same demand in the market panel's shape (shared/market/demand.ts): one row per window pack
 * with its paid reservations; a window's packs are its own (`<window>:<pack>`), named by weight.
 */
export const marketPreorderDemand: OpenPreorderDemand = async (productIds, now) => {
  const byProduct = await openPreorderDemand(productIds, now);
  return [...byProduct].flatMap(([productId, packs]) =>
    packs.map((p) => ({
      productId,
      variantId: `${p.windowId}:${p.packId}`,
      label: `Gói ${p.grams.toLocaleString('vi-VN')} g (đặt trước)`,
      season: p.season,
      reservedQuantity: p.reserved,
      windowClosesAt: p.closesOn,
    })),
  );
};
