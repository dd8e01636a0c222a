/**
 * The sitemap index (site/src/lib/sitemap.ts) with a small URL limit injected: every page is in
 * exactly one file, in both languages, and no file holds more URLs than the limit.
 */
import { describe, expect, it } from 'vitest';
import {
  SITEMAP_URL_LIMIT,
  sitemapFileCount,
  sitemapFileXml,
  sitemapIndexXml,
} from '../../site/src/lib/sitemap.ts';

const base = new URL('https://sanocop.example');
const entries = Array.from({ length: 7 }, (_, i) => ({ path: `/san-pham/p${i}/`, lastmod: '2026-12-01' }));
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);

describe('sitemap index', () => {
  it('splits the pages into files of at most the limit, each page once in both languages', () => {
    const limit = 4; // two pages a file (each page has a Vietnamese and an English URL)
    expect(sitemapFileCount(entries.length, limit)).toBe(4);
    const index = sitemapIndexXml(base, entries.length, limit);
    expect(index).toContain('<sitemapindex');
    expect(locs(index)).toEqual(['/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml', '/sitemap-4.xml']);
    const all: string[] = [];
    for (let n = 1; n <= 4; n++) {
      const file = locs(sitemapFileXml(base, entries, n, limit)!);
      expect(file.length).toBeLessThanOrEqual(limit);
      all.push(...file);
    }
    expect(all).toEqual(entries.flatMap((e) => [e.path, `/en${e.path}`]));
    expect(sitemapFileXml(base, entries, 5, limit)).toBeUndefined();
    expect(sitemapFileXml(base, entries, 0, limit)).toBeUndefined();
  });

  it('keeps a province catalog within the protocol: 50,000 URLs a file', () => {
    expect(SITEMAP_URL_LIMIT).toBe(50_000);
    expect(sitemapFileCount(25_100)).toBe(2); // 20,000 products and 5,000 producers: 50,200 URLs
    expect(sitemapFileCount(1)).toBe(1);
  });
});
