import type { RouteDefinition } from '../routes.ts';

/**
 * The auth function's routes: the sign-in facade (Cognito in AWS, the local issuer locally).
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const AUTH_ROUTES: readonly RouteDefinition[] = [
  // Sign-in facade (Cognito in AWS, the local issuer locally).
  { method: 'POST', path: '/api/auth/start', function: 'auth', operationId: 'startSignIn', auth: 'public' },
  { method: 'POST', path: '/api/auth/verify', function: 'auth', operationId: 'verifySignIn', auth: 'public' },
];
