import type { RouteDefinition } from '../routes.ts';

/**
 * The labels function's route: a lot's printable label, for its seller (signed in). The handler
 * is in functions/producers/lot-labels.ts. Each function bundles only its own list;
 * functions/routes.ts joins them into ROUTES.
 */
export const LABEL_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/api/seller/lots/{traceCode}/label',
    function: 'labels',
    operationId: 'getLotLabel',
    auth: 'signedIn',
  },
];
