/**
 * Variable weight and the balance.
 *  - `settlePreorderWeight`: at packing (the part is `packed`), the manager enters each line's
 *    final weight. A variable-weight pack's price follows the weight within its tolerance
 *    (model.ts `weighedPrice`: heavier is charged up to +tolerance and no more, lighter is charged
 *    for what is delivered); fixed packs keep their price. The final amount less the deposit held
 *    is the balance; the shopper is told it (notice) before anything is charged. A balance of zero
 *    or less: nothing to pay, and what the deposit paid above the final amount is refunded.
 *  - An online balance is paid on the tracking page ("Thanh toán phần còn lại",
 *    `payPreorderBalance`: a new payment through the SDK, VNPay or VietQR) before dispatch, within
 *    the window's grace period; a COD balance is collected by the carrier or at pickup.
 *  - An online balance still unpaid when its grace period ends cancels the reservation (a job in
 *    the expiry lane, driven by the due markers of db/preorders.ts): the cooperative keeps the
 *    deposit up to KEPT_ON_LAPSE_PERCENT of the final amount and the rest is refunded.
 */
import { deleteBalanceDue, dueBalances, putBalanceDue, releaseHoldItems } from '../db/preorders.ts';
import { reservePartRefund, releasePartRefund } from '../db/part-refunds.ts';
import { addCounts, forEachConcurrently, SHARDS } from '../db/shards.ts';
import { transactWrite } from '../db/retry.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { toE164 } from '../domain/phone.ts';
import type { Payments } from '../payments/index.ts';
import { PaymentError } from '../payments/errors.ts';
import type { PaymentIntent } from '../payments/types.ts';
import { log } from '../observability/log.ts';
import { canManageSubOrder, stepped } from '../orders/lifecycle.ts';
import type { Order } from '../orders/model.ts';
import { changeReservation, readReservation } from './changes.ts';
import { keptOnLapse, weighedPrice, type SettlePreorderWeightBody } from './model.ts';
import { notifyPreorder } from './notices.ts';

const DAY_MS = 86_400_000;

const packOf = (variantId: string) => variantId.split('-').at(-1)!;

/** The deposit still held: paid less what was refunded at allocation. */
export const depositHeld = (order: Order) =>
  order.preorder ? order.preorder.deposit - (order.preorder.allocation?.refunded ?? 0) : 0;

