/**
 * Invisible characters in names and text (shared/domain/text.ts, `Text` in common.ts): zero-width
 * and other characters that print as nothing are removed, bidi controls are refused, so two names
 * that look the same are the same and none displays as something it does not say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalizedText, Text } from '../../shared/domain/common.ts';
import { normalizeText } from '../../shared/domain/text.ts';

const NAME = 'Chè Tân Cương';

describe('normalizeText removes characters that print as nothing', () => {
  it.each([
    ['zero-width space', 'Chè\u200B Tân\u200B Cương'],
    ['zero-width non-joiner and joiner', 'Chè \u200CTân\u200D Cương'],
    ['word joiner', 'Chè\u2060 Tân Cương'],
    ['byte-order mark', '\uFEFFChè Tân Cương'],
    ['soft hyphen', 'Chè Tân Cư\u00ADơng'],
    ['left-to-right and right-to-left marks', '\u200EChè Tân Cương\u200F'],
    ['Arabic letter mark', 'Chè\u061C Tân Cương'],
    ['Mongolian vowel separator', 'Chè Tân\u180E Cương'],
    ['invisible times and separator', 'Chè\u2062 Tân\u2063 Cương'],
    ['tag characters', 'Chè Tân Cương\u{E0041}\u{E007F}'],
    ['Hangul filler', 'Chè \u3164Tân Cương'],
    ['halfwidth Hangul filler', 'Chè Tân\uFFA0 Cương'],
    ['braille blank', 'Chè \u2800Tân Cương'],
    ['combining grapheme joiner', 'Chè Tân\u034F Cương'],
    ['variation selector', 'Chè\uFE0F Tân Cương'],
    ['C0 and C1 controls', 'Chè\u0000 Tân\u0007 Cương\u009B'],
  ])('%s', (_what, text) => {
    expect(normalizeText(text)).toBe(NAME.normalize('NFC'));
  });

  it('keeps line breaks as spaces, Vietnamese letters and visible symbols', () => {
    expect(normalizeText('Chè\nTân\r\nCương')).toBe(NAME);
    expect(normalizeText('Trà ★ 5 sao — 100% búp')).toBe('Trà ★ 5 sao — 100% búp');
  });

  it('leaves no format or control character in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(normalizeText(text)).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
      }),
    );
  });
});

describe('Text, the helper every text schema uses', () => {
  it('stores the visible text only', () => {
    expect(Text(160).parse(' Chè\u200B Tân\u2060 Cương ')).toBe(NAME);
  });

  it('answers an empty field when only invisible characters were typed', () => {
    const result = Text(160).safeParse('\u200B\u200C\uFEFF\u3164');
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe('Không được để trống');
  });

  it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'])(
    'refuses the bidi control U+%s with a Vietnamese message',
    (hex) => {
      const control = String.fromCodePoint(parseInt(hex, 16));
      const result = LocalizedText(160).safeParse({ vi: `Chè ${control}gnưC nâT` });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(['vi']);
      expect(result.error!.issues[0]!.message).toMatch(/ký tự điều khiển hướng chữ ẩn/);
    },
  );
});
