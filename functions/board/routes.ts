import type { RouteDefinition } from '../routes.ts';

/**
 * The board function's routes, all signed in: a cooperative's board (sub-orders, status,
 * shipments and labels, shipping settings) and a household's order lines. The COD statements and
 * the payments work done by hand are the office function's (functions/office/routes.ts).
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const BOARD_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/api/seller/order-lines',
    function: 'board',
    operationId: 'listMyOrderLines',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders',
    function: 'board',
    operationId: 'listBoardOrders',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'board',
    operationId: 'getShippingRules',
    auth: 'signedIn',
  },
  {
    method: 'PUT',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'board',
    operationId: 'setShippingRules',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders/{code}',
    function: 'board',
    operationId: 'getBoardOrder',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/status',
    function: 'board',
    operationId: 'changeSubOrderStatus',
    auth: 'signedIn',
  },
  // Shipments with the carriers, and the carriers' COD statements.
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment',
    function: 'board',
    operationId: 'createShipment',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment/cancel',
    function: 'board',
    operationId: 'cancelShipment',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment/label',
    function: 'board',
    operationId: 'getShipmentLabel',
    auth: 'signedIn',
  },
];
