/**
 * What the board function's operations answer (functions/board/operations.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this, so no bundle carries it.
 */
import * as z from 'zod';
import { PAYMENT_METHODS } from '../../shared/orders/model.ts';
import { ShippingRules } from '../../shared/orders/shipping.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import { OrderView } from '../orders/schemas.doc.ts';
import type { operations } from './operations.ts';

export const operationsDocs: OperationDocsOf<typeof operations> = {
  listBoardOrders: {
    summary: 'A cooperative’s (or independent producer’s) sub-orders, newest first',
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
  },
  listMyOrderLines: {
    summary: 'A household’s own lines in its cooperative’s orders (seller center), newest first',
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
  },
  getShippingRules: {
    summary: 'A cooperative’s shipping fees (flat by region, free above a threshold, pickup)',
    responses: {
      200: jsonResponse(
        z.object({ rules: ShippingRules, custom: z.boolean() }),
        'Current rules (defaults until set)',
      ),
      403: errorResponse('Not this cooperative’s manager'),
    },
  },
  setShippingRules: {
    summary: 'Set a cooperative’s shipping fees and its carrier',
    responses: {
      200: jsonResponse(z.object({ rules: ShippingRules, custom: z.boolean() }), 'Saved'),
      400: errorResponse('Invalid rules'),
      403: errorResponse('Not this cooperative’s manager'),
      422: errorResponse('A carrier the exchange is not connected to (shipping.carrier_not_connected)'),
    },
  },
  getBoardOrder: {
    summary: 'One order as its fulfiller sees it: their sub-order and the delivery details',
    responses: {
      200: jsonResponse(OrderView, 'The order'),
      403: errorResponse('Not yours'),
      404: errorResponse('No such order'),
    },
  },
  changeSubOrderStatus: {
    summary:
      'Confirm, pack, ship (carrier, tracking number), deliver (COD: cash collected), or cancel a sub-order',
    responses: {
      200: jsonResponse(OrderView, 'The order after the change'),
      400: errorResponse('Missing carrier/tracking, or COD cash not confirmed'),
      403: errorResponse('Not this cooperative’s manager'),
      409: errorResponse('Not allowed from the current status'),
    },
  },
  createShipment: {
    summary:
      'Hand a packed part to its cooperative’s carrier: the shipment is made once (a repeated request, or a retry after a carrier timeout, gets the same one)',
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
  },
  cancelShipment: {
    summary: 'Cancel the part’s shipment before the carrier picked it up; the part stays packed',
    responses: {
      200: jsonResponse(OrderView, 'The order with the shipment cancelled'),
      403: errorResponse('Not this cooperative’s manager'),
      404: errorResponse('No such order'),
      409: errorResponse('No shipment, or already picked up'),
      503: errorResponse('The carrier has not answered: try again'),
    },
  },
  getShipmentLabel: {
    summary: 'The carrier’s label for the part’s shipment (PDF or printable HTML)',
    responses: {
      200: { description: 'The label (application/pdf, or text/html to print from the browser)' },
      403: errorResponse('Not this cooperative’s manager'),
      404: errorResponse('No such order'),
      409: errorResponse('No shipment yet'),
      503: errorResponse('The carrier has not answered: try again'),
    },
  },
};
