/**
 * The one place where a route's declared access rule (`auth` on its ROUTES entry) is applied:
 * every non-public route of a function gets the sign-in check before its handler, and admin
 * routes the admin check too. The domain still checks object-level rights (whose listing, which
 * cooperative); this guard makes sure no route is reachable without the sign-in it declares.
 */
import type { Env, Hono, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { forbidden } from '../shared/domain/errors.ts';
import { isAdmin } from '../shared/domain/permissions.ts';
import { requireSignIn, type SignedInEnv } from './principal.ts';
import { toHonoPath, type RouteAuth, type RouteDefinition } from './routes.ts';

/** Signs the caller in (401 without a valid token); for `admin`, refuses anyone else (403). */
const guard = (auth: Exclude<RouteAuth, 'public'>): MiddlewareHandler =>
  createMiddleware<SignedInEnv>((c, next) =>
    requireSignIn(c, async () => {
      if (auth === 'admin' && !isAdmin(c.get('principal'))) {
        throw forbidden('auth.admins_only', 'Chỉ quản trị viên mới làm được việc này / Admins only');
      }
      await next();
    }),
  ) as MiddlewareHandler;

const GUARDS = { signedIn: guard('signedIn'), admin: guard('admin') };

/**
 * Mounts the access checks of `fn`'s routes on its app; call before the handlers. Every HTTP
 * function calls it, even one whose routes are all public today, so a route added later with
 * another rule is guarded without touching the app.
 */
export function guardRoutes<E extends Env>(app: Hono<E>, routes: readonly RouteDefinition[]): void {
  for (const route of routes) {
    if (route.auth === 'public') continue;
    app.on(route.method, toHonoPath(route.path), GUARDS[route.auth]);
  }
}
