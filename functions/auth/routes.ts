import type { RouteDefinition } from '../routes.ts';

/**
 * The auth function's routes: the sign-in facade (Cognito in AWS, the local issuer locally).
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const AUTH_ROUTES: readonly RouteDefinition[] = [
  // Sign-in facade (Cognito in AWS, the local issuer locally).
  { method: 'POST', path: '/api/auth/start', function: 'auth', operationId: 'startSignIn', auth: 'public' },
  { method: 'POST', path: '/api/auth/verify', function: 'auth', operationId: 'verifySignIn', auth: 'public' },
  // Digital identity over OpenID Connect (shared/auth/identity.ts). Starting is public: purpose
  // `signIn` needs no session, purpose `link` checks the bearer token in the handler.
  {
    method: 'POST',
    path: '/api/auth/identity/start',
    function: 'auth',
    operationId: 'startIdentitySignIn',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/auth/identity/finish',
    function: 'auth',
    operationId: 'finishIdentitySignIn',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/auth/identity',
    function: 'auth',
    operationId: 'getIdentity',
    auth: 'signedIn',
  },
  // The signed-in account removes its own link (no id: no other account's can be named).
  {
    method: 'DELETE',
    path: '/api/auth/identity',
    function: 'auth',
    operationId: 'unlinkIdentity',
    auth: 'signedIn',
  },
  // The admin's producer verification reads whether the producer's account is verified.
  {
    method: 'GET',
    path: '/api/admin/producers/{producerId}/identity',
    function: 'auth',
    operationId: 'getProducerIdentity',
    auth: 'admin',
  },
];
