/**
 * What the manager's pre-order operations answer (functions/board/preorder-operations.ts), for
 * the OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import { PreorderWindowView, OrderView } from '../orders/preorder-schemas.ts';
import type { preorderManagerOperations } from './preorder-operations.ts';

export const preorderManagerOperationsDocs: OperationDocsOf<typeof preorderManagerOperations> = {
  createPreorderWindow: {
    summary: 'Open a pre-order window for a product this cooperative (or independent producer) fulfils',
    responses: {
      201: jsonResponse(PreorderWindowView, 'The window'),
      400: errorResponse('Invalid body (dates, packs, quotas, deposit, grace period)'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such product among those you fulfil'),
    },
  },
  getPreorderBoard: {
    summary:
      'The board’s pre-orders view: each window with reserved, allocated, short and paid, per household',
    responses: {
      200: jsonResponse(z.object({ items: z.array(z.looseObject({ id: z.string() })) }), 'The windows'),
      403: errorResponse('Not your pre-orders'),
    },
  },
  allocatePreorder: {
    summary:
      'After closing: allocate each household’s actual picking, first reserved first served; the deposit share of what is short is refunded',
    responses: {
      200: jsonResponse(z.looseObject({ windowId: z.string() }), 'The allocation (the same when sent again)'),
      400: errorResponse('Invalid body, or a household that does not pick for this window'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such window'),
      409: errorResponse('The window is still open'),
    },
  },
  settlePreorderWeight: {
    summary:
      'At packing: the final weight of each line; the price is adjusted within the tolerance and the shopper told the balance',
    responses: {
      200: jsonResponse(OrderView, 'The reservation with its settlement'),
      400: errorResponse('Invalid body'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such reservation'),
      409: errorResponse('Not allocated yet, or settled already'),
    },
  },
};
