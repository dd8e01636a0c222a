import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, normalizeText, searchTokens, slugify } from '../../shared/domain/text.ts';

describe('Vietnamese text', () => {
  it('folds diacritics, case and đ', () => {
    expect(foldForSearch('Chè Tân Cương')).toBe('che tan cuong');
    expect(foldForSearch('TRÀ')).toBe('tra');
    expect(foldForSearch('chè đinh')).toBe('che dinh');
    expect(foldForSearch('ĐẠI TỪ')).toBe('dai tu');
  });

  it('folds NFC and NFD input to the same form', () => {
    const nfc = 'Chè Tân Cương đặc biệt'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(foldForSearch(nfd)).toBe(foldForSearch(nfc));
  });

  it('folding is independent of Unicode form and idempotent for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const folded = foldForSearch(text.normalize('NFC'));
        expect(foldForSearch(text.normalize('NFD'))).toBe(folded);
        expect(foldForSearch(folded)).toBe(folded);
      }),
    );
  });

  it('normalizes stored text to NFC with collapsed whitespace', () => {
    const decomposed = '  Tân   Cương '.normalize('NFD');
    expect(normalizeText(decomposed)).toBe('Tân Cương'.normalize('NFC'));
  });

  it('tokenizes without duplicates and punctuation', () => {
    expect(searchTokens('Chè, chè — TÂN Cương!')).toEqual(['che', 'tan', 'cuong']);
    expect(searchTokens('   ')).toEqual([]);
  });

  it('makes URL slugs', () => {
    expect(slugify('Chè đinh Tân Cương thượng hạng')).toBe('che-dinh-tan-cuong-thuong-hang');
    expect(slugify('HTX Mật ong & Nấm')).toBe('htx-mat-ong-nam');
  });
});
