/**
 * What the shop keeps on the device (localStorage): the cart, the current checkout attempt's
 * Idempotency-Key, the shopper's last contact and address, and their recent orders. Pure apart
 * from the `Storage` it is given, so the rules are tested without a browser.
 */

/** The order caps of shared/orders/model.ts ORDER_LIMITS (not imported: it pulls zod). */
export const LIMITS = { lines: 20, quantityPerLine: 50 } as const;

export interface CartLine {
  variantId: string;
  quantity: number;
  /** A snapshot for display; the API is the judge of price and stock. */
  productSlug: string;
  productName: string;
  pack: string;
  producerName: string;
  price: number;
  /** Stock when last seen; undefined when unknown. */
  stock?: number;
  /** A small photo for the cart (root-relative /media URL); lines saved before it have none. */
  image?: string;
}

export interface Cart {
  lines: CartLine[];
}

export interface RecentOrder {
  code: string;
  /** As typed by the shopper (the API accepts any common form). */
  phone: string;
  paymentMethod: 'vnpay' | 'vietqr' | 'cod';
  paymentId: string;
  clientSecret: string | null;
  total: number;
  placedAt: string;
  /**
   * The cart this order was placed from (its fingerprint): the cart stays on the device until
   * the order is paid or confirmed, so a failed payment loses nothing; then it is emptied.
   */
  cartFingerprint?: string;
}

export interface SavedContact {
  name: string;
  phone: string;
  delivery: 'shipping' | 'pickup';
  provinceCode: string;
  wardCode: string;
  street: string;
}

const KEYS = {
  cart: 'tn.cart.v1',
  attempt: 'tn.checkout-attempt.v1',
  contact: 'tn.contact.v1',
  orders: 'tn.orders.v1',
} as const;

