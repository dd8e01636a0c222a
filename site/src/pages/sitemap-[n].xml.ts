/** /sitemap-<n>.xml: one file of the sitemap index (/sitemap.xml), at most 50,000 URLs. */
import type { APIRoute } from 'astro';
import { sitemapEntries } from '../lib/catalog.ts';
import { sitemapFileXml } from '../lib/sitemap.ts';
import { NOT_FOUND_CACHE_CONTROL, SLOW_CACHE_CONTROL } from '../render/cache.ts';

export const prerender = false;

export const GET: APIRoute = async ({ site, params }) => {
  const base = site ?? new URL('http://localhost:8080');
  const n = /^\d{1,6}$/.test(params.n ?? '') ? Number(params.n) : NaN;
  const xml = sitemapFileXml(base, await sitemapEntries(), n);
  if (!xml) {
    return new Response('Không có tệp sitemap này / No such sitemap file', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NOT_FOUND_CACHE_CONTROL },
    });
  }
  return new Response(xml, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': SLOW_CACHE_CONTROL },
  });
};
