/**
 * `npx tsx tests/bench/bundles.ts` (or `npm run bench -- --bundles`): each API function bundled
 * as the CDK stack bundles it (infra/constructs/exchange-function.ts), its minified size against
 * the 300 KB budget, and the ten inputs that weigh most in it, by package (a file of the
 * project counts on its own). `--all` lists every function's inputs by file, `--json DIR` writes
 * each function's esbuild metafile there (for esbuild's analyzer, https://esbuild.github.io/analyze/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { DEFAULT_BUNDLING } from '../../infra/constructs/exchange-function.ts';
import { FUNCTION_OVERRIDES } from '../../infra/stacks/api-stack.ts';
import { REPO_ROOT } from '../../infra/local/site-build.ts';
import { isMain } from './standalone.ts';

/** Issue #2: each API bundle ≤ 300 KB minified. */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

export interface BundleInput {
  /** A package name (`zod`, `@hono/zod-validator`) or a file of the project (`shared/db/keys.ts`). */
  name: string;
  bytes: number;
}

export interface BundleSize {
  fn: FunctionName;
  bytes: number;
  /** Every input with bytes in the output, heaviest first. */
  inputs: BundleInput[];
  metafile: Metafile;
}

/** The package an input path belongs to, or the path itself for the project's own files. */
function owner(path: string, byPackage: boolean): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match && byPackage) return match[1]!;
  return match ? path.slice(match.index + 'node_modules/'.length) : path;
}

/** Bundles one function with the same esbuild settings as the CDK stack, writing nothing. */
export async function bundleFunction(fn: FunctionName, byPackage = true): Promise<BundleSize> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, FUNCTIONS[fn].entry)],
    bundle: true,
    write: false,
    // CDK bundles to one file (`--outfile`, no splitting); the name only labels the metafile.
    outfile: join(REPO_ROOT, 'cdk.out', 'bundle', fn, 'index.mjs'),
    platform: 'node',
    format: 'esm',
    target: DEFAULT_BUNDLING.target,
    mainFields: DEFAULT_BUNDLING.mainFields,
    minify: DEFAULT_BUNDLING.minify,
    charset: DEFAULT_BUNDLING.charset,
    // Modules installed beside the bundle (sharp, native) are not part of it, as in CDK.
    external: [
      ...(DEFAULT_BUNDLING.externalModules ?? []),
      ...(FUNCTION_OVERRIDES[fn]?.bundling?.nodeModules ?? []),
    ],
    banner: { js: DEFAULT_BUNDLING.banner ?? '' },
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const weights = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    if (input.bytesInOutput === 0) continue;
    const name = owner(relative(REPO_ROOT, join(REPO_ROOT, path)), byPackage);
    weights.set(name, (weights.get(name) ?? 0) + input.bytesInOutput);
  }
  return {
    fn,
    bytes: result.outputFiles.reduce((sum, f) => sum + f.contents.byteLength, 0),
    inputs: [...weights].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    metafile: result.metafile,
  };
}

/** Every API function's bundle (FUNCTIONS order). */
export async function bundleSizes(byPackage = true): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) sizes.push(await bundleFunction(fn, byPackage));
  return sizes;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The table `npm run bench` prints, and with `top` the heaviest inputs of each function. */
export function printBundleSizes(sizes: readonly BundleSize[], top = 0): void {
  console.log(
    'API bundles (esbuild, minified, ESM, node22, UTF-8, @aws-sdk/* and the Powertools layer external, as the CDK stack bundles them)',
  );
  console.table(
    sizes.map((s) => ({
      function: s.fn,
      size: kb(s.bytes),
      budget: kb(BUNDLE_BUDGET_BYTES),
      ok: s.bytes <= BUNDLE_BUDGET_BYTES,
    })),
  );
  if (top === 0) return;
  for (const s of sizes) {
    console.log(
      `\n${s.fn}: ${kb(s.bytes)}, top ${Math.min(top, s.inputs.length)} of ${s.inputs.length} inputs`,
    );
    for (const input of s.inputs.slice(0, top))
      console.log(`  ${kb(input.bytes).padStart(9)}  ${input.name}`);
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      all: { type: 'boolean', default: false },
      files: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const sizes = await bundleSizes(!values.files);
  printBundleSizes(sizes, values.all ? Infinity : 10);
  if (values.json) {
    mkdirSync(values.json, { recursive: true });
    for (const s of sizes) writeFileSync(join(values.json, `${s.fn}.meta.json`), JSON.stringify(s.metafile));
  }
}
