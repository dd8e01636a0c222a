/**
 * The callbacks' operations (route and request schemas; functions/callbacks/routes.ts), for
 * validation; what they answer is documented in callback-operations.doc.ts, which only the
 * OpenAPI document imports. The handlers are in callbacks.ts.
 */
import { routeOperationDefiner } from '../http.ts';
import { CALLBACK_ROUTES } from '../callbacks/routes.ts';
import { CarrierParam } from './schemas.ts';

const defineOperation = routeOperationDefiner(CALLBACK_ROUTES);

export const callbackOperations = {
  carrierWebhook: defineOperation('carrierWebhook', { param: CarrierParam }),
  vnpayIpn: defineOperation('vnpayIpn'),
  vnpayReturn: defineOperation('vnpayReturn'),
  vietqrNotification: defineOperation('vietqrNotification'),
  paymentWebhook: defineOperation('paymentWebhook'),
};
