/**
 * Builds the static storefront against a running API. A stamp of the site's sources and the
 * catalog it was built from lets later starts skip the build when nothing changed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServiceWorkers } from './service-worker.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The prebuilt pages and assets; the renderer of the other pages is built next to it (../server). */
export const SITE_DIST = join(REPO_ROOT, 'site', 'dist', 'client');
const STAMP = join(SITE_DIST, '.build-stamp');
const SOURCES = ['site/src', 'site/public', 'site/astro.config.mjs', 'shared/domain'];

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) walk(join(path, name), out);
  } else {
    out.push(`${relative(REPO_ROOT, path)}:${stat.size}:${stat.mtimeMs}`);
  }
}

function stampFor(catalogVersion: string, siteUrl = ''): string {
  const files: string[] = [];
  for (const source of SOURCES) walk(join(REPO_ROOT, source), files);
  return createHash('sha256')
    .update(files.join('\n'))
    .update(catalogVersion)
    .update(`\n${siteUrl}`)
    .digest('hex');
}

/** Thrown when `astro build` exits non-zero; `output` is the end of what it printed. */
export class AstroBuildError extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`astro build failed (exit ${code}):\n${output.trim()}`);
  }
}

/**
 * Runs `astro build --root site` against a catalog API: from `root` (default this checkout) into
 * `outDir` (default site/dist), with canonical URLs on `siteUrl` when given.
 */
export function astroBuild(options: {
  apiUrl: string;
  demoData: boolean;
  root?: string;
  outDir?: string;
  siteUrl?: string;
}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/astro/astro.js'),
        'build',
        '--root',
        'site',
        ...(options.outDir ? ['--outDir', options.outDir] : []),
      ],
      {
        cwd: options.root ?? REPO_ROOT,
        env: {
          ...process.env,
          ASTRO_TELEMETRY_DISABLED: '1',
          EXCHANGE_API_URL: options.apiUrl,
          ...(options.siteUrl ? { SITE_URL: options.siteUrl } : {}),
          PUBLIC_DEMO_DATA: String(options.demoData),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new AstroBuildError(code, output));
      // The seller center's and board's service workers (infra/local/service-worker.ts).
      const dist = resolvePath(options.root ?? REPO_ROOT, options.outDir ?? 'site/dist');
      buildServiceWorkers(join(dist, 'client')).then(() => resolve(), reject);
    });
  });
}

export interface SiteBuildOptions {
  apiUrl: string;
  /** Changes when the catalog the pages were built from changes. */
  catalogVersion: string;
  /** The origin of canonical, hreflang and sitemap URLs; a new one rebuilds the pages. */
  siteUrl?: string;
  force?: boolean;
  demoData?: boolean;
  log?: (line: string) => void;
}

/** Builds site/dist unless its stamp matches; returns whether a build ran. */
export async function ensureSiteBuilt(options: SiteBuildOptions): Promise<boolean> {
  const stamp = stampFor(options.catalogVersion, options.siteUrl);
  if (!options.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return false;
  const started = Date.now();
  options.log?.('building the storefront (astro build)…');
  await astroBuild({
    apiUrl: options.apiUrl,
    demoData: options.demoData !== false,
    ...(options.siteUrl ? { siteUrl: options.siteUrl } : {}),
  });
  writeFileSync(STAMP, stamp);
  options.log?.(`storefront built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
