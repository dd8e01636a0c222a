/**
 * The board function's operations (route table + schemas), for validation and the OpenAPI
 * document: a cooperative's board, a household's order lines, and the payments work done by
 * hand (unmatched transfers, refunds recorded by hand).
 */
import * as z from 'zod';
import { Text } from '../../shared/domain/common.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { ORDER_CODE, ORDER_STATUSES, PAYMENT_METHODS } from '../../shared/orders/model.ts';
import { ShippingRules } from '../../shared/orders/shipping.ts';
import {
  cleanTrackingNumber,
  TRACKING_NUMBER,
  TRACKING_NUMBER_MESSAGE,
} from '../../shared/orders/tracking.ts';
import { operationDefiner, errorResponse, jsonResponse } from '../http.ts';
import { BOARD_ROUTES } from './routes.ts';

import {
  CarrierParam,
  IntentId,
  OrderCodeParam,
  OrderView,
  PaymentIdParam,
  PaymentStatus,
} from '../orders/schemas.ts';

const defineOperation = operationDefiner(BOARD_ROUTES);

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
const CodDifference = z
  .object({
    orderCode: z.string().optional(),
    carrierCode: z.string().optional(),
    clientCode: z.string().optional(),
    expected: z.int().optional(),
    remitted: z.int().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'CodDifference' });
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

const Transfer = z
  .object({
    id: z.string(),
    amount: z.int(),
    description: z.string(),
    received_at: z.string(),
    reason: z.string().nullable(),
    suggested_payment_intent: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'BankTransfer' });

