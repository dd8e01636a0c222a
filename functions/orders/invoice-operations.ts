/**
 * The shopper's e-invoice operation (route and request schemas; the orders function), for
 * validation; what it answers is documented in invoice-operations.doc.ts, which only the OpenAPI
 * document imports. The seller's are functions/board/invoice-operations.ts.
 */
import * as z from 'zod';
import { PhoneNumber } from '../../shared/domain/common.ts';
import { ORDER_CODE } from '../../shared/orders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { ORDER_INVOICE_ROUTES } from '../board/invoice-routes.ts';

const defineOperation = routeOperationDefiner(ORDER_INVOICE_ROUTES);

const OrderCode = z.string().regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-XXXXX');

export const orderInvoiceOperations = {
  listOrderInvoices: defineOperation('listOrderInvoices', {
    param: z.strictObject({ code: OrderCode }),
    query: z.strictObject({ phone: PhoneNumber }),
  }),
};
