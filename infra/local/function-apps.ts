import { Hono } from 'hono';
import { app as auth } from '../../functions/auth/app.ts';
import { app as board } from '../../functions/board/app.ts';
import { app as callbacks } from '../../functions/callbacks/app.ts';
import { app as catalog } from '../../functions/catalog/app.ts';
import { app as labels } from '../../functions/labels/app.ts';
import { app as office } from '../../functions/office/app.ts';
import { app as orders } from '../../functions/orders/app.ts';
import { app as producers } from '../../functions/producers/app.ts';
import { app as seasons } from '../../functions/seasons/app.ts';
import { ROUTES, toHonoPath, type HttpFunctionName } from '../../functions/routes.ts';

/** Every HTTP function's Hono app, mounted in-process by the local runtime. */
export const FUNCTION_APPS: Record<
  HttpFunctionName,
  { fetch(request: Request, env?: unknown): Response | Promise<Response> }
> = { catalog, auth, producers, labels, orders, callbacks, board, seasons, office };

/**
 * The API as API Gateway routes it: each route of ROUTES to its function's app, and nothing else
 * (an unknown path answers Hono's 404). The local server mounts these routes; tests call it to
 * reach any route without knowing which function serves it.
 */
export const apiRoutes = new Hono();
for (const route of ROUTES) {
  const target = FUNCTION_APPS[route.function];
  // The node-server bindings pass through, so functions can read the caller's address.
  apiRoutes.on(route.method, toHonoPath(route.path), (c) => target.fetch(c.req.raw, c.env));
}
