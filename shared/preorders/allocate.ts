/**
 * After the window closes, the manager enters each member household's actual picking
 * (`allocatePreorder`). Paid reservations are served first reserved, first served, within the
 * household that holds them (model.ts `allocate`). A reservation that gets less keeps the packs
 * allocated (its lines and totals shrink; the grams not delivered go back to the window's figures)
 * and is refunded the deposit share of what it does not get, automatically, through the provider
 * that took the deposit; one that gets nothing is cancelled and its whole deposit refunded.
 *
 * Idempotent: the plan is a function of the pickings and the paid reservations, each reservation
 * is changed only while it has no allocation, each refund has its own idempotency key and is
 * counted against the deposit (db/part-refunds.ts), and the window is marked allocated last. A
 * second call (or one after a crash half-way) finishes what is missing and changes nothing else.
 */
import { getWindow, listReservationRefs, markAllocatedItem, releaseHoldItems } from '../db/preorders.ts';
import { releasePartRefund, reservePartRefund } from '../db/part-refunds.ts';
import { transactWrite } from '../db/retry.ts';
import { conflict, DomainError, invalid } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import type { Payments } from '../payments/index.ts';
import { PaymentError } from '../payments/errors.ts';
import { log } from '../observability/log.ts';
import { stepped } from '../orders/lifecycle.ts';
import type { OrderLine } from '../orders/model.ts';
import { changeReservation, readReservation, type Reservation } from './changes.ts';
import { allocate, windowPhase, type AllocatePreorderBody, type AllocationResult } from './model.ts';
import { notifyPreorder } from './notices.ts';
import { managedWindow } from './windows.ts';

/** Reservations whose deposit is paid and that are still live. */
const ALLOCATABLE = new Set(['placed', 'confirmed']);

export interface AllocationSummary {
  windowId: string;
  allocatedAt: string;
  reservations: {
    code: string;
    householdId: string;
    packs: Record<string, number>;
    shortGrams: number;
    refunded: number;
    status: string;
  }[];
}

export async function allocatePreorder(
  principal: Principal,
  fulfillerId: string,
  windowId: string,
  body: AllocatePreorderBody,
  deps: { payments: Payments; now: Date },
): Promise<AllocationSummary> {
  const record = await managedWindow(principal, fulfillerId, windowId);
  const { window } = record;
  const phase = windowPhase(window, deps.now);
  if (phase === 'open' || phase === 'upcoming') {
    throw conflict(
      'preorder.still_open',
      `Đợt đặt trước còn mở đến hết ngày ${window.closesOn}; phân bổ sau khi đóng / Allocate after the window closes`,
    );
  }
  const members = new Set(window.households.map((h) => h.producerId));
  const strangers = body.pickings.filter((p) => !members.has(p.householdId)).map((p) => p.householdId);
  if (strangers.length > 0) {
    throw invalid(
      'preorder.unknown_household',
      `Hộ không tham gia đợt đặt trước này: ${strangers.join(', ')} / Not a household of this window`,
    );
  }
  const at = window.allocatedAt ?? deps.now.toISOString();
  const found = await readReservations(window.id);
  const paid = found.filter((r) => r.order.preorder!.allocation || ALLOCATABLE.has(r.sub.status));
  // A household left out would read as 0 g and lose all its reservations: each household with a
  // paid reservation needs its picking (0 when it picked nothing).
  const picked = new Set(body.pickings.map((p) => p.householdId));
  const missing = window.households.filter(
    (h) => !picked.has(h.producerId) && paid.some((r) => r.order.preorder!.householdId === h.producerId),
  );
  if (missing.length > 0) {
    const names = missing.map((h) => h.name || h.producerId).join(', ');
    throw new DomainError(
      'unprocessable',
      'preorder.picking_missing',
      `Hãy nhập sản lượng thực tế của các hộ có đơn đặt trước đã đặt cọc (nhập 0 nếu hộ không có hàng): ${names} / Enter the picking of each household with paid reservations (0 if none): ${names}`,
    );
  }
  const packGrams = new Map(window.packs.map((p) => [p.id, p.grams]));
  const plan = allocate(
    paid.map((r) => ({
      code: r.order.code,
      householdId: r.order.preorder!.householdId,
      reservedAt: r.order.createdAt,
      lines: Object.entries(r.order.preorder!.packs).map(([packId, quantity]) => ({
        packId,
        grams: packGrams.get(packId)!,
        quantity,
      })),
    })),
    new Map(body.pickings.map((p) => [p.householdId, p.grams])),
  );
  if (!window.allocatedAt) {
    for (const result of plan) await applyOne(result, at, principal.sub, deps.payments);
    await transactWrite([markAllocatedItem(window.id, at)]).catch((error: unknown) => {
      // Marked by a concurrent call: the same plan, already applied.
      if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
    });
  }
  // Deposits paid after the reservations were read above (see `settleLateDeposit`).
  await cancelUnallocated(window.id, deps.now.toISOString(), deps.payments);
  const after = await Promise.all(plan.map((p) => readReservation(p.code)));
  return {
    windowId: window.id,
    allocatedAt: at,
    reservations: after.flatMap((r) =>
      r
        ? [
            {
              code: r.order.code,
              householdId: r.order.preorder!.householdId,
              packs: r.order.preorder!.allocation?.packs ?? {},
              shortGrams: r.order.preorder!.allocation?.shortGrams ?? 0,
              refunded: r.order.preorder!.allocation?.refunded ?? 0,
              status: r.order.status,
            },
          ]
        : [],
    ),
  };
}

