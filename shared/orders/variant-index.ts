/**
 * Where a pack belongs: its product and seller. Checkout needs it to know which items to read
 * before it reads them. A pack never moves to another product or seller, so an answer is kept
 * for the life of the container (bounded: the oldest answers go first); a pack not found is
 * asked again next time, since it may be brand new. The seller's cooperative is not part of the
 * answer: checkout reads the seller and, from its current membership, the cooperative.
 *
 * Each look-up is two small reads (the pack by its id on byPublicId, then its product's seller),
 * so no container ever loads the catalog to place an order.
 */
import { placeOfVariant } from '../db/variant-places.ts';
import type { VariantPlace } from './checkout.ts';

export type FindVariantPlace = (variantId: string) => Promise<VariantPlace | undefined>;

export function createVariantIndex(
  options: { maxEntries?: number; find?: FindVariantPlace } = {},
): FindVariantPlace {
  const maxEntries = options.maxEntries ?? 100_000;
  const find = options.find ?? placeOfVariant;
  const known = new Map<string, Promise<VariantPlace | undefined>>();
  return (variantId) => {
    const hit = known.get(variantId);
    if (hit) return hit;
    const place = find(variantId);
    known.set(variantId, place);
    // Only a found place is kept: a miss or a failure is asked again on the next checkout.
    place.then(
      (found) => {
        if (!found) known.delete(variantId);
      },
      () => known.delete(variantId),
    );
    if (known.size > maxEntries) known.delete(known.keys().next().value!);
    return place;
  };
}
