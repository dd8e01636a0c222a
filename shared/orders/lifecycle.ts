/**
 * After checkout: every move of a sub-order along the transition table (model.ts), with stock
 * and money following it.
 *  - A sub-order and its order are written in one transaction, each conditional on the version
 *    read: two managers acting on one order at once cannot lose an update (the loser retries).
 *  - Cancelling or expiring releases the sub-order's stock in that same transaction, so stock is
 *    released exactly once.
 *  - Payment: a succeeded payment moves a `pending_payment` order to `placed`; cancelling the
 *    whole order cancels the payment (or refunds it when already paid); COD is captured when
 *    the last live sub-order is delivered with the cash collected.
 *  - Expiry (a worker per marker shard): an unpaid online order past its window has its payment
 *    cancelled first — which fails if the payment succeeded meanwhile (an IPN, or querydr in its
 *    own lane) — and only then is the order expired. So a payment
 *    that succeeds at the moment of expiry ends either paid or expired-and-refunded, never both.
 */
import { invoiceDueItems } from '../invoices/hook.ts';
import type { TransactItem } from '../db/items.ts';
import { cancellationCodes, transactWrite } from '../db/retry.ts';
import { addCounts, forEachConcurrently, SHARDS } from '../db/shards.ts';
import {
  deleteExpiryMarker,
  dueExpiries,
  getOrderWithSubs,
  putOrder,
  putSubOrder,
  releaseStock,
} from '../db/orders.ts';
import { releaseHoldItems } from '../db/preorders.ts';
import { settleLateDeposit } from '../preorders/allocate.ts';
import { reviews } from '../db/reviews.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../domain/errors.ts';
import { toE164 } from '../domain/phone.ts';
import { isAdmin, managedCooperativeId, type Principal } from '../domain/permissions.ts';
import type { Payments } from '../payments/index.ts';
import { PaymentError } from '../payments/errors.ts';
import { deliveredSalesItems } from '../market/deliveries.ts';
import { announcePlaced, notifyShopper } from './notifications.ts';
import { refundWholePart } from './part-refunds.ts';
import { hit } from '../db/rate-limits.ts';
import { soldUpdates } from '../db/product-stats.ts';
import { log } from '../observability/log.ts';
import { recordSeconds, countEvent } from '../observability/metrics.ts';
import { correlateWith, withOrder } from '../observability/scope.ts';
import {
  deleteCodConfirmation,
  getCodConfirmation,
  putCodTrust,
  removeOpenOrder,
} from '../db/order-guards.ts';
import { codeMatches } from '../auth/one-time-code.ts';
import { COD_CONFIRMATION, LimitExceeded } from './limits.ts';
import {
  aggregateStatus,
  canTransition,
  TERMINAL,
  type Actor,
  type Order,
  type OrderStatus,
  type StatusStep,
  type SubOrder,
} from './model.ts';

export interface OrderView extends Order {
  subOrders: SubOrder[];
  /**
   * The shopper's view only: the delivered lines already reviewed (their variant ids), so that
   * tracking shows "Đã đánh giá" for them instead of offering a second review the API refuses.
   */
  reviewedVariantIds?: string[];
}

const view = (order: Order, subs: SubOrder[]): OrderView => ({ ...order, subOrders: subs });

/**
 * An order as one fulfiller sees it: the delivery details and its own part. The other
 * cooperatives' lines, parts and amounts are left out; the totals are its part's.
 */
export function fulfillerView(order: Order, own: SubOrder): OrderView {
  return {
    ...order,
    lines: own.lines,
    fulfillerIds: [own.fulfillerId],
    itemsTotal: own.subtotal,
    shippingTotal: own.shippingFee,
    total: own.subtotal + own.shippingFee,
    subOrders: [own],
  };
}

const orderNotFound = () =>
  notFound(
    'order.not_found',
    'Không tìm thấy đơn hàng với mã và số điện thoại này / No such order for this phone',
  );

