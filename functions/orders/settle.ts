/**
 * What both order functions do with a payment: move its order on once it has succeeded, and show
 * its status. The orders function settles on VNPay's IPN, a bank notification and our own
 * webhook; the board function when an admin matches a transfer by hand.
 */
import { onPaymentSucceeded } from '../../shared/orders/lifecycle.ts';
import { onBalancePaid } from '../../shared/preorders/settle.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { exchangePayments } from './payments.ts';

/** A payment settled: its order moves on (the webhook does the same, later; both are idempotent). */
export async function settleOrderOf(intent: PaymentIntent | undefined): Promise<void> {
  const code = intent?.metadata.order_code;
  if (intent?.status !== 'succeeded' || !code) return;
  const { payments } = await exchangePayments();
  // A pre-order's balance, paid after its deposit: the reservation moves on, not a new order.
  if (intent.metadata.preorder_balance === 'true')
    return onBalancePaid(payments, code, intent.id, new Date());
  await onPaymentSucceeded(payments, code, new Date());
}

/** A payment as its status routes answer it (no client_secret, no metadata). */
export function statusView(intent: PaymentIntent) {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    payment_method: intent.payment_method,
    next_action: intent.next_action,
    last_payment_error: intent.last_payment_error,
  };
}
