// @ts-check
import { defineConfig } from 'astro/config';

/**
 * The storefront: static HTML built from the catalog API (see src/lib/catalog.ts).
 * Built from the repo root with `astro build --root site`; output in site/dist.
 */
export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:8080',
  output: 'static',
  outDir: './dist',
  // Every page is a directory (/san-pham/slug/index.html) and every link ends with a slash.
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // The pages import types and pure helpers from ../shared: let `astro dev` serve them.
  vite: {
    server: { fs: { allow: ['..'] } },
  },
});
