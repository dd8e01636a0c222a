/**
 * The emulators' stated fee tables (shown on the control page): deterministic, so a test and a
 * person at the checkout can work the fee out by hand. Zones from the pickup and delivery
 * addresses' former provinces (master-data.ts): the same province, the same region (North,
 * Centre and Highlands, South), another region.
 *
 *   fee = base[zone] + perExtra500g[zone] × ⌈(grams − 500) / 500⌉ (none up to 500 g)
 *       + COD fee (codRate × COD, rounded to the dong; 0 without COD)
 *       + insurance (insuranceRate × declared value, only from insuranceFrom upwards)
 *
 * Delivery: `leadDays[zone]` days after the order, by the end of that day (Vietnam time).
 */
import type { Zone } from './master-data.ts';

export interface FeeTable {
  base: Record<Zone, number>;
  perExtra500g: Record<Zone, number>;
  codRate: number;
  insuranceRate: number;
  /** Declared values below this are insured free. */
  insuranceFrom: number;
  leadDays: Record<Zone, number>;
}

export const FEE_TABLES: Record<'ghn' | 'ghtk', FeeTable> = {
  ghn: {
    base: { same_province: 22_000, same_region: 30_000, other_region: 38_000 },
    perExtra500g: { same_province: 2_500, same_region: 5_000, other_region: 8_000 },
    codRate: 0.005,
    insuranceRate: 0.005,
    insuranceFrom: 1_000_000,
    leadDays: { same_province: 1, same_region: 2, other_region: 4 },
  },
  ghtk: {
    base: { same_province: 20_000, same_region: 28_000, other_region: 35_000 },
    perExtra500g: { same_province: 2_500, same_region: 5_000, other_region: 7_500 },
    codRate: 0,
    insuranceRate: 0.005,
    insuranceFrom: 1_000_000,
    leadDays: { same_province: 1, same_region: 3, other_region: 5 },
  },
};

export const ZONE_NAMES: Record<Zone, string> = {
  same_province: 'Nội tỉnh',
  same_region: 'Nội miền',
  other_region: 'Liên miền',
};

export interface FeeParts {
  service: number;
  cod: number;
  insurance: number;
  total: number;
}

export function feeOf(
  table: FeeTable,
  zone: Zone,
  parcel: { weightGrams: number; codAmount: number; insuredValue: number },
): FeeParts {
  const extraSteps = Math.max(0, Math.ceil((parcel.weightGrams - 500) / 500));
  const service = table.base[zone] + table.perExtra500g[zone] * extraSteps;
  const cod = Math.round(parcel.codAmount * table.codRate);
  const insurance =
    parcel.insuredValue >= table.insuranceFrom ? Math.round(parcel.insuredValue * table.insuranceRate) : 0;
  return { service, cod, insurance, total: service + cod + insurance };
}

/** The end of the Vietnam day `days` after `at`. */
export function deliveryBy(at: Date, days: number): Date {
  const vn = new Date(at.getTime() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
  return new Date(`${vn}T23:59:59+07:00`);
}
