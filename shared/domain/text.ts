/**
 * Vietnamese text handling. Text arrives in NFC or NFD depending on the keyboard, so every input
 * is normalized to NFC before it is stored or compared, and search works on a folded form.
 */

/**
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder how the
 * text around them is shown, so a name could display as something other than what it says. Text
 * carrying them is refused (see `Text` in common.ts), not silently changed.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

/** Line and paragraph breaks, read as spaces before the invisible characters go. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/gu;

/**
 * Characters that print as nothing: format characters (zero-width space and joiners, word
 * joiner, byte-order mark, soft hyphen, bidi marks, tag characters), controls, lone surrogates,
 * variation selectors, the combining grapheme joiner and letters that render blank (Hangul
 * fillers, Khmer inherent vowels, the braille blank). Two names that look the same must be the same.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Variation_Selector}\u115F\u1160\u2800\u3164\uFFA0]|\u034F|\u17B4|\u17B5/gu;

/**
 * The form every stored text takes: NFC, invisible characters removed, inner whitespace collapsed,
 * trimmed.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(BREAKS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Folds text for search: NFD, combining marks dropped, đ/Đ → d, lower-case. "Chè Tân Cương",
 * "CHE TAN CUONG" and a decomposed "chè tân cương" all fold to "che tan cuong".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Folded search tokens, de-duplicated, in order of first appearance. */
export function searchTokens(text: string): string[] {
  const folded = foldForSearch(text);
  return folded ? [...new Set(folded.split(' '))] : [];
}

/** A URL slug from Vietnamese text: "Chè Tân Cương đặc biệt" → "che-tan-cuong-dac-biet". */
export function slugify(text: string): string {
  return foldForSearch(text).replace(/ /g, '-').slice(0, 80).replace(/-+$/, '');
}
