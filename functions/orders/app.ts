/**
 * The orders function. For now: the payment routes — VNPay's IPN and return, VietQR bank
 * notifications and the manager's matching, manual refunds, a payment's status for the shopper
 * who holds its client_secret, and the receiver of our own payment webhooks. Handlers stay thin:
 * the rules live in shared/payments.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { isIP } from 'node:net';
import { forbidden, notFound } from '../../shared/domain/errors.ts';
import { isAdmin, managedCooperativeId, type Principal } from '../../shared/domain/permissions.ts';
import {
  claimEvent,
  PaymentError,
  releaseEvent,
  SignatureVerificationError,
} from '../../shared/payments/index.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { getTxn, handleVnpayIpn, readVnpayReturn } from '../../shared/payments/vnpay/ipn.ts';
import { createVariantIndex } from '../../shared/orders/variant-index.ts';
import { invalid } from '../../shared/domain/errors.ts';
import { CheckoutRefusal, placeOrder, quoteShipping } from '../../shared/orders/checkout.ts';
import {
  AddressUnserved,
  ensureCarrierConnected,
  QUOTES_PER_IP_PER_MINUTE,
} from '../../shared/orders/shipping-quotes.ts';
import { LimitExceeded, rateLimitsOn, secondsLeftInWindow } from '../../shared/orders/limits.ts';
import { hit } from '../../shared/db/rate-limits.ts';
import {
  fingerprint,
  IDEMPOTENCY_KEY,
  storeOrderAnswer,
  type IdempotentAnswer,
} from '../../shared/orders/idempotency.ts';
import {
  cancelByShopper,
  confirmCodOrder,
  canManageSubOrder,
  getOrderForShopper,
  onPaymentSucceeded,
  transitionSubOrder,
  fulfillerView,
} from '../../shared/orders/lifecycle.ts';
import {
  getOrderWithSubs,
  getShippingRules,
  listFulfillerSubOrders,
  putShippingRules,
} from '../../shared/db/orders.ts';
import { boardOrdersPage } from '../../shared/orders/board.ts';
import { recordPartRefund } from '../../shared/orders/part-refunds.ts';
import { repayOrder } from '../../shared/orders/repay.ts';
import { DEFAULT_SHIPPING_RULES } from '../../shared/orders/shipping.ts';
import { nextCursor, openOptionalCursor } from '../../shared/domain/cursor.ts';
import { clientIp, createApiApp, errorBody, validate } from '../http.ts';
import { type SignedInEnv } from '../principal.ts';
import { guardRoutes } from '../guard.ts';
import { handlePaymentEvent, onPaymentEvent } from './payment-events.ts';
import { exchangePayments } from './payments.ts';
import { config, required } from '../../shared/services.ts';
import { CarrierError } from '../../shared/carriers/types.ts';
import {
  applyCarrierEvents,
  cancelShipment,
  createShipment,
  getShipmentLabel,
} from '../../shared/orders/shipments.ts';
import { importCodStatement } from '../../shared/orders/cod-statements.ts';
import { operations as o } from './operations.ts';
import { onBalancePaid } from '../../shared/preorders/settle.ts';
import { registerPreorderManagerRoutes, registerPreorderShopperRoutes } from './preorders.ts';

export const app = createApiApp<SignedInEnv>();

// Who may call each route is declared in functions/routes.ts.
guardRoutes(app, 'orders');

const rawQuery = (url: string) => new URL(url).searchParams;

// Which product, producer and cooperative a pack belongs to (checkout re-reads the facts).
const productOfVariant = createVariantIndex();

/** A payment settled: its order moves on (the webhook does the same, later; both are idempotent). */
async function settleOrderOf(intent: PaymentIntent | undefined): Promise<void> {
  const code = intent?.metadata.order_code;
  if (intent?.status !== 'succeeded' || !code) return;
  const { payments } = await exchangePayments();
  if (intent.metadata.preorder_balance === 'true')
    return onBalancePaid(payments, code, intent.id, new Date());
  await onPaymentSucceeded(payments, code, new Date());
}

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

registerPreorderShopperRoutes(app);
registerPreorderManagerRoutes(app);

