import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Province } from '../../shared/domain/admin-units-codec.ts';
import {
  indexCommunes,
  indexFormerUnits,
  looksLikeFormerName,
  searchCommunes,
  type FormerUnits,
} from '../../shared/domain/commune-search.ts';

const read = <T>(file: string) =>
  JSON.parse(readFileSync(new URL(`../../shared/data/${file}`, import.meta.url), 'utf8')) as T;
const units = read<Province[]>('vn-admin-units-2025.json');
const former = read<Record<string, FormerUnits>>('former-units-2025.json');

const find = (province: string, query: string) => {
  const communes = indexCommunes(units.find((p) => p.code === province)!.wards);
  return searchCommunes(communes, query, indexFormerUnits(former[province]!)).map((m) =>
    m.formerly ? `${m.commune.name} ← ${m.formerly}` : m.commune.name,
  );
};

describe('commune search with the names in force before 2025', () => {
  it('a former ward finds the 2025 ward it became (a split ward finds each part)', () => {
    expect(find('01', 'Dịch Vọng')).toEqual([
      'Phường Cầu Giấy ← Phường Dịch Vọng, Quận Cầu Giấy',
      'Phường Nghĩa Đô ← Phường Dịch Vọng, Quận Cầu Giấy',
    ]);
    expect(find('19', 'quang trung')).toEqual([
      'Phường Phan Đình Phùng ← Phường Quang Trung, Thành phố Thái Nguyên',
    ]);
    // The former Bắc Kạn province is in Thái Nguyên since 2025.
    expect(find('19', 'nguyen thi minh khai')).toEqual([
      'Phường Đức Xuân ← Phường Nguyễn Thị Minh Khai, Thành Phố Bắc Kạn',
    ]);
  });

  it('2025 names come first; a former district typed whole lists the communes it became', () => {
    const daiTu = find('19', 'Đại Từ');
    expect(daiTu[0]).toBe('Xã Đại Từ');
    expect(daiTu.slice(1).every((name) => name.endsWith('← Huyện Đại Từ, Tỉnh Thái Nguyên'))).toBe(true);
    expect(daiTu).toContain('Xã La Bằng ← Huyện Đại Từ, Tỉnh Thái Nguyên');
    expect(find('19', 'tan cuong')).toEqual(['Xã Tân Cương']);
    // Part of a district's name is not the district.
    expect(find('19', 'dai').some((name) => name.includes('Huyện Đại Từ'))).toBe(false);
  });

  it('a name that is neither 2025 nor former is flagged for the "names changed" hint', () => {
    const communes = indexCommunes(units.find((p) => p.code === '19')!.wards);
    const none = searchCommunes(communes, 'khong co xa nay', indexFormerUnits(former['19']!));
    expect(none).toEqual([]);
    expect(looksLikeFormerName('khong co xa nay', none)).toBe(true);
    expect(looksLikeFormerName('x', [])).toBe(false);
  });

  it('covers every former commune of Thái Nguyên and Bắc Kạn, and every 2025 province', () => {
    expect(Object.keys(former).sort()).toEqual(units.map((p) => p.code).sort());
    const tn = former['19']!;
    const formerProvinces = new Set(tn.districts.map(([, province]) => province));
    expect([...formerProvinces].sort()).toEqual(['Tỉnh Bắc Kạn', 'Tỉnh Thái Nguyên']);
    // 172 units of Thái Nguyên and 108 of Bắc Kạn on 30 June 2025.
    expect(tn.wards).toHaveLength(280);
    const codes = new Set(units.find((p) => p.code === '19')!.wards.map((w) => w.code));
    for (const [, , to] of tn.wards) for (const code of to) expect(codes.has(code)).toBe(true);
  });
});
