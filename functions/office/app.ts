/**
 * The office function: the back office of orders. A seller's e-invoice settings and invoices, a
 * cooperative's COD statements, an admin's unmatched transfers and a refund recorded by hand. Out
 * of the board function so that the board (a cooperative's daily work: orders, shipments,
 * labels) stays within its bundle budget, as the seasons function did for pre-orders and the
 * market panel. The route handlers stay where they were written (functions/board/invoices.ts,
 * functions/board/back-office.ts); the rules live in shared/invoices, shared/orders and
 * shared/payments.
 */
import { registerBackOfficeRoutes } from '../board/back-office.ts';
import { INVOICE_ROUTES } from '../board/invoice-routes.ts';
import { registerInvoiceRoutes } from '../board/invoices.ts';
import { guardRoutes } from '../guard.ts';
import { createApiApp } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { OFFICE_ROUTES } from './routes.ts';

export const app = createApiApp<SignedInEnv>();

// Who may call each route is declared in its list (functions/routes.ts joins them): every route
// needs a sign-in, the unmatched transfers' an admin.
guardRoutes(app, OFFICE_ROUTES);
registerBackOfficeRoutes(app);
guardRoutes(app, INVOICE_ROUTES);
registerInvoiceRoutes(app);
