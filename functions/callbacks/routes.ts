import type { RouteDefinition } from '../routes.ts';

/**
 * The callbacks function's routes, all public: each is checked by the caller's own signature or
 * token (functions/orders/callbacks.ts). Each function bundles only its own list;
 * functions/routes.ts joins them into ROUTES.
 */
export const CALLBACK_ROUTES: readonly RouteDefinition[] = [
  // The carriers' webhooks.
  {
    method: 'POST',
    path: '/api/carriers/{carrier}/webhook',
    function: 'callbacks',
    operationId: 'carrierWebhook',
    auth: 'public',
  },
  // Payments: VNPay's IPN and return, bank notifications for VietQR and our own webhook receiver.
  {
    method: 'GET',
    path: '/api/payments/vnpay/ipn',
    function: 'callbacks',
    operationId: 'vnpayIpn',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/payments/vnpay/return',
    function: 'callbacks',
    operationId: 'vnpayReturn',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/payments/vietqr/notifications',
    function: 'callbacks',
    operationId: 'vietqrNotification',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/payments/webhook',
    function: 'callbacks',
    operationId: 'paymentWebhook',
    auth: 'public',
  },
];
