/**
 * Vietnam's administrative units after the 1 July 2025 reform: 34 provinces and 3,321
 * communes/wards, two levels, no districts. Addresses store codes and show names.
 * Data: shared/data/vn-admin-units-2025.json (MIT, see the LICENSE file beside it), bundled in
 * the compact form of admin-units-codec.ts.
 */
import { PROVINCES_2025 } from '../data/admin-units-2025.compact.ts';
import { COMMUNE_CODES_2025 } from '../data/admin-unit-codes-2025.ts';
import { decodeProvince, type Commune, type Province } from './admin-units-codec.ts';

export type { Commune, Province };

export { isCommuneInProvince, THAI_NGUYEN_PROVINCE_CODE } from './admin-codes.ts';

const provinces: Province[] = PROVINCES_2025.map((line) =>
  decodeProvince(line, COMMUNE_CODES_2025[line.slice(0, 2)] ?? ''),
);
const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
const communeByCode = new Map<string, { commune: Commune; province: Province }>();
for (const province of provinces) {
  for (const commune of province.wards) communeByCode.set(commune.code, { commune, province });
}

export function listProvinces(): readonly Province[] {
  return provinces;
}

export function findProvince(code: string): Province | undefined {
  return provinceByCode.get(code);
}

/** The commune and the province it belongs to, or undefined for an unknown code. */
export function findCommune(code: string): { commune: Commune; province: Province } | undefined {
  return communeByCode.get(code);
}
