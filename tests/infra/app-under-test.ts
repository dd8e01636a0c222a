import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type ExchangeApp } from '../../infra/app.ts';

/**
 * A tiny stand-in for `site/dist`, so the site upload (BucketDeployment) is always part of the
 * app under test, whether or not the storefront has been built on this machine.
 */
export function fakeSiteDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tn-site-'));
  mkdirSync(path.join(dir, '_astro'));
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
