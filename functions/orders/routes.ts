import type { RouteDefinition } from '../routes.ts';

/**
 * The orders function's routes, all public: checkout, the shopper's order by code and phone, and
 * the payment providers' and carriers' callbacks, each checked by its own signature or token.
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const ORDERS_ROUTES: readonly RouteDefinition[] = [
  // Checkout and the shopper's order (reached by its code and phone).
  { method: 'POST', path: '/api/orders', function: 'orders', operationId: 'placeOrder', auth: 'public' },
  {
    method: 'POST',
    path: '/api/orders/quote',
    function: 'orders',
    operationId: 'quoteShipping',
    auth: 'public',
  },
  { method: 'GET', path: '/api/orders/{code}', function: 'orders', operationId: 'getOrder', auth: 'public' },
  {
    method: 'POST',
    path: '/api/orders/{code}/confirm',
    function: 'orders',
    operationId: 'confirmOrder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/cancel',
    function: 'orders',
    operationId: 'cancelOrder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/payment',
    function: 'orders',
    operationId: 'repayOrder',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/payments/{paymentIntentId}',
    function: 'orders',
    operationId: 'getPaymentStatus',
    auth: 'public',
  },
];
