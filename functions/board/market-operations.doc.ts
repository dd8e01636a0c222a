/**
 * What the market panel's operations answer (functions/board/market-operations.ts), for the
 * OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { MarketPanel } from '../../shared/market/panel.ts';
import { ReferencePrice } from '../../shared/market/reference-prices.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { marketOperations } from './market-operations.ts';

const ReferencePriceBoard = z
  .object({ current: z.array(ReferencePrice), history: z.array(ReferencePrice) })
  .meta({ id: 'ReferencePriceBoard' });

export const marketOperationsDocs: OperationDocsOf<typeof marketOperations> = {
  getMarketPanel: {
    summary:
      'The market panel of one of the caller’s own products: reference price, recent prices of its grade, open pre-order demand, own sales',
    description:
      'Recent prices are other sellers’ delivered lines only, and are withheld (`available: false`) when fewer than 3 other sellers made them.',
    responses: {
      200: jsonResponse(MarketPanel, 'The panel'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not the caller’s own product (market.not_yours)'),
      404: errorResponse('No such product'),
    },
  },
  listReferencePrices: {
    summary: 'A cooperative’s reference prices per grade: those in force today and the history',
    responses: {
      200: jsonResponse(ReferencePriceBoard, 'Prices in force and history'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  },
  setReferencePrices: {
    summary:
      'Set new reference prices (₫/kg) per grade from an effective date; earlier prices stay in the history',
    responses: {
      201: jsonResponse(ReferencePriceBoard, 'Saved: prices in force and history'),
      400: errorResponse('Invalid prices (unknown grade, price not above 0, date out of range)'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  },
};
