// @ts-check
import { defineConfig } from 'astro/config';
import exchangeRenderer from './src/render/adapter.mjs';

/**
 * The storefront. Built from the repo root with `astro build --root site`:
 * - site/dist/client: the prebuilt pages (home, about and policy pages, cart, checkout, search,
 *   seller center, board, admin, 404) and the assets, served as static files;
 * - site/dist/server: the renderer for the pages whose number grows with the catalog (product,
 *   producer, lot, listings, sitemap, OG cards: `export const prerender = false`), run by the
 *   local server in-process and by the render Lambda behind CloudFront (src/render/).
 * The prebuilt pages read the catalog API at build time, the rendered ones at request time
 * (src/lib/catalog.ts).
 */
export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:8080',
  output: 'static',
  adapter: exchangeRenderer(),
  outDir: './dist',
  // Every page is a directory (/san-pham/slug/index.html) and every link ends with a slash.
  trailingSlash: 'always',
  // Stylesheets inlined into each page: no render-blocking request before the first paint (the
  // Content-Security-Policy allows inline styles, not inline scripts).
  build: { format: 'directory', inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  // The pages import types and pure helpers from ../shared: let `astro dev` serve them.
  vite: {
    server: { fs: { allow: ['..'] } },
    // Scripts are never inlined into pages, so the Content-Security-Policy allows scripts from
    // this origin only, with no 'unsafe-inline' and no per-build hashes (infra/security-headers.ts).
    // Other assets (small stylesheets, images) keep Vite's default limit.
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) },
  },
});
