/**
 * The shopper's pre-order operations, in the seasons function (route and request schemas); what
 * they answer is documented in preorder-operations.doc.ts, which only the OpenAPI document imports.
 */
import { ReservePreorderBody } from '../../shared/preorders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { SEASONS_ROUTES } from '../seasons/routes.ts';
import { WindowParam, PayBalanceBody, OrderCodeOnly, ListWindowsQuery } from './preorder-schemas.ts';

const defineOperation = routeOperationDefiner(SEASONS_ROUTES);

export const preorderOperations = {
  listPreorderWindows: defineOperation('listPreorderWindows', { query: ListWindowsQuery }),
  reservePreorder: defineOperation('reservePreorder', { param: WindowParam, json: ReservePreorderBody }),
  payPreorderBalance: defineOperation('payPreorderBalance', { param: OrderCodeOnly, json: PayBalanceBody }),
};
