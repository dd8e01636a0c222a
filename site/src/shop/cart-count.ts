/**
 * The header's cart badge: how many packs the cart on this device holds, read the way
 * store.ts `readCart` + `cartCount` read it (valid lines only, at most 20 lines of 50 packs).
 *
 * Deliberately free of imports: it is bundled into the layout's one script, which every page
 * loads. Importing store.ts, cart.ts or lang.ts would make every page fetch those shared chunks
 * one round trip after the layout's script, before its largest paint (tests/unit/site-shop.test.ts
 * checks that both readings agree).
 */
export const CART_STORAGE_KEY = 'tn.cart.v1';
/** store.ts CART_EVENT: fired on this tab when the cart changes. */
export const CART_CHANGE_EVENT = 'tn:cart';

const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

export function countCartPacks(raw: string | null): number {
  let lines: unknown;
  try {
    lines = raw ? (JSON.parse(raw) as { lines?: unknown } | null)?.lines : undefined;
  } catch {
    return 0;
  }
  if (!Array.isArray(lines)) return 0;
  return lines
    .filter(
      (line: Record<string, unknown> | null): line is Record<string, unknown> & { quantity: number } => {
        if (typeof line !== 'object' || line === null) return false;
        const { variantId, quantity, productSlug, productName, pack, price } = line;
        return (
          typeof variantId === 'string' &&
          whole(quantity) &&
          quantity >= 1 &&
          typeof productSlug === 'string' &&
          typeof productName === 'string' &&
          typeof pack === 'string' &&
          whole(price)
        );
      },
    )
    .slice(0, 20)
    .reduce((n, line) => n + Math.min(line.quantity, 50), 0);
}

/** The stored cart's raw text; null when storage is blocked (store.ts then keeps it in memory). */
export function storedCart(): string | null {
  try {
    return window.localStorage.getItem(CART_STORAGE_KEY);
  } catch {
    return null;
  }
}