/** A shopper's view: the phone on the order is the proof (same answer for wrong code or phone). */
export async function getOrderForShopper(code: string, phone: string): Promise<OrderView> {
  const found = await getOrderWithSubs(code);
  const e164 = toE164(phone);
  if (!found || !e164 || found.order.contact.phone !== e164) throw orderNotFound();
  // Only delivered lines can be reviewed: an order not delivered yet costs no read here.
  const delivered = found.subs
    .filter((s) => s.status === 'delivered' || s.status === 'completed')
    .flatMap((s) => s.lines.map((l) => l.variantId));
  const reviewed = await Promise.all(
    delivered.map(async (variantId) =>
      (await reviews.ofLine(found.order.code, variantId)) ? variantId : null,
    ),
  );
  return { ...view(found.order, found.subs), reviewedVariantIds: reviewed.filter((v) => v !== null) };
}

/** Who may act on a sub-order: an admin, its cooperative's manager, or the independent producer. */
export function canManageSubOrder(principal: Principal, fulfillerId: string): boolean {
  if (isAdmin(principal)) return true;
  if (managedCooperativeId(principal) === fulfillerId) return true;
  // An independent producer fulfils its own orders (a member household's go to its cooperative).
  return principal.producer?.id === fulfillerId;
}

export interface TransitionInput {
  to: OrderStatus;
  carrier?: string;
  trackingNumber?: string;
  cashCollected?: boolean;
  note?: string;
}

/** Applies `change` to one sub-order (or all, for `undefined`) with optimistic retries. */
export async function changeOrder(
  code: string,
  change: (order: Order, subs: SubOrder[]) => { subs: SubOrder[]; extra?: TransactItem[] } | null,
): Promise<{ order: Order; subs: SubOrder[]; changed: SubOrder[] } | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await getOrderWithSubs(code);
    if (!found) throw notFound('order.not_found', `Không có đơn ${code} / No order ${code}`);
    const planned = change(found.order, found.subs);
    if (!planned) return null;
    const { items, result } = changeItems(found, planned);
    // Deliveries are counted for the market panel in the same transaction (shared/market).
    items.push(...(await deliveredSalesItems(found.subs, planned.subs)));
    try {
      // Conflicts and throttles are retried inside; a failed condition means someone moved first.
      await transactWrite(items);
      return result;
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') continue; // re-read, retry
      throw error;
    }
  }
  throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại / The order is busy: retry');
}

/**
 * The writes of one planned change, each conditional on the version read (and a sub-order on its
 * status), and the order as it will be once they land.
 */
function changeItems(
  found: { order: Order; subs: SubOrder[] },
  planned: { subs: SubOrder[]; extra?: TransactItem[] },
): { items: TransactItem[]; result: { order: Order; subs: SubOrder[]; changed: SubOrder[] } } {
  const byId = new Map(planned.subs.map((s) => [s.fulfillerId, s]));
  const subs = found.subs.map((s) => byId.get(s.fulfillerId) ?? s);
  const status = aggregateStatus(subs.map((s) => s.status));
  const lastStep = planned.subs[0]?.history.at(-1);
  const order: Order = {
    ...found.order,
    status,
    history:
      status !== found.order.status && lastStep
        ? [...found.order.history, { ...lastStep, status }]
        : found.order.history,
    version: found.order.version + 1,
  };
  const items: TransactItem[] = [
    putOrder(order, found.order.version),
    ...planned.subs.map((s) => {
      const before = found.subs.find((b) => b.fulfillerId === s.fulfillerId)!;
      return putSubOrder(
        { ...s, version: before.version + 1 },
        { status: before.status, version: before.version },
      );
    }),
    ...(planned.extra ?? []),
    // E-invoices the change calls for, issued later by the invoice lane (shared/invoices/hook.ts).
    ...invoiceDueItems(found.subs, planned.subs, Date.now()),
    // "Đã bán": the units of every part delivered by this change, counted once (delivered is entered once).
    ...soldUpdates(
      planned.subs
        .filter((s) => s.status === 'delivered')
        .filter((s) => found.subs.find((b) => b.fulfillerId === s.fulfillerId)?.status !== 'delivered')
        .flatMap((s) => s.lines),
    ),
  ];
  return {
    items,
    result: {
      order,
      subs: subs.map((s) => (byId.has(s.fulfillerId) ? { ...s, version: s.version + 1 } : s)),
      changed: planned.subs,
    },
  };
}

