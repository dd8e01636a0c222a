/** The orders function's operations (route table + schemas), for validation and the OpenAPI document. */
import * as z from 'zod';
import { PhoneNumber, Text } from '../../shared/domain/common.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import {
  ORDER_CODE,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PlaceOrderBody,
  QuoteShippingBody,
} from '../../shared/orders/model.ts';
import { CARRIER_IDS } from '../../shared/carriers/types.ts';
import { ShippingRules } from '../../shared/orders/shipping.ts';
import {
  cleanTrackingNumber,
  TRACKING_NUMBER,
  TRACKING_NUMBER_MESSAGE,
} from '../../shared/orders/tracking.ts';
import { defineOperation, errorResponse, jsonResponse } from '../http.ts';
import { preorderOperations } from './preorder-operations.ts';

export const OrderCodeParam = z.strictObject({
  code: z.string().regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9'),
});
export const PhoneQuery = z.strictObject({ phone: PhoneNumber });
export const ConfirmOrderBody = z
  .strictObject({
    phone: PhoneNumber,
    code: z.string().regex(/^\d{6}$/, 'Mã xác nhận gồm 6 chữ số / The code has 6 digits'),
  })
  .meta({ id: 'ConfirmOrder' });
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
export const CarrierParam = z.strictObject({
  carrier: z.enum(['ghn', 'ghtk', 'viettelpost'], {
    error: 'Đơn vị vận chuyển: ghn, ghtk hoặc viettelpost / carrier: ghn, ghtk or viettelpost',
  }),
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
const OrderView = z
  .looseObject({ code: z.string(), status: z.string(), total: z.int() })
  .meta({ id: 'Order' });

const IntentId = z.string().regex(/^pi_[A-Za-z0-9]{8,64}$/, 'Mã thanh toán không hợp lệ / Not a payment id');

export const PaymentIdParam = z.strictObject({ paymentIntentId: IntentId });
export const RepayOrderBody = z
  .strictObject({
    phone: PhoneNumber,
    paymentMethod: z.enum(PAYMENT_METHODS, {
      error: 'Cách thanh toán phải là vnpay, vietqr hoặc cod / paymentMethod: vnpay, vietqr or cod',
    }),
    replaces: IntentId.meta({ description: 'The order’s paymentIntentId as the shopper last saw it' }),
    locale: z.enum(['vi', 'en']).optional(),
  })
  .meta({ id: 'RepayOrder' });
export const TransferIdParam = z.strictObject({
  transferId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Mã giao dịch không hợp lệ / Not a transfer id'),
});
export const PaymentStatusQuery = z.strictObject({
  client_secret: z.string().min(10).max(200).meta({ description: 'The intent’s client_secret' }),
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

const IpnAnswer = z.object({ RspCode: z.string(), Message: z.string() }).meta({ id: 'VnpayIpnAnswer' });
const ReturnView = z
  .object({
    verified: z.boolean(),
    success: z.boolean(),
    paymentIntentId: z.string().nullable(),
    responseCode: z.string().nullable(),
    amount: z.int().nullable(),
  })
  .meta({ id: 'VnpayReturnView' });
const PaymentStatus = z
  .object({
    id: z.string(),
    status: z.string(),
    amount: z.int(),
    currency: z.literal('vnd'),
    payment_method: z.string().nullable(),
    next_action: z.unknown().nullable(),
    last_payment_error: z.unknown().nullable(),
  })
  .meta({ id: 'PaymentStatus' });
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
  placeOrder: defineOperation('placeOrder', {
    summary: 'Place an order (Idempotency-Key header required); stock is reserved atomically',
    request: { json: PlaceOrderBody },
    responses: {
      201: jsonResponse(
        z.object({
          order: OrderView,
          payment: z.looseObject({ id: z.string(), status: z.string() }),
          confirmation: z
            .object({ required: z.literal(true), confirmBy: z.string() })
            .optional()
            .meta({ description: 'COD: confirm with the code sent to the phone before confirmBy' }),
        }),
        'Placed; pay with payment.next_action (VNPay redirect, VietQR), or confirm (COD) and pay on delivery',
      ),
      400: errorResponse('Invalid body or missing Idempotency-Key'),
      429: errorResponse(
        'Too many orders from this address or for this phone, too many open orders, or a pack’s daily quantity (Retry-After)',
      ),
      409: errorResponse(
        'Short lines with the quantities available, a price change, or the same key in flight',
      ),
      422: errorResponse(
        'The same key with a different body, packs no longer for sale, or a commune the cooperative’s carrier does not serve (shipping.address_unserved; nothing written)',
      ),
      503: errorResponse('A carrier did not answer in time (Retry-After; nothing written, no stock held)'),
    },
  }),
  quoteShipping: defineOperation('quoteShipping', {
    summary:
      'What an order would cost now: per cooperative part, its carrier, delivery fee and estimated delivery date (the same pricing placing applies; a carrier’s quote is kept 30 minutes and placing charges it)',
    request: { json: QuoteShippingBody },
    responses: {
      200: jsonResponse(
        z
          .object({
            itemsTotal: z.int(),
            shippingTotal: z.int(),
            total: z.int(),
            parts: z.array(
              z.object({
                fulfillerId: z.string(),
                fulfillerName: z.string(),
                subtotal: z.int(),
                carrier: z
                  .enum(CARRIER_IDS)
                  .meta({ description: 'manual: the cooperative’s own delivery, flat fee' }),
                fee: z.int().meta({ description: 'What the shopper pays for this part’s delivery, VND' }),
                shippingFee: z.int().meta({ description: 'The same as fee (the sub-order’s name for it)' }),
                carrierFee: z.int().meta({
                  description: 'What delivery costs; above fee (free above a threshold) the cooperative pays',
                }),
                estimatedDelivery: z.string().meta({ description: 'YYYY-MM-DD, Vietnam time' }),
                service: z.string().optional(),
                pickup: z
                  .boolean()
                  .meta({ description: 'The cooperative also hands the goods over at its place' }),
                quotedAt: z.string(),
              }),
            ),
          })
          .meta({ id: 'OrderQuote' }),
        'The amounts',
      ),
      400: errorResponse('Invalid body'),
      422: errorResponse(
        'Packs no longer for sale (details.variantIds), or a commune the cooperative’s carrier does not serve (shipping.address_unserved)',
      ),
      429: errorResponse('Too many quotes from this address (Retry-After)'),
      503: errorResponse('The carrier did not answer in time (Retry-After)'),
    },
  }),
  getOrder: defineOperation('getOrder', {
    summary: 'Track an order with its code and the phone it was placed with',
    request: { param: OrderCodeParam, query: PhoneQuery },
    responses: {
      200: jsonResponse(OrderView, 'The order with every step'),
      404: errorResponse('No such order for this phone'),
    },
  }),
  confirmOrder: defineOperation('confirmOrder', {
    summary: 'The buyer confirms a COD order with the code sent by SMS to its phone; the order is then held',
    request: { param: OrderCodeParam, json: ConfirmOrderBody },
    responses: {
      200: jsonResponse(OrderView, 'Confirmed (also when it was already)'),
      400: errorResponse('Wrong code'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('Expired or cancelled, or not a COD order'),
      429: errorResponse('Too many wrong codes (Retry-After)'),
    },
  }),
  cancelOrder: defineOperation('cancelOrder', {
    summary: 'The shopper cancels before confirmation: stock goes back, the payment is cancelled or refunded',
    request: { param: OrderCodeParam, json: PhoneQuery },
    responses: {
      200: jsonResponse(OrderView, 'Cancelled'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('Already confirmed'),
    },
  }),
  repayOrder: defineOperation('repayOrder', {
    summary:
      'Pay again (a new VNPay payment) or pay another way (VietQR, or COD with its SMS code) while the order is still held; the old payment is cancelled',
    request: { param: OrderCodeParam, json: RepayOrderBody },
    responses: {
      200: jsonResponse(
        z.object({
          order: OrderView,
          payment: z.looseObject({ id: z.string(), status: z.string() }),
          confirmation: z.object({ required: z.literal(true), confirmBy: z.string() }).optional(),
        }),
        'The new payment (also for a repeated request): follow payment.next_action, or confirm (COD)',
      ),
      400: errorResponse('Invalid body'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse(
        'No longer held (expired, cancelled), already paid, still processing at VNPay, or changed meanwhile',
      ),
    },
  }),
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
  carrierWebhook: defineOperation('carrierWebhook', {
    summary:
      'A carrier’s status callback (GHN, GHTK, Viettel Post), checked with its token; moves the part it names (duplicates and stale events change nothing)',
    request: { param: CarrierParam },
    responses: {
      200: jsonResponse(z.object({ applied: z.int(), ignored: z.int() }), 'Received'),
      400: errorResponse('Not the carrier’s shape'),
      401: errorResponse('Bad token or signature'),
      404: errorResponse('No such carrier'),
    },
  }),
  vnpayIpn: defineOperation('vnpayIpn', {
    summary: 'VNPay IPN (server to server): records the payment result',
    description:
      'Checks in VNPay’s order: signature (97), order exists (01), amount (04), still pending (02), then 00. ' +
      'Always answers 200 with `{RspCode, Message}`; duplicates are normal and change nothing.',
    responses: { 200: jsonResponse(IpnAnswer, 'VNPay’s answer format') },
  }),
  vnpayReturn: defineOperation('vnpayReturn', {
    summary: 'Verify the VNPay return query for display (never changes state)',
    responses: { 200: jsonResponse(ReturnView, 'What the result page shows') },
  }),
  vietqrNotification: defineOperation('vietqrNotification', {
    summary: 'Bank transfer notification for VietQR (HMAC-SHA256 of the raw body in X-Signature)',
    responses: {
      200: jsonResponse(z.object({ result: z.enum(['matched', 'unmatched', 'duplicate']) }), 'Recorded'),
      400: errorResponse('Malformed notification'),
      401: errorResponse('Bad signature'),
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
  paymentWebhook: defineOperation('paymentWebhook', {
    summary: 'Receives the payment events the outbox delivers (Stripe-Signature checked, deduplicated)',
    responses: {
      200: jsonResponse(z.object({ received: z.literal(true), duplicate: z.boolean() }), 'Accepted'),
      400: errorResponse('Bad signature or payload'),
    },
  }),
  getPaymentStatus: defineOperation('getPaymentStatus', {
    summary: 'A payment’s status and next action, for the shopper who holds its client_secret',
    request: { param: PaymentIdParam, query: PaymentStatusQuery },
    responses: {
      200: jsonResponse(PaymentStatus, 'Current status'),
      404: errorResponse('No such payment (or wrong client_secret)'),
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
  ...preorderOperations,
};