export async function settlePreorderWeight(
  principal: Principal,
  fulfillerId: string,
  code: string,
  body: SettlePreorderWeightBody,
  deps: { payments: Payments; now: Date },
): Promise<Order> {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden('preorder.forbidden', 'Bạn không quản lý đặt trước của đơn vị này / Not your pre-orders');
  }
  const current = await readReservation(code);
  if (!current || current.sub.fulfillerId !== fulfillerId) {
    throw notFound(
      'preorder.reservation_not_found',
      `Không có đơn đặt trước ${code} của bạn / No such pre-order of yours`,
    );
  }
  const at = deps.now.toISOString();
  let overpaid = 0;
  let replay: Order | undefined;
  const changed = await changeReservation(code, ({ order, sub }) => {
    const p = order.preorder!;
    if (!p.allocation) {
      throw conflict(
        'preorder.not_allocated',
        'Hãy phân bổ đợt đặt trước trước khi cân hàng / Allocate the window first',
      );
    }
    if (p.settlement) {
      // The same weights again (a retry, maybe after a crash before the refund): answered as
      // before, and the refund sent again below.
      if (sameWeights(p.settlement.weights, body)) {
        replay = order;
        return null;
      }
      throw conflict(
        'preorder.settled',
        `Đơn ${code} đã được cân và tính tiền / Already weighed and settled`,
      );
    }
    if (sub.status !== 'packed') {
      throw conflict(
        'preorder.not_packed',
        'Hãy chuyển đơn sang “đã đóng gói” rồi nhập khối lượng thực tế / Mark the part packed, then enter the weights',
      );
    }
    const given = new Map(body.lines.map((l) => [l.packId, l.grams]));
    const expected = order.lines.map((l) => packOf(l.variantId));
    if (given.size !== expected.length || !expected.every((id) => given.has(id))) {
      throw invalid(
        'preorder.weights_mismatch',
        `Hãy nhập khối lượng cho đúng các gói của đơn: ${expected.join(', ')} / Enter a weight for each pack of the order`,
      );
    }
    const packs = new Map(
      order.lines.map((l) => [packOf(l.variantId), /khoảng .*±(\d+)%/.exec(l.pack)?.[1]] as const),
    );
    const lines = order.lines.map((l) => {
      const tolerance = packs.get(packOf(l.variantId));
      const lineTotal = weighedPrice(
        {
          estimatedGrams: (l.grams ?? 0) * l.quantity,
          amount: l.unitPrice * l.quantity,
          ...(tolerance ? { tolerancePercent: Number(tolerance) } : {}),
        },
        given.get(packOf(l.variantId))!,
      );
      return { ...l, lineTotal };
    });
    const finalAmount = lines.reduce((sum, l) => sum + l.lineTotal, 0) + order.shippingTotal;
    const held = depositHeld(order);
    const balance = finalAmount - held;
    overpaid = balance < 0 ? -balance : 0;
    const dueBy = deps.now.getTime() + p.graceDays * DAY_MS;
    const online = balance > 0 && p.balanceMethod === 'online';
    const settlement = {
      at,
      finalAmount,
      balance: Math.max(0, balance),
      status: balance > 0 ? ('due' as const) : ('none' as const),
      weights: Object.fromEntries(given),
      ...(online ? { dueBy: new Date(dueBy).toISOString() } : {}),
      ...(overpaid > 0 ? { refunded: overpaid } : {}),
    };
    return {
      order: {
        ...order,
        lines,
        itemsTotal: finalAmount - order.shippingTotal,
        total: finalAmount,
        preorder: { ...p, settlement },
      },
      sub: { ...sub, lines, subtotal: finalAmount - order.shippingTotal },
      extra: online ? [putBalanceDue(dueBy, code)] : [],
    };
  });
  if (replay) {
    // Settled by an earlier call that may have stopped before its refund: the refund is sent
    // again under the same key, which replays it if it was made. No second notice.
    const refunded = replay.preorder!.settlement!.refunded ?? 0;
    if (refunded > 0) await refundDeposit(deps.payments, replay, refunded, 'over');
    return replay;
  }
  if (!changed) throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại');
  if (overpaid > 0) await refundDeposit(deps.payments, changed.order, overpaid, 'over');
  await notifyPreorder(changed.order, 'balance_due');
  return changed.order;
}

/** The weights entered are those of the settlement (each line, the same grams). */
function sameWeights(settled: Record<string, number> | undefined, body: SettlePreorderWeightBody): boolean {
  if (!settled) return false;
  const ids = Object.keys(settled);
  return (
    body.lines.length === ids.length &&
    new Set(body.lines.map((l) => l.packId)).size === ids.length &&
    body.lines.every((l) => settled[l.packId] === l.grams)
  );
}

async function refundDeposit(payments: Payments, order: Order, amount: number, why: string): Promise<void> {
  const fulfillerId = order.fulfillerIds[0]!;
  try {
    await payments.refunds.create(
      {
        payment_intent: order.paymentIntentId,
        amount,
        reason: 'requested_by_customer',
        metadata: { part: fulfillerId, preorder: why },
      },
      {
        idempotencyKey: `preorder-${why}:${order.code}`,
        transactItems: [reservePartRefund(order.code, fulfillerId, amount, order.preorder!.deposit)],
        releaseItems: [releasePartRefund(order.code, fulfillerId, amount)],
      },
    );
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    log().warn('pre-order refund not made', { code: order.code, error: error.code });
  }
}

/**
 * The shopper pays the online balance (`payPreorderBalance`, proof: the order's phone): a new
 * payment for the balance. An earlier unfinished balance payment is cancelled first.
 */