export function stepped(
  sub: SubOrder,
  to: OrderStatus,
  by: string,
  at: string,
  extra: Partial<SubOrder> = {},
  note?: string,
): SubOrder {
  const step: StatusStep = { status: to, at, by, ...(note ? { note } : {}) };
  return { ...sub, ...extra, status: to, history: [...sub.history, step] };
}

/** A part still to be fulfilled (or paid): not cancelled, expired or refunded. */
export const isLive = (sub: SubOrder) =>
  sub.status !== 'cancelled' && sub.status !== 'expired' && sub.status !== 'refunded';

export const releaseItems = (sub: SubOrder) =>
  sub.preorder
    ? releaseHoldItems(
        sub.preorder.windowId,
        sub.preorder.householdId,
        sub.preorder.grams,
        sub.preorder.packs,
      )
    : sub.lines.map((l) => releaseStock(l.productId, l.variantId, l.quantity));

/** A manager moves their sub-order along the table (confirm, pack, ship, deliver, cancel…). */
export async function transitionSubOrder(
  principal: Principal,
  code: string,
  fulfillerId: string,
  input: TransitionInput,
  deps: { payments: Payments; now: Date },
): Promise<OrderView> {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden(
      'order.forbidden',
      'Bạn không quản lý phần đơn hàng này / You do not manage this part of the order',
    );
  }
  if (input.to === 'shipped' && (!input.carrier || !input.trackingNumber)) {
    throw invalid(
      'order.tracking_required',
      'Hãy nhập đơn vị vận chuyển và mã vận đơn / Carrier and tracking number are required',
    );
  }
  const at = deps.now.toISOString();
  let codCapture = false;
  let wholeOrderCancelled = false;
  const result = await changeOrder(code, (order, subs) => {
    const sub = subs.find((s) => s.fulfillerId === fulfillerId);
    if (!sub)
      throw notFound('order.sub_not_found', 'Đơn hàng không có phần của bạn / No such part of this order');
    if (!canTransition(sub.status, input.to, 'manager')) throw refused(sub.status, input.to);
    if (input.to === 'packed' && sub.preorder && !sub.preorder.allocatedAt) {
      // Allocation takes placed and confirmed reservations only: one packed first would be left out.
      throw conflict(
        'preorder.not_allocated',
        'Đơn đặt trước chưa được phân bổ sản lượng: hãy phân bổ đợt đặt trước sau thu hái rồi mới đóng gói / ' +
          'Allocate the pre-order window before packing',
      );
    }
    if (input.to === 'shipped' && order.preorder) refuseUnsettledPreorder(order);
    const codBalance = order.preorder?.settlement?.status === 'due' && order.preorder.balanceMethod === 'cod';
    if (
      input.to === 'delivered' &&
      (order.paymentMethod === 'cod' || codBalance) &&
      input.cashCollected !== true
    ) {
      throw invalid(
        'order.cash_required',
        'Đơn COD: hãy xác nhận đã thu tiền mặt / COD: confirm the cash was collected',
      );
    }
    const next = stepped(
      sub,
      input.to,
      principal.sub,
      at,
      {
        ...(input.carrier ? { carrier: input.carrier } : {}),
        ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
        ...(input.to === 'delivered' && input.cashCollected ? { cashCollected: true } : {}),
      },
      input.note,
    );
    const after = subs.map((s) => (s.fulfillerId === fulfillerId ? next : s));
    const live = after.filter(isLive);
    codCapture =
      order.paymentMethod === 'cod' &&
      input.to === 'delivered' &&
      live.every((s) => s.status === 'delivered' || s.status === 'completed');
    wholeOrderCancelled = input.to === 'cancelled' && after.every((s) => s.status === 'cancelled');
    return { subs: [next], extra: input.to === 'cancelled' ? releaseItems(sub) : [] };
  });
  if (!result) throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại');
  await notifyShopper(result.order, input.to, result.changed[0]);
  if (codCapture) await captureCod(deps.payments, result.order, result.subs);
  if (wholeOrderCancelled) await settleCancelledPayment(deps.payments, result.order);
  else if (input.to === 'cancelled') await refundPart(deps.payments, result.order, result.changed[0]!);
  return fulfillerView(result.order, result.changed[0]!);
}

