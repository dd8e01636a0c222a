/**
 * The orders function. For now: the payment routes — VNPay's IPN and return, VietQR bank
 * notifications and the manager's matching, manual refunds, a payment's status for the shopper
 * who holds its client_secret, and the receiver of our own payment webhooks. Handlers stay thin:
 * the rules live in shared/payments.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden, notFound } from '../../shared/domain/errors.ts';
import { isAdmin, managedCooperativeId, type Principal } from '../../shared/domain/permissions.ts';
import { claimEvent, releaseEvent, SignatureVerificationError } from '../../shared/payments/index.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { handleVnpayIpn, readVnpayReturn } from '../../shared/payments/vnpay/ipn.ts';
import { createApiApp, validate } from '../http.ts';
import { requireSignIn, type SignedInEnv } from '../principal.ts';
import { handlePaymentEvent } from './payment-events.ts';
import { exchangePayments } from './payments.ts';
import { operations as o } from './operations.ts';

export const app = createApiApp<SignedInEnv>();

for (const path of [
  '/api/payments/vietqr/unmatched',
  '/api/payments/vietqr/unmatched/*',
  '/api/payments/*/manual-refunds',
]) {
  app.use(path, requireSignIn);
}

const rawQuery = (url: string) => new URL(url).searchParams;

// VNPay calls this server to server; it must always get its JSON answer, never an error page.
app.on(o.vnpayIpn.method, o.vnpayIpn.honoPath, async (c) => {
  const { payments, settings } = await exchangePayments();
  return c.json(await handleVnpayIpn(payments, settings.vnpay, rawQuery(c.req.url)));
});

// Display only: a shopper can forge or replay this query, so it never changes anything.
app.on(o.vnpayReturn.method, o.vnpayReturn.honoPath, async (c) => {
  const { settings } = await exchangePayments();
  c.header('Cache-Control', 'no-store');
  return c.json(await readVnpayReturn(settings.vnpay, rawQuery(c.req.url)));
});

app.on(o.vietqrNotification.method, o.vietqrNotification.honoPath, async (c) => {
  const { payments } = await exchangePayments();
  const transfers = payments.vietqr;
  if (!transfers) throw notFound('payment.vietqr_disabled', 'VietQR is not enabled');
  // The signature covers the raw bytes: read them before any parsing.
  const raw = await c.req.text();
  const outcome = await transfers.applyNotification(raw, c.req.header('x-signature'));
  return c.json({ result: outcome.result });
});

app.on(o.listUnmatchedTransfers.method, o.listUnmatchedTransfers.honoPath, async (c) => {
  requireAdmin(c.get('principal'));
  const { payments } = await exchangePayments();
  return c.json({ items: (await payments.vietqr?.listUnmatched()) ?? [] });
});

app.on(
  o.matchTransfer.method,
  o.matchTransfer.honoPath,
  validate('param', o.matchTransfer.request.param),
  validate('json', o.matchTransfer.request.json),
  async (c) => {
    const principal = c.get('principal');
    requireAdmin(principal);
    const { payments } = await exchangePayments();
    if (!payments.vietqr) throw notFound('payment.vietqr_disabled', 'VietQR is not enabled');
    const intent = await payments.vietqr.matchByHand(
      c.req.valid('param').transferId,
      c.req.valid('json').paymentIntentId,
      { matched_by: principal.sub },
    );
    return c.json(statusView(intent));
  },
);

app.on(o.paymentWebhook.method, o.paymentWebhook.honoPath, async (c) => {
  const { payments, settings } = await exchangePayments();
  const raw = await c.req.text();
  let event;
  try {
    event = payments.webhooks.constructEvent(raw, c.req.header('stripe-signature'), settings.webhookSecret);
  } catch (error) {
    if (error instanceof SignatureVerificationError) {
      return c.json({ error: { code: 'webhook.bad_signature', message: error.message } }, 400);
    }
    throw error;
  }
  // Delivery is at least once: act on each event id once.
  if (!(await claimEvent(event.id, 'orders'))) return c.json({ received: true as const, duplicate: true });
  try {
    await handlePaymentEvent(event);
  } catch (error) {
    await releaseEvent(event.id, 'orders');
    throw error;
  }
  return c.json({ received: true as const, duplicate: false });
});

app.on(
  o.getPaymentStatus.method,
  o.getPaymentStatus.honoPath,
  validate('param', o.getPaymentStatus.request.param),
  validate('query', o.getPaymentStatus.request.query),
  async (c) => {
    const { payments } = await exchangePayments();
    const missing = () => notFound('payment.not_found', 'Không tìm thấy thanh toán / No such payment');
    const intent = await payments.paymentIntents.retrieve(c.req.valid('param').paymentIntentId).catch(() => {
      throw missing();
    });
    // The client_secret is the shopper's proof, as in Stripe: without it, the payment does not exist.
    if (!intent.client_secret || !safeEqualText(intent.client_secret, c.req.valid('query').client_secret)) {
      throw missing();
    }
    c.header('Cache-Control', 'no-store');
    return c.json(statusView(intent));
  },
);

app.on(
  o.recordManualRefund.method,
  o.recordManualRefund.honoPath,
  validate('param', o.recordManualRefund.request.param),
  validate('json', o.recordManualRefund.request.json),
  async (c) => {
    const principal = c.get('principal');
    const { payments } = await exchangePayments();
    const intent = await payments.paymentIntents.retrieve(c.req.valid('param').paymentIntentId);
    if (!canRefundByHand(principal, intent)) {
      throw forbidden(
        'payment.refund_forbidden',
        'Chỉ quản lý hợp tác xã của đơn này hoặc quản trị viên mới ghi nhận hoàn tiền được / ' +
          'Only a manager of a cooperative in this order, or an admin, may record a refund',
      );
    }
    const body = c.req.valid('json');
    const refund = await payments.refunds.create(
      {
        payment_intent: intent.id,
        ...(body.amount !== undefined ? { amount: body.amount } : {}),
        reason: 'requested_by_customer',
        metadata: { manual: 'true', method: body.method, note: body.note, recorded_by: principal.sub },
      },
      { idempotencyKey: c.req.header('idempotency-key') },
    );
    return c.json({ id: refund.id, status: refund.status, amount: refund.amount }, 201);
  },
);

function statusView(intent: PaymentIntent) {
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

function requireAdmin(principal: Principal): void {
  if (!isAdmin(principal)) {
    throw forbidden('payment.admin_only', 'Chỉ quản trị viên mới làm được việc này / Admins only');
  }
}

/**
 * An admin, or the manager of a cooperative named in the payment's metadata (`cooperative_ids`,
 * space-separated: the orders that create payments list the cooperatives they pay).
 */
export function canRefundByHand(principal: Principal, intent: PaymentIntent): boolean {
  if (isAdmin(principal)) return true;
  const managed = managedCooperativeId(principal);
  if (!managed) return false;
  return (intent.metadata.cooperative_ids ?? '').split(' ').includes(managed);
}

/** Constant-time comparison of two strings of any length (compares their digests). */
function safeEqualText(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
