/**
 * Shipping fees, per fulfilling cooperative: a flat fee by the buyer's region, free above a
 * threshold, or pickup at the cooperative (free). Each cooperative may set its own rules; the
 * defaults below apply until it does.
 */
import * as z from 'zod';
import { VndAmount } from '../domain/common.ts';
import { regionOf } from './regions.ts';

export { regionOf, type Region } from './regions.ts';

export const ShippingRules = z
  .strictObject({
    flatFee: z.strictObject({ in_province: VndAmount, north: VndAmount, elsewhere: VndAmount }),
    /** Sub-orders of at least this much ship free; null: never free. */
    freeAbove: VndAmount.nullable(),
    pickup: z.boolean(),
    /**
     * The carrier the cooperative ships with, and its account there (GHN's shop id …). Absent:
     * the manual carrier, priced by `flatFee` (the cooperative's own delivery or a carrier it
     * books by hand). With a carrier, checkout shows that carrier's quote and `freeAbove` still
     * applies (the cooperative then pays the carrier).
     */
    carrier: z
      .strictObject({
        id: z.enum(['ghn', 'ghtk', 'viettelpost']),
        shopId: z.string().trim().min(1).max(40).optional(),
      })
      .optional(),
  })
  .meta({ id: 'ShippingRules' });
export type ShippingRules = z.infer<typeof ShippingRules>;

export const DEFAULT_SHIPPING_RULES: ShippingRules = {
  flatFee: { in_province: 20_000, north: 30_000, elsewhere: 45_000 },
  freeAbove: 500_000,
  pickup: true,
};

export function shippingFee(
  rules: ShippingRules,
  subtotal: number,
  delivery: { method: 'pickup' } | { method: 'shipping'; address: { provinceCode: string } },
): number {
  if (delivery.method === 'pickup') return 0;
  if (rules.freeAbove !== null && subtotal >= rules.freeAbove) return 0;
  return rules.flatFee[regionOf(delivery.address.provinceCode)];
}