/** The shopper cancels before any cooperative confirmed: everything goes back. */
export async function cancelByShopper(
  code: string,
  phone: string,
  deps: { payments: Payments; now: Date },
): Promise<OrderView> {
  await getOrderForShopper(code, phone);
  const at = deps.now.toISOString();
  const result = await changeOrder(code, (order, all) => {
    // Parts a cooperative already cancelled stay as they are (their stock went back then).
    const subs = all.filter(isLive);
    if (subs.length === 0) {
      throw conflict('order.already_cancelled', 'Đơn hàng đã bị hủy / The order is already cancelled');
    }
    const blocked = subs.find((s) => !canTransition(s.status, 'cancelled', 'shopper'));
    if (blocked) {
      throw new DomainError(
        'conflict',
        'order.already_confirmed',
        'Đơn đã được xác nhận nên không tự hủy được; hãy liên hệ hợp tác xã / Already confirmed: contact the cooperative',
      );
    }
    const marker = order.payBy ? [deleteExpiryMarker(Date.parse(order.payBy), order.code)] : [];
    return {
      subs: subs.map((s) => stepped(s, 'cancelled', 'shopper', at)),
      extra: [...subs.flatMap(releaseItems), ...marker],
    };
  });
  if (!result) throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại');
  await settleCancelledPayment(deps.payments, result.order);
  await notifyShopper(result.order, 'cancelled');
  return view(result.order, result.subs);
}

/**
 * The buyer confirms a COD order with the code sent to its phone: the order is then held
 * (`placed`, on the cooperatives' boards), its expiry marker goes, and the phone is trusted for
 * small COD orders (COD_CONFIRMATION). A few wrong codes and the order can only expire.
 */
export async function confirmCodOrder(
  code: string,
  phone: string,
  otp: string,
  deps: { now: Date },
): Promise<OrderView> {
  const shown = await getOrderForShopper(code, phone);
  if (shown.paymentMethod !== 'cod') {
    throw conflict(
      'order.not_cod',
      'Chỉ đơn thanh toán khi nhận hàng cần xác nhận / Only COD orders are confirmed',
    );
  }
  // Confirmed already (a second tap, the link after the code): the same answer.
  if (shown.status !== 'pending_payment') {
    if (shown.history.some((s) => s.status === 'placed')) return shown;
    throw conflict(
      'order.not_confirmable',
      'Đơn này đã hết hạn hoặc đã hủy; hãy đặt lại / This order expired or was cancelled: order again',
    );
  }
  if (!(await hit(`cod-confirm#${code}`, COD_CONFIRMATION.attempts, COD_CONFIRMATION.windowMs / 1000))) {
    throw new LimitExceeded(
      'order.confirm_locked',
      'Nhập sai mã quá nhiều lần; đơn sẽ tự hủy khi hết hạn, hãy đặt lại / Too many wrong codes: this order will expire',
      Math.max(1, Math.ceil((Date.parse(shown.payBy ?? '') - deps.now.getTime()) / 1000) || 60),
    );
  }
  const stored = await getCodConfirmation(code);
  const e164 = shown.contact.phone;
  if (!stored || !codeMatches(stored.codeHash, `cod:${code}:${e164}`, otp)) {
    throw invalid(
      'order.confirm_code_wrong',
      'Mã xác nhận không đúng; hãy kiểm tra tin nhắn SMS / Wrong confirmation code',
    );
  }
  const at = deps.now.toISOString();
  const result = await changeOrder(code, (order, subs) => {
    if (order.status !== 'pending_payment') return null;
    const marker = order.payBy ? [deleteExpiryMarker(Date.parse(order.payBy), order.code)] : [];
    const waiting = subs.filter((s) => s.status === 'pending_payment');
    return {
      subs: waiting.map((s) => stepped(s, 'placed', 'shopper', at)),
      extra: [
        ...marker,
        deleteCodConfirmation(code),
        removeOpenOrder(e164, code),
        putCodTrust(e164, deps.now.getTime() + COD_CONFIRMATION.trustedForDays * 86_400_000),
      ],
    };
  });
  if (!result) return confirmCodOrderAfterRace(code, phone);
  await announcePlaced(result.order, result.subs);
  return view(result.order, result.subs);
}

