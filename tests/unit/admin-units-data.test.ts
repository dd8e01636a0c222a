import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listProvinces } from '../../shared/domain/admin-units.ts';
import { decodeProvince, encodeProvince, type Province } from '../../shared/domain/admin-units-codec.ts';

const original = JSON.parse(
  readFileSync(new URL('../../shared/data/vn-admin-units-2025.json', import.meta.url), 'utf8'),
) as Province[];

describe('compact administrative units', () => {
  it('decode to exactly the published 2025 list (regenerate with infra/tools/compact-admin-units.ts)', () => {
    expect(listProvinces()).toEqual(original);
    expect(original.flatMap((p) => p.wards)).toHaveLength(3321);
  });

  it('round-trip any province', () => {
    for (const province of original) expect(decodeProvince(encodeProvince(province))).toEqual(province);
  });
});