app.on(o.placeOrder.method, o.placeOrder.honoPath, validate('json', o.placeOrder.request.json), async (c) => {
  const key = c.req.header('idempotency-key');
  if (!key) {
    throw invalid(
      'idempotency.key_required',
      'Thiếu tiêu đề Idempotency-Key; hãy tải lại trang và đặt lại / The Idempotency-Key header is required',
    );
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw invalid('idempotency.key_invalid', 'Idempotency-Key: 8–128 letters, digits, - or _');
  }
  const body = c.req.valid('json');
  const ip = clientIp(c);
  const now = new Date();
  const print = fingerprint(body);
  const { payments } = await exchangePayments();
  const reply = (answer: IdempotentAnswer) => c.json(answer.body as object, answer.status as 201 | 409 | 422);
  try {
    return reply(
      await placeOrder(body, {
        payments,
        productOfVariant,
        now,
        // VNPay wants the shopper's address; behind a test client there may be none.
        clientIp: isIP(ip) ? ip : '127.0.0.1',
        idempotencyKey: key,
        fingerprint: print,
        // The storefront: SITE_URL in AWS; locally the site and the API share this origin.
        siteUrl: config().siteUrl ?? new URL(c.req.url).origin,
      }),
    );
  } catch (error) {
    // Not kept under the key: the shopper changes the address (or chooses pickup) and goes on.
    if (error instanceof AddressUnserved) {
      return c.json({ ...errorBody(error.code, error.message), details: error.details }, 422);
    }
    if (!(error instanceof CheckoutRefusal)) throw error;
    const status = error.kind === 'conflict' ? 409 : 422;
    const answer = { status, body: { ...errorBody(error.code, error.message), details: error.details } };
    return reply(await storeOrderAnswer(key, print, answer, now.getTime()));
  }
});

app.on(
  o.quoteShipping.method,
  o.quoteShipping.honoPath,
  validate('json', o.quoteShipping.request.json),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    const now = new Date();
    if (
      rateLimitsOn() &&
      !(await hit(`quotes-ip#${clientIp(c)}`, QUOTES_PER_IP_PER_MINUTE, 60, now.getTime()))
    ) {
      const wait = secondsLeftInWindow(now.getTime(), 60);
      throw new LimitExceeded(
        'shipping.too_many_quotes',
        `Có quá nhiều yêu cầu tính phí giao hàng từ địa chỉ mạng này; hãy thử lại sau ${wait} giây / Too many delivery quotes from this address, try again in ${wait} s`,
        wait,
      );
    }
    try {
      return c.json(await quoteShipping(c.req.valid('json'), { productOfVariant, now }));
    } catch (error) {
      if (error instanceof AddressUnserved) {
        return c.json({ ...errorBody(error.code, error.message), details: error.details }, 422);
      }
      if (!(error instanceof CheckoutRefusal)) throw error;
      return c.json({ ...errorBody(error.code, error.message), details: error.details }, 422);
    }
  },
);

app.on(
  o.getOrder.method,
  o.getOrder.honoPath,
  validate('param', o.getOrder.request.param),
  validate('query', o.getOrder.request.query),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await getOrderForShopper(c.req.valid('param').code, c.req.valid('query').phone));
  },
);

app.on(
  o.confirmOrder.method,
  o.confirmOrder.honoPath,
  validate('param', o.confirmOrder.request.param),
  validate('json', o.confirmOrder.request.json),
  async (c) => {
    const { phone, code } = c.req.valid('json');
    c.header('Cache-Control', 'no-store');
    return c.json(await confirmCodOrder(c.req.valid('param').code, phone, code, { now: new Date() }));
  },
);

app.on(
  o.cancelOrder.method,
  o.cancelOrder.honoPath,
  validate('param', o.cancelOrder.request.param),
  validate('json', o.cancelOrder.request.json),
  async (c) => {
    const { payments } = await exchangePayments();
    const order = await cancelByShopper(c.req.valid('param').code, c.req.valid('json').phone, {
      payments,
      now: new Date(),
    });
    return c.json(order);
  },
);

app.on(
  o.repayOrder.method,
  o.repayOrder.honoPath,
  validate('param', o.repayOrder.request.param),
  validate('json', o.repayOrder.request.json),
  async (c) => {
    const { payments } = await exchangePayments();
    const ip = clientIp(c);
    c.header('Cache-Control', 'no-store');
    return c.json(
      await repayOrder(c.req.valid('param').code, c.req.valid('json'), {
        payments,
        now: new Date(),
        clientIp: isIP(ip) ? ip : '127.0.0.1',
        siteUrl: config().siteUrl ?? new URL(c.req.url).origin,
      }),
    );
  },
);

/** Where a board page stopped: a sub-order's place on the fulfiller's index, inside a sealed cursor. */
const BoardPosition = z.string().regex(/^ORDER#[0-9T:.Z-]+#[A-Z0-9-]+$/);

function requireFulfiller(principal: Principal, fulfillerId: string): void {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden('order.forbidden', 'Bạn không quản lý đơn hàng của đơn vị này / Not your orders');
  }
}

