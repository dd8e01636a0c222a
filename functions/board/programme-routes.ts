import type { RouteDefinition } from '../routes.ts';

/**
 * The admin's programme report and its targets (functions/board/programme.ts), served by the
 * producers function (beside the households, listings and certificates it reports on): admins only, as the report names households and their phones.
 * Each function bundles only its own lists; functions/routes.ts joins them into ROUTES.
 */
export const PROGRAMME_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/api/admin/programme-report',
    function: 'producers',
    operationId: 'getProgrammeReport',
    auth: 'admin',
  },
  {
    method: 'PUT',
    path: '/api/admin/programme-targets',
    function: 'producers',
    operationId: 'setProgrammeTargets',
    auth: 'admin',
  },
];