/** Someone moved the order while it was confirmed (the expiry lane, another tap): its current state. */
async function confirmCodOrderAfterRace(code: string, phone: string): Promise<OrderView> {
  const now = await getOrderForShopper(code, phone);
  if (now.history.some((s) => s.status === 'placed')) return now;
  throw conflict(
    'order.not_confirmable',
    'Đơn này đã hết hạn hoặc đã hủy; hãy đặt lại / This order expired or was cancelled: order again',
  );
}

/** A pre-order ships once weighed, and (paid online) once its balance is paid. */
export function refuseUnsettledPreorder(order: Order): void {
  const settlement = order.preorder?.settlement;
  if (!settlement) {
    throw conflict(
      'preorder.not_settled',
      'Đơn đặt trước: hãy nhập khối lượng thực tế trước khi gửi hàng / Enter the final weight before dispatch',
    );
  }
  if (settlement.status === 'due' && order.preorder!.balanceMethod === 'online') {
    throw conflict(
      'preorder.balance_unpaid',
      'Đơn đặt trước chưa thanh toán phần còn lại; hãy chờ người mua thanh toán / The balance is not paid yet',
    );
  }
}

function refused(from: OrderStatus, to: OrderStatus): DomainError {
  return new DomainError(
    'conflict',
    'order.transition_refused',
    `Không thể chuyển từ “${from}” sang “${to}” / Cannot move from ${from} to ${to}`,
  );
}

/** The cash collected: the live parts only (a cancelled part was never handed over). */
export async function captureCod(payments: Payments, order: Order, subs: SubOrder[]): Promise<void> {
  const amount = subs.filter(isLive).reduce((sum, s) => sum + s.subtotal + s.shippingFee, 0);
  await payments.paymentIntents.capture(
    order.paymentIntentId,
    { amount_to_capture: amount },
    { idempotencyKey: `capture:${order.code}` },
  );
}

/** The whole order is cancelled: cancel an open payment, refund a paid one (and a pre-order's paid balance). */
export async function settleCancelledPayment(payments: Payments, order: Order): Promise<void> {
  const intent = await payments.paymentIntents.retrieve(order.paymentIntentId);
  if (intent.status === 'succeeded') {
    await refundSafely(payments, order.paymentIntentId, undefined, `refund:${order.code}:all`);
  } else if (intent.status !== 'canceled') {
    await payments.paymentIntents
      .cancel(order.paymentIntentId, { cancellation_reason: 'requested_by_customer' })
      .catch(async (error: unknown) => {
        // It succeeded meanwhile: refund instead. Cancelled meanwhile (the expiry job): done.
        const status = (await payments.paymentIntents.retrieve(order.paymentIntentId)).status;
        if (status === 'succeeded') {
          await refundSafely(payments, order.paymentIntentId, undefined, `refund:${order.code}:all`);
        } else if (status !== 'canceled') throw error;
      });
  }
  // A pre-order's balance paid online is a payment of its own: it goes back too.
  const settlement = order.preorder?.settlement;
  if (settlement?.status === 'paid' && settlement.intentId) {
    await refundSafely(payments, settlement.intentId, undefined, `preorder-balance-cancel:${order.code}`);
  }
}

