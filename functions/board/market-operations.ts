/**
 * The market panel's operations (route and request schemas): the household's panel and the
 * reference prices. What they answer is documented in market-operations.doc.ts, which only the
 * OpenAPI document imports.
 */
import * as z from 'zod';
import { SetReferencePricesBody } from '../../shared/market/reference-prices.ts';
import { routeOperationDefiner } from '../http.ts';
import { SEASONS_ROUTES } from '../seasons/routes.ts';

const defineOperation = routeOperationDefiner(SEASONS_ROUTES);

const MarketProductParam = z.strictObject({ productId: z.string().min(1).max(64) });
const CooperativeParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
export const marketOperations = {
  getMarketPanel: defineOperation('getMarketPanel', { param: MarketProductParam, query: z.strictObject({}) }),
  listReferencePrices: defineOperation('listReferencePrices', { param: CooperativeParam }),
  setReferencePrices: defineOperation('setReferencePrices', {
    param: CooperativeParam,
    json: SetReferencePricesBody,
  }),
};
