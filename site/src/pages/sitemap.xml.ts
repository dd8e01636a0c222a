/**
 * /sitemap.xml: every public page of the built storefront (home, catalog, categories, products,
 * producers, lot trace pages, tracking), with the product's last change as `lastmod`. Seller
 * pages, checkout and results are left out (they are not for search engines).
 */
import type { APIRoute } from 'astro';
import { getActiveCategories, getLotTraces, getProducers, getProducts } from '../lib/catalog.ts';
import { href } from '../lib/format.ts';

const escape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

export const GET: APIRoute = async ({ site }) => {
  const base = site ?? new URL('http://localhost:8080');
  const [products, categories, producers, lots] = await Promise.all([
    getProducts(),
    getActiveCategories(),
    getProducers(),
    getLotTraces(),
  ]);
  const entries: { path: string; lastmod?: string }[] = [
    { path: '/' },
    { path: '/san-pham/' },
    { path: '/nha-san-xuat/' },
    ...['/gioi-thieu/', '/giao-hang/', '/doi-tra/', '/quyen-rieng-tu/'].map((path) => ({ path })),
    ...categories.map((c) => ({ path: href.category(c.slug) })),
    ...products.map((p) => ({ path: href.product(p.slug), lastmod: p.publishedAt.slice(0, 10) })),
    ...producers.map((p) => ({ path: href.producer(p.slug) })),
    ...lots.map((l) => ({ path: href.trace(l.traceCode) })),
  ];
  const urls = entries.map(
    (e) =>
      `  <url><loc>${escape(new URL(e.path, base).href)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
  return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
