/** /robots.txt: the storefront is open to crawlers; seller, checkout and account pages are not. */
import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ site }) => {
  const base = site ?? new URL('http://localhost:8080');
  const body = [
    'User-agent: *',
    'Disallow: /ban-hang/',
    'Disallow: /hop-tac-xa/',
    'Disallow: /quan-tri/',
    'Disallow: /thanh-toan/',
    'Disallow: /gio-hang/',
    'Disallow: /don-hang/',
    'Disallow: /en/thanh-toan/',
    'Disallow: /en/gio-hang/',
    'Disallow: /en/don-hang/',
    'Disallow: /en/tim-kiem/',
    'Disallow: /tim-kiem/',
    'Disallow: /api/',
    'Disallow: /dev/',
    '',
    `Sitemap: ${new URL('/sitemap.xml', base).href}`,
    '',
  ].join('\n');
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
