/**
 * The step after `astro build` that makes the seller center and the cooperative board progressive
 * web apps: bundles site/src/seller/offline/sw.ts (esbuild) and lets Workbox's injectManifest
 * give it the precache list: every page under its folder and the scripts and styles those pages
 * load (followed through their imports). One worker per folder, written to /ban-hang/sw.js and
 * /hop-tac-xa/sw.js, so a worker's scope is its folder and the storefront has none.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';

export const SERVICE_WORKER_SCOPES = ['ban-hang', 'hop-tac-xa'] as const;
const SOURCE = fileURLToPath(new URL('../../site/src/seller/offline/sw.ts', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The /_astro/ files `pages` load, with the chunks those scripts import. */
function assetsOf(clientDir: string, pages: string[]): string[] {
  const found = new Set<string>();
  const queue: string[] = [];
  const add = (asset: string) => {
    if (found.has(asset)) return;
    found.add(asset);
    if (asset.endsWith('.js')) queue.push(asset);
  };
  for (const page of pages) {
    for (const match of readFileSync(page, 'utf8').matchAll(/\/_astro\/[\w.-]+\.(?:js|css)/g)) add(match[0]);
  }
  while (queue.length) {
    const script = queue.pop()!;
    const text = readFileSync(join(clientDir, script), 'utf8');
    for (const match of text.matchAll(/["'`]\.\/([\w.-]+\.(?:js|css))["'`]/g)) add(`/_astro/${match[1]}`);
    for (const match of text.matchAll(/\/_astro\/[\w.-]+\.(?:js|css)/g)) add(match[0]);
  }
  return [...found].map((asset) => asset.slice(1));
}

/** Writes <scope>/sw.js for each scope into the built client folder; returns the precache sizes. */
export async function buildServiceWorkers(
  clientDir: string,
): Promise<{ scope: string; count: number; bytes: number }[]> {
  const work = mkdtempSync(join(tmpdir(), 'sw-'));
  try {
    const bundled = join(work, 'sw.js');
    await build({
      entryPoints: [SOURCE],
      bundle: true,
      format: 'iife',
      target: 'es2022',
      minify: true,
      outfile: bundled,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const results = [];
    for (const scope of SERVICE_WORKER_SCOPES) {
      const pages = filesUnder(join(clientDir, scope)).filter((f) => f.endsWith('.html'));
      const globPatterns = [
        ...pages.map((page) => relative(clientDir, page)),
        ...assetsOf(clientDir, pages),
        `${scope}/manifest.webmanifest`,
        'ban-hang/icons/*.png',
        // The commune list of the address pickers.
        'ban-hang/communes.json',
        'favicon.svg',
      ];
      const { count, size } = await injectManifest({
        swSrc: bundled,
        swDest: join(clientDir, scope, 'sw.js'),
        globDirectory: clientDir,
        globPatterns,
        // Pages are revalidated (network first); the file's hash is its revision.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        modifyURLPrefix: { '': '/' },
      });
      results.push({ scope, count, bytes: size });
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
