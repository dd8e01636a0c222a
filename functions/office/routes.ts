import type { RouteDefinition } from '../routes.ts';

/**
 * The office function's own routes (its other lists: INVOICE_ROUTES, PROGRAMME_ROUTES): a
 * cooperative's COD statements, and the payments work done by hand. The handlers are in
 * functions/board/back-office.ts.
 * Each function bundles only its own lists; functions/routes.ts joins them into ROUTES.
 */
export const OFFICE_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/cod-statements',
    function: 'office',
    operationId: 'importCodStatement',
    auth: 'signedIn',
  },
  // Payments by hand: an admin's unmatched transfers, refunds recorded by a manager or an admin.
  {
    method: 'GET',
    path: '/api/payments/vietqr/unmatched',
    function: 'office',
    operationId: 'listUnmatchedTransfers',
    auth: 'admin',
  },
  {
    method: 'POST',
    path: '/api/payments/vietqr/unmatched/{transferId}/match',
    function: 'office',
    operationId: 'matchTransfer',
    auth: 'admin',
  },
  {
    method: 'POST',
    path: '/api/payments/{paymentIntentId}/manual-refunds',
    function: 'office',
    operationId: 'recordManualRefund',
    auth: 'signedIn',
  },
];
