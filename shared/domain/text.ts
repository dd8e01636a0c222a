/**
 * Vietnamese text handling. Text arrives in NFC or NFD depending on the keyboard, so every input
 * is normalized to NFC before it is stored or compared, and search works on a folded form.
 */

/** NFC, trimmed, inner whitespace collapsed: the form every stored text takes. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
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
