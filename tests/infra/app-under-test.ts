import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type ExchangeApp } from '../../infra/app.ts';

/** The inline script hash the stand-in build records (`FAKE_INLINE_SCRIPT`'s). */
export const FAKE_INLINE_SCRIPT = 'document.documentElement.dataset.js="1";';
export const FAKE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FAKE_INLINE_SCRIPT).digest('base64')}'`;

/**
 * A tiny stand-in for `site/dist/client`, so the site upload (BucketDeployment) is always part of
 * the app under test, whether or not the storefront has been built on this machine; like a real
 * build it records its inline script's hash beside the client folder (dist/script-hashes.json).
 */
export function fakeSiteDir(): string {
  const dist = mkdtempSync(path.join(tmpdir(), 'tn-site-'));
  const dir = path.join(dist, 'client');
  mkdirSync(path.join(dir, '_astro'), { recursive: true });
  writeFileSync(path.join(dist, 'script-hashes.json'), JSON.stringify([FAKE_SCRIPT_HASH]));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Chè Thái Nguyên</title>');
  writeFileSync(path.join(dir, '_astro', 'app.3f2a1c.js'), 'export {};');
  return dir;
}

let built: ExchangeApp | undefined;

/**
 * The app for template assertions, built once per test file (bundling the functions with esbuild
 * is the slow part), for the prod environment (infra/env/prod.json). cdk-nag is left out here so
 * that a nag finding fails only the cdk-nag test.
 */
export function appUnderTest(): ExchangeApp {
  built ??= buildApp({ environment: 'prod', siteDir: fakeSiteDir(), nag: false });
  return built;
}
