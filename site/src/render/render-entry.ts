/**
 * Server entry of the storefront's adapter (adapter.mjs): what the build writes to
 * dist/server/entry.mjs. `render` answers a page rendered on demand (product, producer, lot,
 * listings, sitemap, OG cards) with CDN-ready Cache-Control; `handles` says whether a request is
 * one of those, so the local server can fall through to the static files otherwise; `handler` is
 * the same `render` as a Lambda handler (function URL events, see infra/constructs/site-render.ts).
 */
import type { SSRManifest } from 'astro';
import { App } from 'astro/app';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { observed } from '../../../functions/observability.ts';
import { withRequestScope } from '../lib/catalog.ts';
import { PAGE_CACHE_CONTROL, renderedCacheControl } from './cache.ts';

export interface RenderOptions {
  /** Origin of the catalog API; default EXCHANGE_API_URL. */
  apiOrigin?: string | undefined;
}

export function createExports(manifest: SSRManifest) {
  const app = new App(manifest);
  type Resolved =
    | { kind: 'route'; request: Request; routeData: NonNullable<ReturnType<App['match']>> }
    | { kind: 'slash'; location: string }
    | undefined;
  /**
   * The route of a request, matched once. With `trailingSlash: 'always'` Astro matches a dynamic
   * file route (/og/<slug>.jpg) only with a slash after it, whose public URL has none; a page's
   * URL without its slash (`/san-pham/x`) is redirected to its directory URL, as the static side does.
   */
  const resolve = (request: Request): Resolved => {
    const direct = app.match(request);
    if (direct) return { kind: 'route', request, routeData: direct };
    const url = new URL(request.url);
    if (url.pathname.endsWith('/')) return undefined;
    const slashed = new URL(`${url.pathname}/${url.search}`, url);
    const routeData = app.match(new Request(slashed));
    if (!routeData) return undefined;
    if (/\.[a-z0-9]+$/i.test(url.pathname))
      return { kind: 'route', request: new Request(slashed, request), routeData };
    return { kind: 'slash', location: `${url.pathname}/${url.search}` };
  };
  const render = async (request: Request, options: RenderOptions = {}): Promise<Response> => {
    const resolved = resolve(request);
    if (resolved?.kind === 'slash') {
      return new Response(null, {
        status: 301,
        headers: { location: resolved.location, 'cache-control': PAGE_CACHE_CONTROL },
      });
    }
    const response = await withRequestScope(options.apiOrigin, () =>
      resolved ? app.render(resolved.request, { routeData: resolved.routeData }) : app.render(request),
    );
    if (response.headers.has('cache-control')) return response;
    const headers = new Headers(response.headers);
    headers.set('cache-control', renderedCacheControl(response.status));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  // In AWS: CloudFront → function URL → this. The catalog API is EXCHANGE_API_URL (API Gateway,
  // not through CloudFront, so a page never waits for a cached API answer to expire).
  const lambda = new Hono().all('*', (c) => render(c.req.raw));
  return {
    handles: (request: Request): boolean => resolve(request)?.kind === 'route',
    render,
    handler: observed('siteRender', handle(lambda)),
  };
}

export type Renderer = ReturnType<typeof createExports>;
