/**
 * What the orders function's operations answer (functions/orders/operations.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this, so no bundle carries it.
 */
import * as z from 'zod';
import { CARRIER_IDS } from '../../shared/carriers/types.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { operations } from './operations.ts';
import { OrderView, PaymentStatus } from './schemas.doc.ts';

export const operationsDocs: OperationDocsOf<typeof operations> = {
  placeOrder: {
    summary: 'Place an order (Idempotency-Key header required); stock is reserved atomically',
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
  },
  quoteShipping: {
    summary:
      'What an order would cost now: per cooperative part, its carrier, delivery fee and estimated delivery date (the same pricing placing applies; a carrier’s quote is kept 30 minutes and placing charges it)',
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
  },
  getOrder: {
    summary: 'Track an order with its code and the phone it was placed with',
    responses: {
      200: jsonResponse(OrderView, 'The order with every step'),
      404: errorResponse('No such order for this phone'),
    },
  },
  confirmOrder: {
    summary: 'The buyer confirms a COD order with the code sent by SMS to its phone; the order is then held',
    responses: {
      200: jsonResponse(OrderView, 'Confirmed (also when it was already)'),
      400: errorResponse('Wrong code'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('Expired or cancelled, or not a COD order'),
      429: errorResponse('Too many wrong codes (Retry-After)'),
    },
  },
  cancelOrder: {
    summary: 'The shopper cancels before confirmation: stock goes back, the payment is cancelled or refunded',
    responses: {
      200: jsonResponse(OrderView, 'Cancelled'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('Already confirmed'),
    },
  },
  repayOrder: {
    summary:
      'Pay again (a new VNPay payment) or pay another way (VietQR, or COD with its SMS code) while the order is still held; the old payment is cancelled',
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
  },
  getPaymentStatus: {
    summary: 'A payment’s status and next action, for the shopper who holds its client_secret',
    responses: {
      200: jsonResponse(PaymentStatus, 'Current status'),
      404: errorResponse('No such payment (or wrong client_secret)'),
    },
  },
};
