import { app as auth } from '../../functions/auth/app.ts';
import { app as catalog } from '../../functions/catalog/app.ts';
import { app as orders } from '../../functions/orders/app.ts';
import { app as producers } from '../../functions/producers/app.ts';
import type { HttpFunctionName } from '../../functions/routes.ts';

/** Every HTTP function's Hono app, mounted in-process by the local runtime. */
export const FUNCTION_APPS: Record<
  HttpFunctionName,
  { fetch(request: Request, env?: unknown): Response | Promise<Response> }
> = { catalog, auth, producers, orders };
