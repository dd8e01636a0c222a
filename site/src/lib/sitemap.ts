/**
 * The sitemap as a sitemap index: `/sitemap.xml` names the files `/sitemap-1.xml`, `/sitemap-2.xml`…,
 * each of at most `limit` URLs (the protocol allows 50,000). Every page is listed in both
 * languages, each URL naming its twin with `xhtml:link` hreflang alternates, so a page takes two
 * URLs and a file holds `limit / 2` pages. Pure: the routes read the catalog, this writes the XML.
 */
import { localizePath, LOCALES, LANGS } from '../i18n/index.ts';

/** URLs per sitemap file: the sitemap protocol's maximum. */
export const SITEMAP_URL_LIMIT = 50_000;

export interface SitemapEntry {
  path: string;
  lastmod?: string;
}

const escape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/** How many sitemap files the entries need (at least one). */
export function sitemapFileCount(entries: number, limit = SITEMAP_URL_LIMIT): number {
  const pagesPerFile = Math.max(1, Math.floor(limit / LANGS.length));
  return Math.max(1, Math.ceil(entries / pagesPerFile));
}

/** The path of sitemap file `n` (1-based). */
export const sitemapFilePath = (n: number) => `/sitemap-${n}.xml`;

/** `/sitemap.xml`: the index of the sitemap files. */
export function sitemapIndexXml(base: URL, entries: number, limit = SITEMAP_URL_LIMIT): string {
  const files = Array.from(
    { length: sitemapFileCount(entries, limit) },
    (_, i) => `  <sitemap><loc>${escape(new URL(sitemapFilePath(i + 1), base).href)}</loc></sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${files.join('\n')}\n</sitemapindex>\n`;
}

/** Sitemap file `n` (1-based) of the entries, or undefined when there is no such file. */
export function sitemapFileXml(
  base: URL,
  entries: readonly SitemapEntry[],
  n: number,
  limit = SITEMAP_URL_LIMIT,
): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > sitemapFileCount(entries.length, limit)) return undefined;
  const pagesPerFile = Math.max(1, Math.floor(limit / LANGS.length));
  const loc = (lang: (typeof LANGS)[number], path: string) =>
    escape(new URL(localizePath(lang, path), base).href);
  const urls = entries.slice((n - 1) * pagesPerFile, n * pagesPerFile).flatMap((e) => {
    const alternates = [
      ...LANGS.map(
        (lang) =>
          `<xhtml:link rel="alternate" hreflang="${LOCALES[lang].hreflang}" href="${loc(lang, e.path)}"/>`,
      ),
      `<xhtml:link rel="alternate" hreflang="x-default" href="${loc('vi', e.path)}"/>`,
    ].join('');
    return LANGS.map(
      (lang) =>
        `  <url><loc>${loc(lang, e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}${alternates}</url>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
}
