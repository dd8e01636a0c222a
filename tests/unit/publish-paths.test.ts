/**
 * What a publish of the prebuilt storefront invalidates (functions/site-rebuild/publish-paths.ts
 * and changed-paths.ts): the pages whose content changed, never `/*`, `/media/*` or `/api/*`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedPaths } from '../../functions/site-rebuild/changed-paths.ts';
import {
  changedKeys,
  MAX_PUBLISH_PATHS,
  pathsOfKey,
  publishInvalidationPaths,
  renderedInvalidationPaths,
} from '../../functions/site-rebuild/publish-paths.ts';
import { RENDERED_PATHS } from '../../infra/constructs/site-render.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('publish invalidation paths', () => {
  it('names a page by its directory URL and its file', () => {
    expect(pathsOfKey('index.html')).toEqual(['/', '/index.html']);
    expect(pathsOfKey('gioi-thieu/index.html')).toEqual(['/gioi-thieu/', '/gioi-thieu/index.html']);
    expect(pathsOfKey('en/gio-hang/index.html')).toEqual(['/en/gio-hang/', '/en/gio-hang/index.html']);
    expect(pathsOfKey('robots.txt')).toEqual(['/robots.txt']);
  });

  it('compares content (MD5 against the ETag): new, changed and deleted pages, not _astro/', () => {
    const local = new Map([
      ['index.html', md5('new home')],
      ['gioi-thieu/index.html', md5('same')],
      ['gio-hang/index.html', md5('new page')],
      ['_astro/app.abc.js', md5('js')],
    ]);
    const remote = [
      { Key: 'index.html', ETag: `"${md5('old home')}"` },
      { Key: 'gioi-thieu/index.html', ETag: `"${md5('same')}"` },
      { Key: 'cu/index.html', ETag: `"${md5('gone')}"` },
      { Key: '_astro/app.old.js', ETag: '"x"' },
    ];
    expect(changedKeys(local, remote)).toEqual(['cu/index.html', 'gio-hang/index.html', 'index.html']);
  });

  it('never names /*, /media/, /api/ or /_astro/', () => {
    const paths = publishInvalidationPaths(
      ['index.html', 'media/ab/photo.webp', 'api/x', '_astro/a.js'],
      ['/*', '/media/*', '/og/*'],
    );
    expect(paths).toEqual(['/', '/index.html', '/og/*']);
  });

  it('collapses many changed pages into one wildcard per top-level folder, still never /*', () => {
    const keys = Array.from({ length: MAX_PUBLISH_PATHS }, (_, i) => `tin-tuc/bai-${i}/index.html`);
    const paths = publishInvalidationPaths(['index.html', 'robots.txt', ...keys]);
    expect(paths).toEqual(['/', '/index.html', '/robots.txt', '/tin-tuc/*']);
  });

  it("turns the renderer's path patterns into trailing wildcards", () => {
    const paths = renderedInvalidationPaths(RENDERED_PATHS);
    expect(paths).toContain('/san-pham/*');
    expect(paths).toContain('/nha-san-xuat/*');
    expect(paths).toContain('/sitemap-*');
    for (const p of paths) expect(p.indexOf('*') === -1 || p.indexOf('*') === p.length - 1).toBe(true);
    expect(paths.filter((p) => p.endsWith('*')).length).toBeLessThanOrEqual(10);
  });

  it('reads a built folder and a bucket listing as the rebuild does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tn-publish-'));
    mkdirSync(path.join(dir, 'gioi-thieu'));
    mkdirSync(path.join(dir, '_astro'));
    writeFileSync(path.join(dir, 'index.html'), 'home v2');
    writeFileSync(path.join(dir, 'gioi-thieu', 'index.html'), 'about');
    writeFileSync(path.join(dir, '_astro', 'a.1.js'), 'js');
    const listing = JSON.stringify({
      Contents: [
        { Key: 'index.html', ETag: `"${md5('home v1')}"` },
        { Key: 'gioi-thieu/index.html', ETag: `"${md5('about')}"` },
      ],
    });
    expect(changedPaths(dir, listing)).toEqual(['/', '/index.html']);
    // An empty bucket (the CLI prints nothing): every page is new.
    expect(changedPaths(dir, '')).toEqual(['/', '/gioi-thieu/', '/gioi-thieu/index.html', '/index.html']);
  });
});
