/**
 * Reserving in an open window (`reservePreorder`): the reservation is an order whose payment is
 * the deposit (VNPay or VietQR; COD is refused). ONE transaction, as checkout's:
 *  - the grams held against the window's total (`leftGrams >= :g`) and against one member
 *    household's quota (the household with the most room left, re-chosen when another
 *    reservation took it meanwhile), the packs counted per pack;
 *  - the order, its one sub-order (the window's fulfiller), the reservation's place in the window,
 *    the expiry marker of the unpaid deposit (the same expiry lane as an unpaid order: expiring
 *    gives the grams back exactly once), the Idempotency-Key's answer and the payment intent.
 * Nothing is oversold: two reservations at the same moment cannot both take the last grams.
 */
import { createHash } from 'node:crypto';
import { holdItems, getWindowRecord, putReservationRef } from '../db/preorders.ts';
import { putExpiryMarker, putOrder, putSubOrder } from '../db/orders.ts';
import { cancellationCodes } from '../db/retry.ts';
import type { TransactItem } from '../db/items.ts';
import { conflict, DomainError, notFound } from '../domain/errors.ts';
import type { Payments } from '../payments/index.ts';
import type { PaymentIntent } from '../payments/types.ts';
import {
  orderKeyItem,
  putOrderKey,
  storedAnswer,
  winningAnswer,
  type IdempotentAnswer,
} from '../orders/idempotency.ts';
import { batchGetConsistent } from '../db/orders.ts';
import { addOpenOrder } from '../db/order-guards.ts';
import { countAttempt, ensureOpenRoom } from '../orders/checkout.ts';
import { LimitExceeded, ORDER_RATE_LIMITS, rateLimitsOn } from '../orders/limits.ts';
import { orderCode, PAYMENT_WINDOW_MS, type Order, type OrderLine, type SubOrder } from '../orders/model.ts';
import { formatVnd } from '../domain/money.ts';
import { log } from '../observability/log.ts';
import { correlateWith } from '../observability/scope.ts';
import { depositOf, packName, windowPhase, type PreorderState, type ReservePreorderBody } from './model.ts';

export interface ReserveContext {
  payments: Payments;
  now: Date;
  clientIp: string;
  idempotencyKey: string;
  fingerprint: string;
}

/** A refusal stored under the Idempotency-Key and replayed (as checkout's). */
export class ReservationRefusal extends DomainError {
  constructor(
    kind: 'conflict' | 'unprocessable',
    code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(kind, code, message);
  }
}

export const depositOnlineOnly = () =>
  new ReservationRefusal(
    'unprocessable',
    'preorder.deposit_online_only',
    'Tiền cọc đặt trước chỉ thanh toán trực tuyến (VNPay hoặc chuyển khoản VietQR); phần còn lại có thể trả khi nhận hàng / The deposit is paid online (VNPay or VietQR); the balance may be paid on delivery',
    {},
  );

const soldOut = (leftGrams: number) =>
  new ReservationRefusal(
    'conflict',
    'preorder.not_enough_left',
    `Đợt đặt trước không còn đủ hàng (còn khoảng ${(leftGrams / 1000).toLocaleString('vi-VN')} kg); hãy giảm số lượng / Not enough left in this window`,
    { leftGrams },
  );

