/**
 * The board function's operations (route and request schemas), for validation; what they answer
 * is documented in operations.doc.ts, which only the OpenAPI document imports. The operations: a cooperative's board, a household's order lines, and the payments work done by
 * hand (unmatched transfers, refunds recorded by hand).
 */
import * as z from 'zod';
import { Text } from '../../shared/domain/common.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { ORDER_CODE, ORDER_STATUSES } from '../../shared/orders/model.ts';
import { ShippingRules } from '../../shared/orders/shipping.ts';
import {
  cleanTrackingNumber,
  TRACKING_NUMBER,
  TRACKING_NUMBER_MESSAGE,
} from '../../shared/orders/tracking.ts';
import { routeOperationDefiner } from '../http.ts';
import { BOARD_ROUTES } from './routes.ts';
import { CarrierParam, IntentId, OrderCodeParam, PaymentIdParam } from '../orders/schemas.ts';

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
export const CodStatementBody = z
  .strictObject({
    carrier: CarrierParam.shape.carrier,
    csv: z
      .string()
      .min(1, 'Hãy chọn tệp bảng kê COD / Choose the statement file')
      .max(900_000, 'Bảng kê quá lớn (tối đa 900 KB); hãy tách thành nhiều tệp / At most 900 KB'),
  })
  .meta({ id: 'CodStatement' });
export const TransferIdParam = z.strictObject({
  transferId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Mã giao dịch không hợp lệ / Not a transfer id'),
});
export const MatchTransferBody = z
  .strictObject({
    paymentIntentId: IntentId.optional(),
    orderCode: z
      .string()
      .regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9')
      .optional(),
  })
  .refine((b) => (b.paymentIntentId === undefined) !== (b.orderCode === undefined), {
    message: 'Cho biết mã đơn hoặc mã thanh toán (một trong hai) / Give an order code or a payment id',
  });
export const ManualRefundBody = z.strictObject({
  amount: z.int().positive().max(1_000_000_000).optional().meta({ description: 'Whole VND; default: all' }),
  method: z.enum(['cash', 'bank_transfer']).meta({ description: 'How the money went back' }),
  note: Text(500)
    .pipe(z.string().min(3, 'Tối thiểu 3 ký tự / At least 3 characters'))
    .meta({ description: 'Why, and any reference' }),
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
  importCodStatement: defineOperation('importCodStatement', { param: BoardParam, json: CodStatementBody }),
  listUnmatchedTransfers: defineOperation('listUnmatchedTransfers', {
    query: z.strictObject({ limit: PageLimit(50, 100), cursor: CursorParam.optional() }),
  }),
  matchTransfer: defineOperation('matchTransfer', { param: TransferIdParam, json: MatchTransferBody }),
  recordManualRefund: defineOperation('recordManualRefund', {
    param: PaymentIdParam,
    json: ManualRefundBody,
  }),
};
