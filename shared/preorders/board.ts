/**
 * The cooperative board's pre-orders view: each window of the fulfiller with its figures —
 * reserved (paid deposits, in grams and packs), allocated, short, waiting for the deposit, and
 * paid (deposits and balances) — in total and per member household.
 */
import { getWindowRecord, listReservationRefs, listWindows } from '../db/preorders.ts';
import { forbidden } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { canManageSubOrder } from '../orders/lifecycle.ts';
import { readReservation, type Reservation } from './changes.ts';
import { windowPhase, type WindowPhase } from './model.ts';

export interface Figures {
  reservations: number;
  reservedGrams: number;
  pendingGrams: number;
  allocatedGrams: number;
  shortGrams: number;
  depositsPaid: number;
  refunded: number;
  balancesPaid: number;
  balancesDue: number;
}

const empty = (): Figures => ({
  reservations: 0,
  reservedGrams: 0,
  pendingGrams: 0,
  allocatedGrams: 0,
  shortGrams: 0,
  depositsPaid: 0,
  refunded: 0,
  balancesPaid: 0,
  balancesDue: 0,
});

export interface BoardWindow {
  id: string;
  productName: string;
  season: string;
  phase: WindowPhase;
  opensOn: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  totalGrams: number;
  leftGrams: number;
  depositPercent: number;
  graceDays: number;
  packs: { id: string; grams: number; price: number; tolerancePercent?: number; reserved: number }[];
  figures: Figures;
  households: ({ producerId: string; name: string; quotaGrams: number; leftGrams: number } & Figures)[];
  reservations: {
    code: string;
    householdId: string;
    status: string;
    grams: number;
    deposit: number;
    /** Packs still to deliver, by pack id (after allocation: what was allocated). */
    packs: Record<string, number>;
    settlement?: string;
  }[];
}

/** Adds one reservation to a set of figures. */
export function addReservation(f: Figures, r: Reservation): void {
  const p = r.order.preorder!;
  const paid = r.order.history.some((s) => s.status === 'placed');
  // The order keeps the grams reserved; its part keeps what is still held after allocation.
  const originalGrams = p.grams;
  if (!paid) {
    if (r.sub.status === 'pending_payment') f.pendingGrams += originalGrams;
    return;
  }
  f.reservations += 1;
  f.reservedGrams += originalGrams;
  f.depositsPaid += p.deposit;
  if (p.allocation) {
    f.allocatedGrams += originalGrams - p.allocation.shortGrams;
    f.shortGrams += p.allocation.shortGrams;
    f.refunded += p.allocation.refunded;
  }
  // A COD balance is paid when the cash is collected on delivery (the board's delivered step).
  const codCollected = p.balanceMethod === 'cod' && r.sub.cashCollected === true;
  if (p.settlement?.status === 'paid' || (p.settlement?.status === 'due' && codCollected)) {
    f.balancesPaid += p.settlement.balance;
  } else if (p.settlement?.status === 'due') f.balancesDue += p.settlement.balance;
}

export async function preorderBoard(
  principal: Principal,
  fulfillerId: string,
  now: Date,
): Promise<BoardWindow[]> {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden('preorder.forbidden', 'Bạn không quản lý đặt trước của đơn vị này / Not your pre-orders');
  }
  const windows = (await listWindows('0')).filter((w) => w.fulfillerId === fulfillerId);
  const records = await Promise.all(windows.map((w) => getWindowRecord(w.id)));
  return Promise.all(
    records.flatMap((record) => {
      if (!record) return [];
      return [
        (async (): Promise<BoardWindow> => {
          const { window, holds } = record;
          const refs = await listReservationRefs(window.id);
          const found = (await Promise.all(refs.map((r) => readReservation(r.code)))).filter(
            (r): r is Reservation => r !== undefined,
          );
          const figures = empty();
          const per = new Map(window.households.map((h) => [h.producerId, empty()]));
          for (const r of found) {
            addReservation(figures, r);
            const own = per.get(r.order.preorder!.householdId);
            if (own) addReservation(own, r);
          }
          return {
            id: window.id,
            productName: window.productName,
            season: window.season,
            phase: windowPhase(window, now),
            opensOn: window.opensOn,
            closesOn: window.closesOn,
            harvestFrom: window.harvestFrom,
            harvestTo: window.harvestTo,
            totalGrams: window.totalGrams,
            leftGrams: holds.leftGrams,
            depositPercent: window.depositPercent,
            graceDays: window.graceDays,
            packs: window.packs.map((p) => ({ ...p, reserved: holds.packCounts[p.id] ?? 0 })),
            figures,
            households: window.households.map((h) => ({
              ...h,
              leftGrams: holds.households[h.producerId] ?? 0,
              ...per.get(h.producerId)!,
            })),
            reservations: found.map((r) => ({
              code: r.order.code,
              householdId: r.order.preorder!.householdId,
              status: r.order.status,
              grams: r.order.preorder!.grams,
              deposit: r.order.preorder!.deposit,
              packs: r.sub.preorder?.packs ?? r.order.preorder!.packs,
              ...(r.order.preorder!.settlement ? { settlement: r.order.preorder!.settlement.status } : {}),
            })),
          };
        })(),
      ];
    }),
  );
}
