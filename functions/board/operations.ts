/**
 * The board function's operations (route and request schemas), for validation: a cooperative's
 * board and a household's order lines. What they answer is documented in operations.doc.ts,
 * which only the OpenAPI document imports. The COD statements and the payments work done by hand
 * are the office function's (back-office-operations.ts).
 */
import * as z from 'zod';
import { Text } from '../../shared/domain/common.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { ORDER_STATUSES } from '../../shared/orders/model.ts';
import { ShippingRules } from '../../shared/orders/shipping.ts';
import {
  cleanTrackingNumber,
  TRACKING_NUMBER,
  TRACKING_NUMBER_MESSAGE,
} from '../../shared/orders/tracking.ts';
import { routeOperationDefiner } from '../http.ts';
import { BOARD_ROUTES } from './routes.ts';
import { OrderCodeParam } from '../orders/schemas.ts';

const defineOperation = routeOperationDefiner(BOARD_ROUTES);

export const BoardParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
export const BoardOrderParam = BoardParam.extend(OrderCodeParam.shape);
export const BoardQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  from: z.iso.date().optional().meta({ description: 'First day (YYYY-MM-DD), inclusive' }),
  to: z.iso.date().optional().meta({ description: 'Last day (YYYY-MM-DD), inclusive' }),
  cursor: CursorParam.optional(),
  limit: PageLimit(25, 100),
});
export const ChangeStatusBody = z.strictObject({
  to: z.enum(ORDER_STATUSES),
  carrier: Text(60).optional(),
  trackingNumber: z
    .string()
    .max(80, TRACKING_NUMBER_MESSAGE)
    .transform(cleanTrackingNumber)
    .pipe(z.string().regex(TRACKING_NUMBER, TRACKING_NUMBER_MESSAGE))
    .optional()
    .meta({ description: 'Spaces and dots are removed and letters capitalised before the check' }),
  cashCollected: z.boolean().optional(),
  note: Text(300).optional(),
});
export const operations = {
  listBoardOrders: defineOperation('listBoardOrders', { param: BoardParam, query: BoardQuery }),
  listMyOrderLines: defineOperation('listMyOrderLines', {
    query: z.strictObject({ cursor: CursorParam.optional(), limit: PageLimit(50, 100) }),
  }),
  getShippingRules: defineOperation('getShippingRules', { param: BoardParam }),
  setShippingRules: defineOperation('setShippingRules', { param: BoardParam, json: ShippingRules }),
  getBoardOrder: defineOperation('getBoardOrder', { param: BoardOrderParam }),
  changeSubOrderStatus: defineOperation('changeSubOrderStatus', {
    param: BoardOrderParam,
    json: ChangeStatusBody,
  }),
  createShipment: defineOperation('createShipment', { param: BoardOrderParam }),
  cancelShipment: defineOperation('cancelShipment', { param: BoardOrderParam }),
  getShipmentLabel: defineOperation('getShipmentLabel', { param: BoardOrderParam }),
};
