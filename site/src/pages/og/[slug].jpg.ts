/**
 * /og/<product slug>.jpg — the product's link-preview card (photo, name, price, OCOP stars),
 * rendered with sharp at build time (shared/images/og-card.ts).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { renderOgCard } from '../../../../shared/images/og-card.ts';
import { formatVnd } from '../../../../shared/domain/money.ts';
import { getProductDetails } from '../../lib/catalog.ts';
import { SITE } from '../../site.ts';

type ProductDetail = Awaited<ReturnType<typeof getProductDetails>>[number];

export const getStaticPaths = (async () => {
  const details = await getProductDetails();
  return details.map((product) => ({ params: { slug: product.slug }, props: { product } }));
}) satisfies GetStaticPaths;

async function photoOf(product: ProductDetail): Promise<Buffer | undefined> {
  const first = product.images[0];
  const origin = process.env.EXCHANGE_API_URL;
  if (!first || !origin) return undefined;
  const res = await fetch(new URL(first.src, origin)).catch(() => undefined);
  return res?.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
}

export const GET: APIRoute = async ({ props }) => {
  const product = (props as { product: ProductDetail }).product;
  const { min, max } = product.price;
  const card = await renderOgCard({
    name: product.name.vi,
    price: min === max ? formatVnd(min) : `từ ${formatVnd(min)}`,
    ocopStars: product.ocop?.stars ?? null,
    producer: `${product.producer.name} · ${product.producer.commune.name}`,
    siteName: SITE.name,
    photo: await photoOf(product),
  });
  return new Response(new Uint8Array(card), { headers: { 'content-type': 'image/jpeg' } });
};