/** One cooperative cancels its part of a paid online order: refund that part. */
export async function refundPart(payments: Payments, order: Order, sub: SubOrder): Promise<void> {
  const intent = await payments.paymentIntents.retrieve(order.paymentIntentId);
  if (intent.status !== 'succeeded') return; // COD: the smaller amount is collected at the door
  // What is left of the part (a manager may have refunded some by hand), counted per part.
  try {
    await refundWholePart(payments, order, sub);
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    log().warn('refund not made', { intentId: order.paymentIntentId, code: error.code });
  }
}

/** A refund the rail refuses stays recorded as failed; a manager then records it by hand. */
async function refundSafely(payments: Payments, intentId: string, amount: number | undefined, key: string) {
  try {
    await payments.refunds.create(
      { payment_intent: intentId, ...(amount ? { amount } : {}), reason: 'requested_by_customer' },
      { idempotencyKey: key },
    );
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    log().warn('refund not made', { intentId, code: error.code });
  }
}

/**
 * A payment succeeded (IPN, bank notification, querydr, or its webhook): a `pending_payment`
 * order becomes `placed`. Idempotent. An order that already expired or was cancelled gets its
 * money back instead — never both paid and expired.
 */
export async function onPaymentSucceeded(payments: Payments, code: string, now: Date): Promise<void> {
  correlateWith(code);
  const found = await getOrderWithSubs(code);
  if (!found) return;
  const at = now.toISOString();
  const result = await changeOrder(code, (order, subs) => {
    if (order.status !== 'pending_payment') return null;
    const marker = order.payBy ? [deleteExpiryMarker(Date.parse(order.payBy), order.code)] : [];
    // A part its cooperative cancelled while the payment was pending stays cancelled.
    const waiting = subs.filter((s) => s.status === 'pending_payment');
    return { subs: waiting.map((s) => stepped(s, 'placed', 'payment', at)), extra: marker };
  });
  if (result) {
    countEvent('PaymentsSettled');
    log().info('payment settled', { paymentMethod: result.order.paymentMethod, total: result.order.total });
    await announcePlaced(result.order, result.subs);
    // The payment covered parts cancelled meanwhile: give their share back.
    for (const cancelled of result.subs.filter((s) => s.status === 'cancelled')) {
      await refundPart(payments, result.order, cancelled);
    }
  }
  if (!result) {
    const current = (await getOrderWithSubs(code))!.order;
    if (current.status === 'expired' || current.status === 'cancelled') {
      await refundSafely(payments, current.paymentIntentId, undefined, `refund:${code}:late`);
    }
  }
  // A pre-order deposit paid after its window was allocated: cancelled and refunded at once (also
  // on a replay, in case an earlier call stopped before this step).
  if (found.order.preorder) await settleLateDeposit(payments, code, now);
}

export interface ExpiryOptions {
  /** The expiry-marker shards to work on (db/shards.ts). @default every shard */
  shards?: readonly string[];
  /** Markers read at a time per shard. @default 50 */
  limit?: number;
  /** Shards worked on at the same time. @default 8 */
  concurrency?: number;
  /** No new batch is read after this time (ms since the epoch); without it, one batch a shard. */
  stopAt?: number;
}

/** Orders of one shard expired at the same time. */
const ORDERS_AT_ONCE_PER_SHARD = 4;

export interface ExpiryReport {
  expired: number;
  paid: number;
  skipped: number;
}

/**
 * Expires unpaid online orders past their window, each exactly once. Run after (or beside) the
 * rail's reconciliation: an order whose payment succeeded is moved to paid instead. The markers
 * are sharded (db/orders.ts); each shard is read oldest first, several shards at a time, and with
 * `stopAt` a shard is read batch after batch until it has nothing due or the time is up.
 */
