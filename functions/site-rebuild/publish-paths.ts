/**
 * Which CloudFront paths a publish of the prebuilt storefront makes stale: pure functions, used
 * by the deploy-time upload (infra/stacks/site-stack.ts, from the built files) and by the
 * scheduled rebuild (changed-paths.ts, from the files whose content differs from the bucket's).
 * Never `/*`: `/media/*` (product photos, immutable under content-derived names) and `/api/*`
 * are not the site's to purge, and fingerprinted `_astro/` files never change under their name.
 */

/** Prefixes a publish never invalidates. */
export const NEVER_INVALIDATED = ['/media/', '/api/', '/_astro/'] as const;

/**
 * Above this many paths, a publish names top-level folders (`/gioi-thieu/*`) instead. CloudFront
 * takes 3,000 paths in one invalidation but only 15 wildcards in progress, so named paths are
 * preferred: the prebuilt site is a few dozen pages (the catalog's pages are rendered), far below.
 */
export const MAX_PUBLISH_PATHS = 2_000;

/**
 * The URLs under which CloudFront may have cached an object of the site bucket: `a/index.html`
 * is asked for as `/a/` and `/a` too, but the directory-index function rewrites both to
 * `/a/index.html` before the cache is looked up; the directory URL is named as well so that a
 * change to that function cannot leave it out.
 */
export function pathsOfKey(key: string): string[] {
  const path = `/${key.replace(/^\/+/, '')}`;
  if (path === '/index.html') return ['/', '/index.html'];
  if (path.endsWith('/index.html')) return [path.slice(0, -'index.html'.length), path];
  return [path];
}

/** Whether a path may be invalidated by a publish at all. */
export function publishable(path: string): boolean {
  return !NEVER_INVALIDATED.some((prefix) => path.startsWith(prefix)) && path !== '/*';
}

/**
 * The invalidation paths for the changed (uploaded or deleted) keys, plus any extra paths (the
 * rendered pages' wildcards after a new renderer): deduplicated, sorted, without the prefixes of
 * NEVER_INVALIDATED; many changed keys collapse into one wildcard per top-level folder.
 */
export function publishInvalidationPaths(
  changedKeys: readonly string[],
  extra: readonly string[] = [],
  max = MAX_PUBLISH_PATHS,
): string[] {
  let paths = [...new Set(changedKeys.flatMap(pathsOfKey))].filter(publishable);
  if (paths.length > max) {
    paths = [
      ...new Set(
        paths.map((path) => {
          const top = path.split('/')[1] ?? '';
          // A file at the root (/index.html, /robots.txt) is named as it is.
          return path.indexOf('/', 1) === -1 ? path : `/${top}/*`;
        }),
      ),
    ];
  }
  return [...new Set([...paths, ...extra.filter(publishable)])].sort();
}

/** Remote object: key and ETag (quoted MD5 of the content for single-part uploads). */
export interface RemoteObject {
  readonly Key: string;
  readonly ETag?: string;
}

/**
 * Keys whose content differs between the built site (key → hex MD5) and the bucket: new,
 * changed, and deleted by the sync's `--delete`. `_astro/` is left out (fingerprinted, never pruned).
 */
export function changedKeys(local: ReadonlyMap<string, string>, remote: readonly RemoteObject[]): string[] {
  const remoteByKey = new Map(remote.map((o) => [o.Key, (o.ETag ?? '').replace(/"/g, '')]));
  const changed: string[] = [];
  for (const [key, md5] of local) {
    if (key.startsWith('_astro/')) continue;
    if (remoteByKey.get(key) !== md5) changed.push(key);
  }
  for (const key of remoteByKey.keys()) {
    if (!key.startsWith('_astro/') && !local.has(key)) changed.push(key);
  }
  return changed.sort();
}

/**
 * CloudFront invalidation paths of the pages the renderer serves (its path patterns, which may
 * use `?` and `*` anywhere, as trailing wildcards, the only kind an invalidation accepts).
 */
export function renderedInvalidationPaths(patterns: readonly string[]): string[] {
  return [
    ...new Set(
      patterns.map((pattern) => {
        const wild = pattern.search(/[?*]/);
        return wild === -1 ? pattern : `${pattern.slice(0, wild)}*`;
      }),
    ),
  ].sort();
}
