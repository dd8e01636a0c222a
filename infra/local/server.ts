/**
 * The local origin: what CloudFront does in AWS, on one port. `/api/*` goes to the same Hono
 * apps the Lambdas run (mounted from the route table), `/media/*` to the media folder, and
 * everything else to the built site.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { ROUTES, toHonoPath } from '../../functions/routes.ts';
import { errorBody } from '../../functions/http.ts';
import { FUNCTION_APPS } from './function-apps.ts';

export interface LocalAppOptions {
  siteDir: string;
  mediaDir: string;
  /** Local stand-ins for AWS services (issuer JWKS, dev inbox, uploads), mounted before the site. */
  mountLocalServices?: (app: Hono) => void;
}

export function createLocalApp({ siteDir, mediaDir, mountLocalServices }: LocalAppOptions): Hono {
  const app = new Hono();
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
  // Pages live at directory URLs (`/san-pham/`): redirect `/san-pham` to its canonical URL.
  app.use('/*', async (c, next) => {
    const path = c.req.path;
    if (!path.endsWith('/') && !/\.[a-z0-9]+$/i.test(path) && existsSync(join(siteDir, path, 'index.html'))) {
      const query = new URL(c.req.url).search;
      return c.redirect(`${path}/${query}`, 301);
    }
    await next();
  });
  // As CloudFront does: Astro's fingerprinted assets are cached for good.
  app.use(
    '/*',
    serveStatic({
      root: siteRoot,
      onFound: (path, c) => {
        if (path.includes('/_astro/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
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
