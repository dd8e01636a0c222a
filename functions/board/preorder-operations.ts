/**
 * The manager's pre-order operations, in the seasons function (route and request schemas); what
 * they answer is documented in preorder-operations.doc.ts, which only the OpenAPI document imports.
 */
import {
  AllocatePreorderBody,
  CreatePreorderWindowBody,
  SettlePreorderWeightBody,
} from '../../shared/preorders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { SEASONS_ROUTES } from '../seasons/routes.ts';
import { FulfillerParam, BoardWindowParam, BoardPreorderParam } from '../orders/preorder-schemas.ts';

const defineOperation = routeOperationDefiner(SEASONS_ROUTES);

export const preorderManagerOperations = {
  createPreorderWindow: defineOperation('createPreorderWindow', {
    param: FulfillerParam,
    json: CreatePreorderWindowBody,
  }),
  getPreorderBoard: defineOperation('getPreorderBoard', { param: FulfillerParam }),
  allocatePreorder: defineOperation('allocatePreorder', {
    param: BoardWindowParam,
    json: AllocatePreorderBody,
  }),
  settlePreorderWeight: defineOperation('settlePreorderWeight', {
    param: BoardPreorderParam,
    json: SettlePreorderWeightBody,
  }),
};
