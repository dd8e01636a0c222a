/**
 * The seasons function: what a cooperative plans ahead of a harvest. Pre-orders — the shopper's
 * routes (list the open windows, reserve with a deposit, pay the balance; public, reached by the
 * order's code like the orders function's) and the manager's (open a window, the board's view,
 * allocate the harvest, settle a variable weight; signed in) — and the market panel with its
 * reference prices (signed in). Out of the orders and board functions so that checkout and the
 * board each stay within their bundle budget; an incident here leaves checkout and the board
 * alone. The route handlers stay where they were written (functions/orders/preorders.ts,
 * functions/board/preorders.ts, functions/board/market.ts); the rules live in shared/preorders
 * and shared/market.
 */
import { marketPreorderDemand } from '../../shared/preorders/demand.ts';
import { registerMarketRoutes } from '../board/market.ts';
import { registerPreorderManagerRoutes } from '../board/preorders.ts';
import { guardRoutes } from '../guard.ts';
import { createApiApp } from '../http.ts';
import { registerPreorderShopperRoutes } from '../orders/preorders.ts';
import type { SignedInEnv } from '../principal.ts';
import { SEASONS_ROUTES } from './routes.ts';

export const app = createApiApp<SignedInEnv>();

// Who may call each route is declared in functions/seasons/routes.ts: the shopper's routes are
// public, the manager's and the market panel's need a sign-in.
guardRoutes(app, SEASONS_ROUTES);
registerPreorderShopperRoutes(app);
registerPreorderManagerRoutes(app);
registerMarketRoutes(app, { demand: marketPreorderDemand });
