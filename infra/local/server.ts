/**
 * The local origin: what CloudFront does in AWS, on one port. `/api/*` goes to the same Hono
 * apps the Lambdas run (mounted from the route table), `/media/*` to the media folder, and
 * everything else to the built site: its prebuilt files first, then the site's renderer
 * (site/dist/server, loaded in-process) for the pages rendered on demand, with the Cache-Control
 * CloudFront would see.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { ROUTES, toHonoPath } from '../../functions/routes.ts';
import { errorBody } from '../../functions/http.ts';
import { FUNCTION_APPS } from './function-apps.ts';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../security-headers.ts';
import { STATIC_CACHE_CONTROL } from '../../site/src/render/cache.ts';
import type { Renderer } from '../../site/src/render/render-entry.ts';

/** The renderer the site build wrote next to `siteDir` (dist/client → dist/server/entry.mjs). */
export function rendererEntry(siteDir: string): string {
  return join(siteDir, '..', 'server', 'entry.mjs');
}

/**
 * Loads the renderer of the latest build: the build runs after the server starts and again on
 * `npm run build:site`, so the module is re-imported when its file changes.
 */
function siteRenderer(siteDir: string): () => Promise<Renderer | undefined> {
  let loaded: { version: number; renderer: Promise<Renderer> } | undefined;
  return async () => {
    const entry = rendererEntry(siteDir);
    if (!existsSync(entry)) return undefined;
    const version = statSync(entry).mtimeMs;
    if (loaded?.version !== version) {
      const url = `${pathToFileURL(entry).href}?v=${version}`;
      loaded = { version, renderer: import(url) as Promise<Renderer> };
    }
    return loaded.renderer;
  };
}

export interface LocalAppOptions {
  siteDir: string;
  mediaDir: string;
  /** Local stand-ins for AWS services (issuer JWKS, dev inbox, uploads), mounted before the site. */
  mountLocalServices?: (app: Hono) => void;
}

export function createLocalApp({ siteDir, mediaDir, mountLocalServices }: LocalAppOptions): Hono {
  const app = new Hono();
  // CloudFront's response headers policy, here on every answer (pages, assets, API, media).
  const csp = contentSecurityPolicy();
  app.use('*', async (c, next) => {
    await next();
    // A copy: an answer passed through from a function or the renderer may have frozen headers.
    const headers = new Headers(c.res.headers);
    headers.set('Content-Security-Policy', csp);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    c.res = new Response(c.res.body, { status: c.res.status, statusText: c.res.statusText, headers });
  });
  // CloudFront compresses text for the site and the API alike (`compress: true` on each behaviour).
  app.use('*', compress());
  for (const route of ROUTES) {
    const target = FUNCTION_APPS[route.function];
    // The node-server bindings pass through, so functions can read the caller's address.
    app.on(route.method, toHonoPath(route.path), (c) => target.fetch(c.req.raw, c.env));
  }
  // API Gateway answers unknown API routes itself; so do we, in the API's error shape.
  app.all('/api/*', (c) =>
    c.json(errorBody('route.not_found', `No route for ${c.req.method} ${c.req.path}`), 404),
  );

  mountLocalServices?.(app);

  // serveStatic resolves `root` against the working directory.
  const mediaRoot = relative(process.cwd(), mediaDir) || '.';
  app.use(
    '/media/*',
    serveStatic({
      root: mediaRoot,
      rewriteRequestPath: (path) => path.replace(/^\/media/, ''),
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.all('/media/*', (c) => c.text('Not found', 404));

  const siteRoot = relative(process.cwd(), siteDir) || '.';
  const renderer = siteRenderer(siteDir);
  // Pages live at directory URLs (`/san-pham/`): redirect `/san-pham` to its canonical URL.
  app.use('/*', async (c, next) => {
    const path = c.req.path;
    if (!path.endsWith('/') && !/\.[a-z0-9]+$/i.test(path)) {
      const url = new URL(c.req.url);
      const slashed = new URL(`${path}/${url.search}`, url);
      const rendered = await renderer();
      if (existsSync(join(siteDir, path, 'index.html')) || rendered?.handles(new Request(slashed))) {
        return c.redirect(`${path}/${url.search}`, 301);
      }
    }
    await next();
  });
  // As CloudFront does: Astro's fingerprinted assets are cached for good, prebuilt pages revalidated.
  app.use(
    '/*',
    serveStatic({
      root: siteRoot,
      onFound: (path, c) => {
        c.header(
          'Cache-Control',
          path.includes('/_astro/') ? STATIC_CACHE_CONTROL.assets : STATIC_CACHE_CONTROL.pages,
        );
      },
    }),
  );
  // Not prebuilt: rendered on request by the site's renderer (the render Lambda's job in AWS). It
  // reads the catalog API on this same origin.
  app.on(['GET', 'HEAD'], '/*', async (c, next) => {
    const rendered = await renderer();
    if (!rendered?.handles(c.req.raw)) return next();
    return rendered.render(c.req.raw, { apiOrigin: new URL(c.req.url).origin });
  });
  app.notFound((c) => {
    // English paths get the English-first page (CloudFront: see site-stack.ts).
    const english = c.req.path.startsWith('/en/') && existsSync(join(siteDir, 'en/404/index.html'));
    const page = english ? '/en/404/index.html' : '/404.html';
    if (existsSync(join(siteDir, page))) {
      return serveStatic({ root: siteRoot, rewriteRequestPath: () => page })(c, async () => {}).then(
        (res) =>
          new Response(res?.body ?? 'Not found', {
            status: 404,
            headers: { 'content-type': 'text/html; charset=utf-8' },
          }),
      );
    }
    return c.text('Không tìm thấy trang / Page not found', 404);
  });
  return app;
}
