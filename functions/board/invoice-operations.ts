/**
 * The seller's e-invoice operations (route and request schemas), for validation; what they answer
 * is documented in invoice-operations.doc.ts, which only the OpenAPI document imports. The
 * shopper's is functions/orders/invoice-operations.ts.
 */
import * as z from 'zod';
import { InvoiceSettingsBody } from '../../shared/invoices/model.ts';
import { ORDER_CODE } from '../../shared/orders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { INVOICE_ROUTES } from './invoice-routes.ts';

const defineOperation = routeOperationDefiner(INVOICE_ROUTES);

const SellerParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
export const OrderCode = z
  .string()
  .regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-XXXXX');
const InvoiceParam = SellerParam.extend({
  code: OrderCode,
  kind: z
    .string()
    .regex(
      /^(ORIGINAL|CANCEL|ADJ#[\w:-]{1,80})$/,
      'Loại hóa đơn: ORIGINAL, CANCEL hoặc ADJ#… / Unknown invoice kind',
    ),
});

export const invoiceOperations = {
  getInvoiceSettings: defineOperation('getInvoiceSettings', { param: SellerParam }),
  setInvoiceSettings: defineOperation('setInvoiceSettings', {
    param: SellerParam,
    json: InvoiceSettingsBody,
  }),
  listInvoices: defineOperation('listInvoices', {
    param: SellerParam,
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      before: z.string().max(200).optional().meta({ description: 'The `next` of the previous page' }),
    }),
  }),
  getInvoice: defineOperation('getInvoice', { param: InvoiceParam }),
};
