/**
 * The callbacks function: what the payment providers and the carriers call, server to server —
 * VNPay's IPN, VietQR's bank notifications, the payment webhooks, the carriers' webhooks (a
 * delivered parcel also captures its COD payment) — and VNPay's return, where the shopper's
 * browser lands after paying. Public routes only: each caller is checked by its own signature or
 * token. Out of the orders function so that checkout stays within its bundle budget; a burst of
 * provider calls no longer competes with checkout for its containers. The route handlers stay
 * where they were written (functions/orders/callbacks.ts); the rules live in shared/payments and
 * shared/orders.
 */
import { createApiApp } from '../http.ts';
import { registerCallbackRoutes } from '../orders/callbacks.ts';
import { assertPublicOnly } from '../routes.ts';
import { CALLBACK_ROUTES } from './routes.ts';

export const app = createApiApp();

// Who may call each route is declared in functions/callbacks/routes.ts: here, anyone. No sign-in
// code (token verification, accounts) is loaded.
assertPublicOnly('callbacks', CALLBACK_ROUTES);
registerCallbackRoutes(app);
