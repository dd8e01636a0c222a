/**
 * The manager's pre-order routes (`/api/board/{fulfillerId}/…`), in the board function: open a
 * window, the board's pre-orders view, allocate the harvest, settle a variable weight. Thin: the
 * rules live in shared/preorders.
 */
import type { Hono } from 'hono';
import { allocatePreorder } from '../../shared/preorders/allocate.ts';
import { preorderBoard } from '../../shared/preorders/board.ts';
import { settlePreorderWeight } from '../../shared/preorders/settle.ts';
import { createPreorderWindow, publicWindow } from '../../shared/preorders/windows.ts';
import { validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { exchangePayments } from '../orders/payments.ts';
import { preorderClock } from '../orders/preorder-clock.ts';
import { preorderManagerOperations as o } from './preorder-operations.ts';

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
