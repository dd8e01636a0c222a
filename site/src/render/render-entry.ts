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
import { withRequestScope } from '../lib/catalog.ts';
import { PAGE_CACHE_CONTROL, renderedCacheControl } from './cache.ts';

export interface RenderOptions {
  /** Origin of the catalog API; default EXCHANGE_API_URL. */
  apiOrigin?: string | undefined;
}

export function createExports(manifest: SSRManifest) {
  const app = new App(manifest);
  /**
   * With `trailingSlash: 'always'` Astro matches a dynamic file route (/og/<slug>.jpg) only with a
   * slash after it; the public URL of a file has none.
   */
  const routed = (request: Request): Request => {
    if (app.match(request)) return request;
    const url = new URL(request.url);
    if (!/\.[a-z0-9]+$/i.test(url.pathname)) return request;
    url.pathname += '/';
    return new Request(url, request);
  };
  const render = async (request: Request, options: RenderOptions = {}): Promise<Response> => {
    const target = routed(request);
    if (!app.match(target)) {
      // Pages live at directory URLs: `/san-pham/x` → `/san-pham/x/` (the static side does the same).
      const url = new URL(request.url);
      if (!url.pathname.endsWith('/') && app.match(new Request(new URL(`${url.pathname}/`, url)))) {
        return new Response(null, {
          status: 301,
          headers: { location: `${url.pathname}/${url.search}`, 'cache-control': PAGE_CACHE_CONTROL },
        });
      }
    }
    const response = await withRequestScope(options.apiOrigin, () => app.render(target));
    if (response.headers.has('cache-control')) return response;
    const headers = new Headers(response.headers);
    headers.set('cache-control', renderedCacheControl(response.status));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  // In AWS: CloudFront → function URL → this. The catalog API is EXCHANGE_API_URL (API Gateway,
  // not through CloudFront, so a page never waits for a cached API answer to expire).
  const lambda = new Hono().all('*', (c) => render(c.req.raw));
  return {
    handles: (request: Request): boolean => app.match(routed(request)) !== undefined,
    render,
    handler: handle(lambda),
  };
}

export type Renderer = ReturnType<typeof createExports>;
