/**
 * A compact text form of the 2025 administrative units: one line per province,
 * `code|name|<ward name>|<ward name>…`, with the common prefixes "Xã " and "Phường " written as
 * "~" and "^". The wards' codes are kept apart (shared/data/admin-unit-codes-2025.ts, the
 * province's 5-digit codes in the same order), so functions that only validate codes load those.
 */
export interface Commune {
  code: string;
  name: string;
}
export interface Province {
  code: string;
  name: string;
  wards: Commune[];
}

const PREFIXES: [string, string][] = [
  ['Xã ', '~'],
  ['Phường ', '^'],
];

export function encodeProvince(province: Province): string {
  const wards = province.wards.map((w) => {
    const prefix = PREFIXES.find(([full]) => w.name.startsWith(full));
    return prefix ? prefix[1] + w.name.slice(prefix[0].length) : w.name;
  });
  return [province.code, province.name, ...wards].join('|');
}

/** The codes of a province's wards as kept apart: 5 digits each, in order. */
export function encodeCodes(province: Province): string {
  return province.wards.map((w) => w.code).join('');
}

export function decodeProvince(line: string, codes: string): Province {
  const [code = '', name = '', ...wards] = line.split('|');
  if (codes.length !== wards.length * 5) throw new Error(`admin units of ${code}: codes and names disagree`);
  return {
    code,
    name,
    wards: wards.map((rest, i) => {
      const prefix = PREFIXES.find(([, short]) => rest.startsWith(short));
      return { code: codes.slice(i * 5, i * 5 + 5), name: prefix ? prefix[0] + rest.slice(1) : rest };
    }),
  };
}
