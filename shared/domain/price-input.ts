/**
 * Prices as people type them on a phone in Vietnam: "180k", "180 nghìn", "1tr8", "1,8 triệu",
 * "180.000", "1.800.000đ", "2 củ". Pure and small: the seller form shows the amount back
 * ("1.800.000 ₫") before saving; the API still takes a whole number of đồng.
 */
import type { Vnd } from './money.ts';

/** Multipliers by the words and abbreviations used for them (after lower-casing, diacritics kept). */
const UNITS: Record<string, number> = {
  k: 1_000,
  nghìn: 1_000,
  nghin: 1_000,
  ngàn: 1_000,
  ngan: 1_000,
  tr: 1_000_000,
  triệu: 1_000_000,
  trieu: 1_000_000,
  củ: 1_000_000,
  cu: 1_000_000,
};

/** Currency words that may close the text: "đ", "₫", "vnd", "vnđ", "đồng", "dong". */
const CURRENCY = /(?:₫|đồng|dong|vnđ|vnd|đ)$/;

const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .join('|');
/** "<number><unit><trailing digits>": "1tr8", "1,8triệu", "180k", "1k5". */
const WITH_UNIT = new RegExp(`^(\\d+(?:[.,]\\d+)*)(${UNIT_PATTERN})(\\d*)$`);
/** Thousands grouped with dots or commas: "180.000", "1,800,000". */
const GROUPED = /^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/;

/** Whole digits after the unit are the decimal part: 1tr8 = 1,8 triệu; 1tr05 = 1,05 triệu. */
function scaled(whole: string, fraction: string, unit: number): number | null {
  if (fraction.length > String(unit).length - 1) return null;
  const value = Number(whole) * unit + (fraction ? Number(fraction.padEnd(String(unit).length - 1, '0')) : 0);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * The whole number of đồng a typed price means, or null when the text is not a price (empty, a
 * fraction of a đồng, a negative, or words it does not know).
 */
export function parsePriceInput(raw: string): Vnd | null {
  const text = raw.normalize('NFC').toLowerCase().replace(/\s+/g, '').replace(CURRENCY, '');
  if (!text) return null;
  if (/^\d+$/.test(text)) return safe(Number(text));
  if (GROUPED.test(text)) return safe(Number(text.replace(/[.,]/g, '')));
  const match = WITH_UNIT.exec(text);
  if (!match) return null;
  const [, number, unitWord, after] = match as unknown as [string, string, string, string];
  const unit = UNITS[unitWord]!;
  if (/^\d+$/.test(number)) return scaled(number, after, unit);
  if (after) return null; // "1,8tr5" says the decimals twice
  if (GROUPED.test(number) && !/^\d+[.,]\d{1,2}$/.test(number))
    return safe(Number(number.replace(/[.,]/g, '')) * unit);
  const decimal = /^(\d+)[.,](\d+)$/.exec(number);
  if (!decimal) return null;
  return scaled(decimal[1]!, decimal[2]!, unit);
}

function safe(n: number): number | null {
  return Number.isSafeInteger(n) ? n : null;
}