async function readReservations(windowId: string): Promise<Reservation[]> {
  const refs = await listReservationRefs(windowId);
  return (await Promise.all(refs.map((r) => readReservation(r.code)))).filter(
    (r): r is Reservation => r !== undefined,
  );
}

/**
 * A deposit paid once its window is allocated (the payment was pending when the manager
 * allocated): the reservation can never be packed (packing needs its allocation), so it is
 * cancelled at once, its hold given back and its whole deposit refunded through the provider
 * (key `preorder-late:<code>`), with a notice. Called where a payment settles
 * (orders/lifecycle.ts `onPaymentSucceeded`), after the reservation became `placed`.
 *
 * Chosen over refusing to allocate while a deposit is pending, which a payment landing just after
 * the check would still slip through. Under races: the payment writes `placed` and then reads the
 * window; the allocation marks the window and then reads the reservations again
 * (`cancelUnallocated`). Whichever runs second sees the other's write, so at least one of them
 * cancels it; both may, and the reservation's versioned write and the refund's idempotency key
 * make that once.
 */
export async function settleLateDeposit(payments: Payments, code: string, now: Date): Promise<void> {
  const r = await readReservation(code);
  if (!r || r.order.preorder!.allocation || !ALLOCATABLE.has(r.sub.status)) return;
  const window = await getWindow(r.order.preorder!.windowId);
  if (!window?.allocatedAt) return;
  await applyOne(lateResult(r), now.toISOString(), 'system', payments, true);
}

/** Every paid reservation of an allocated window that has no allocation: cancelled as late. */
async function cancelUnallocated(windowId: string, at: string, payments: Payments): Promise<void> {
  for (const r of await readReservations(windowId)) {
    if (r.order.preorder!.allocation || !ALLOCATABLE.has(r.sub.status)) continue;
    await applyOne(lateResult(r), at, 'system', payments, true);
  }
}

const lateResult = (r: Reservation): AllocationResult => ({
  code: r.order.code,
  packs: Object.fromEntries(Object.keys(r.order.preorder!.packs).map((id) => [id, 0])),
  shortGrams: r.order.preorder!.grams,
});

/** The deposit share of the packs not delivered, whole đồng, never more than the deposit. */
function shortRefund(r: Reservation, packs: Record<string, number>): number {
  const p = r.order.preorder!;
  const missing = r.order.lines.reduce((sum, line) => {
    const packId = line.variantId.split('-').at(-1)!;
    return sum + (line.quantity - (packs[packId] ?? 0)) * line.unitPrice;
  }, 0);
  const allNone = Object.values(packs).every((n) => n === 0);
  return allNone ? p.deposit : Math.min(p.deposit, Math.floor((missing * p.depositPercent) / 100));
}

