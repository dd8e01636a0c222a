/**
 * The orders function, public routes only: checkout (quote, place), the shopper's order by code
 * and phone (track, confirm, cancel, pay again, its e-invoices) and a payment's status. The
 * payment providers' and carriers' callbacks are the callbacks function's
 * (functions/orders/callbacks.ts); the signed-in side of orders is the board function
 * (functions/board/app.ts), refunds by hand the office function's. Handlers stay thin: the rules
 * live in shared/orders and shared/payments.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { notFound } from '../../shared/domain/errors.ts';
import { createVariantIndex } from '../../shared/orders/variant-index.ts';
import { invalid } from '../../shared/domain/errors.ts';
import { CheckoutRefusal, placeOrder, quoteShipping } from '../../shared/orders/checkout.ts';
import { AddressUnserved, QUOTES_PER_IP_PER_MINUTE } from '../../shared/orders/shipping-quotes.ts';
import { LimitExceeded, rateLimitsOn, secondsLeftInWindow } from '../../shared/orders/limits.ts';
import { hit } from '../../shared/db/rate-limits.ts';
import {
  fingerprint,
  IDEMPOTENCY_KEY,
  storeOrderAnswer,
  type IdempotentAnswer,
} from '../../shared/orders/idempotency.ts';
import { cancelByShopper, confirmCodOrder, getOrderForShopper } from '../../shared/orders/lifecycle.ts';
import { repayOrder } from '../../shared/orders/repay.ts';
import { clientIp, createApiApp, errorBody, paymentClientIp, validate } from '../http.ts';
import { assertPublicOnly } from '../routes.ts';
import { registerShopperInvoiceRoutes } from './invoices.ts';
import { ORDERS_ROUTES } from './routes.ts';
import { exchangePayments } from './payments.ts';
import { config } from '../../shared/services.ts';
import { statusView } from './settle.ts';
import { operations as o } from './operations.ts';

export const app = createApiApp();

// Who may call each route is declared in functions/routes.ts: here, anyone. No sign-in code
// (token verification, accounts) is loaded on checkout's path.
assertPublicOnly('orders', ORDERS_ROUTES);
registerShopperInvoiceRoutes(app);

// Which product, producer and cooperative a pack belongs to (checkout re-reads the facts).
const productOfVariant = createVariantIndex();

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
        clientIp: paymentClientIp(c),
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
    c.header('Cache-Control', 'no-store');
    return c.json(
      await repayOrder(c.req.valid('param').code, c.req.valid('json'), {
        payments,
        now: new Date(),
        clientIp: paymentClientIp(c),
        siteUrl: config().siteUrl ?? new URL(c.req.url).origin,
      }),
    );
  },
);

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

/** Constant-time comparison of two strings of any length (compares their digests). */
function safeEqualText(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
