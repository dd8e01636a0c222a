/**
 * Run by the storefront rebuild (infra/constructs/site-rebuild.ts) before it syncs the new build:
 * `tsx functions/site-rebuild/changed-paths.ts <built dir> <bucket listing JSON>` prints, one a
 * line, the CloudFront paths of the pages whose content differs from the bucket's (new, changed
 * or to be deleted), by comparing each file's MD5 with the object's ETag. Nothing printed: nothing
 * to invalidate. Never `/*` and never `/media/*` (publish-paths.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { changedKeys, publishInvalidationPaths, type RemoteObject } from './publish-paths.ts';

/** Every file under `dir` as bucket key → hex MD5 of its content. */
export function localDigests(dir: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, file).split(path.sep).join('/');
    digests.set(key, createHash('md5').update(readFileSync(file)).digest('hex'));
  }
  return digests;
}

/** The paths to invalidate for a built dir against a listing (`aws s3api list-objects-v2` JSON). */
export function changedPaths(dir: string, listingJson: string): string[] {
  const listing = listingJson.trim() ? (JSON.parse(listingJson) as unknown) : null;
  // The CLI prints `null` for an empty bucket, or `{ Contents: [...] }` without --query.
  const remote = (
    Array.isArray(listing) ? listing : ((listing as { Contents?: unknown[] } | null)?.Contents ?? [])
  ) as RemoteObject[];
  return publishInvalidationPaths(changedKeys(localDigests(dir), remote));
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [dir, listingFile] = process.argv.slice(2);
  if (!dir || !listingFile) {
    console.error('usage: changed-paths.ts <built dir> <bucket listing JSON file>');
    process.exit(2);
  }
  for (const p of changedPaths(dir, readFileSync(listingFile, 'utf8'))) console.log(p);
}