app.on(
  o.listBoardOrders.method,
  o.listBoardOrders.honoPath,
  validate('param', o.listBoardOrders.request.param),
  validate('query', o.listBoardOrders.request.query),
  async (c) => {
    const { fulfillerId } = c.req.valid('param');
    requireFulfiller(c.get('principal'), fulfillerId);
    const q = c.req.valid('query');
    // The cursor belongs to this board with these filters; it opens nowhere else.
    const scope = `board:${fulfillerId}:${q.status ?? ''}:${q.from ?? ''}:${q.to ?? ''}`;
    const cursor = openOptionalCursor(scope, q.cursor, BoardPosition);
    const page = await boardOrdersPage(fulfillerId, {
      limit: q.limit,
      ...(cursor ? { cursor } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: `${q.to}T23:59:59.999Z` } : {}),
      ...(q.status ? { status: q.status } : {}),
    });
    return c.json({ items: page.items, nextCursor: nextCursor(scope, page.nextCursor) });
  },
);

app.on(
  o.listMyOrderLines.method,
  o.listMyOrderLines.honoPath,
  validate('query', o.listMyOrderLines.request.query),
  async (c) => {
    const me = c.get('principal').producer;
    if (!me) throw forbidden('order.not_producer', 'Chỉ nhà sản xuất xem được mục này / Producers only');
    // A member household's lines sit in its cooperative's sub-orders: show only its own lines.
    const fulfillerId = me.membership?.status === 'approved' ? me.membership.cooperativeId : me.id;
    // The position sits on the cooperative's sub-orders, some of them other households': the
    // sealed cursor never shows it, and it opens only for this producer.
    const scope = `lines:${me.id}:${fulfillerId}`;
    const q = c.req.valid('query');
    const cursor = openOptionalCursor(scope, q.cursor, BoardPosition);
    const page = await listFulfillerSubOrders(fulfillerId, { limit: q.limit, ...(cursor ? { cursor } : {}) });
    const items = page.items
      .map((sub) => ({
        orderCode: sub.orderCode,
        createdAt: sub.createdAt,
        status: sub.status,
        fulfillerName: sub.fulfillerName,
        lines: sub.lines.filter((line) => line.producerId === me.id),
      }))
      .filter((item) => item.lines.length > 0);
    return c.json({ items, nextCursor: nextCursor(scope, page.nextCursor) });
  },
);

app.on(
  o.getShippingRules.method,
  o.getShippingRules.honoPath,
  validate('param', o.getShippingRules.request.param),
  async (c) => {
    const { fulfillerId } = c.req.valid('param');
    requireFulfiller(c.get('principal'), fulfillerId);
    const rules = await getShippingRules(fulfillerId);
    return c.json({ rules: rules ?? DEFAULT_SHIPPING_RULES, custom: rules !== undefined });
  },
);

app.on(
  o.setShippingRules.method,
  o.setShippingRules.honoPath,
  validate('param', o.setShippingRules.request.param),
  validate('json', o.setShippingRules.request.json),
  async (c) => {
    const { fulfillerId } = c.req.valid('param');
    const principal = c.get('principal');
    requireFulfiller(principal, fulfillerId);
    const rules = c.req.valid('json');
    await ensureCarrierConnected(rules);
    await putShippingRules(fulfillerId, rules, principal.sub, new Date().toISOString());
    return c.json({ rules, custom: true });
  },
);

app.on(
  o.getBoardOrder.method,
  o.getBoardOrder.honoPath,
  validate('param', o.getBoardOrder.request.param),
  async (c) => {
    const { fulfillerId, code } = c.req.valid('param');
    requireFulfiller(c.get('principal'), fulfillerId);
    const found = await getOrderWithSubs(code);
    const own = found?.subs.find((s) => s.fulfillerId === fulfillerId);
    if (!found || !own)
      throw notFound('order.not_found', `Không có đơn ${code} của đơn vị này / No such order`);
    return c.json(fulfillerView(found.order, own));
  },
);

app.on(
  o.changeSubOrderStatus.method,
  o.changeSubOrderStatus.honoPath,
  validate('param', o.changeSubOrderStatus.request.param),
  validate('json', o.changeSubOrderStatus.request.json),
  async (c) => {
    const { fulfillerId, code } = c.req.valid('param');
    const { payments } = await exchangePayments();
    const order = await transitionSubOrder(c.get('principal'), code, fulfillerId, c.req.valid('json'), {
      payments,
      now: new Date(),
    });
    return c.json(order);
  },
);

