/**
 * Pay again, or pay another way: `POST /api/orders/{code}/payment`. After a VNPay payment was
 * cancelled or failed (or the shopper would rather transfer, or pay on delivery), the order — its
 * stock still reserved — gets a NEW payment intent, and so a new VNPay `vnp_TxnRef`
 * (PAYMENTS.md: one per attempt), while it is still held (`pending_payment`, before `payBy`).
 *  - The order's current intent is cancelled FIRST. A cancelled intent never becomes
 *    `succeeded`, so a late IPN (or a bank transfer) for the old attempt cannot settle the order a
 *    second time: the IPN keeps it as a late payment (ipn.ts) and the reconciliation refunds it.
 *    If the old payment succeeded meanwhile, the order is settled with it and the shopper is told
 *    it is paid (409).
 *  - The new intent and the order's switch to it are ONE transaction (the SDK's `transactItems`),
 *    conditional on the order's version: never an order pointing at a missing payment, nor two
 *    live payments for one order. A COD switch writes its confirmation code in that transaction
 *    and the order then waits for the code sent to the phone, as a COD order does at checkout.
 *  - Idempotent: the body names the intent it replaces (`replaces`). A repeated request (a double
 *    tap, a retry after a lost answer) whose intent was already replaced with the same method is
 *    answered with the current payment; one that raced a different change gets 409.
 *  - A pre-order's payment is its deposit: it may switch between VNPay and VietQR, never to COD
 *    (422, as at reservation).
 *  - Ownership: the order's phone, exactly as GET /api/orders/{code} (same 404 for a wrong code
 *    or phone).
 * The order keeps its `payBy`: paying again does not hold the stock any longer.
 */
import { cancellationCodes } from '../db/retry.ts';
import { putOrder } from '../db/orders.ts';
import { replaceCodConfirmation } from '../db/order-guards.ts';
import { conflict } from '../domain/errors.ts';
import { newOneTimeCode } from '../auth/one-time-code.ts';
import type { Payments } from '../payments/index.ts';
import { PaymentError } from '../payments/errors.ts';
import type { PaymentIntent } from '../payments/types.ts';
import { log } from '../observability/log.ts';
import { correlateWith } from '../observability/scope.ts';
import type { PlacedOrder } from './checkout.ts';
import { confirmationDigest } from './checkout.ts';
import { getOrderForShopper, onPaymentSucceeded, type OrderView } from './lifecycle.ts';
import type { Order, PaymentMethod } from './model.ts';
import { sendConfirmationCode } from './notifications.ts';
import { depositOnlineOnly } from '../preorders/reserve.ts';

export interface RepayInput {
  phone: string;
  paymentMethod: PaymentMethod;
  /** The payment intent the shopper saw on the order (its `paymentIntentId`). */
  replaces: string;
  locale?: 'vi' | 'en' | undefined;
}

export interface RepayDeps {
  payments: Payments;
  now: Date;
  clientIp: string;
  /** The storefront's origin, for the link in a COD confirmation SMS. */
  siteUrl?: string | undefined;
}

const notHeld = (order: Order) =>
  order.status === 'pending_payment'
    ? conflict(
        'order.not_held',
        `Đơn ${order.code} đã hết thời gian giữ hàng để thanh toán; hãy đặt lại / Order ${order.code} is no longer held for payment: order again`,
      )
    : order.history.some((s) => s.status === 'placed')
      ? conflict(
          'order.already_paid',
          `Đơn ${order.code} đã được thanh toán hoặc xác nhận; không cần thanh toán lại / Order ${order.code} is already paid or confirmed`,
        )
      : conflict(
          'order.not_held',
          `Đơn ${order.code} đã hết hạn hoặc đã hủy; hãy đặt lại / Order ${order.code} expired or was cancelled: order again`,
        );

const changedMeanwhile = () =>
  conflict(
    'order.payment_changed',
    'Cách thanh toán của đơn vừa được đổi ở nơi khác; hãy tải lại trang / The payment of this order has just changed: reload the page',
  );

/** What the shopper's page needs to go on: the order, its payment, and the COD step if any. */
async function answerFor(payments: Payments, order: OrderView): Promise<PlacedOrder> {
  const intent = await payments.paymentIntents.retrieve(order.paymentIntentId);
  const { subOrders, ...rest } = order;
  return {
    order: { ...rest, subOrders },
    payment: {
      id: intent.id,
      status: intent.status,
      client_secret: intent.client_secret,
      next_action: intent.next_action,
    },
    ...(order.paymentMethod === 'cod' && order.status === 'pending_payment' && order.payBy
      ? { confirmation: { required: true as const, confirmBy: order.payBy } }
      : {}),
  };
}