export async function payPreorderBalance(
  code: string,
  input: { phone: string; paymentMethod: 'vnpay' | 'vietqr'; locale?: 'vi' | 'en' },
  deps: { payments: Payments; now: Date; clientIp: string },
): Promise<{
  order: Order;
  payment: Pick<PaymentIntent, 'id' | 'status' | 'client_secret' | 'next_action'>;
}> {
  const current = await readReservation(code);
  if (!current || current.order.contact.phone !== toE164(input.phone)) {
    throw notFound(
      'order.not_found',
      'Không tìm thấy đơn hàng với mã và số điện thoại này / No such order for this phone',
    );
  }
  const s = current.order.preorder!.settlement;
  if (!s || s.status !== 'due' || current.order.preorder!.balanceMethod !== 'online') {
    throw conflict(
      'preorder.no_balance_due',
      s?.status === 'paid'
        ? 'Phần còn lại đã được thanh toán / The balance is paid'
        : 'Đơn này hiện không có khoản nào cần thanh toán trực tuyến / Nothing to pay online for this order',
    );
  }
  if (s.dueBy && Date.parse(s.dueBy) <= deps.now.getTime()) {
    throw conflict('preorder.balance_lapsed', 'Đã quá hạn thanh toán phần còn lại / The balance is past due');
  }
  if (s.intentId) {
    const earlier = await deps.payments.paymentIntents.retrieve(s.intentId);
    if (earlier.status === 'succeeded' || earlier.status === 'processing') {
      throw conflict(
        'preorder.balance_processing',
        'Khoản thanh toán phần còn lại đang được xử lý / Already paid or processing',
      );
    }
    if (earlier.status !== 'canceled') {
      await deps.payments.paymentIntents
        .cancel(earlier.id, { cancellation_reason: 'abandoned' })
        .catch(() => undefined);
    }
  }
  const intent = await deps.payments.paymentIntents.create({
    amount: s.balance,
    currency: 'vnd',
    payment_method_types: [input.paymentMethod],
    description: `Thanh toán phần còn lại ${code}`,
    metadata: {
      order_code: code,
      cooperative_ids: current.sub.fulfillerId,
      client_ip: deps.clientIp,
      locale: input.locale ?? 'vi',
      preorder_balance: 'true',
    },
    confirm: true,
  });
  const changed = await changeReservation(code, ({ order, sub }) => {
    const settlement = order.preorder!.settlement!;
    if (settlement.status !== 'due') return null;
    return {
      order: {
        ...order,
        preorder: { ...order.preorder!, settlement: { ...settlement, intentId: intent.id } },
      },
      sub,
    };
  });
  return {
    order: (changed ?? current).order,
    payment: {
      id: intent.id,
      status: intent.status,
      client_secret: intent.client_secret,
      next_action: intent.next_action,
    },
  };
}

/**
 * A balance payment succeeded (called where any payment settles, for intents marked
 * `preorder_balance`): the balance is paid and its due marker goes. A reservation cancelled
 * meanwhile (lapsed) gets this payment back instead, and so does a second payment of a balance
 * already paid (key `preorder-balance-dup:<code>:<intentId>`). Idempotent.
 */
export async function onBalancePaid(
  payments: Payments,
  code: string,
  intentId: string,
  now: Date,
): Promise<void> {
  const current = await readReservation(code);
  if (!current) return;
  const changed = await changeReservation(code, ({ order, sub }) => {
    const s = order.preorder!.settlement;
    if (!s || s.status !== 'due' || sub.status === 'cancelled') return null;
    const marker = s.dueBy ? [deleteBalanceDue(Date.parse(s.dueBy), code)] : [];
    return {
      order: {
        ...order,
        preorder: {
          ...order.preorder!,
          settlement: { ...s, status: 'paid', intentId, paidAt: now.toISOString() },
        },
      },
      sub,
      extra: marker,
    };
  });
  if (changed) {
    await notifyPreorder(changed.order, 'balance_paid');
    return;
  }
  const after = await readReservation(code);
  if (!after) return;
  const s = after.order.preorder!.settlement;
  // This very payment settled the balance already (a replay): nothing more (cancelling the
  // reservation later refunds it, orders/lifecycle.ts).
  if (s?.status === 'paid' && s.intentId === intentId) return;
  // Cancelled meanwhile (lapsed): the payment goes back. Otherwise the balance was paid by another
  // payment (an earlier one whose cancelling failed, completed after all), or there is no balance
  // to take it: this one goes back in full, and the paid settlement stays as it is.
  const late = after.sub.status === 'cancelled';
  if (!late) log().warn('second balance payment refunded', { code, intentId, paidBy: s?.intentId });
  try {
    await payments.refunds.create(
      { payment_intent: intentId, reason: 'requested_by_customer' },
      {
        idempotencyKey: late
          ? `preorder-balance-late:${code}:${intentId}`
          : `preorder-balance-dup:${code}:${intentId}`,
      },
    );
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    log().warn('balance payment not refunded', { code, intentId, error: error.code });
  }
}

export interface LapseReport {
  lapsed: number;
  skipped: number;
  /** Reservations that could not be settled this time (logged; their marker stays for the next run). */
  failed: number;
}

