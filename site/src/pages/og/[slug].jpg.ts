/**
 * /og/<product slug>.jpg — the product's link-preview card (photo, name, price, OCOP stars),
 * rendered with sharp on request (shared/images/og-card.ts) like the product page it belongs to,
 * and cached long at CloudFront (invalidated with the product's page).
 */
import type { APIRoute } from 'astro';
import { renderOgCard } from '../../../../shared/images/og-card.ts';
import { formatVnd } from '../../../../shared/domain/money.ts';
import { findProduct } from '../../lib/catalog.ts';
import { SLOW_CACHE_CONTROL } from '../../render/cache.ts';
import { SITE } from '../../site.ts';

export const prerender = false;

type ProductDetail = NonNullable<Awaited<ReturnType<typeof findProduct>>>;

/** The first photo, from the site's /media/ (MEDIA_ORIGIN in AWS, where the renderer is not the site). */
async function photoOf(product: ProductDetail, requestUrl: URL): Promise<Buffer | undefined> {
  const first = product.images[0];
  if (!first) return undefined;
  const res = await fetch(new URL(first.src, process.env.MEDIA_ORIGIN ?? requestUrl.origin), {
    signal: AbortSignal.timeout(5_000),
  }).catch(() => undefined);
  return res?.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
}

export const GET: APIRoute = async ({ params, url }) => {
  const product = params.slug ? await findProduct(params.slug) : null;
  if (!product) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const { min, max } = product.price;
  const card = await renderOgCard({
    name: product.name.vi,
    price: min === max ? formatVnd(min) : `từ ${formatVnd(min)}`,
    ocopStars: product.ocop?.stars ?? null,
    producer: `${product.producer.name} · ${product.producer.commune.name}`,
    siteName: SITE.name,
    photo: await photoOf(product, url),
  });
  return new Response(new Uint8Array(card), {
    headers: { 'content-type': 'image/jpeg', 'cache-control': SLOW_CACHE_CONTROL },
  });
};
