/**
 * An amount of đồng in Vietnamese words, as invoices print it (TToan/TgTTTBChu, Viettel's
 * `totalAmountWithTaxInWords`): "Một triệu hai trăm linh năm nghìn đồng".
 *
 * The standard accounting form, the one the form is read aloud in the North and printed by the
 * e-invoice providers:
 *  - a zero tens digit before a unit is "linh" (not "lẻ"): 105 → "một trăm linh năm";
 *  - 10–19 are "mười …" (11 "mười một", 14 "mười bốn", 15 "mười lăm");
 *  - 20–90 are "… mươi"; after "mươi" 1 is "mốt", 4 is "tư", 5 is "lăm" (21 "hai mươi mốt",
 *    24 "hai mươi tư", 25 "hai mươi lăm"); "nhăm" (colloquial "hai nhăm") is not used;
 *  - after "linh" the digits keep their names (101 "một trăm linh một", 104 "… linh bốn",
 *    105 "… linh năm");
 *  - a group of three inside the number whose hundreds are zero says "không trăm"
 *    (1 005 000 → "một triệu không trăm linh năm nghìn"); a group that is all zero is skipped;
 *  - scales: nghìn, triệu, tỷ; beyond tỷ the scales repeat (10^12 "một nghìn tỷ").
 * The first letter is a capital; zero is "Không đồng".
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const SCALES = ['', 'nghìn', 'triệu'] as const;

const digit = (d: number) => DIGITS[d]!;

/** Words of 0–999; `full` when a group stands after a higher one (then "không trăm" is said). */
function group(n: number, full: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const words: string[] = [];
  if (hundreds > 0 || full) words.push(digit(hundreds), 'trăm');
  if (tens === 0) {
    if (units > 0 && words.length > 0) words.push('linh');
    if (units > 0) words.push(digit(units));
    return words;
  }
  if (tens === 1) {
    words.push('mười');
    if (units === 5) words.push('lăm');
    else if (units > 0) words.push(digit(units));
    return words;
  }
  words.push(digit(tens), 'mươi');
  if (units === 1) words.push('mốt');
  else if (units === 4) words.push('tư');
  else if (units === 5) words.push('lăm');
  else if (units > 0) words.push(digit(units));
  return words;
}

/** Words of a positive integer below 10^9 (groups of nghìn and triệu), or "" for 0. */
function belowBillion(n: number, full: boolean): string[] {
  const groups = [n % 1000, Math.floor(n / 1000) % 1000, Math.floor(n / 1_000_000)];
  const words: string[] = [];
  let started = full;
  for (let i = 2; i >= 0; i--) {
    const value = groups[i]!;
    if (value === 0) continue;
    words.push(...group(value, started));
    if (SCALES[i]) words.push(SCALES[i]!);
    started = true;
  }
  return words;
}

/** Words of a non-negative safe integer, without the currency. */
export function numberInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a whole non-negative amount: ${n}`);
  if (n === 0) return digit(0);
  const words: string[] = [];
  // Split into blocks of 10^9 (tỷ): the higher block is read the same way, followed by "tỷ".
  const high = Math.floor(n / 1_000_000_000);
  const low = n % 1_000_000_000;
  if (high > 0) words.push(numberInWords(high), 'tỷ');
  if (low > 0) words.push(...belowBillion(low, high > 0));
  return words.join(' ');
}

/** "Một triệu hai trăm linh năm nghìn đồng": the amount as the invoice prints it. */
export function amountInWords(amount: number): string {
  const words = `${numberInWords(amount)} đồng`;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
