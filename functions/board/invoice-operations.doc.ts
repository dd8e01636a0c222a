/**
 * What the e-invoice operations answer (functions/board/invoice-operations.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { InvoiceSettingsBody } from '../../shared/invoices/model.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { invoiceOperations } from './invoice-operations.ts';

const StoredSettings = InvoiceSettingsBody.omit({ credentials: true })
  .extend({
    updatedAt: z.string(),
    updatedBy: z.string(),
    credentialsSet: z.boolean().meta({ description: 'The seller saved its SInvoice account' }),
    credentialsUsername: z
      .string()
      .optional()
      .meta({ description: 'The SInvoice user name, masked; the password is never answered' }),
    credentialsUpdatedAt: z.string().optional(),
  })
  .meta({ id: 'InvoiceSettings' });
const InvoiceSummary = z
  .object({
    orderCode: z.string(),
    fulfillerId: z.string(),
    kind: z.enum(['original', 'adjustment', 'replacement']),
    kindKey: z.string(),
    status: z.enum(['pending', 'issued', 'failed']),
    total: z.number(),
    attempts: z.number(),
    createdAt: z.string(),
    number: z.string().optional(),
    lookupCode: z.string().optional(),
    lookupUrl: z.string().optional(),
    issuedAt: z.string().optional(),
    lastError: z.string().optional(),
    lastErrorKind: z.enum(['auth', 'refused', 'timeout', 'unavailable', 'error']).optional().meta({
      description:
        'auth: the seller’s SInvoice account is missing or refused (re-enter it in the settings); refused: SInvoice refused the data; timeout/unavailable: SInvoice did not answer (retried)',
    }),
    nextAttemptAt: z.string().optional().meta({
      description: 'A failed invoice: when the invoice lane tries it again by itself (ISO time)',
    }),
  })
  .meta({ id: 'InvoiceSummary' });
/**
 * What the shopper sees: an issued invoice whole (its XML too); one being issued or retried only
 * its status (the seller's SInvoice errors are the seller's business).
 */
export const ShopperInvoice = InvoiceSummary.omit({
  lastError: true,
  lastErrorKind: true,
  nextAttemptAt: true,
})
  .extend({
    xml: z.string().optional().meta({ description: 'Issued invoices only: the GDT XML, unsigned' }),
  })
  .meta({ id: 'ShopperInvoice' });
const InvoiceWithXml = InvoiceSummary.extend({
  xml: z.string().meta({ description: 'The invoice as the GDT XML (QĐ 1450/QĐ-TCT), unsigned' }),
}).meta({ id: 'Invoice' });

export const invoiceOperationsDocs: OperationDocsOf<typeof invoiceOperations> = {
  getInvoiceSettings: {
    summary: 'A seller’s e-invoice settings (null until set)',
    responses: {
      200: jsonResponse(z.object({ settings: StoredSettings.nullable() }), 'The settings'),
      403: errorResponse('Not this seller’s manager (invoice.forbidden)'),
    },
  },
  setInvoiceSettings: {
    summary:
      'Turn e-invoices on or off and set the seller’s tax data, template, series, when to issue and its own SInvoice account (write-only)',
    responses: {
      200: jsonResponse(z.object({ settings: StoredSettings }), 'Saved'),
      400: errorResponse('Invalid settings (tax code, template, series, SInvoice account)'),
      403: errorResponse('Not this seller’s manager, or a household (invoice.not_vat_registered)'),
      404: errorResponse('No such seller'),
      422: errorResponse('Turning e-invoices on without an SInvoice account (invoice.credentials_required)'),
    },
  },
  listInvoices: {
    summary: 'A seller’s e-invoices, newest first, with their status and last error',
    responses: {
      200: jsonResponse(z.object({ items: z.array(InvoiceSummary), next: z.string().optional() }), 'A page'),
      403: errorResponse('Not this seller’s manager (invoice.forbidden)'),
    },
  },
  getInvoice: {
    summary: 'One invoice of the seller: its status and its XML',
    responses: {
      200: jsonResponse(InvoiceWithXml, 'The invoice'),
      403: errorResponse('Not this seller’s manager (invoice.forbidden)'),
      404: errorResponse('No such invoice'),
    },
  },
};