/** Cancels the order's current intent; a payment that succeeded meanwhile settles the order. */
async function retire(payments: Payments, order: Order, now: Date): Promise<void> {
  const intent = await payments.paymentIntents.retrieve(order.paymentIntentId);
  if (intent.status === 'canceled') return; // an earlier try got this far
  if (intent.status === 'succeeded' || intent.status === 'processing') throw paidMeanwhile(order, intent);
  try {
    await payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    const current = await payments.paymentIntents.retrieve(intent.id);
    if (current.status === 'canceled') return;
    if (current.status === 'succeeded') await onPaymentSucceeded(payments, order.code, now);
    throw paidMeanwhile(order, current);
  }
}

const paidMeanwhile = (order: Order, intent: PaymentIntent) =>
  intent.status === 'processing'
    ? conflict(
        'order.payment_processing',
        `VNPay đang xử lý thanh toán của đơn ${order.code}; hãy chờ vài phút rồi xem lại đơn / VNPay is still processing the payment of order ${order.code}`,
      )
    : conflict(
        'order.already_paid',
        `Đơn ${order.code} đã được thanh toán; không cần thanh toán lại / Order ${order.code} is already paid`,
      );

export async function repayOrder(code: string, input: RepayInput, deps: RepayDeps): Promise<PlacedOrder> {
  correlateWith(code);
  const shown = await getOrderForShopper(code, input.phone);
  // A pre-order's payment is its deposit, paid online only (as at reservation): nothing changes.
  if (shown.preorder && input.paymentMethod === 'cod') throw depositOnlineOnly();
  if (shown.paymentIntentId !== input.replaces) {
    // Already replaced by this very request (a retry, a double tap): the same answer.
    if (
      shown.replacedIntentIds?.includes(input.replaces) &&
      shown.paymentMethod === input.paymentMethod &&
      shown.status === 'pending_payment'
    ) {
      return answerFor(deps.payments, shown);
    }
    if (shown.status !== 'pending_payment') throw notHeld(shown);
    throw changedMeanwhile();
  }
  const nowMs = deps.now.getTime();
  if (shown.status !== 'pending_payment' || !shown.payBy || Date.parse(shown.payBy) <= nowMs) {
    throw notHeld(shown);
  }
  await retire(deps.payments, shown, deps.now);

  const cod = input.paymentMethod === 'cod';
  const otp = cod ? newOneTimeCode() : undefined;
  const { subOrders, ...order } = shown;
  const next = (intent: PaymentIntent): Order => ({
    ...order,
    paymentMethod: input.paymentMethod,
    paymentIntentId: intent.id,
    replacedIntentIds: [...(order.replacedIntentIds ?? []), order.paymentIntentId],
    version: order.version + 1,
  });
  let switched: Order | undefined;
  let intent: PaymentIntent;
  try {
    intent = await deps.payments.paymentIntents.create(
      {
        // A pre-order's payment is its deposit.
        amount: order.preorder ? order.preorder.deposit : order.total,
        currency: 'vnd',
        payment_method_types: [input.paymentMethod],
        description: `Đơn hàng ${code}`,
        metadata: {
          order_code: code,
          cooperative_ids: order.fulfillerIds.join(' '),
          client_ip: deps.clientIp,
          locale: input.locale ?? 'vi',
        },
        confirm: true,
      },
      {
        transactItems: (created) => {
          switched = next(created);
          return [
            putOrder(switched, order.version),
            ...(otp
              ? [
                  replaceCodConfirmation(
                    code,
                    confirmationDigest(code, order.contact.phone, otp),
                    Date.parse(order.payBy!),
                  ),
                ]
              : []),
          ];
        },
      },
    );
  } catch (error) {
    // The order moved since it was read (a double tap's twin, the expiry, a cancel): as it is now.
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const now = await getOrderForShopper(code, input.phone);
    if (now.replacedIntentIds?.includes(input.replaces) && now.paymentMethod === input.paymentMethod) {
      if (now.status === 'pending_payment') return answerFor(deps.payments, now);
    }
    if (now.status !== 'pending_payment') throw notHeld(now);
    throw changedMeanwhile();
  }
  log().info('order payment replaced', {
    from: shown.paymentMethod,
    paymentMethod: input.paymentMethod,
    total: order.total,
  });
  if (otp) await sendConfirmationCode(switched!, otp, deps.siteUrl);
  return {
    order: { ...switched!, subOrders },
    payment: {
      id: intent.id,
      status: intent.status,
      client_secret: intent.client_secret,
      next_action: intent.next_action,
    },
    ...(otp ? { confirmation: { required: true as const, confirmBy: order.payBy! } } : {}),
  };
}
