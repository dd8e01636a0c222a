import { describe, expect, it } from 'vitest';
import { amountInWords, numberInWords } from '../../shared/invoices/amount-words.ts';

describe('amountInWords (standard accounting form)', () => {
  it('reads the example of the invoice', () => {
    expect(amountInWords(1_205_000)).toBe('Một triệu hai trăm linh năm nghìn đồng');
  });

  it.each([
    [0, 'không'],
    [1, 'một'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [31, 'ba mươi mốt'],
    [55, 'năm mươi lăm'],
    [99, 'chín mươi chín'],
    [100, 'một trăm'],
    [101, 'một trăm linh một'],
    [104, 'một trăm linh bốn'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [111, 'một trăm mười một'],
    [115, 'một trăm mười lăm'],
    [121, 'một trăm hai mươi mốt'],
    [1_000, 'một nghìn'],
    [1_001, 'một nghìn không trăm linh một'],
    [1_010, 'một nghìn không trăm mười'],
    [1_015, 'một nghìn không trăm mười lăm'],
    [1_021, 'một nghìn không trăm hai mươi mốt'],
    [10_000, 'mười nghìn'],
    [15_000, 'mười lăm nghìn'],
    [21_000, 'hai mươi mốt nghìn'],
    [105_000, 'một trăm linh năm nghìn'],
    [150_000, 'một trăm năm mươi nghìn'],
    [1_000_000, 'một triệu'],
    [1_005_000, 'một triệu không trăm linh năm nghìn'],
    [1_000_005, 'một triệu không trăm linh năm'],
    [2_024_500, 'hai triệu không trăm hai mươi tư nghìn năm trăm'],
    [35_750_000, 'ba mươi lăm triệu bảy trăm năm mươi nghìn'],
    [1_000_000_000, 'một tỷ'],
    [1_000_000_005, 'một tỷ không trăm linh năm'],
    [2_001_000_000, 'hai tỷ không trăm linh một triệu'],
    [1_000_000_000_000, 'một nghìn tỷ'],
    [1_234_567_891, 'một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt'],
  ])('%i → %s', (n, words) => {
    expect(numberInWords(n)).toBe(words);
  });

  it('capitalises the first letter and says "đồng"; zero is "Không đồng"', () => {
    expect(amountInWords(0)).toBe('Không đồng');
    expect(amountInWords(45_000)).toBe('Bốn mươi lăm nghìn đồng');
  });

  it('refuses what is not a whole non-negative amount', () => {
    expect(() => amountInWords(-1)).toThrow(RangeError);
    expect(() => amountInWords(1.5)).toThrow(RangeError);
  });
});
