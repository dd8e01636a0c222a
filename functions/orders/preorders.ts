/**
 * Pre-order routes of the orders function: the shopper's (list open windows, reserve with a
 * deposit) and the manager's (open a window, the board's pre-orders view, allocate the harvest,
 * settle a variable weight). Thin: the rules live in shared/preorders.
 */
import { isIP } from 'node:net';
import type { Hono } from 'hono';
import { invalid } from '../../shared/domain/errors.ts';
import {
  fingerprint,
  IDEMPOTENCY_KEY,
  storeOrderAnswer,
  type IdempotentAnswer,
} from '../../shared/orders/idempotency.ts';
import { allocatePreorder } from '../../shared/preorders/allocate.ts';
import { preorderBoard } from '../../shared/preorders/board.ts';
import { reservePreorder, ReservationRefusal } from '../../shared/preorders/reserve.ts';
import { payPreorderBalance, settlePreorderWeight } from '../../shared/preorders/settle.ts';
import { createPreorderWindow, listOpenWindows, publicWindow } from '../../shared/preorders/windows.ts';
import { clientIp, errorBody, validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { exchangePayments } from './payments.ts';
import { preorderOperations as o } from './preorder-operations.ts';

/** The pre-order routes' clock: the window's dates and the grace period are read against it. */
export const preorderClock = { now: (): Date => new Date() };

/** `GET /api/preorders` and `POST /api/preorders/{windowId}/reservations`. */
export function registerPreorderShopperRoutes(app: Hono<SignedInEnv>): void {
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
      const ip = clientIp(c);
      const { payments } = await exchangePayments();
      const reply = (answer: IdempotentAnswer) =>
        c.json(answer.body as object, answer.status as 201 | 409 | 422);
      try {
        return reply(
          await reservePreorder(windowId, body, {
            payments,
            now,
            clientIp: isIP(ip) ? ip : '127.0.0.1',
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
function registerBalanceRoute(app: Hono<SignedInEnv>): void {
  app.on(
    o.payPreorderBalance.method,
    o.payPreorderBalance.honoPath,
    validate('param', o.payPreorderBalance.request.param),
    validate('json', o.payPreorderBalance.request.json),
    async (c) => {
      const { payments } = await exchangePayments();
      const ip = clientIp(c);
      c.header('Cache-Control', 'no-store');
      return c.json(
        await payPreorderBalance(c.req.valid('param').code, c.req.valid('json'), {
          payments,
          now: preorderClock.now(),
          clientIp: isIP(ip) ? ip : '127.0.0.1',
        }),
      );
    },
  );
}

/** The manager's routes (`/api/board/{fulfillerId}/…`): open, view, allocate, settle. */
export function registerPreorderManagerRoutes(app: Hono<SignedInEnv>): void {
  app.on(
    o.createPreorderWindow.method,
    o.createPreorderWindow.honoPath,
    validate('param', o.createPreorderWindow.request.param),
    validate('json', o.createPreorderWindow.request.json),
    async (c) => {
      const now = preorderClock.now();
      const window = await createPreorderWindow(
        c.get('principal'),
        c.req.valid('param').fulfillerId,
        c.req.valid('json'),
        now,
      );
      const holds = {
        leftGrams: window.totalGrams,
        packCounts: {},
        households: Object.fromEntries(window.households.map((h) => [h.producerId, h.quotaGrams])),
      };
      return c.json({ ...publicWindow(window, holds, now), households: window.households }, 201);
    },
  );

  app.on(
    o.getPreorderBoard.method,
    o.getPreorderBoard.honoPath,
    validate('param', o.getPreorderBoard.request.param),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const items = await preorderBoard(
        c.get('principal'),
        c.req.valid('param').fulfillerId,
        preorderClock.now(),
      );
      return c.json({ items });
    },
  );

  app.on(
    o.allocatePreorder.method,
    o.allocatePreorder.honoPath,
    validate('param', o.allocatePreorder.request.param),
    validate('json', o.allocatePreorder.request.json),
    async (c) => {
      const { fulfillerId, windowId } = c.req.valid('param');
      const { payments } = await exchangePayments();
      return c.json(
        await allocatePreorder(c.get('principal'), fulfillerId, windowId, c.req.valid('json'), {
          payments,
          now: preorderClock.now(),
        }),
      );
    },
  );

  app.on(
    o.settlePreorderWeight.method,
    o.settlePreorderWeight.honoPath,
    validate('param', o.settlePreorderWeight.request.param),
    validate('json', o.settlePreorderWeight.request.json),
    async (c) => {
      const { fulfillerId, code } = c.req.valid('param');
      const { payments } = await exchangePayments();
      return c.json(
        await settlePreorderWeight(c.get('principal'), fulfillerId, code, c.req.valid('json'), {
          payments,
          now: preorderClock.now(),
        }),
      );
    },
  );
}