/** The carriers and payments a shipment route needs, as of now. */
async function shipmentDeps() {
  const { payments } = await exchangePayments();
  return { carriers: required('carriers'), payments, now: new Date() };
}

app.on(
  o.createShipment.method,
  o.createShipment.honoPath,
  validate('param', o.createShipment.request.param),
  async (c) => {
    const { fulfillerId, code } = c.req.valid('param');
    return c.json(await createShipment(c.get('principal'), code, fulfillerId, await shipmentDeps()));
  },
);

app.on(
  o.cancelShipment.method,
  o.cancelShipment.honoPath,
  validate('param', o.cancelShipment.request.param),
  async (c) => {
    const { fulfillerId, code } = c.req.valid('param');
    return c.json(await cancelShipment(c.get('principal'), code, fulfillerId, await shipmentDeps()));
  },
);

app.on(
  o.getShipmentLabel.method,
  o.getShipmentLabel.honoPath,
  validate('param', o.getShipmentLabel.request.param),
  async (c) => {
    const { fulfillerId, code } = c.req.valid('param');
    const label = await getShipmentLabel(c.get('principal'), code, fulfillerId, {
      carriers: required('carriers'),
    });
    c.header('Cache-Control', 'private, no-store');
    c.header(
      'Content-Type',
      label.contentType === 'text/html' ? 'text/html; charset=utf-8' : label.contentType,
    );
    c.header(
      'Content-Disposition',
      `inline; filename="nhan-${code}.${label.contentType === 'text/html' ? 'html' : 'pdf'}"`,
    );
    return c.body(typeof label.body === 'string' ? label.body : new Uint8Array(label.body));
  },
);

app.on(
  o.importCodStatement.method,
  o.importCodStatement.honoPath,
  validate('param', o.importCodStatement.request.param),
  validate('json', o.importCodStatement.request.json),
  async (c) => {
    const { fulfillerId } = c.req.valid('param');
    return c.json(
      await importCodStatement(c.get('principal'), fulfillerId, c.req.valid('json'), { now: new Date() }),
    );
  },
);

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
      return c.json(errorBody('carrier.bad_request', `Nội dung không đúng định dạng: ${error.message}`), 400);
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
    if (txn) await settleOrderOf(await payments.paymentIntents.retrieve(txn.intentId).catch(() => undefined));
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

app.on(
  o.listUnmatchedTransfers.method,
  o.listUnmatchedTransfers.honoPath,
  validate('query', o.listUnmatchedTransfers.request.query),
  async (c) => {
    requireAdmin(c.get('principal'));
    const { payments } = await exchangePayments();
    const q = c.req.valid('query');
    const scope = 'unmatched-transfers';
    const after = openOptionalCursor(scope, q.cursor, z.string().min(1).max(300));
    if (!payments.vietqr) return c.json({ items: [], nextCursor: null });
    const page = await payments.vietqr.listUnmatchedPage({ limit: q.limit, ...(after ? { after } : {}) });
    return c.json({ items: page.items, nextCursor: nextCursor(scope, page.next) });
  },
);

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
    const body = c.req.valid('json');
    let paymentIntentId = body.paymentIntentId;
    if (body.orderCode) {
      const found = await getOrderWithSubs(body.orderCode);
      if (!found)
        throw notFound('order.not_found', `Không có đơn ${body.orderCode} / No order ${body.orderCode}`);
      paymentIntentId = found.order.paymentIntentId;
    }
    const intent = await payments.vietqr.matchByHand(c.req.valid('param').transferId, paymentIntentId!, {
      matched_by: principal.sub,
    });
    await settleOrderOf(intent);
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
    const idempotencyKey = c.req.header('idempotency-key');
    // A cooperative's manager refunds only its own part; an admin may refund the whole payment.
    const cooperativeId = isAdmin(principal) ? undefined : managedCooperativeId(principal);
    const refund = cooperativeId
      ? await recordPartRefund(payments, intent, cooperativeId, {
          ...body,
          recordedBy: principal.sub,
          idempotencyKey,
        })
      : await payments.refunds.create(
          {
            payment_intent: intent.id,
            ...(body.amount !== undefined ? { amount: body.amount } : {}),
            reason: 'requested_by_customer',
            metadata: { manual: 'true', method: body.method, note: body.note, recorded_by: principal.sub },
          },
          { idempotencyKey },
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