/** The event a page listens to when the cart changes in this tab (`storage` covers the others). */
export const CART_EVENT = 'tn:cart';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage, or a memory stand-in when it is unavailable (private mode, blocked storage). */
export function deviceStore(): Store {
  try {
    const probe = '__tn_probe__';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

function readJson<T>(store: Store, key: string): T | undefined {
  try {
    const raw = store.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

function validLine(line: unknown): line is CartLine {
  const l = line as CartLine;
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.variantId === 'string' &&
    isWhole(l.quantity) &&
    l.quantity >= 1 &&
    typeof l.productSlug === 'string' &&
    typeof l.productName === 'string' &&
    typeof l.pack === 'string' &&
    isWhole(l.price)
  );
}

export function readCart(store: Store): Cart {
  const cart = readJson<Cart>(store, KEYS.cart);
  const lines = Array.isArray(cart?.lines) ? cart.lines.filter(validLine) : [];
  // Edited by hand or by an older page: never more than one order may hold.
  for (const line of lines) line.quantity = Math.min(line.quantity, LIMITS.quantityPerLine);
  return { lines: lines.slice(0, LIMITS.lines) };
}

export function writeCart(store: Store, cart: Cart): void {
  if (cart.lines.length === 0) store.removeItem(KEYS.cart);
  else store.setItem(KEYS.cart, JSON.stringify(cart));
}

/** The most of a pack one line may hold: the order cap, and the stock when known. */
export function maxQuantity(line: Pick<CartLine, 'stock'>): number {
  return line.stock === undefined ? LIMITS.quantityPerLine : Math.min(LIMITS.quantityPerLine, line.stock);
}

export type AddResult =
  { ok: true; quantity: number; capped: boolean } | { ok: false; reason: 'too_many_lines' | 'out_of_stock' };

/** Adds packs (merging with a line of the same pack), capped at the per-line limit and stock. */
export function addLine(cart: Cart, line: CartLine): AddResult {
  const existing = cart.lines.find((l) => l.variantId === line.variantId);
  const cap = maxQuantity(line);
  if (cap < 1) return { ok: false, reason: 'out_of_stock' };
  if (!existing && cart.lines.length >= LIMITS.lines) return { ok: false, reason: 'too_many_lines' };
  const wanted = (existing?.quantity ?? 0) + line.quantity;
  const quantity = Math.min(wanted, cap);
  if (existing) Object.assign(existing, line, { quantity });
  else cart.lines.push({ ...line, quantity });
  return { ok: true, quantity, capped: quantity < wanted };
}

export function setQuantity(cart: Cart, variantId: string, quantity: number): void {
  const line = cart.lines.find((l) => l.variantId === variantId);
  if (!line) return;
  if (quantity < 1) removeLine(cart, variantId);
  else line.quantity = Math.min(Math.floor(quantity), LIMITS.quantityPerLine);
}

export function removeLine(cart: Cart, variantId: string): void {
  cart.lines = cart.lines.filter((l) => l.variantId !== variantId);
}

export const cartCount = (cart: Cart) => cart.lines.reduce((n, l) => n + l.quantity, 0);
export const cartSubtotal = (cart: Cart) => cart.lines.reduce((n, l) => n + l.price * l.quantity, 0);

/** A pack as the catalog API describes it now. */
export interface CurrentPack {
  id: string;
  label: string;
  price: number;
  stock: number;
}

export interface LineChange {
  variantId: string;
  name: string;
  kind: 'price' | 'stock' | 'gone';
  before: number;
  after: number;
}

/**
 * Brings the cart's snapshot up to date with the catalog: new prices, stock, and packs that are
 * no longer sold (`packs` undefined for a product that is gone). Quantities above the stock are
 * lowered to it; a line with no stock left stays, marked by stock 0, so the shopper sees it.
 */
export function reconcile(
  cart: Cart,
  current: Map<string, { name: string; packs: CurrentPack[]; image?: string | undefined } | undefined>,
): LineChange[] {
  const changes: LineChange[] = [];
  for (const line of [...cart.lines]) {
    if (!current.has(line.productSlug)) continue; // not checked (network): keep as is
    const product = current.get(line.productSlug);
    const pack = product?.packs.find((p) => p.id === line.variantId);
    const name = `${line.productName} (${line.pack})`;
    if (!pack) {
      changes.push({ variantId: line.variantId, name, kind: 'gone', before: line.quantity, after: 0 });
      removeLine(cart, line.variantId);
      continue;
    }
    if (pack.price !== line.price) {
      changes.push({ variantId: line.variantId, name, kind: 'price', before: line.price, after: pack.price });
    }
    line.price = pack.price;
    line.pack = pack.label;
    if (product) line.productName = product.name;
    if (product?.image && !line.image) line.image = product.image;
    line.stock = pack.stock;
    if (line.quantity > pack.stock) {
      changes.push({
        variantId: line.variantId,
        name,
        kind: 'stock',
        before: line.quantity,
        after: pack.stock,
      });
      if (pack.stock > 0) line.quantity = pack.stock;
    }
  }
  return changes;
}

/** Lines that cannot be ordered as they are (no stock left). */
export const blockedLines = (cart: Cart) =>
  cart.lines.filter((l) => l.stock !== undefined && l.stock < l.quantity);

/** What identifies one checkout attempt: the packs, their quantities and the prices shown. */
export function cartFingerprint(cart: Cart): string {
  return cart.lines
    .map((l) => `${l.variantId}:${l.quantity}:${l.price}`)
    .sort()
    .join('|');
}

function randomKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The Idempotency-Key for the current cart: the same while the cart is unchanged (double
 * clicks, retries after a lost answer and reloads can never make two orders), a new one once
 * the cart changes — or when `fresh` is asked for after the server refused the old key.
 */
export function attemptKey(store: Store, cart: Cart, fresh = false): string {
  const fingerprint = cartFingerprint(cart);
  const saved = readJson<{ key: string; fingerprint: string }>(store, KEYS.attempt);
  if (!fresh && saved && saved.fingerprint === fingerprint && /^[A-Za-z0-9_-]{8,128}$/.test(saved.key)) {
    return saved.key;
  }
  const key = `co_${randomKey()}`;
  store.setItem(KEYS.attempt, JSON.stringify({ key, fingerprint }));
  return key;
}

export function clearAttempt(store: Store): void {
  store.removeItem(KEYS.attempt);
}

export function readContact(store: Store): SavedContact | undefined {
  return readJson<SavedContact>(store, KEYS.contact);
}

export function writeContact(store: Store, contact: SavedContact): void {
  store.setItem(KEYS.contact, JSON.stringify(contact));
}

const MAX_RECENT = 10;

export function recentOrders(store: Store): RecentOrder[] {
  const list = readJson<RecentOrder[]>(store, KEYS.orders);
  return Array.isArray(list) ? list.filter((o) => typeof o?.code === 'string') : [];
}

export function rememberOrder(store: Store, order: RecentOrder): void {
  const rest = recentOrders(store).filter((o) => o.code !== order.code);
  store.setItem(KEYS.orders, JSON.stringify([order, ...rest].slice(0, MAX_RECENT)));
}

export const findOrder = (store: Store, code: string) =>
  recentOrders(store).find((o) => o.code === code.trim().toUpperCase());

export const findOrderByPayment = (store: Store, paymentId: string) =>
  recentOrders(store).find((o) => o.paymentId === paymentId);

/** The order moved on (paid, or confirmed for COD): the cart it was placed from can go. */
export function orderSettled(store: Store, code: string): boolean {
  const order = findOrder(store, code);
  if (!order?.cartFingerprint) return false;
  const cart = readCart(store);
  const emptied = cart.lines.length > 0 && cartFingerprint(cart) === order.cartFingerprint;
  if (emptied) writeCart(store, { lines: [] });
  const { cartFingerprint: _done, ...rest } = order;
  rememberOrder(store, rest);
  return emptied;
}
