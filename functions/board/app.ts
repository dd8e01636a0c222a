/**
 * The board function: the signed-in side of orders. A cooperative's (or independent producer's)
 * board — its sub-orders, status changes, shipments and labels, and shipping settings — and a
 * household's own order lines in the seller center. The COD statements, the payments work done by
 * hand, the e-invoice settings and the programme report are the office function's
 * (functions/office/app.ts). Every route needs a sign-in (functions/routes.ts); object-level
 * rights are checked here and in the domain. Handlers stay thin: the rules live in shared/orders
 * and shared/payments.
 */
import * as z from 'zod';
import { forbidden, notFound } from '../../shared/domain/errors.ts';
import type { Principal } from '../../shared/domain/permissions.ts';
import { canManageSubOrder, transitionSubOrder, fulfillerView } from '../../shared/orders/lifecycle.ts';
import {
  getOrderWithSubs,
  getShippingRules,
  listFulfillerSubOrders,
  putShippingRules,
} from '../../shared/db/orders.ts';
import { boardOrdersPage } from '../../shared/orders/board.ts';
import { ensureCarrierConnected } from '../../shared/orders/shipping-quotes.ts';
import { DEFAULT_SHIPPING_RULES } from '../../shared/orders/shipping.ts';
import { nextCursor, openOptionalCursor } from '../../shared/domain/cursor.ts';
import { createApiApp, validate } from '../http.ts';
import { type SignedInEnv } from '../principal.ts';
import { guardRoutes } from '../guard.ts';
import { exchangePayments } from '../orders/payments.ts';
import { required } from '../../shared/services.ts';
import { cancelShipment, createShipment, getShipmentLabel } from '../../shared/orders/shipments.ts';
import { operations as o } from './operations.ts';
import { BOARD_ROUTES } from './routes.ts';

export const app = createApiApp<SignedInEnv>();

// Who may call each route is declared in functions/routes.ts.
guardRoutes(app, BOARD_ROUTES);

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
