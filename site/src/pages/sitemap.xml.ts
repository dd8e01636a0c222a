/**
 * /sitemap.xml: the sitemap index (lib/sitemap.ts) of the public pages (home, about pages,
 * catalog, categories, products, producers), whose files /sitemap-<n>.xml hold at most 50,000
 * URLs each, with the product's last change as `lastmod`; rendered on request from the API (so a
 * product approved a minute ago is in it) and cached an hour at CloudFront. Lot trace pages are
 * left out: each is linked from its product page. Seller pages, checkout and results are left out
 * (they are not for search engines).
 */
import type { APIRoute } from 'astro';
import { sitemapEntries } from '../lib/catalog.ts';
import { sitemapIndexXml } from '../lib/sitemap.ts';
import { SLOW_CACHE_CONTROL } from '../render/cache.ts';

export const prerender = false;

export const GET: APIRoute = async ({ site }) => {
  const base = site ?? new URL('http://localhost:8080');
  const entries = await sitemapEntries();
  return new Response(sitemapIndexXml(base, entries.length), {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': SLOW_CACHE_CONTROL },
  });
};
