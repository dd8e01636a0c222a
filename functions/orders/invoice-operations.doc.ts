/**
 * What the shopper's e-invoice operation answers (functions/orders/invoice-operations.ts), for the
 * OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { ShopperInvoice } from '../board/invoice-operations.doc.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { orderInvoiceOperations } from './invoice-operations.ts';

export const orderInvoiceOperationsDocs: OperationDocsOf<typeof orderInvoiceOperations> = {
  listOrderInvoices: {
    summary:
      'The e-invoices of a shopper’s order (the order’s phone is the proof): issued ones with their XML and lookup links, the others with their status only',
    responses: {
      200: jsonResponse(z.object({ items: z.array(ShopperInvoice) }), 'The order’s invoices'),
      404: errorResponse('No such order for this phone'),
    },
  },
};
