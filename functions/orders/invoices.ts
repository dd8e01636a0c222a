/**
 * The shopper's e-invoice route (public, by the order's phone), registered on the orders app; the
 * seller's are functions/board/invoices.ts. The rules live in shared/invoices/service.ts.
 */
import type { Hono } from 'hono';
import { orderInvoicesForShopper } from '../../shared/invoices/service.ts';
import { validate } from '../http.ts';
import { orderInvoiceOperations as o } from './invoice-operations.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the orders app's own env
export function registerShopperInvoiceRoutes(app: Hono<any>): void {
  app.on(
    o.listOrderInvoices.method,
    o.listOrderInvoices.honoPath,
    validate('param', o.listOrderInvoices.request.param),
    validate('query', o.listOrderInvoices.request.query),
    async (c) => c.json(await orderInvoicesForShopper(c.req.valid('param').code, c.req.valid('query').phone)),
  );
}
