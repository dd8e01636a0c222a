/**
 * Writes shared/data/former-units-2025.json: the communes, wards and towns in force before the
 * 2025 reform (10,600 of them, with their districts) and the 2025 commune or communes each became,
 * from the conversion table of the `vietnamadminunits` project (MIT, see
 * shared/data/former-units-2025.LICENSE), file `data/interim/convert_legacy_2025_simple.csv`.
 * Only rows whose 2025 commune is in shared/data/vn-admin-units-2025.json are kept.
 *
 *   npx tsx infra/tools/former-units.ts path/to/convert_legacy_2025_simple.csv
 *
 * Shape, by 2025 province code: `{ districts: [name, former province, [codes]][],
 * wards: [name, district index, [codes]][] }` (a ward split between communes lists each).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const source = process.argv[2];
if (!source) throw new Error('usage: tsx infra/tools/former-units.ts convert_legacy_2025_simple.csv');
const units = JSON.parse(
  readFileSync(new URL('../../shared/data/vn-admin-units-2025.json', import.meta.url), 'utf8'),
) as { code: string; wards: { code: string }[] }[];
const provinceOf = new Map(units.flatMap((p) => p.wards.map((w) => [w.code, p.code] as const)));

type Out = { districts: [string, string, string[]][]; wards: [string, number, string[]][] };
const out = new Map<string, Out>();
const [header, ...rows] = readFileSync(source, 'utf8').trim().split('\n');
const names = header!.split(',');
const col = (name: string) => {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};
let skipped = 0;
for (const row of rows) {
  const c = row.split(',');
  const code = c[col('newWardCode')]!;
  const province = provinceOf.get(code);
  if (!province || province !== c[col('newProvinceCode')]) {
    skipped++;
    continue;
  }
  const entry = out.get(province) ?? { districts: [], wards: [] };
  out.set(province, entry);
  const district = c[col('district')]!;
  const formerProvince = c[col('province')]!;
  let d = entry.districts.findIndex(([name, p]) => name === district && p === formerProvince);
  if (d < 0) d = entry.districts.push([district, formerProvince, []]) - 1;
  const codes = entry.districts[d]![2];
  if (!codes.includes(code)) codes.push(code);
  const name = c[col('ward')]!;
  const ward = entry.wards.find(([n, di]) => n === name && di === d);
  if (ward) {
    if (!ward[2].includes(code)) ward[2].push(code);
  } else entry.wards.push([name, d, [code]]);
}
const sorted = Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b)));
const target = new URL('../../shared/data/former-units-2025.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(sorted)}\n`);
console.log(
  `wrote ${rows.length - skipped} rows for ${out.size} provinces (${skipped} skipped: unknown 2025 code)`,
);
