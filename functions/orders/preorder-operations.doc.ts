/**
 * What the shopper's pre-order operations answer (functions/orders/preorder-operations.ts), for
 * the OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { preorderOperations } from './preorder-operations.ts';
import { PreorderWindowView, OrderView } from './preorder-schemas.ts';

export const preorderOperationsDocs: OperationDocsOf<typeof preorderOperations> = {
  listPreorderWindows: {
    summary: 'Open pre-order windows (and those opening soon), with what is left of each pack',
    responses: {
      200: jsonResponse(
        z.object({ items: z.array(PreorderWindowView) }),
        'The windows, soonest closing first',
      ),
      400: errorResponse('Invalid query'),
    },
  },
  reservePreorder: {
    summary:
      'Reserve packs in an open window and pay the deposit online (VNPay or VietQR); send an Idempotency-Key',
    responses: {
      201: jsonResponse(
        z.object({ order: OrderView, payment: z.looseObject({ id: z.string(), status: z.string() }) }),
        'The reservation (an order waiting for its deposit) and the deposit’s payment',
      ),
      400: errorResponse('Invalid body or Idempotency-Key'),
      404: errorResponse('No such window'),
      409: errorResponse('The window is not open, or not enough is left'),
      422: errorResponse('COD offered for the deposit, a pack the window does not have, or a key reused'),
    },
  },
  payPreorderBalance: {
    summary: 'Pay the balance of a weighed pre-order online (the order’s phone is the proof): a new payment',
    responses: {
      200: jsonResponse(
        z.object({ order: OrderView, payment: z.looseObject({ id: z.string(), status: z.string() }) }),
        'The balance payment: follow payment.next_action',
      ),
      400: errorResponse('Invalid body'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('No balance due online, paid already, or past its grace period'),
    },
  },
};
