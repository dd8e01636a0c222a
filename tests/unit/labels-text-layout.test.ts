import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, escapeXml, fitFontSize, textWidth, wrapText } from '../../shared/labels/text-layout.ts';

describe('label text: cleaning and escaping', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('drops characters XML cannot carry and bidi overrides', () => {
    expect(escapeXml('a\u0000b\u0008c\uFFFEd\uD800e')).toBe('abcde');
    expect(cleanText('Chè\u202E Tân\u0007 Cương')).toBe('Chè Tân Cương');
  });

  it('normalizes to NFC and collapses whitespace, newlines included', () => {
    const nfd = 'Chè  Tân\n\tCương '.normalize('NFD');
    expect(cleanText(nfd)).toBe('Chè Tân Cương'.normalize('NFC'));
  });

  it('leaves no markup in any escaped string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const escaped = escapeXml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('label text: measuring and wrapping', () => {
  it('measures Vietnamese letters as wide as their base letters', () => {
    expect(textWidth('ặ', 'regular', 10)).toBeCloseTo(textWidth('a', 'regular', 10));
    expect(textWidth('Chè Tân Cương'.normalize('NFD'), 'regular', 1)).toBeCloseTo(
      textWidth('Chè Tân Cương', 'regular', 1),
    );
    expect(textWidth('TN2603-0011', 'mono', 1)).toBeCloseTo(11 * 0.602);
    expect(textWidth('Trà', 'bold', 1)).toBeGreaterThan(textWidth('Trà', 'regular', 1));
  });

  it('fits a font size between the minimum and the preferred size', () => {
    expect(fitFontSize('AB', 'mono', 100, 5, 1)).toBe(5);
    expect(fitFontSize('A'.repeat(32), 'mono', 30, 5, 1)).toBeCloseTo(30 / (32 * 0.602));
    expect(fitFontSize('A'.repeat(500), 'mono', 30, 5, 1)).toBe(1);
  });

  it('keeps short text on one line', () => {
    expect(wrapText('Trà xanh', 'bold', 3, 30, 2)).toEqual({ lines: ['Trà xanh'], truncated: false });
  });

  it('breaks at " · " before breaking between words', () => {
    const { lines } = wrapText('Hộ Nguyễn Văn Thành · Xã Tân Cương', 'regular', 2.1, 30, 2);
    expect(lines).toEqual(['Hộ Nguyễn Văn Thành', 'Xã Tân Cương']);
  });

  it('cuts text beyond the last line with an ellipsis', () => {
    const { lines, truncated } = wrapText(
      'Chè Tân Cương đặc biệt búp non một tôm hai lá sao tay truyền thống',
      'bold',
      3,
      30,
      2,
    );
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/…$/);
    for (const line of lines) expect(textWidth(line, 'bold', 3)).toBeLessThanOrEqual(30);
  });

  it('breaks a word longer than the line', () => {
    const { lines } = wrapText('X'.repeat(60), 'regular', 2, 30, 5);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('X'.repeat(60));
    for (const line of lines) expect(textWidth(line, 'regular', 2)).toBeLessThanOrEqual(30);
  });

  it('cuts a long code after a hyphen, continuing the current line', () => {
    const code = 'VN-TN-DT-HTX-CHE-TAN-CUONG-XANH-2026-014';
    const { lines } = wrapText(`Vùng trồng: ${code}`, 'regular', 2.1, 30, 3);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/^Vùng trồng: VN-/);
    expect(lines.join('')).toBe(`Vùng trồng: ${code}`);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/-$/);
  });

  it('never returns a line wider than the column, nor more lines than asked', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('regular' as const, 'bold' as const, 'mono' as const),
        (text, maxLines, style) => {
          const { lines } = wrapText(text, style, 2.1, 30, maxLines);
          expect(lines.length).toBeLessThanOrEqual(maxLines);
          for (const line of lines) expect(textWidth(line, style, 2.1)).toBeLessThanOrEqual(30);
        },
      ),
    );
  });
});
