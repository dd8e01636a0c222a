/**
 * Writes shared/data/carrier-areas-<carrier>.json: each 2025 commune in the keys the carrier
 * still uses, through one representative former ward (shared/carriers/areas.ts reads it).
 *
 *   npm run carriers:areas -- --carrier ghn                     against the local emulator
 *   npm run carriers:areas -- --carrier ghn --host https://online-gateway.ghn.vn --token $GHN_TOKEN
 *   npm run carriers:areas -- --carrier ghtk                    (names only: no carrier call)
 *
 * For each 2025 commune the former wards it was formed from (shared/data/former-units-2025.json)
 * are tried in order, the one whose name the commune kept first; the first the carrier knows
 * (province, district and ward matched by folded names, "Tỉnh", "Huyện", "Xã" … ignored) is its
 * key. GHN's keys come from its master data (`master-data/province|district|ward`); GHTK keys by
 * names, so its file holds the former ward's names. Communes with no match are printed: the
 * quote refuses them until the file is regenerated or they are added by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { foldForSearch } from '../../shared/domain/text.ts';
import { listProvinces } from '../../shared/domain/admin-units.ts';
import { startCarrierEmulators, EMULATOR_TOKENS } from '../local/carrier-emulators/server.ts';
import { shortProvinceName } from '../local/carrier-emulators/master-data.ts';

const { values } = parseArgs({
  options: {
    carrier: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    out: { type: 'string' },
  },
});
const carrier = values.carrier;
if (carrier !== 'ghn' && carrier !== 'ghtk') {
  console.error('usage: npm run carriers:areas -- --carrier ghn|ghtk [--host URL --token TOKEN]');
  process.exit(2);
}

/** A unit's name without its kind: "Huyện Phú Lương" → "phu luong", "Phường 10" → "10". */
export function core(name: string): string {
  return foldForSearch(name).replace(
    /^(tinh|thanh pho|tp|quan|huyen|thi xa|tx|thi tran|tt|phuong|xa|dac khu)\s+/,
    '',
  );
}

interface Candidate {
  ward: string;
  district: string;
  province: string;
}

type Source = Record<
  string,
  { districts: [string, string, string[]][]; wards: [string, number, string[]][] }
>;
const former = JSON.parse(
  readFileSync(new URL('../../shared/data/former-units-2025.json', import.meta.url), 'utf8'),
) as Source;
const candidates = new Map<string, Candidate[]>();
for (const entry of Object.values(former)) {
  for (const [ward, index, communes] of entry.wards) {
    const [district, province] = entry.districts[index]!;
    for (const code of communes) {
      const list = candidates.get(code) ?? [];
      list.push({ ward, district, province });
      candidates.set(code, list);
    }
  }
}

const communes = listProvinces().flatMap((p) => p.wards.map((w) => ({ ...w, province: p })));
/** The former wards of a commune, the one whose name it kept first. */
function candidatesOf(code: string, name: string): Candidate[] {
  const list = candidates.get(code) ?? [];
  const kept = core(name);
  return [...list.filter((c) => core(c.ward) === kept), ...list.filter((c) => core(c.ward) !== kept)];
}

const unmatched: { code: string; name: string; province: string }[] = [];
let out: unknown;
let source: string;

if (carrier === 'ghn') {
  const emulators = values.host ? undefined : await startCarrierEmulators();
  const host = values.host ?? emulators!.hosts.ghn;
  const token = values.token ?? process.env.GHN_TOKEN ?? EMULATOR_TOKENS.ghn.api;
  source = values.host
    ? `GHN master data, ${values.host}`
    : 'GHN emulator master data (infra/local/carrier-emulators)';
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${host}/shiip/public-api/master-data/${path}`, {
      headers: { Token: token },
    });
    const body = (await response.json()) as { code: number; message?: string; data: T };
    if (body.code !== 200) throw new Error(`GHN master-data/${path}: ${body.code} ${body.message ?? ''}`);
    return body.data;
  };
  type P = { ProvinceID: number; ProvinceName: string; NameExtension?: string[] };
  type D = { DistrictID: number; ProvinceID: number; DistrictName: string; NameExtension?: string[] };
  type W = { WardCode: string; DistrictID: number; WardName: string; NameExtension?: string[] };
  const names = (x: { NameExtension?: string[] | null }, main: string) => [main, ...(x.NameExtension ?? [])];
  const provinces = await get<P[]>('province');
  const districts = new Map<number, D[]>();
  const wards = new Map<number, W[]>();
  const districtsOf = async (provinceId: number) => {
    if (!districts.has(provinceId))
      districts.set(provinceId, await get<D[]>(`district?province_id=${provinceId}`));
    return districts.get(provinceId)!;
  };
  const wardsOf = async (districtId: number) => {
    if (!wards.has(districtId))
      wards.set(districtId, (await get<W[] | null>(`ward?district_id=${districtId}`)) ?? []);
    return wards.get(districtId)!;
  };
  const findProvince = (name: string) =>
    provinces.find((p) => names(p, p.ProvinceName).some((n) => core(n) === core(shortProvinceName(name))));
  const byName = <T>(list: T[], nameOf: (t: T) => string[], wanted: string) =>
    list.find((x) => nameOf(x).some((n) => foldForSearch(n) === foldForSearch(wanted))) ??
    list.find((x) => nameOf(x).some((n) => core(n) === core(wanted)));

  const result: Record<string, Record<string, string>> = {};
  for (const commune of communes) {
    let found: { districtId: number; wardCode: string } | undefined;
    for (const c of candidatesOf(commune.code, commune.name)) {
      const province = findProvince(c.province);
      if (!province) continue;
      const district = byName(
        await districtsOf(province.ProvinceID),
        (d) => names(d, d.DistrictName),
        c.district,
      );
      if (!district) continue;
      const ward = byName(await wardsOf(district.DistrictID), (w) => names(w, w.WardName), c.ward);
      if (!ward) continue;
      found = { districtId: district.DistrictID, wardCode: ward.WardCode };
      break;
    }
    if (!found) {
      unmatched.push({ code: commune.code, name: commune.name, province: commune.province.name });
      continue;
    }
    (result[found.districtId] ??= {})[commune.code] = found.wardCode;
  }
  await emulators?.stop();
  out = { carrier: 'ghn', source, districts: result };
} else {
  source = 'names of the former units (shared/data/former-units-2025.json); GHTK keys addresses by name';
  const result: Record<string, Record<string, Record<string, string>>> = {};
  for (const commune of communes) {
    const c = candidatesOf(commune.code, commune.name)[0];
    if (!c) {
      unmatched.push({ code: commune.code, name: commune.name, province: commune.province.name });
      continue;
    }
    ((result[shortProvinceName(c.province)] ??= {})[c.district] ??= {})[commune.code] = c.ward;
  }
  out = { carrier: 'ghtk', source, provinces: result };
}

const target =
  values.out ?? new URL(`../../shared/data/carrier-areas-${carrier}.json`, import.meta.url).pathname;
writeFileSync(target, `${JSON.stringify(out)}\n`);
const mapped = communes.length - unmatched.length;
console.log(
  `${carrier}: ${mapped} of ${communes.length} communes mapped (${((mapped / communes.length) * 100).toFixed(2)} %), written to ${target}`,
);
for (const u of unmatched) console.log(`  unmatched: ${u.code} ${u.name}, ${u.province}`);
