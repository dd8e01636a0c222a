/**
 * The shopper's pre-order routes, in the orders function: list open windows, reserve with a
 * deposit, pay the balance. The manager's are the board function's (functions/board/preorders.ts).
 * Thin: the rules live in shared/preorders.
 */
import type { Env, Hono } from 'hono';
import { invalid } from '../../shared/domain/errors.ts';
import {
  fingerprint,
  IDEMPOTENCY_KEY,
  storeOrderAnswer,
  type IdempotentAnswer,
} from '../../shared/orders/idempotency.ts';
import { reservePreorder, ReservationRefusal } from '../../shared/preorders/reserve.ts';
import { payPreorderBalance } from '../../shared/preorders/settle.ts';
import { listOpenWindows } from '../../shared/preorders/windows.ts';
import { errorBody, paymentClientIp, validate } from '../http.ts';
import { exchangePayments } from './payments.ts';
import { preorderOperations as o } from './preorder-operations.ts';

export { preorderClock } from './preorder-clock.ts';
import { preorderClock } from './preorder-clock.ts';

/** `GET /api/preorders` and `POST /api/preorders/{windowId}/reservations`. */
export function registerPreorderShopperRoutes<E extends Env>(app: Hono<E>): void {
  registerBalanceRoute(app);
  app.on(
    o.listPreorderWindows.method,
    o.listPreorderWindows.honoPath,
    validate('query', o.listPreorderWindows.request.query),
    async (c) => {
      const q = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      const items = await listOpenWindows(
        {
          ...(q.productId ? { productId: q.productId } : {}),
          ...(q.product ? { productSlug: q.product } : {}),
        },
        preorderClock.now(),
      );
      return c.json({ items });
    },
  );

  app.on(
    o.reservePreorder.method,
    o.reservePreorder.honoPath,
    validate('param', o.reservePreorder.request.param),
    validate('json', o.reservePreorder.request.json),
    async (c) => {
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
      const { windowId } = c.req.valid('param');
      const body = c.req.valid('json');
      const now = preorderClock.now();
      const print = fingerprint({ windowId, ...body });
      const { payments } = await exchangePayments();
      const reply = (answer: IdempotentAnswer) =>
        c.json(answer.body as object, answer.status as 201 | 409 | 422);
      try {
        return reply(
          await reservePreorder(windowId, body, {
            payments,
            now,
            clientIp: paymentClientIp(c),
            idempotencyKey: key,
            fingerprint: print,
          }),
        );
      } catch (error) {
        if (!(error instanceof ReservationRefusal)) throw error;
        const status = error.kind === 'conflict' ? 409 : 422;
        const answer = { status, body: { ...errorBody(error.code, error.message), details: error.details } };
        return reply(await storeOrderAnswer(key, print, answer, now.getTime()));
      }
    },
  );
}

/** `POST /api/orders/{code}/preorder-balance`: "Thanh toán phần còn lại" on the tracking page. */
function registerBalanceRoute<E extends Env>(app: Hono<E>): void {
  app.on(
    o.payPreorderBalance.method,
    o.payPreorderBalance.honoPath,
    validate('param', o.payPreorderBalance.request.param),
    validate('json', o.payPreorderBalance.request.json),
    async (c) => {
      const { payments } = await exchangePayments();
      c.header('Cache-Control', 'no-store');
      return c.json(
        await payPreorderBalance(c.req.valid('param').code, c.req.valid('json'), {
          payments,
          now: preorderClock.now(),
          clientIp: paymentClientIp(c),
        }),
      );
    },
  );
}
