/**
 * Where a parcel from Thái Nguyên goes, and how long it takes: the region of the buyer's
 * province prices the delivery (shipping.ts) and estimates its arrival. Pure and free of zod, so
 * the storefront's tracking page imports it as it is.
 */
import { THAI_NGUYEN_PROVINCE_CODE } from '../domain/admin-codes.ts';

export type Region = 'in_province' | 'north' | 'elsewhere';

/**
 * Province codes of the 2025 units below 38 (Thanh Hoá) are the northern provinces and cities:
 * a parcel from Thái Nguyên reaches them in a day or two.
 */
export function regionOf(provinceCode: string): Region {
  if (provinceCode === THAI_NGUYEN_PROVINCE_CODE) return 'in_province';
  return Number(provinceCode) < 38 ? 'north' : 'elsewhere';
}

/**
 * Days from the cooperative's confirmation to the door, by region: what the carriers the
 * cooperatives use (Viettel Post, VNPost, GHN) quote for standard parcels from Thái Nguyên. Pickup
 * is ready at the cooperative the day after it confirms.
 */
export const DELIVERY_DAYS: Readonly<Record<Region | 'pickup', readonly [number, number]>> = {
  pickup: [1, 1],
  in_province: [1, 2],
  north: [2, 3],
  elsewhere: [3, 5],
};

/** When an order should arrive (or be ready), counted from `from` (its confirmation or placing). */
export function deliveryEstimate(
  delivery: { method: 'pickup' } | { method: 'shipping'; address: { provinceCode: string } },
  from: Date,
): { region: Region | 'pickup'; earliest: Date; latest: Date } {
  const region = delivery.method === 'pickup' ? 'pickup' : regionOf(delivery.address.provinceCode);
  const [min, max] = DELIVERY_DAYS[region];
  const day = 86_400_000;
  return {
    region,
    earliest: new Date(from.getTime() + min * day),
    latest: new Date(from.getTime() + max * day),
  };
}
