import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCommuneInProvince } from '../../shared/domain/admin-codes.ts';
import { listProvinces } from '../../shared/domain/admin-units.ts';
import {
  decodeProvince,
  encodeCodes,
  encodeProvince,
  type Province,
} from '../../shared/domain/admin-units-codec.ts';

const original = JSON.parse(
  readFileSync(new URL('../../shared/data/vn-admin-units-2025.json', import.meta.url), 'utf8'),
) as Province[];

describe('compact administrative units', () => {
  it('decode to exactly the published 2025 list (regenerate with infra/tools/compact-admin-units.ts)', () => {
    expect(listProvinces()).toEqual(original);
    expect(original.flatMap((p) => p.wards)).toHaveLength(3321);
  });

  it('the codes-only table places every commune in its province and nowhere else', () => {
    for (const province of original) {
      for (const ward of province.wards) expect(isCommuneInProvince(province.code, ward.code)).toBe(true);
    }
    expect(isCommuneInProvince('19', '00004')).toBe(false); // Ba Đình is in Hà Nội
    expect(isCommuneInProvince('01', '00004')).toBe(true);
    expect(isCommuneInProvince('01', '99999')).toBe(false);
  });

  it('round-trip any province', () => {
    for (const province of original)
      expect(decodeProvince(encodeProvince(province), encodeCodes(province))).toEqual(province);
  });
});
