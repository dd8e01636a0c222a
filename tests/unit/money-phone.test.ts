import { describe, expect, it } from 'vitest';
import { formatVnd, isVnd, pricePer100g } from '../../shared/domain/money.ts';
import { toE164, toLocalDisplay } from '../../shared/domain/phone.ts';
import { packLabel } from '../../shared/domain/product.ts';

describe('money', () => {
  it('formats whole đồng the Vietnamese way', () => {
    // Intl puts a non-breaking space before the symbol.
    expect(formatVnd(150_000)).toBe('150.000\u00a0₫');
    expect(formatVnd(2_200_000)).toBe('2.200.000\u00a0₫');
    expect(formatVnd(0)).toBe('0\u00a0₫');
  });

  it('computes price per 100 g for weighed packs only', () => {
    expect(pricePer100g(430_000, 200)).toBe(215_000);
    expect(pricePer100g(820_000, 1000)).toBe(82_000);
    expect(pricePer100g(95_000, 250)).toBe(38_000);
    expect(pricePer100g(100_000, 300)).toBe(33_333);
    expect(pricePer100g(65_000, undefined)).toBeNull();
  });

  it('accepts only whole non-negative amounts', () => {
    expect(isVnd(150_000)).toBe(true);
    expect(isVnd(1.5)).toBe(false);
    expect(isVnd(-1)).toBe(false);
    expect(isVnd('150000')).toBe(false);
  });

  it('labels packs', () => {
    expect(packLabel({ grams: 200 })).toBe('200 g');
    expect(packLabel({ grams: 1000 })).toBe('1 kg');
    expect(packLabel({ unit: 'hộp 25 túi' })).toBe('hộp 25 túi');
  });
});

describe('phone numbers', () => {
  it('accepts Vietnamese mobiles in common forms and stores E.164', () => {
    expect(toE164('0912 345 678')).toBe('+84912345678');
    expect(toE164('+84 912.345.678')).toBe('+84912345678');
    expect(toE164('84356000301')).toBe('+84356000301');
    expect(toE164('0812345678')).toBe('+84812345678');
  });

  it('rejects landlines, short numbers and other prefixes', () => {
    expect(toE164('0243 123 4567')).toBeNull();
    expect(toE164('091234567')).toBeNull();
    expect(toE164('0112345678')).toBeNull();
    expect(toE164('+1 912 345 678')).toBeNull();
  });

  it('shows the local form', () => {
    expect(toLocalDisplay('+84912345678')).toBe('0912 345 678');
  });
});
