/**
 * The pre-2025 units the carriers still key addresses by, rebuilt from
 * shared/data/former-units-2025.json (each former province, district and ward, and the 2025
 * communes each became). The emulators serve them in each carrier's master-data shape with
 * synthetic but stable ids (the same data always gives the same ids), so
 * `npm run carriers:areas` runs against an emulator exactly as it runs against the carrier.
 *
 * Ids: provinces 201…, districts 1401…, ward codes the district id and the ward's place in it
 * (`140103`). Regions (for the emulators' zones): by the 2025 province code, below 38 the North,
 * below 75 the Centre and the Highlands, else the South.
 */
import { readFileSync } from 'node:fs';

export type Zone = 'same_province' | 'same_region' | 'other_region';
export type Region = 'north' | 'central' | 'south';

export interface FormerProvince {
  id: number;
  /** As the former unit was named ("Tỉnh Bắc Kạn", "Thành phố Hà Nội"). */
  name: string;
  region: Region;
}
export interface FormerDistrict {
  id: number;
  provinceId: number;
  name: string;
}
export interface FormerWard {
  /** The synthetic carrier ward code. */
  code: string;
  districtId: number;
  name: string;
  /** The 2025 communes this ward (or part of it) became. */
  communes: string[];
}

export interface FormerUnits {
  provinces: FormerProvince[];
  districts: FormerDistrict[];
  wards: FormerWard[];
  provinceById: Map<number, FormerProvince>;
  districtById: Map<number, FormerDistrict>;
  wardByCode: Map<string, FormerWard>;
}

type Source = Record<
  string,
  { districts: [string, string, string[]][]; wards: [string, number, string[]][] }
>;

let cached: FormerUnits | undefined;

export function formerUnits(): FormerUnits {
  if (cached) return cached;
  const source = JSON.parse(
    readFileSync(new URL('../../../shared/data/former-units-2025.json', import.meta.url), 'utf8'),
  ) as Source;
  const provinces: FormerProvince[] = [];
  const districts: FormerDistrict[] = [];
  const wards: FormerWard[] = [];
  const provinceByName = new Map<string, FormerProvince>();
  const districtByKey = new Map<string, FormerDistrict>();
  const wardByKey = new Map<string, FormerWard>();
  const wardsIn = new Map<number, number>();
  for (const [code2025, entry] of Object.entries(source)) {
    const region: Region = Number(code2025) < 38 ? 'north' : Number(code2025) < 75 ? 'central' : 'south';
    const districtOf: FormerDistrict[] = [];
    for (const [name, provinceName] of entry.districts) {
      let province = provinceByName.get(provinceName);
      if (!province) {
        province = { id: 201 + provinces.length, name: provinceName, region };
        provinces.push(province);
        provinceByName.set(provinceName, province);
      }
      const key = `${provinceName}|${name}`;
      let district = districtByKey.get(key);
      if (!district) {
        district = { id: 1401 + districts.length, provinceId: province.id, name };
        districts.push(district);
        districtByKey.set(key, district);
      }
      districtOf.push(district);
    }
    for (const [name, index, communes] of entry.wards) {
      const district = districtOf[index]!;
      const key = `${district.id}|${name}`;
      const known = wardByKey.get(key);
      if (known) {
        for (const c of communes) if (!known.communes.includes(c)) known.communes.push(c);
        continue;
      }
      const n = (wardsIn.get(district.id) ?? 0) + 1;
      wardsIn.set(district.id, n);
      const ward = {
        code: `${district.id}${String(n).padStart(2, '0')}`,
        districtId: district.id,
        name,
        communes: [...communes],
      };
      wards.push(ward);
      wardByKey.set(key, ward);
    }
  }
  cached = {
    provinces,
    districts,
    wards,
    provinceById: new Map(provinces.map((p) => [p.id, p])),
    districtById: new Map(districts.map((d) => [d.id, d])),
    wardByCode: new Map(wards.map((w) => [w.code, w])),
  };
  return cached;
}

/** The province name without "Tỉnh" / "Thành phố", as GHN and GHTK write it ("Bắc Kạn", "Hà Nội"). */
export function shortProvinceName(name: string): string {
  return name.replace(/^(Tỉnh|Thành phố)\s+/u, '');
}

export function zoneBetween(a: FormerProvince, b: FormerProvince): Zone {
  if (a.id === b.id) return 'same_province';
  return a.region === b.region ? 'same_region' : 'other_region';
}

/** Finds a former province by name, with or without its "Tỉnh" / "Thành phố". */
export function provinceNamed(name: string): FormerProvince | undefined {
  const short = shortProvinceName(name.trim());
  return formerUnits().provinces.find((p) => shortProvinceName(p.name) === short);
}
