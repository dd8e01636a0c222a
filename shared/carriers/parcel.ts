/**
 * A parcel from the packs in it: what a carrier prices (weight and size). Weighed packs count
 * their grams; counted packs ("hộp 20 túi") count `COUNTED_PACK_GRAMS` each. Every parcel adds
 * its box and padding. The box grows with the weight in steps a cooperative actually uses.
 */
import type { Parcel } from './types.ts';

/** What a counted pack (box, bag of items) weighs when its grams are not known. */
export const COUNTED_PACK_GRAMS = 300;
/** The box, filler and tape. */
export const PACKING_GRAMS = 100;

/** Boxes by the weight they hold (cm); beyond the last, the last box's size, as several parcels ship. */
const BOXES: readonly { upToGrams: number; size: readonly [number, number, number] }[] = [
  { upToGrams: 500, size: [20, 15, 8] },
  { upToGrams: 1_000, size: [25, 20, 10] },
  { upToGrams: 3_000, size: [30, 25, 15] },
  { upToGrams: 10_000, size: [40, 30, 25] },
  { upToGrams: Infinity, size: [60, 40, 40] },
];

export function parcelOf(
  lines: readonly { grams?: number | undefined; quantity: number }[],
  insuredValue: number,
): Parcel {
  const goods = lines.reduce((sum, l) => sum + (l.grams ?? COUNTED_PACK_GRAMS) * l.quantity, 0);
  const weightGrams = goods + PACKING_GRAMS;
  const [lengthCm, widthCm, heightCm] = BOXES.find((b) => weightGrams <= b.upToGrams)!.size;
  return { weightGrams, lengthCm, widthCm, heightCm, insuredValue };
}
