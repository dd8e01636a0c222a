/** The manager's pre-order operations, in the board function (route table + schemas). */
import * as z from 'zod';
import {
  AllocatePreorderBody,
  CreatePreorderWindowBody,
  SettlePreorderWeightBody,
} from '../../shared/preorders/model.ts';
import { operationDefiner, errorResponse, jsonResponse } from '../http.ts';
import { SEASONS_ROUTES } from '../seasons/routes.ts';
import {
  FulfillerParam,
  BoardWindowParam,
  BoardPreorderParam,
  PreorderWindowView,
  OrderView,
} from '../orders/preorder-schemas.ts';

const defineOperation = operationDefiner(SEASONS_ROUTES);

export const preorderManagerOperations = {
  createPreorderWindow: defineOperation('createPreorderWindow', {
    summary: 'Open a pre-order window for a product this cooperative (or independent producer) fulfils',
    request: { param: FulfillerParam, json: CreatePreorderWindowBody },
    responses: {
      201: jsonResponse(PreorderWindowView, 'The window'),
      400: errorResponse('Invalid body (dates, packs, quotas, deposit, grace period)'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such product among those you fulfil'),
    },
  }),
  getPreorderBoard: defineOperation('getPreorderBoard', {
    summary:
      'The board’s pre-orders view: each window with reserved, allocated, short and paid, per household',
    request: { param: FulfillerParam },
    responses: {
      200: jsonResponse(z.object({ items: z.array(z.looseObject({ id: z.string() })) }), 'The windows'),
      403: errorResponse('Not your pre-orders'),
    },
  }),
  allocatePreorder: defineOperation('allocatePreorder', {
    summary:
      'After closing: allocate each household’s actual picking, first reserved first served; the deposit share of what is short is refunded',
    request: { param: BoardWindowParam, json: AllocatePreorderBody },
    responses: {
      200: jsonResponse(z.looseObject({ windowId: z.string() }), 'The allocation (the same when sent again)'),
      400: errorResponse('Invalid body, or a household that does not pick for this window'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such window'),
      409: errorResponse('The window is still open'),
    },
  }),
  settlePreorderWeight: defineOperation('settlePreorderWeight', {
    summary:
      'At packing: the final weight of each line; the price is adjusted within the tolerance and the shopper told the balance',
    request: { param: BoardPreorderParam, json: SettlePreorderWeightBody },
    responses: {
      200: jsonResponse(OrderView, 'The reservation with its settlement'),
      400: errorResponse('Invalid body'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such reservation'),
      409: errorResponse('Not allocated yet, or settled already'),
    },
  }),
};
