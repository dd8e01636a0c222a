/**
 * The seller's e-invoice routes (signed in), registered on the office app; the shopper's (public,
 * by the order's phone) are functions/orders/invoices.ts. The rules live in
 * shared/invoices/service.ts.
 */
import type { Hono } from 'hono';
import {
  getInvoice,
  getInvoiceSettings,
  listInvoices,
  setInvoiceSettings,
} from '../../shared/invoices/service.ts';
import { validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { invoiceOperations as o } from './invoice-operations.ts';

export function registerInvoiceRoutes(app: Hono<SignedInEnv>): void {
  app.on(
    o.getInvoiceSettings.method,
    o.getInvoiceSettings.honoPath,
    validate('param', o.getInvoiceSettings.request.param),
    async (c) => c.json(await getInvoiceSettings(c.get('principal'), c.req.valid('param').fulfillerId)),
  );
  app.on(
    o.setInvoiceSettings.method,
    o.setInvoiceSettings.honoPath,
    validate('param', o.setInvoiceSettings.request.param),
    validate('json', o.setInvoiceSettings.request.json),
    async (c) =>
      c.json(
        await setInvoiceSettings(
          c.get('principal'),
          c.req.valid('param').fulfillerId,
          c.req.valid('json'),
          new Date(),
        ),
      ),
  );
  app.on(
    o.listInvoices.method,
    o.listInvoices.honoPath,
    validate('param', o.listInvoices.request.param),
    validate('query', o.listInvoices.request.query),
    async (c) => {
      const { limit, before } = c.req.valid('query');
      return c.json(await listInvoices(c.get('principal'), c.req.valid('param').fulfillerId, limit, before));
    },
  );
  app.on(
    o.getInvoice.method,
    o.getInvoice.honoPath,
    validate('param', o.getInvoice.request.param),
    async (c) => {
      const { fulfillerId, code, kind } = c.req.valid('param');
      return c.json(await getInvoice(c.get('principal'), fulfillerId, code, kind));
    },
  );
}
