/** /gio-hang/: the cart, rechecked against the catalog on load. */
import { byId } from '../seller/dom.ts';
import { loadCart, onCartChange } from './cart.ts';
import { tr } from './lang.ts';
import { recheckCart, renderLines, setCountWord, showChanges, type LineProblems } from './lines.ts';
import { blockedLines, cartCount, cartSubtotal, type Cart } from './store.ts';
import { formatVnd } from './text.ts';

export function initCartPage(): void {
  const list = byId('cart-lines');
  const problems: LineProblems = new Map();

  const render = (cart: Cart = loadCart()) => {
    byId('cart-loading').hidden = true;
    byId('cart-empty').hidden = cart.lines.length > 0;
    byId('cart-full').hidden = cart.lines.length === 0;
    renderLines(list, cart, problems, render);
    byId('cart-count').textContent = String(cartCount(cart));
    setCountWord(byId('cart-count'), cartCount(cart));
    byId('cart-subtotal').textContent = formatVnd(cartSubtotal(cart));
    const blocked = blockedLines(cart);
    const checkout = byId<HTMLAnchorElement>('to-checkout');
    const note = byId('cart-blocked');
    note.hidden = blocked.length === 0;
    note.textContent = blocked.length
      ? tr(
          'Có gói hết hàng hoặc vượt số lượng còn lại; hãy sửa trước khi đặt hàng.',
          'Some packs are out of stock or above what is left; fix them before you check out.',
        )
      : '';
    if (blocked.length) {
      checkout.setAttribute('aria-disabled', 'true');
      checkout.setAttribute('aria-describedby', 'cart-blocked');
    } else {
      checkout.removeAttribute('aria-disabled');
      checkout.removeAttribute('aria-describedby');
    }
  };

  byId('to-checkout').addEventListener('click', (event) => {
    if (blockedLines(loadCart()).length) {
      event.preventDefault();
      byId('cart-blocked').focus();
    }
  });

  render();
  onCartChange(() => render());
  if (loadCart().lines.length) {
    void recheckCart().then(({ cart, changes, failed }) => {
      showChanges(byId('cart-notice'), changes, failed);
      render(cart);
    });
  }
}