export async function expireUnpaidOrders(
  payments: Payments,
  now: Date,
  options: ExpiryOptions = {},
): Promise<ExpiryReport> {
  const report: ExpiryReport = { expired: 0, paid: 0, skipped: 0 };
  const oldest = { payByMs: Infinity };
  await forEachConcurrently(options.shards ?? SHARDS, options.concurrency ?? 8, async (shard) =>
    addCounts(report, await expireShard(payments, now, shard, options, oldest)),
  );
  recordSeconds(
    'ExpiryOldestAgeSeconds',
    oldest.payByMs === Infinity ? 0 : (now.getTime() - oldest.payByMs) / 1000,
  );
  return report;
}

async function expireShard(
  payments: Payments,
  now: Date,
  shard: string,
  options: ExpiryOptions,
  oldest: { payByMs: number },
): Promise<ExpiryReport> {
  const report: ExpiryReport = { expired: 0, paid: 0, skipped: 0 };
  const limit = options.limit ?? 50;
  for (;;) {
    const due = await dueExpiries(shard, now.getTime(), limit);
    for (const marker of due) oldest.payByMs = Math.min(oldest.payByMs, marker.payByMs);
    // Different orders: a few at a time (each waits mostly on its own reads and writes).
    await forEachConcurrently(due, ORDERS_AT_ONCE_PER_SHARD, async (marker) => {
      report[await withOrder(marker.code, () => expireOne(payments, now, marker))] += 1;
    });
    if (options.stopAt === undefined || due.length < limit || Date.now() >= options.stopAt) break;
  }
  return report;
}

/**
 * Expires one order, its payment cancelled in the same transaction: the payment is never
 * cancelled unless the order expires with it, so each is cancelled exactly once (a shopper or a
 * cooperative cancelling meanwhile finds either the order expired or the payment still open).
 * A lost race reads the order again and tries again.
 */
async function expireOne(
  payments: Payments,
  now: Date,
  due: { code: string; payByMs: number },
): Promise<keyof ExpiryReport> {
  const at = now.toISOString();
  const expiry = (subs: SubOrder[]) => {
    // A part cancelled meanwhile released its stock then: only the waiting parts expire.
    const waiting = subs.filter((s) => s.status === 'pending_payment');
    return {
      subs: waiting.map((s) => stepped(s, 'expired', 'system', at)),
      extra: [...waiting.flatMap(releaseItems), deleteExpiryMarker(due.payByMs, due.code)],
    };
  };
  const skip = async (): Promise<'skipped'> => {
    await transactWrite([deleteExpiryMarker(due.payByMs, due.code)]);
    return 'skipped';
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await getOrderWithSubs(due.code);
    if (!found || found.order.status !== 'pending_payment') return skip();
    // The payment cancelled (refused if it succeeded meanwhile) and the order expired together,
    // each on the condition that nobody moved it since it was read.
    const together = changeItems(found, expiry(found.subs));
    try {
      await payments.paymentIntents.cancel(
        found.order.paymentIntentId,
        { cancellation_reason: 'abandoned' },
        { transactItems: together.items },
      );
      await notifyShopper(together.result.order, 'expired');
      return 'expired';
    } catch (error) {
      // The order or the payment moved since it was read: read both again.
      if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) continue;
      if (!(error instanceof PaymentError)) throw error;
      // The payment can no longer be cancelled: it succeeded (the order is paid, not expired) or
      // it was cancelled already (by the shopper's cancel, whose order change came first).
      const status = (await payments.paymentIntents.retrieve(found.order.paymentIntentId)).status;
      if (status === 'succeeded') {
        await onPaymentSucceeded(payments, due.code, now);
        return 'paid';
      }
      if (status !== 'canceled') throw error;
      const result = await changeOrder(due.code, (order, subs) =>
        order.status === 'pending_payment' ? expiry(subs) : null,
      );
      if (!result) return skip();
      await notifyShopper(result.order, 'expired');
      return 'expired';
    }
  }
  throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại / The order is busy: retry');
}

export const isTerminal = (status: OrderStatus) => TERMINAL.includes(status);
export type { Actor };
