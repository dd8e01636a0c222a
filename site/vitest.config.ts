/// <reference types="vitest/config" />
/**
 * Vitest project for the storefront's component tests (tests/unit/site-*.test.ts): they render
 * .astro files with the Container API, so they need Astro's Vite plugins, which `getViteConfig`
 * adds. Listed in the root vitest.config.ts `projects`.
 */
import { fileURLToPath } from 'node:url';
import { getViteConfig } from 'astro/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const siteRoot = fileURLToPath(new URL('.', import.meta.url));

process.env.ASTRO_TELEMETRY_DISABLED ??= '1';

export default getViteConfig(
  { test: { name: 'site', root: repoRoot, include: ['tests/unit/site-*.test.ts'] } },
  { root: siteRoot, logLevel: 'error' },
);
