/** Money is a whole number of Vietnamese đồng: VND has no minor unit. */
export type Vnd = number;

const vndFormat = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

/** "150.000 ₫" — the one way prices are shown, on every page and in every language. */
export function formatVnd(amount: Vnd): string {
  return vndFormat.format(amount);
}

/** Price per 100 g for weighed packs, rounded to whole đồng; null for unit packs. */
export function pricePer100g(price: Vnd, grams: number | undefined): Vnd | null {
  if (!grams || grams <= 0) return null;
  return Math.round((price * 100) / grams);
}

/** True when the value is a whole, non-negative amount of đồng. */
export function isVnd(value: unknown): value is Vnd {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
