/**
 * A compact text form of the 2025 administrative units: one line per province,
 * `code|name|<ward name>|<ward name>…`, with the common prefixes "Xã " and "Phường " written as
 * "~" and "^". The wards' codes are kept apart (shared/data/admin-unit-codes-2025.ts, in the
 * same order), so functions that only validate codes load those: each code as its difference
 * from the one before, in base 36, comma-separated ("4,4,h,…" for 00004, 00008, 00025, …), which
 * is 6.7 KB for the country's 3,321 codes instead of 16.6 KB as 5-digit runs.
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

/** The codes of a province's wards as kept apart: base-36 differences, in order. */
export function encodeCodes(province: Province): string {
  let previous = 0;
  return province.wards
    .map((w) => {
      const value = Number(w.code);
      const delta = value - previous;
      previous = value;
      return delta.toString(36);
    })
    .join(',');
}

/** The 5-digit codes back from `encodeCodes`, in order. */
export function decodeCodes(encoded: string): string[] {
  if (!encoded) return [];
  let value = 0;
  return encoded.split(',').map((delta) => {
    value += parseInt(delta, 36);
    return String(value).padStart(5, '0');
  });
}

export function decodeProvince(line: string, encodedCodes: string): Province {
  const [code = '', name = '', ...wards] = line.split('|');
  const codes = decodeCodes(encodedCodes);
  if (codes.length !== wards.length) throw new Error(`admin units of ${code}: codes and names disagree`);
  return {
    code,
    name,
    wards: wards.map((rest, i) => {
      const prefix = PREFIXES.find(([, short]) => rest.startsWith(short));
      return { code: codes[i]!, name: prefix ? prefix[0] + rest.slice(1) : rest };
    }),
  };
}
