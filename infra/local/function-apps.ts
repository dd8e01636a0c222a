import { app as catalog } from '../../functions/catalog/app.ts';
import type { FunctionName } from '../../functions/routes.ts';

/** Every API function's Hono app, mounted in-process by the local runtime. */
export const FUNCTION_APPS: Record<FunctionName, { fetch(request: Request): Response | Promise<Response> }> =
  {
    catalog,
  };
