/**
 * /sitemap.xml: the public pages (home, about pages, catalog, categories, products, producers),
 * with the product's last change as `lastmod`; rendered on request from the API (so a product
 * approved a minute ago is in it) and cached an hour at CloudFront. Lot trace pages are left out:
 * each is linked from its product page. Seller pages, checkout and results are left out (they are
 * not for search engines). Every page is listed in both languages, each entry naming its twin
 * with `xhtml:link` hreflang alternates.
 */
import type { APIRoute } from 'astro';
import { getActiveCategories, getProducers, getProducts } from '../lib/catalog.ts';
import { SLOW_CACHE_CONTROL } from '../render/cache.ts';
import { localizePath, LOCALES, LANGS } from '../i18n/index.ts';
import { href } from '../lib/format.ts';

const escape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

export const prerender = false;

export const GET: APIRoute = async ({ site }) => {
  const base = site ?? new URL('http://localhost:8080');
  const [products, categories, producers] = await Promise.all([
    getProducts(),
    getActiveCategories(),
    getProducers(),
  ]);
  const entries: { path: string; lastmod?: string }[] = [
    { path: '/' },
    { path: '/san-pham/' },
    { path: '/nha-san-xuat/' },
    ...['/gioi-thieu/', '/giao-hang/', '/doi-tra/', '/quyen-rieng-tu/'].map((path) => ({ path })),
    ...categories.map((c) => ({ path: href.category(c.slug) })),
    ...products.map((p) => ({ path: href.product(p.slug), lastmod: p.publishedAt.slice(0, 10) })),
    ...producers.map((p) => ({ path: href.producer(p.slug) })),
  ];
  const loc = (lang: (typeof LANGS)[number], path: string) =>
    escape(new URL(localizePath(lang, path), base).href);
  const urls = entries.flatMap((e) => {
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
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
  return new Response(body, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': SLOW_CACHE_CONTROL },
  });
};