export const operations = {
  listBoardOrders: defineOperation('listBoardOrders', {
    summary: 'A cooperative’s (or independent producer’s) sub-orders, newest first',
    request: { param: BoardParam, query: BoardQuery },
    responses: {
      200: jsonResponse(
        z.object({
          items: z.array(
            z
              .looseObject({
                paymentMethod: z.enum(PAYMENT_METHODS).optional(),
                contact: z.object({ name: z.string(), phone: z.string() }).optional(),
                delivery: z.looseObject({ method: z.enum(['shipping', 'pickup']) }).optional(),
              })
              .meta({ description: 'A sub-order with its order’s payment method, buyer and delivery' }),
          ),
          nextCursor: z.string().nullable(),
        }),
        'A page',
      ),
      403: errorResponse('Not this cooperative’s manager'),
    },
  }),
  listMyOrderLines: defineOperation('listMyOrderLines', {
    summary: 'A household’s own lines in its cooperative’s orders (seller center), newest first',
    request: { query: z.strictObject({ cursor: CursorParam.optional(), limit: PageLimit(50, 100) }) },
    responses: {
      200: jsonResponse(
        z.object({
          items: z.array(z.looseObject({ orderCode: z.string() })),
          nextCursor: z.string().nullable(),
        }),
        'Lines of the signed-in producer only',
      ),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not a producer'),
    },
  }),
  getShippingRules: defineOperation('getShippingRules', {
    summary: 'A cooperative’s shipping fees (flat by region, free above a threshold, pickup)',
    request: { param: BoardParam },
    responses: {
      200: jsonResponse(
        z.object({ rules: ShippingRules, custom: z.boolean() }),
        'Current rules (defaults until set)',
      ),
      403: errorResponse('Not this cooperative’s manager'),
    },
  }),
  setShippingRules: defineOperation('setShippingRules', {
    summary: 'Set a cooperative’s shipping fees and its carrier',
    request: { param: BoardParam, json: ShippingRules },
    responses: {
      200: jsonResponse(z.object({ rules: ShippingRules, custom: z.boolean() }), 'Saved'),
      400: errorResponse('Invalid rules'),
      403: errorResponse('Not this cooperative’s manager'),
      422: errorResponse('A carrier the exchange is not connected to (shipping.carrier_not_connected)'),
    },
  }),
  getBoardOrder: defineOperation('getBoardOrder', {
    summary: 'One order as its fulfiller sees it: their sub-order and the delivery details',
    request: { param: BoardOrderParam },
    responses: {
      200: jsonResponse(OrderView, 'The order'),
      403: errorResponse('Not yours'),
      404: errorResponse('No such order'),
    },
  }),
  changeSubOrderStatus: defineOperation('changeSubOrderStatus', {
    summary:
      'Confirm, pack, ship (carrier, tracking number), deliver (COD: cash collected), or cancel a sub-order',
    request: { param: BoardOrderParam, json: ChangeStatusBody },
    responses: {
      200: jsonResponse(OrderView, 'The order after the change'),
      400: errorResponse('Missing carrier/tracking, or COD cash not confirmed'),
      403: errorResponse('Not this cooperative’s manager'),
      409: errorResponse('Not allowed from the current status'),
    },
  }),
  createShipment: defineOperation('createShipment', {
    summary:
      'Hand a packed part to its cooperative’s carrier: the shipment is made once (a repeated request, or a retry after a carrier timeout, gets the same one)',
    request: { param: BoardOrderParam },
    responses: {
      200: jsonResponse(OrderView, 'The order with the part’s shipment (carrier code, fee, COD amount)'),
      403: errorResponse('Not this cooperative’s manager'),
      404: errorResponse('No such order'),
      409: errorResponse('Not packed yet, a pickup order, or a cooperative that ships by hand'),
      422: errorResponse('The carrier refused the parcel (address it cannot serve …)'),
      503: errorResponse(
        'The carrier has not answered yet: try again in a few minutes (nothing is duplicated)',
      ),
    },
  }),
  cancelShipment: defineOperation('cancelShipment', {
    summary: 'Cancel the part’s shipment before the carrier picked it up; the part stays packed',
    request: { param: BoardOrderParam },
    responses: {
      200: jsonResponse(OrderView, 'The order with the shipment cancelled'),
      403: errorResponse('Not this cooperative’s manager'),
      404: errorResponse('No such order'),
      409: errorResponse('No shipment, or already picked up'),
      503: errorResponse('The carrier has not answered: try again'),
    },
  }),
  getShipmentLabel: defineOperation('getShipmentLabel', {
    summary: 'The carrier’s label for the part’s shipment (PDF or printable HTML)',
    request: { param: BoardOrderParam },
    responses: {
      200: { description: 'The label (application/pdf, or text/html to print from the browser)' },
      403: errorResponse('Not this cooperative’s manager'),
      404: errorResponse('No such order'),
      409: errorResponse('No shipment yet'),
      503: errorResponse('The carrier has not answered: try again'),
    },
  }),
  importCodStatement: defineOperation('importCodStatement', {
    summary:
      'Import a carrier’s COD statement (its CSV): marks each part’s COD remitted and lists what is missing, short or extra; the same statement twice changes nothing',
    request: { param: BoardParam, json: CodStatementBody },
    responses: {
      200: jsonResponse(
        z
          .object({
            statementId: z.string(),
            carrier: z.string(),
            importedAt: z.string(),
            rows: z.int(),
            matched: z.int(),
            remittedTotal: z.int(),
            missing: z.array(CodDifference),
            short: z.array(CodDifference),
            extra: z.array(CodDifference),
            repeated: z.boolean().optional(),
          })
          .meta({ id: 'CodStatementResult' }),
        'What the statement paid and the differences',
      ),
      400: errorResponse('Not a statement in the carrier’s columns'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  }),
  listUnmatchedTransfers: defineOperation('listUnmatchedTransfers', {
    summary: 'Transfers whose memo or amount matched no payment (admin), a page at a time',
    request: { query: z.strictObject({ limit: PageLimit(50, 100), cursor: CursorParam.optional() }) },
    responses: {
      200: jsonResponse(
        z.object({ items: z.array(Transfer), nextCursor: z.string().nullable() }),
        'Oldest first',
      ),
      400: errorResponse('Invalid cursor or limit'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not an admin'),
    },
  }),
  matchTransfer: defineOperation('matchTransfer', {
    summary: 'Settle a VietQR payment with an unmatched transfer, by hand (admin)',
    request: { param: TransferIdParam, json: MatchTransferBody },
    responses: {
      200: jsonResponse(PaymentStatus, 'The settled payment'),
      400: errorResponse('Already matched, amount too small, or payment not awaiting a transfer'),
      403: errorResponse('Not an admin'),
      404: errorResponse('No such transfer or payment'),
    },
  }),
  recordManualRefund: defineOperation('recordManualRefund', {
    summary: 'Record a refund paid back by hand (cash or bank transfer), e.g. when VNPay refuses',
    request: { param: PaymentIdParam, json: ManualRefundBody },
    responses: {
      201: jsonResponse(z.object({ id: z.string(), status: z.string(), amount: z.int() }), 'Recorded'),
      400: errorResponse('Nothing left to refund, or the amount is too large'),
      403: errorResponse('Not the manager of a cooperative in this payment, nor an admin'),
      404: errorResponse('No such payment'),
    },
  }),
};