export async function reservePreorder(
  windowId: string,
  body: ReservePreorderBody,
  ctx: ReserveContext,
): Promise<IdempotentAnswer> {
  const nowMs = ctx.now.getTime();
  const keyItem = orderKeyItem(ctx.idempotencyKey);
  const [stored] = await batchGetConsistent([keyItem]);
  const replay = storedAnswer(stored, ctx.fingerprint, nowMs);
  if (replay) return replay;
  if (body.paymentMethod === 'cod') throw depositOnlineOnly();
  // The same limits as checkout (an unpaid deposit holds grams as an unpaid order holds stock):
  // reservations per address and per phone an hour, and open (unpaid) ones per phone.
  const limits = rateLimitsOn();
  const phone = body.contact.phone;
  if (limits) {
    await countAttempt(ctx.clientIp, phone, nowMs);
    await ensureOpenRoom(phone, nowMs);
  }

  for (let attempt = 0; attempt < 4; attempt++) {
    const record = await getWindowRecord(windowId);
    if (!record) {
      throw notFound('preorder.not_found', 'Không tìm thấy đợt đặt trước này / No such pre-order window');
    }
    const { window, holds } = record;
    const phase = windowPhase(window, ctx.now);
    if (phase !== 'open') {
      throw new ReservationRefusal(
        'conflict',
        'preorder.not_open',
        phase === 'upcoming'
          ? `Đợt đặt trước mở từ ngày ${window.opensOn} / The window opens on ${window.opensOn}`
          : `Đợt đặt trước đã đóng ngày ${window.closesOn} / The window closed on ${window.closesOn}`,
        { phase },
      );
    }
    const packs = new Map(window.packs.map((p) => [p.id, p]));
    const unknown = body.lines.filter((l) => !packs.has(l.packId)).map((l) => l.packId);
    if (unknown.length > 0) {
      throw new ReservationRefusal(
        'unprocessable',
        'preorder.unknown_pack',
        `Đợt đặt trước không có gói ${unknown.join(', ')} / No such pack in this window`,
        { packIds: unknown },
      );
    }
    const grams = body.lines.reduce((sum, l) => sum + packs.get(l.packId)!.grams * l.quantity, 0);
    // The household with the most room that can hold the whole reservation.
    const household = window.households
      .map((h) => ({ ...h, left: holds.households[h.producerId] ?? 0 }))
      .filter((h) => h.left >= grams)
      .sort((a, b) => b.left - a.left || a.producerId.localeCompare(b.producerId))[0];
    if (holds.leftGrams < grams || !household) {
      const roomiest = Math.max(0, ...Object.values(holds.households));
      throw soldOut(Math.min(holds.leftGrams, roomiest));
    }
    const lines: OrderLine[] = body.lines.map((l) => {
      const pack = packs.get(l.packId)!;
      return {
        variantId: `PO-${window.id}-${pack.id}`,
        productId: window.productId,
        productSlug: window.productSlug,
        productName: window.productName,
        // Marked in the packing list and the household settlement as a pre-order line.
        pack: `${packName(pack)} · đặt trước`,
        grams: pack.grams,
        producerId: household.producerId,
        producerName: household.name,
        unitPrice: pack.price,
        quantity: l.quantity,
        lineTotal: pack.price * l.quantity,
      };
    });
    const packCounts = Object.fromEntries(body.lines.map((l) => [l.packId, l.quantity]));
    const itemsTotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
    const deposit = depositOf(itemsTotal, window.depositPercent);
    const createdAt = ctx.now.toISOString();
    const payBy = nowMs + PAYMENT_WINDOW_MS;
    const seed = createHash('sha256').update(`${ctx.idempotencyKey}:preorder:${attempt}`).digest();
    let offset = 0;
    const code = orderCode((n) => seed[offset++]! % n);
    const step = { status: 'pending_payment' as const, at: createdAt, by: 'shopper' };
    const preorder: PreorderState = {
      windowId: window.id,
      season: window.season,
      householdId: household.producerId,
      householdName: household.name,
      grams,
      packs: packCounts,
      depositPercent: window.depositPercent,
      deposit,
      balanceMethod: body.balanceMethod,
      graceDays: window.graceDays,
      keptOnLapsePercent: window.keptOnLapsePercent,
      harvestFrom: window.harvestFrom,
      harvestTo: window.harvestTo,
    };
    const sub: SubOrder = {
      orderCode: code,
      fulfillerId: window.fulfillerId,
      fulfillerName: window.fulfillerName,
      status: 'pending_payment',
      lines,
      subtotal: itemsTotal,
      shippingFee: 0,
      preorder: { windowId: window.id, householdId: household.producerId, grams, packs: packCounts },
      history: [step],
      createdAt,
      version: 1,
    };
    const holdWrites = holdItems(window.id, household.producerId, grams, packCounts);
    let answer: unknown;
    const items = (intent: PaymentIntent): TransactItem[] => {
      const order: Order = {
        code,
        status: 'pending_payment',
        contact: body.contact,
        delivery: body.delivery,
        ...(body.note ? { note: body.note } : {}),
        paymentMethod: body.paymentMethod,
        paymentIntentId: intent.id,
        itemsTotal,
        shippingTotal: 0,
        total: itemsTotal,
        lines,
        fulfillerIds: [window.fulfillerId],
        history: [step],
        createdAt,
        payBy: new Date(payBy).toISOString(),
        preorder,
        version: 1,
      };
      answer = {
        order: { ...order, subOrders: [sub] },
        payment: {
          id: intent.id,
          status: intent.status,
          client_secret: intent.client_secret,
          next_action: intent.next_action,
        },
      };
      return [
        ...holdWrites,
        putOrder(order, 'new'),
        putSubOrder(sub, 'new'),
        putExpiryMarker(payBy, code),
        putReservationRef(window.id, { code, householdId: household.producerId, reservedAt: createdAt }),
        putOrderKey(ctx.idempotencyKey, ctx.fingerprint, { status: 201, body: answer }, nowMs),
        ...(limits ? [addOpenOrder(phone, code, ORDER_RATE_LIMITS.openOrdersPerPhone)] : []),
      ];
    };
    try {
      await ctx.payments.paymentIntents.create(
        {
          amount: deposit,
          currency: 'vnd',
          payment_method_types: [body.paymentMethod],
          description: `Tiền cọc đặt trước ${code}`,
          metadata: {
            order_code: code,
            cooperative_ids: window.fulfillerId,
            client_ip: ctx.clientIp,
            locale: body.locale ?? 'vi',
            preorder_window: window.id,
          },
          confirm: true,
        },
        { transactItems: items },
      );
      correlateWith(code);
      log().info('pre-order reserved', { windowId: window.id, grams, deposit: formatVnd(deposit) });
      return { status: 201, body: answer };
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (!reasons) throw error;
      const keyIndex = holdWrites.length + 4;
      if (reasons[keyIndex] === 'ConditionalCheckFailed') {
        return winningAnswer(ctx.idempotencyKey, ctx.fingerprint, nowMs);
      }
      if (limits && reasons[keyIndex + 1] === 'ConditionalCheckFailed') {
        throw new LimitExceeded(
          'order.too_many_open',
          `Số điện thoại này đang có ${ORDER_RATE_LIMITS.openOrdersPerPhone} đơn chưa thanh toán; hãy trả cọc hoặc hủy một đơn, hoặc thử lại sau 15 phút / Too many unpaid orders for this phone`,
          Math.ceil(PAYMENT_WINDOW_MS / 1000),
        );
      }
      // The window or the household was taken meanwhile, or the code was drawn already: read
      // again and choose again.
      if (reasons.some((r) => r === 'ConditionalCheckFailed') && attempt < 3) continue;
      if (reasons.slice(0, holdWrites.length).includes('ConditionalCheckFailed')) {
        const now = await getWindowRecord(windowId);
        throw soldOut(now ? now.holds.leftGrams : 0);
      }
      throw error;
    }
  }
  throw conflict('preorder.busy', 'Đợt đặt trước đang có nhiều người đặt; hãy thử lại / Busy: retry');
}
