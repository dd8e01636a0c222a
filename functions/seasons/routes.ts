import type { RouteDefinition } from '../routes.ts';

/**
 * The seasons function's routes: pre-orders for the coming harvest (the shopper's, public; the
 * manager's, signed in) and the market panel with its reference prices (signed in).
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const SEASONS_ROUTES: readonly RouteDefinition[] = [
  // Pre-orders: the shopper's (public: list the open windows, reserve with a deposit, pay the
  // balance) and the manager's (open a window, the board's view, allocate, settle a weight).
  {
    method: 'GET',
    path: '/api/preorders',
    function: 'seasons',
    operationId: 'listPreorderWindows',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/preorders/{windowId}/reservations',
    function: 'seasons',
    operationId: 'reservePreorder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/preorder-balance',
    function: 'seasons',
    operationId: 'payPreorderBalance',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/preorders',
    function: 'seasons',
    operationId: 'createPreorderWindow',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/preorders',
    function: 'seasons',
    operationId: 'getPreorderBoard',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/preorders/{windowId}/allocation',
    function: 'seasons',
    operationId: 'allocatePreorder',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/preorder-weight',
    function: 'seasons',
    operationId: 'settlePreorderWeight',
    auth: 'signedIn',
  },
  // The market panel: a household's own product (seller center) and its cooperative's reference prices (board).
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/market',
    function: 'seasons',
    operationId: 'getMarketPanel',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/reference-prices',
    function: 'seasons',
    operationId: 'listReferencePrices',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/reference-prices',
    function: 'seasons',
    operationId: 'setReferencePrices',
    auth: 'signedIn',
  },
];
