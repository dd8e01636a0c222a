/**
 * The callbacks: what the payment providers and the carriers call, server to server (VNPay's IPN,
 * VietQR's bank notifications, the payment webhooks, the carriers' webhooks), and VNPay's return,
 * where the shopper's browser lands after paying. Each is checked by its own signature or token,
 * so every route is public. Served by the callbacks function (functions/callbacks/app.ts), out of
 * the orders function so that checkout stays within its bundle budget. The rules live in
 * shared/payments and shared/orders.
 */
import type { Hono } from 'hono';
import { notFound } from '../../shared/domain/errors.ts';
import {
  claimEvent,
  PaymentError,
  releaseEvent,
  SignatureVerificationError,
} from '../../shared/payments/index.ts';
import { getTxn, handleVnpayIpn, readVnpayReturn } from '../../shared/payments/vnpay/ipn.ts';
import { CarrierError } from '../../shared/carriers/types.ts';
import { applyCarrierEvents } from '../../shared/orders/shipments.ts';
import { required } from '../../shared/services.ts';
import { errorBody, validate } from '../http.ts';
import { callbackOperations as o } from './callback-operations.ts';
import { handlePaymentEvent, onPaymentEvent } from './payment-events.ts';
import { exchangePayments } from './payments.ts';
import { settleOrderOf } from './settle.ts';

const rawQuery = (url: string) => new URL(url).searchParams;

// An event is only a hint that a payment changed: its body may be stale (events arrive late and
// out of order) or made up, so the payment is read again from the store and that state decides.
onPaymentEvent(async (event) => {
  if (!event.type.startsWith('payment_intent.')) return;
  const id = (event.data.object as { id?: unknown }).id;
  if (typeof id !== 'string' || !id.startsWith('pi_')) return;
  const { payments } = await exchangePayments();
  const current = await payments.paymentIntents.retrieve(id).catch((error: unknown) => {
    if (error instanceof PaymentError && error.type === 'invalid_request_error') return undefined;
    throw error;
  });
  await settleOrderOf(current);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the callbacks app's own env
export function registerCallbackRoutes(app: Hono<any>): void {
  // A carrier calls this server to server: its token or signature is the provider's check. An
  // event for a parcel the exchange does not know, or another account's, is answered 200 and
  // changes nothing (the carrier would only send it again).
  app.on(
    o.carrierWebhook.method,
    o.carrierWebhook.honoPath,
    validate('param', o.carrierWebhook.request.param),
    async (c) => {
      const carriers = await required('carriers')();
      const provider = carriers[c.req.valid('param').carrier];
      if (!provider)
        throw notFound('carrier.not_found', 'Đơn vị vận chuyển này chưa được kết nối / Unknown carrier');
      const raw = await c.req.text();
      let events;
      try {
        events = provider.parseWebhook({
          headers: Object.fromEntries(c.req.raw.headers.entries()),
          query: Object.fromEntries(new URL(c.req.url).searchParams.entries()),
          body: raw,
        });
      } catch (error) {
        if (!(error instanceof CarrierError)) throw error;
        if (error.code === 'unauthorized') {
          return c.json(
            errorBody('carrier.unauthorized', 'Sai mã xác thực của đơn vị vận chuyển / Bad token'),
            401,
          );
        }
        return c.json(
          errorBody('carrier.bad_request', `Nội dung không đúng định dạng: ${error.message}`),
          400,
        );
      }
      const { payments } = await exchangePayments();
      return c.json(await applyCarrierEvents(events, { payments, now: new Date() }));
    },
  );

  // VNPay calls this server to server; it must always get its JSON answer, never an error page.
  app.on(o.vnpayIpn.method, o.vnpayIpn.honoPath, async (c) => {
    const { payments, settings } = await exchangePayments();
    const query = rawQuery(c.req.url);
    const answer = await handleVnpayIpn(payments, settings.vnpay, query);
    if (answer.RspCode === '00') {
      const txn = await getTxn(query.get('vnp_TxnRef') ?? '').catch(() => undefined);
      if (txn)
        await settleOrderOf(await payments.paymentIntents.retrieve(txn.intentId).catch(() => undefined));
    }
    return c.json(answer);
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
    if (outcome.result === 'matched') await settleOrderOf(outcome.payment_intent);
    return c.json({ result: outcome.result });
  });

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
}
