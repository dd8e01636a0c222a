/** The market panel's operations (route table + schemas): the household's panel and the reference prices. */
import * as z from 'zod';
import { MarketPanel } from '../../shared/market/panel.ts';
import { ReferencePrice, SetReferencePricesBody } from '../../shared/market/reference-prices.ts';
import { operationDefiner, errorResponse, jsonResponse } from '../http.ts';
import { SEASONS_ROUTES } from '../seasons/routes.ts';

const defineOperation = operationDefiner(SEASONS_ROUTES);

const MarketProductParam = z.strictObject({ productId: z.string().min(1).max(64) });
const CooperativeParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
const ReferencePriceBoard = z
  .object({ current: z.array(ReferencePrice), history: z.array(ReferencePrice) })
  .meta({ id: 'ReferencePriceBoard' });

export const marketOperations = {
  getMarketPanel: defineOperation('getMarketPanel', {
    summary:
      'The market panel of one of the caller’s own products: reference price, recent prices of its grade, open pre-order demand, own sales',
    description:
      'Recent prices are other sellers’ delivered lines only, and are withheld (`available: false`) when fewer than 3 other sellers made them.',
    request: { param: MarketProductParam, query: z.strictObject({}) },
    responses: {
      200: jsonResponse(MarketPanel, 'The panel'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not the caller’s own product (market.not_yours)'),
      404: errorResponse('No such product'),
    },
  }),
  listReferencePrices: defineOperation('listReferencePrices', {
    summary: 'A cooperative’s reference prices per grade: those in force today and the history',
    request: { param: CooperativeParam },
    responses: {
      200: jsonResponse(ReferencePriceBoard, 'Prices in force and history'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  }),
  setReferencePrices: defineOperation('setReferencePrices', {
    summary:
      'Set new reference prices (₫/kg) per grade from an effective date; earlier prices stay in the history',
    request: { param: CooperativeParam, json: SetReferencePricesBody },
    responses: {
      201: jsonResponse(ReferencePriceBoard, 'Saved: prices in force and history'),
      400: errorResponse('Invalid prices (unknown grade, price not above 0, date out of range)'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  }),
};
