/**
 * Vietnam's administrative units after the 1 July 2025 reform: 34 provinces and 3,321
 * communes/wards, two levels, no districts. Addresses store codes and show names.
 * Data: shared/data/vn-admin-units-2025.json (MIT, see the LICENSE file beside it), bundled in
 * the compact form of admin-units-codec.ts, Brotli-compressed.
 */
import { brotliDecompressSync } from 'node:zlib';
import { PROVINCES_2025_BROTLI } from '../data/admin-units-2025.compact.ts';
import { COMMUNE_CODES_2025 } from '../data/admin-unit-codes-2025.ts';
import { decodeProvince, type Commune, type Province } from './admin-units-codec.ts';

export type { Commune, Province };

export { isCommuneInProvince, THAI_NGUYEN_PROVINCE_CODE } from './admin-codes.ts';

interface Units {
  provinces: Province[];
  provinceByCode: Map<string, Province>;
  communeByCode: Map<string, { commune: Commune; province: Province }>;
}

let units: Units | undefined;

/** Inflated on first use (about 1 ms), so a function that never shows a name never pays for it. */
function load(): Units {
  if (units) return units;
  const lines = brotliDecompressSync(Buffer.from(PROVINCES_2025_BROTLI, 'base64'))
    .toString('utf8')
    .split('\n');
  const provinces = lines.map((line) => decodeProvince(line, COMMUNE_CODES_2025[line.slice(0, 2)] ?? ''));
  const communeByCode = new Map<string, { commune: Commune; province: Province }>();
  for (const province of provinces) {
    for (const commune of province.wards) communeByCode.set(commune.code, { commune, province });
  }
  units = { provinces, provinceByCode: new Map(provinces.map((p) => [p.code, p])), communeByCode };
  return units;
}

export function listProvinces(): readonly Province[] {
  return load().provinces;
}

export function findProvince(code: string): Province | undefined {
  return load().provinceByCode.get(code);
}

/** The commune and the province it belongs to, or undefined for an unknown code. */
export function findCommune(code: string): { commune: Commune; province: Province } | undefined {
  return load().communeByCode.get(code);
}
