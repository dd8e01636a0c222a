/**
 * Text for printed labels: cleaning and XML escaping, and line breaking without a font engine.
 *
 * An SVG cannot wrap text, so the label wraps it here, against advance widths taken from
 * DejaVu Sans (the first family of the label's stack, installed on Debian and covering
 * Vietnamese). DejaVu is wider than the fallbacks (Noto Sans, Arial), so a line that fits
 * here also fits when another family renders it.
 */

export type FontStyle = 'regular' | 'bold' | 'mono';

/** Advance widths of ASCII 0x20–0x7E in thousandths of an em, DejaVu Sans Book. */
const REGULAR_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/** The same for DejaVu Sans Bold. */
const BOLD_ASCII = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/** Letters whose width differs from their base letter (Vietnamese horned letters, đ), and symbols. */
const REGULAR_EXTRA: Record<string, number> = {
  Đ: 775,
  đ: 635,
  Ơ: 913,
  ơ: 612,
  Ư: 858,
  ư: 634,
  '·': 318,
  '★': 896,
  '…': 1000,
  '–': 500,
  '—': 1000,
  '₫': 636,
};
const BOLD_EXTRA: Record<string, number> = {
  Đ: 838,
  đ: 716,
  Ơ: 874,
  ơ: 687,
  Ư: 835,
  ư: 712,
  '·': 380,
  '★': 896,
  '…': 1000,
  '–': 500,
  '—': 1000,
  '₫': 696,
};

/** DejaVu Sans Mono: every glyph is 1233/2048 em. */
const MONO_ADVANCE = 602;
/** Anything not in the tables (CJK, emoji, other scripts): assume a full em, so it never overflows. */
const UNKNOWN_ADVANCE = 1000;

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

export function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

function graphemeAdvance(grapheme: string, style: FontStyle): number {
  if (style === 'mono') return MONO_ADVANCE;
  const extra = style === 'bold' ? BOLD_EXTRA : REGULAR_EXTRA;
  const ascii = style === 'bold' ? BOLD_ASCII : REGULAR_ASCII;
  const first = String.fromCodePoint(grapheme.codePointAt(0) ?? 0x20);
  const known = extra[first];
  if (known !== undefined) return known;
  // Vietnamese vowels with tone marks keep the width of their base letter: à … ặ are all as wide as a.
  const base = first.normalize('NFD');
  const baseKnown = extra[base.charAt(0)];
  if (baseKnown !== undefined) return baseKnown;
  const code = base.charCodeAt(0);
  return code >= 0x20 && code <= 0x7e ? (ascii[code - 0x20] ?? UNKNOWN_ADVANCE) : UNKNOWN_ADVANCE;
}

/** The width of `text` set in `style` at `fontSize`, in the units of `fontSize`. */
export function textWidth(text: string, style: FontStyle, fontSize: number): number {
  let thousandths = 0;
  for (const g of splitGraphemes(text)) thousandths += graphemeAdvance(g, style);
  return (thousandths / 1000) * fontSize;
}

/** The largest size ≤ `preferred` (and ≥ `min`) at which `text` fits in `maxWidth`. */
export function fitFontSize(
  text: string,
  style: FontStyle,
  maxWidth: number,
  preferred: number,
  min: number,
) {
  const atOne = textWidth(text, style, 1);
  if (atOne === 0) return preferred;
  return Math.max(min, Math.min(preferred, maxWidth / atOne));
}

// XML 1.0 forbids most C0 controls, U+FFFE/U+FFFF and lone surrogates even when escaped; bidi
// overrides are legal but would let a name reorder the printed text. All are dropped.
const UNPRINTABLE = /[\p{Cc}\p{Cs}\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/gu;

/** NFC, whitespace (newlines and tabs included) collapsed, characters XML or print cannot carry dropped. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').replace(UNPRINTABLE, '').trim();
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML character data and for attribute values in either kind of quotes. */
export function escapeXml(text: string): string {
  return text.replace(UNPRINTABLE, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

export interface WrappedText {
  lines: string[];
  /** True when text was cut and the last line ends with an ellipsis. */
  truncated: boolean;
}

const ELLIPSIS = '…';
/** Separates the parts of a line ("Hộ Nguyễn Văn Thành · Xã Tân Cương"); lines break there first. */
export const SEPARATOR = ' · ';

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidth`: first between the parts
 * joined by " · ", then between words, and inside a word only when the word alone is too wide.
 * Text beyond the last line is dropped and the last line ends with "…".
 */
export function wrapText(
  text: string,
  style: FontStyle,
  fontSize: number,
  maxWidth: number,
  maxLines: number,
): WrappedText {
  const fits = (s: string) => textWidth(s, style, fontSize) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    if (current) lines.push(current);
    current = '';
  };
  const addWords = (phrase: string) => {
    for (const word of phrase.split(' ').filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      if (fits(word)) {
        flush();
        current = word;
        continue;
      }
      // A word wider than a line (a long code) starts on the current line and is cut after its
      // last hyphen that fits, or else anywhere.
      if (current) current += ' ';
      let start = current.length;
      for (const g of splitGraphemes(word)) {
        if (current.trim() && !fits(current + g)) {
          const hyphen = current.lastIndexOf('-');
          const carry = hyphen >= start ? current.slice(hyphen + 1) : '';
          current = current.slice(0, current.length - carry.length).trimEnd();
          flush();
          current = fits(carry + g) ? carry : '';
          if (!current && carry) lines[lines.length - 1] += carry;
          start = 0;
        }
        current += g;
      }
    }
  };
  for (const phrase of cleanText(text).split(SEPARATOR)) {
    const part = phrase.trim();
    if (!part) continue;
    const candidate = current ? `${current}${SEPARATOR}${part}` : part;
    if (fits(candidate)) {
      current = candidate;
    } else {
      flush();
      addWords(part);
    }
  }
  flush();
  if (lines.length <= maxLines) return { lines, truncated: false };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1] ?? '', fits);
  return { lines: kept, truncated: true };
}

/** `line` shortened until `line…` fits, without a dangling separator before the ellipsis. */
function withEllipsis(line: string, fits: (s: string) => boolean): string {
  let chars = splitGraphemes(line);
  const tidy = (parts: string[]) =>
    parts
      .join('')
      .replace(/[\s·,;:–—-]+$/u, '')
      .trimEnd();
  while (chars.length && !fits(tidy(chars) + ELLIPSIS)) chars = chars.slice(0, -1);
  return tidy(chars) + ELLIPSIS;
}
