import { describe, expect, it } from 'vitest';
import {
  findCommune,
  isCommuneInProvince,
  listProvinces,
  THAI_NGUYEN_PROVINCE_CODE,
} from '../../shared/domain/admin-units.ts';
import { Address } from '../../shared/domain/common.ts';
import { currentOcop, isOcopValid, ocopExpiresOn } from '../../shared/domain/ocop.ts';
import { Producer } from '../../shared/domain/producer.ts';
import { Variant } from '../../shared/domain/product.ts';
import { createMockProducer } from '../fixtures.ts';

describe('2025 administrative units', () => {
  it('has 34 provinces and Thái Nguyên with its 92 communes', () => {
    expect(listProvinces()).toHaveLength(34);
    const tn = listProvinces().find((p) => p.code === THAI_NGUYEN_PROVINCE_CODE);
    expect(tn?.name).toBe('Tỉnh Thái Nguyên');
    expect(tn?.wards).toHaveLength(92);
    expect(findCommune('05503')?.commune.name).toBe('Xã Tân Cương');
  });

  it('checks that the commune lies in the province', () => {
    expect(isCommuneInProvince('19', '05503')).toBe(true);
    expect(isCommuneInProvince('01', '05503')).toBe(false);
    expect(Address.safeParse({ provinceCode: '19', communeCode: '05818' }).success).toBe(true);
    const wrong = Address.safeParse({ provinceCode: '01', communeCode: '05818' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.path).toEqual(['communeCode']);
  });
});

describe('OCOP certificates', () => {
  it('expire 36 months after the decision date', () => {
    expect(ocopExpiresOn('2024-06-12')).toBe('2027-06-12');
    expect(ocopExpiresOn('2023-02-28')).toBe('2026-02-28');
    // 29 Feb has no twin three years later: the last day of February.
    expect(ocopExpiresOn('2024-02-29')).toBe('2027-02-28');
  });

  it('are valid only while verified and not expired', () => {
    const cert = { verified: true, decisionDate: '2024-06-12', stars: 4 as const };
    expect(isOcopValid(cert, '2026-11-26')).toBe(true);
    expect(isOcopValid(cert, '2027-06-11')).toBe(true);
    expect(isOcopValid(cert, '2027-06-12')).toBe(false);
    expect(isOcopValid({ ...cert, verified: false }, '2026-11-26')).toBe(false);
    expect(isOcopValid(cert, '2024-06-11')).toBe(false);
  });

  it('show the best valid certificate', () => {
    const certs = [
      { verified: true, decisionDate: '2022-01-01', stars: 5 as const },
      { verified: true, decisionDate: '2025-01-01', stars: 3 as const },
      { verified: false, decisionDate: '2025-01-01', stars: 4 as const },
    ];
    expect(currentOcop(certs, '2026-11-26')?.stars).toBe(3);
    expect(currentOcop([], '2026-11-26')).toBeNull();
  });
});

describe('write schemas', () => {
  it('reject unknown fields (a producer cannot set what it does not own)', () => {
    const result = Producer.safeParse({ ...createMockProducer(), isAdmin: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('store Vietnamese text as NFC and phones as E.164', () => {
    const parsed = Producer.parse(
      createMockProducer({ name: 'HTX Tân Cương'.normalize('NFD'), phone: '0912 000 101' }),
    );
    expect(parsed.name).toBe('HTX Tân Cương'.normalize('NFC'));
    expect(parsed.phone).toBe('+84912000101');
  });

  it('require a pack to be weighed or counted, with a positive whole price', () => {
    expect(Variant.safeParse({ id: 'v', productId: 'p', grams: 200, price: 180_000, stock: 3 }).success).toBe(
      true,
    );
    expect(
      Variant.safeParse({ id: 'v', productId: 'p', grams: 200, unit: 'hộp', price: 1, stock: 3 }).success,
    ).toBe(false);
    expect(Variant.safeParse({ id: 'v', productId: 'p', price: 1, stock: 3 }).success).toBe(false);
    expect(Variant.safeParse({ id: 'v', productId: 'p', grams: 200, price: 1.5, stock: 3 }).success).toBe(
      false,
    );
    expect(Variant.safeParse({ id: 'v', productId: 'p', grams: 200, price: 100, stock: -1 }).success).toBe(
      false,
    );
  });
});