/**
 * Cancels the reservations whose online balance is past its grace period, each once: the part
 * is cancelled (a `system` edge of the table from `packed`), its grams go back, the open balance
 * payment is cancelled, and the deposit is kept up to the stated share, the rest refunded. A
 * reservation that fails (the payment provider down…) is logged and tried again next run.
 */
export async function lapseUnpaidBalances(
  payments: Payments,
  now: Date,
  options: { shards?: readonly string[] } = {},
): Promise<LapseReport> {
  const report: LapseReport = { lapsed: 0, skipped: 0, failed: 0 };
  await forEachConcurrently(options.shards ?? SHARDS, 8, async (shard) => {
    const part: LapseReport = { lapsed: 0, skipped: 0, failed: 0 };
    for (const due of await dueBalances(shard, now.getTime())) {
      part[await lapseOne(payments, now, due)] += 1;
    }
    addCounts(report, part);
  });
  return report;
}

/** One reservation: a failure is logged and counted, and never stops the others. */
async function lapseOne(
  payments: Payments,
  now: Date,
  due: { code: string; dueMs: number },
): Promise<keyof LapseReport> {
  try {
    return await lapseDue(payments, now, due);
  } catch (error) {
    log().warn('pre-order balance not lapsed', { code: due.code, error });
    return 'failed';
  }
}

async function lapseDue(
  payments: Payments,
  now: Date,
  due: { code: string; dueMs: number },
): Promise<keyof LapseReport> {
  const marker = deleteBalanceDue(due.dueMs, due.code);
  const current = await readReservation(due.code);
  const s = current?.order.preorder?.settlement;
  if (current && s?.status === 'lapsed') {
    // Lapsed by an earlier run that stopped before its refund (its marker is deleted only after
    // the refund): the refund is sent again under the same key, which replays it if it was made.
    await refundLapsed(payments, current.order);
    await notifyPreorder(current.order, 'lapsed');
    await transactWrite([marker]);
    return 'lapsed';
  }
  if (!current || !s || s.status !== 'due') {
    await transactWrite([marker]);
    return 'skipped';
  }
  // An open balance payment is cancelled first: one that succeeded meanwhile settles instead.
  if (s.intentId) {
    const intent = await payments.paymentIntents.retrieve(s.intentId);
    if (intent.status === 'succeeded') {
      await onBalancePaid(payments, due.code, intent.id, now);
      return 'skipped';
    }
    if (intent.status !== 'canceled') {
      try {
        await payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
      } catch (error) {
        if (!(error instanceof PaymentError)) throw error;
        const again = await payments.paymentIntents.retrieve(intent.id);
        if (again.status === 'succeeded') {
          await onBalancePaid(payments, due.code, intent.id, now);
          return 'skipped';
        }
      }
    }
  }
  const at = now.toISOString();
  let refund = 0;
  const changed = await changeReservation(due.code, ({ order, sub }) => {
    const settlement = order.preorder!.settlement!;
    if (settlement.status !== 'due' || sub.status !== 'packed') return null;
    const held = depositHeld(order);
    refund = held - keptOnLapse(held, settlement.finalAmount, order.preorder!.keptOnLapsePercent);
    const p = sub.preorder!;
    const lapsed = { ...settlement, status: 'lapsed' as const, ...(refund > 0 ? { refunded: refund } : {}) };
    return {
      order: { ...order, preorder: { ...order.preorder!, settlement: lapsed } },
      sub: stepped(sub, 'cancelled', 'system', at, {}, 'Quá hạn thanh toán phần còn lại'),
      // The due marker stays until the refund is sent (below): a crash in between is finished
      // by the next run.
      extra: releaseHoldItems(p.windowId, p.householdId, p.grams, p.packs),
    };
  });
  if (!changed) {
    // Lapsed meanwhile by another run: its refund is sent again under the same key (replayed if
    // made), so that deleting the marker here never loses it.
    const after = await readReservation(due.code);
    if (after?.order.preorder?.settlement?.status === 'lapsed') await refundLapsed(payments, after.order);
    await transactWrite([marker]);
    return 'skipped';
  }
  await refundLapsed(payments, changed.order);
  await notifyPreorder(changed.order, 'lapsed');
  await transactWrite([marker]);
  return 'lapsed';
}

/** The part of the deposit not kept on lapsing, back through the provider (key `preorder-lapse`). */
async function refundLapsed(payments: Payments, order: Order): Promise<void> {
  const refund = order.preorder!.settlement!.refunded ?? 0;
  if (refund > 0) await refundDeposit(payments, order, refund, 'lapse');
}
