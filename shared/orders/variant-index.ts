/**
 * Where a pack belongs (its product, producer and, as last seen, the producer's cooperative),
 * from the raw catalog partition. What a pack belongs to never changes, so a few seconds of
 * staleness only matters for brand-new packs: a miss reloads, at most once a second.
 */
import { loadCatalogInput } from '../db/catalog-input.ts';
import type { CatalogInput } from '../domain/catalog-query.ts';
import type { VariantPlace } from './checkout.ts';

export function variantPlaces(input: CatalogInput): Map<string, VariantPlace> {
  const producers = new Map(input.producers.map((p) => [p.id, p]));
  const products = new Map(input.products.map((p) => [p.id, p]));
  const places = new Map<string, VariantPlace>();
  for (const variant of input.variants) {
    const product = products.get(variant.productId);
    if (!product) continue;
    const membership = producers.get(product.producerId)?.membership;
    places.set(variant.id, {
      productId: product.id,
      producerId: product.producerId,
      ...(membership?.status === 'approved' ? { cooperativeId: membership.cooperativeId } : {}),
    });
  }
  return places;
}

export function createVariantIndex(ttlMs: number, load: () => Promise<CatalogInput> = loadCatalogInput) {
  let cached: { at: number; places: Promise<Map<string, VariantPlace>> } | undefined;
  const refresh = (now: number) => {
    const places = load().then(variantPlaces);
    places.catch(() => {
      if (cached?.places === places) cached = undefined;
    });
    cached = { at: now, places };
    return places;
  };
  return async (variantId: string): Promise<VariantPlace | undefined> => {
    const now = Date.now();
    const places = !cached || now - cached.at >= ttlMs ? await refresh(now) : await cached.places;
    const found = places.get(variantId);
    if (found || now - cached!.at < 1_000) return found;
    return (await refresh(now)).get(variantId);
  };
}