async function applyOne(
  result: AllocationResult,
  at: string,
  by: string,
  payments: Payments,
  late = false,
): Promise<void> {
  let refund = 0;
  const changed = await changeReservation(result.code, (r) => {
    const p = r.order.preorder!;
    if (p.allocation || !ALLOCATABLE.has(r.sub.status)) return null;
    refund = result.shortGrams > 0 ? shortRefund(r, result.packs) : 0;
    const none = Object.values(result.packs).every((n) => n === 0);
    const shortPacks = Object.fromEntries(
      Object.entries(p.packs).map(([id, q]) => [id, q - (result.packs[id] ?? 0)]),
    );
    const lines: OrderLine[] = none
      ? r.order.lines
      : r.order.lines.flatMap((line) => {
          const quantity = result.packs[line.variantId.split('-').at(-1)!] ?? 0;
          return quantity > 0 ? [{ ...line, quantity, lineTotal: quantity * line.unitPrice }] : [];
        });
    const itemsTotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
    const allocation = {
      at,
      packs: result.packs,
      shortGrams: result.shortGrams,
      refunded: refund,
      ...(late ? { late: true } : {}),
    };
    const sub = none
      ? stepped(
          r.sub,
          'cancelled',
          by,
          at,
          {},
          late ? 'Tiền cọc đến sau khi đã phân bổ đặt trước' : 'Thiếu hàng khi phân bổ đặt trước',
        )
      : {
          ...r.sub,
          lines,
          subtotal: itemsTotal,
          preorder: {
            ...r.sub.preorder!,
            grams: r.sub.preorder!.grams - result.shortGrams,
            packs: result.packs,
            allocatedAt: at,
          },
        };
    return {
      order: {
        ...r.order,
        lines,
        itemsTotal: none ? r.order.itemsTotal : itemsTotal,
        total: none ? r.order.total : itemsTotal + r.order.shippingTotal,
        preorder: { ...p, allocation },
      },
      sub,
      // What is not delivered leaves the window's figures (all of it when nothing is).
      extra:
        result.shortGrams > 0
          ? releaseHoldItems(
              p.windowId,
              p.householdId,
              none ? r.sub.preorder!.grams : result.shortGrams,
              shortPacks,
            )
          : [],
    };
  });
  if (!changed) {
    // Allocated by an earlier call that stopped before its refund (a crash, a timeout): the
    // refund is sent again under the same key, which replays it if it was made.
    const earlier = await readReservation(result.code);
    const a = earlier?.order.preorder?.allocation;
    if (earlier && a && a.refunded > 0) await refundShort(payments, earlier, a.refunded, a.late === true);
    return;
  }
  if (refund > 0) await refundShort(payments, changed, refund, late);
  await notifyPreorder(changed.order, late ? 'deposit_late' : result.shortGrams > 0 ? 'short' : 'allocated');
}

/** The deposit share of what was short, back through the provider that took the deposit. */
async function refundShort(payments: Payments, r: Reservation, amount: number, late: boolean): Promise<void> {
  const { order, sub } = r;
  try {
    await payments.refunds.create(
      {
        payment_intent: order.paymentIntentId,
        amount,
        reason: 'requested_by_customer',
        metadata: {
          part: sub.fulfillerId,
          ...(late ? { preorder_late: 'true' } : { preorder_short: 'true' }),
        },
      },
      {
        idempotencyKey: `${late ? 'preorder-late' : 'preorder-short'}:${order.code}`,
        transactItems: [reservePartRefund(order.code, sub.fulfillerId, amount, order.preorder!.deposit)],
        releaseItems: [releasePartRefund(order.code, sub.fulfillerId, amount)],
      },
    );
  } catch (error) {
    // The rail refused: recorded as failed; the manager refunds by hand (manual refunds).
    if (!(error instanceof PaymentError)) throw error;
    log().warn('pre-order refund not made', { code: order.code, error: error.code });
  }
}
