/**
 * A compact text form of the 2025 administrative units: one line per province,
 * `code|name|<ward>|<ward>…`, each ward its 5-digit code then its name, with the common
 * prefixes "Xã " and "Phường " written as "~" and "^".
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
    return w.code + (prefix ? prefix[1] + w.name.slice(prefix[0].length) : w.name);
  });
  return [province.code, province.name, ...wards].join('|');
}

export function decodeProvince(line: string): Province {
  const [code = '', name = '', ...wards] = line.split('|');
  return {
    code,
    name,
    wards: wards.map((w) => {
      const rest = w.slice(5);
      const prefix = PREFIXES.find(([, short]) => rest.startsWith(short));
      return { code: w.slice(0, 5), name: prefix ? prefix[0] + rest.slice(1) : rest };
    }),
  };
}
