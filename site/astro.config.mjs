// @ts-check
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
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
/**
 * The one script inlined into pages: the layout's (the header's cart badge and menu, under 1 KB,
 * importing nothing), so that no request for a script sits in front of a page's largest paint.
 * Every other script stays a file under /_astro/.
 */
const INLINED_SCRIPT = /(^|\/)Layout\.astro_astro_type_script_index_\d+_lang\.[\w-]+\.js$/;

/**
 * The Content-Security-Policy allows scripts from this origin and, by hash, the scripts inlined
 * here and nothing else (infra/security-headers.ts): the hash of each inlined script, exactly as
 * Astro writes it into `<script type="module">` (the chunk's code, trimmed), is recorded while
 * the client is bundled and written to dist/script-hashes.json when the build is done, where the
 * local server and the CDK site stack read it.
 */
function inlineScriptHashes() {
  const hashes = new Set();
  let outDir;
  return {
    /** Vite's `build.assetsInlineLimit`: scripts are inlined only when INLINED_SCRIPT names them. */
    assetsInlineLimit(file, content) {
      if (!file.endsWith('.js')) return undefined; // small stylesheets and images: Vite's default
      if (!INLINED_SCRIPT.test(file)) return false;
      const code = content.toString('utf8').trim();
      hashes.add(`'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`);
      return true;
    },
    integration: {
      name: 'inline-script-hashes',
      hooks: {
        'astro:config:done': ({ config }) => {
          outDir = config.outDir;
          hashes.clear();
        },
        'astro:build:done': () => {
          writeFileSync(new URL('script-hashes.json', outDir), `${JSON.stringify([...hashes].sort())}\n`);
        },
      },
    },
  };
}
const inlined = inlineScriptHashes();

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:8080',
  output: 'static',
  adapter: exchangeRenderer(),
  outDir: './dist',
  // Every page is a directory (/san-pham/slug/index.html) and every link ends with a slash.
  trailingSlash: 'always',
  // Stylesheets inlined into each page: no render-blocking request before the first paint (the
  // Content-Security-Policy allows inline styles; inline scripts only by their hash).
  build: { format: 'directory', inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  integrations: [inlined.integration],
  // The pages import types and pure helpers from ../shared: let `astro dev` serve them.
  vite: {
    server: { fs: { allow: ['..'] } },
    // Scripts are inlined only for the layout's (above); other assets (small stylesheets, images)
    // keep Vite's default limit.
    build: { assetsInlineLimit: inlined.assetsInlineLimit },
  },
});
