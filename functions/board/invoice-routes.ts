import type { RouteDefinition } from '../routes.ts';

/**
 * E-invoices: a seller's settings and its invoices on the board (signed in, the seller's manager
 * or an admin; served by the office function), and a shopper's own order's invoices through the
 * tracking proof (public, the order's phone; served by the orders function). Joined into ROUTES
 * in functions/routes.ts.
 */
export const INVOICE_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/invoice-settings',
    function: 'office',
    operationId: 'getInvoiceSettings',
    auth: 'signedIn',
  },
  {
    method: 'PUT',
    path: '/api/board/{fulfillerId}/invoice-settings',
    function: 'office',
    operationId: 'setInvoiceSettings',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/invoices',
    function: 'office',
    operationId: 'listInvoices',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/invoices/{code}/{kind}',
    function: 'office',
    operationId: 'getInvoice',
    auth: 'signedIn',
  },
];

/** The shopper's side, in the orders function (public routes only there). */
export const ORDER_INVOICE_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/api/orders/{code}/invoices',
    function: 'orders',
    operationId: 'listOrderInvoices',
    auth: 'public',
  },
];
