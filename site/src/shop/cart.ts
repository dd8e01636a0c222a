/** The cart on this device, with a change event every page can follow (this tab and others). */
import { CART_EVENT, cartCount, deviceStore, readCart, writeCart, type Cart } from './store.ts';

export const store = deviceStore();

export const loadCart = (): Cart => readCart(store);

export function saveCart(cart: Cart): void {
  writeCart(store, cart);
  // The count rides along for the header's badge (site/src/shop/cart-count.ts), which does not
  // share this module's memory stand-in when storage is blocked.
  window.dispatchEvent(new CustomEvent(CART_EVENT, { detail: { count: cartCount(cart) } }));
}

export function onCartChange(listener: () => void): void {
  window.addEventListener(CART_EVENT, listener);
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key.startsWith('tn.cart')) listener();
  });
}
