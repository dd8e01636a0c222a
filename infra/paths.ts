import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so that entry files in FUNCTIONS resolve the same from any cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A path relative to the repository root (as FUNCTIONS[name].entry is) made absolute. */
export function fromRepoRoot(relativePath: string): string {
  return path.join(REPO_ROOT, relativePath);
}

/** The built storefront, if `npm run build:site` has run; synth never builds it. */
export function builtSiteDir(): string | undefined {
  const dir = fromRepoRoot('site/dist');
  return existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
