/**
 * The orders function's operations: route and request schemas, for validation. What they answer
 * is documented in operations.doc.ts, which only the OpenAPI document imports.
 */
import * as z from 'zod';
import { PhoneNumber } from '../../shared/domain/common.ts';
import { PAYMENT_METHODS, PlaceOrderBody, QuoteShippingBody } from '../../shared/orders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { ORDERS_ROUTES } from './routes.ts';
import { IntentId, OrderCodeParam, PaymentIdParam } from './schemas.ts';

const defineOperation = routeOperationDefiner(ORDERS_ROUTES);

export const PhoneQuery = z.strictObject({ phone: PhoneNumber });
export const ConfirmOrderBody = z
  .strictObject({
    phone: PhoneNumber,
    code: z.string().regex(/^\d{6}$/, 'Mã xác nhận gồm 6 chữ số / The code has 6 digits'),
  })
  .meta({ id: 'ConfirmOrder' });
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
export const PaymentStatusQuery = z.strictObject({
  client_secret: z.string().min(10).max(200).meta({ description: 'The intent’s client_secret' }),
});
export const operations = {
  placeOrder: defineOperation('placeOrder', { json: PlaceOrderBody }),
  quoteShipping: defineOperation('quoteShipping', { json: QuoteShippingBody }),
  getOrder: defineOperation('getOrder', { param: OrderCodeParam, query: PhoneQuery }),
  confirmOrder: defineOperation('confirmOrder', { param: OrderCodeParam, json: ConfirmOrderBody }),
  cancelOrder: defineOperation('cancelOrder', { param: OrderCodeParam, json: PhoneQuery }),
  repayOrder: defineOperation('repayOrder', { param: OrderCodeParam, json: RepayOrderBody }),
  getPaymentStatus: defineOperation('getPaymentStatus', { param: PaymentIdParam, query: PaymentStatusQuery }),
};
