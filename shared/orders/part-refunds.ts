/**
 * Refunds of one cooperative's part of an order. A payment covers every part of its order; a
 * cooperative's manager refunds only its own part (sub-total plus its shipping), and never more
 * than is left of it, so every other part keeps its own refund path (a later cancellation of
 * another part is still refunded through VNPay). What each part has had back is counted in the
 * refund's own transaction (db/part-refunds.ts), so two refunds at once cannot overdraw a part.
 */
import { randomUUID } from 'node:crypto';
import { invoices } from '../db/invoices.ts';
import { getOrderWithSubs } from '../db/orders.ts';
import { partRefunded, releasePartRefund, reservePartRefund } from '../db/part-refunds.ts';
import { forbidden, invalid } from '../domain/errors.ts';
import type { Payments } from '../payments/index.ts';
import type { PaymentIntent, Refund } from '../payments/types.ts';
import type { Order, SubOrder } from './model.ts';

/**
 * A part's amount: what the shopper paid for it. A pre-order's payments are its deposit and,
 * once paid online, its balance.
 */
export function partTotal(sub: SubOrder, order?: Pick<Order, 'preorder'>): number {
  const preorder = order?.preorder;
  if (!preorder) return sub.subtotal + sub.shippingFee;
  const settlement = preorder.settlement;
  return preorder.deposit + (settlement?.status === 'paid' ? settlement.balance : 0);
}

export interface ManualRefundInput {
  amount?: number;
  method: string;
  note: string;
}

/**
 * A manager records a refund it made by hand: limited to its cooperative's part of the order,
 * by default everything left of that part.
 */
export async function recordPartRefund(
  payments: Payments,
  intent: PaymentIntent,
  cooperativeId: string,
  input: ManualRefundInput & { recordedBy: string; idempotencyKey?: string },
): Promise<Refund> {
  const code = intent.metadata.order_code;
  const found = code ? await getOrderWithSubs(code) : undefined;
  const sub = found?.subs.find((s) => s.fulfillerId === cooperativeId);
  if (!found || !sub) {
    throw forbidden(
      'payment.refund_forbidden',
      'Đơn này không có phần nào của hợp tác xã bạn / This order has no part of your cooperative',
    );
  }
  const total = partTotal(sub, found.order);
  const left = total - (await partRefunded(found.order.code, sub.fulfillerId));
  if (left <= 0) {
    throw invalid(
      'payment.part_refunded',
      'Phần đơn của hợp tác xã bạn đã được hoàn đủ / Your cooperative’s part is fully refunded',
    );
  }
  const amount = input.amount ?? left;
  if (amount > left) {
    throw invalid(
      'payment.amount_too_large',
      `Chỉ còn ${left.toLocaleString('vi-VN')} ₫ của phần đơn hợp tác xã bạn để hoàn / ` +
        `Only ${left} ₫ of your cooperative’s part is left to refund`,
    );
  }
  return payments.refunds.create(
    {
      payment_intent: intent.id,
      amount,
      reason: 'requested_by_customer',
      metadata: {
        manual: 'true',
        method: input.method,
        note: input.note,
        recorded_by: input.recordedBy,
        part: sub.fulfillerId,
      },
    },
    {
      idempotencyKey: input.idempotencyKey,
      transactItems: [
        reservePartRefund(found.order.code, sub.fulfillerId, amount, total),
        // The seller's adjusting e-invoice (hóa đơn điều chỉnh giảm), issued by the invoice lane.
        invoices.dueItem(
          {
            orderCode: found.order.code,
            fulfillerId: sub.fulfillerId,
            kindKey: `ADJ#${input.idempotencyKey ?? randomUUID()}`,
            action: 'adjust',
            amount,
            reason: input.note,
          },
          Date.now(),
        ),
      ],
    },
  );
}

/**
 * The part's refund when it is cancelled after payment: what is left of it (a manager may have
 * given some back by hand already); the count moves back if the rail refuses.
 */
export async function refundWholePart(
  payments: Payments,
  order: Order,
  sub: SubOrder,
): Promise<{ amount: number; key: string } | undefined> {
  const total = partTotal(sub, order);
  const left = total - (await partRefunded(order.code, sub.fulfillerId));
  if (left <= 0) return undefined;
  await payments.refunds.create(
    {
      payment_intent: order.paymentIntentId,
      amount: left,
      reason: 'requested_by_customer',
      metadata: { part: sub.fulfillerId },
    },
    {
      idempotencyKey: `refund:${order.code}:${sub.fulfillerId}`,
      transactItems: [reservePartRefund(order.code, sub.fulfillerId, left, total)],
      releaseItems: [releasePartRefund(order.code, sub.fulfillerId, left)],
    },
  );
  return { amount: left, key: `refund:${order.code}:${sub.fulfillerId}` };
}
