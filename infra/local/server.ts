/**
 * The local origin: what CloudFront does in AWS, on one port. `/api/*` goes to the same Hono
 * apps the Lambdas run (mounted from the route table), `/media/*` to the media folder, and
 * everything else to the built site: its prebuilt files first, then the site's renderer
 * (site/dist/server, loaded in-process) for the pages rendered on demand, with the Cache-Control
 * CloudFront would see.
 */
import { existsSync, readdirSync, statSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { errorBody } from '../../functions/http.ts';
import { apiRoutes } from './function-apps.ts';
import { builtScriptHashes, contentSecurityPolicy, SECURITY_HEADERS } from '../security-headers.ts';
import { STATIC_CACHE_CONTROL } from '../../site/src/render/cache.ts';
import type { Renderer } from '../../site/src/render/render-entry.ts';

/** The renderer the site build wrote next to `siteDir` (dist/client → dist/server/entry.mjs). */
export function rendererEntry(siteDir: string): string {
  return join(siteDir, '..', 'server', 'entry.mjs');
}

/**
 * The built site as the server knows it: its files (paths under `siteDir`, `/`-separated) and the
 * renderer's version, listed at start and listed again only when a build changes the dist folder
 * (a watcher), so that answering a request never asks the disk what exists. The build runs after
 * the server starts and again on `npm run build:site`; the renderer module is re-imported when
 * its file changed.
 */
export function siteSnapshot(siteDir: string) {
  const distDir = join(siteDir, '..');
  const entry = rendererEntry(siteDir);
  let files = new Set<string>();
  let policy = contentSecurityPolicy();
  let entryVersion: number | undefined;
  let loaded: { version: number; renderer: Promise<Renderer> } | undefined;
  const scan = () => {
    const found = new Set<string>();
    if (existsSync(siteDir)) {
      for (const file of readdirSync(siteDir, { recursive: true, withFileTypes: true })) {
        if (!file.isFile()) continue;
        found.add(`/${relative(siteDir, join(file.parentPath, file.name)).split(sep).join('/')}`);
      }
    }
    files = found;
    try {
      policy = contentSecurityPolicy({ scriptHashes: builtScriptHashes(siteDir) });
    } catch {
      // Written while the build runs: the watcher lists the folder again when it is done.
    }
    entryVersion = existsSync(entry) ? statSync(entry).mtimeMs : undefined;
  };
  let timer: NodeJS.Timeout | undefined;
  const rescanSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(scan, 100);
    timer.unref();
  };
  let watcher: FSWatcher | undefined;
  const watch = () => {
    watcher?.close();
    // Until the first build made the dist folder, watch the folder it appears in.
    const root = existsSync(distDir) ? distDir : dirname(distDir);
    try {
      watcher = fsWatch(root, { recursive: root === distDir, persistent: false }, () => {
        if (root !== distDir && existsSync(distDir)) watch();
        rescanSoon();
      });
      // The dist folder removed and made again by a build: watch the new one.
      watcher.on('error', () => {
        const retry = setTimeout(() => {
          watch();
          scan();
        }, 500);
        retry.unref();
      });
    } catch {
      watcher = undefined; // no folder to watch: the site is never built in this run
    }
  };
  scan();
  watch();
  return {
    /** Whether the build wrote this file (`/en/index.html`, `/_astro/x.js`). */
    has: (path: string): boolean => files.has(path),
    /** CloudFront's Content-Security-Policy, allowing the scripts this build inlined by their hash. */
    contentSecurityPolicy: (): string => policy,
    /** The renderer of the latest build, if one was built. */
    renderer(): Promise<Renderer> | undefined {
      if (entryVersion === undefined) return undefined;
      if (loaded?.version !== entryVersion) {
        const url = `${pathToFileURL(entry).href}?v=${entryVersion}`;
        loaded = { version: entryVersion, renderer: import(url) as Promise<Renderer> };
      }
      return loaded.renderer;
    },
    /** Lists the files again now (tests; the watcher does it after a build). */
    refresh: scan,
    close(): void {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** The file a request path names under the site folder: a directory URL names its index.html. */
function sitePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // an undecodable path names no file
  }
  return decoded.endsWith('/') ? `${decoded}index.html` : decoded;
}

export interface LocalAppOptions {
  siteDir: string;
  mediaDir: string;
  /** Local stand-ins for AWS services (issuer JWKS, dev inbox, uploads), mounted before the site. */
  mountLocalServices?: (app: Hono) => void;
  /** The built site's file list (the runtime refreshes it after its own build). */
  site?: SiteSnapshot;
  /**
   * True while the runtime is still starting (payments, jobs, the storefront's build): storefront
   * paths answer the "starting" page with 503 and Retry-After, `/api/health/ready` answers 503.
   */
  starting?: () => boolean;
}

/** Seconds a client is asked to wait while the exchange starts. */
export const STARTING_RETRY_AFTER_SECONDS = 2;

/** The page storefront paths answer until the exchange is up; it reloads itself. */
export const STARTING_PAGE = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${STARTING_RETRY_AFTER_SECONDS}">
<meta name="robots" content="noindex">
<title>Đang khởi động… — Sàn OCOP Thái Nguyên</title>
</head>
<body>
<main>
<h1>Đang khởi động…</h1>
<p>Sàn OCOP Thái Nguyên đang chuẩn bị cửa hàng; trang sẽ tự tải lại sau vài giây.</p>
<p lang="en">Starting up: the storefront is being prepared; this page reloads itself in a few seconds.</p>
</main>
</body>
</html>
`;

export type SiteSnapshot = ReturnType<typeof siteSnapshot>;

export function createLocalApp({
  siteDir,
  mediaDir,
  mountLocalServices,
  site,
  starting = () => false,
}: LocalAppOptions): Hono {
  const app = new Hono();
  site ??= siteSnapshot(siteDir);
  const built = site;
  // CloudFront's response headers policy, here on every answer (pages, assets, API, media), with
  // the hashes of the scripts the latest build inlined.
  app.use('*', async (c, next) => {
    await next();
    // A copy: an answer passed through from a function or the renderer may have frozen headers.
    const headers = new Headers(c.res.headers);
    headers.set('Content-Security-Policy', built.contentSecurityPolicy());
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    c.res = new Response(c.res.body, { status: c.res.status, statusText: c.res.statusText, headers });
  });
  // CloudFront compresses text for the site and the API alike (`compress: true` on each behaviour).
  app.use('*', compress());
  // Local only: whether everything `npm start` prints is up (/api/health answers as soon as the
  // API does, before the storefront is built).
  app.get('/api/health/ready', (c) => {
    c.header('Cache-Control', 'no-store');
    if (!starting()) return c.json({ status: 'ready' });
    c.header('Retry-After', String(STARTING_RETRY_AFTER_SECONDS));
    return c.json(
      errorBody(
        'server.starting',
        'Sàn đang khởi động (đang dựng cửa hàng); hãy thử lại sau vài giây / The exchange is starting: retry in a few seconds',
      ),
      503,
    );
  });
  app.route('/', apiRoutes);
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

  // Storefront paths while the exchange starts: a short page, not a 404 of a site not yet built.
  app.use('/*', async (c, next) => {
    if (!starting()) return next();
    c.header('Retry-After', String(STARTING_RETRY_AFTER_SECONDS));
    c.header('Cache-Control', 'no-store');
    return c.html(STARTING_PAGE, 503);
  });

  const siteRoot = relative(process.cwd(), siteDir) || '.';
  // Pages live at directory URLs (`/san-pham/`): redirect `/san-pham` to its canonical URL.
  app.use('/*', async (c, next) => {
    const path = c.req.path;
    if (!path.endsWith('/') && !/\.[a-z0-9]+$/i.test(path)) {
      const url = new URL(c.req.url);
      const slashed = new URL(`${path}/${url.search}`, url);
      if (site.has(sitePath(`${path}/`)) || (await site.renderer())?.handles(new Request(slashed))) {
        return c.redirect(`${path}/${url.search}`, 301);
      }
    }
    await next();
  });
  // As CloudFront does: Astro's fingerprinted assets are cached for good, prebuilt pages revalidated.
  // Only a path the build wrote reaches the disk; the rest go straight to the renderer.
  const staticFiles = serveStatic({
    root: siteRoot,
    onFound: (path, c) => {
      c.header(
        'Cache-Control',
        path.includes('/_astro/') ? STATIC_CACHE_CONTROL.assets : STATIC_CACHE_CONTROL.pages,
      );
    },
  });
  app.use('/*', (c, next) => (site.has(sitePath(c.req.path)) ? staticFiles(c, next) : next()));
  // Not prebuilt: rendered on request by the site's renderer (the render Lambda's job in AWS). It
  // reads the catalog API on this same origin.
  app.on(['GET', 'HEAD'], '/*', async (c, next) => {
    const rendered = await site.renderer();
    if (!rendered?.handles(c.req.raw)) return next();
    return rendered.render(c.req.raw, { apiOrigin: new URL(c.req.url).origin });
  });
  app.notFound((c) => {
    // English paths get the English-first page (CloudFront: see site-stack.ts).
    const english = c.req.path.startsWith('/en/') && site.has('/en/404/index.html');
    const page = english ? '/en/404/index.html' : '/404.html';
    if (site.has(page)) {
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
