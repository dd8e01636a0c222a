import { describe, expect, it } from 'vitest';
import { formatVnd } from '../../shared/domain/money.ts';
import { parsePriceInput } from '../../shared/domain/price-input.ts';

const space = (s: string) => s.replace(/\s/g, ' ');

describe('parsePriceInput: prices as typed on a phone', () => {
  it.each([
    ['180000', 180_000],
    ['180.000', 180_000],
    ['180,000', 180_000],
    ['180.000đ', 180_000],
    ['180.000 ₫', 180_000],
    ['1.800.000đ', 1_800_000],
    ['1.800.000 VND', 1_800_000],
    ['180k', 180_000],
    ['180 K', 180_000],
    ['180 nghìn', 180_000],
    ['180 ngàn', 180_000],
    ['1k5', 1_500],
    ['1tr8', 1_800_000],
    ['1tr85', 1_850_000],
    ['1tr05', 1_050_000],
    ['2tr', 2_000_000],
    ['1,8 triệu', 1_800_000],
    ['1.8 triệu', 1_800_000],
    ['1,8tr', 1_800_000],
    ['1,5 trieu dong', 1_500_000],
    ['1.500k', 1_500_000],
    ['2 củ', 2_000_000],
    [' 45 000 ', 45_000],
  ])('%s → %i đồng', (typed, expected) => {
    expect(parsePriceInput(typed)).toBe(expected);
  });

  it.each(['', 'abc', '1,8', '-180k', '180.00', '1tr8k', '1,8tr5', '1k2345', '1.2345k', '18..000', 'k'])(
    'refuses %j',
    (typed) => {
      expect(parsePriceInput(typed)).toBeNull();
    },
  );

  it('reads back the amounts the seller form shows before saving', () => {
    expect(space(formatVnd(parsePriceInput('180k')!))).toBe('180.000 ₫');
    expect(space(formatVnd(parsePriceInput('1tr8')!))).toBe('1.800.000 ₫');
    expect(space(formatVnd(parsePriceInput('1,8 triệu')!))).toBe('1.800.000 ₫');
  });

  it('refuses amounts beyond a safe integer', () => {
    expect(parsePriceInput('99999999999999999999')).toBeNull();
  });
});
