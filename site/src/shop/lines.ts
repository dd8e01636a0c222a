/**
 * The cart's lines as a list with quantity steppers and remove buttons (cart page and
 * checkout summary), and the recheck of the snapshot against the catalog API.
 */
import { fill, h } from '../seller/dom.ts';
import { currentProduct } from './api.ts';
import { loadCart, saveCart } from './cart.ts';
import { localHref, tr } from './lang.ts';
import {
  LIMITS,
  maxQuantity,
  reconcile,
  removeLine,
  setQuantity,
  type Cart,
  type LineChange,
} from './store.ts';
import { formatVnd } from './text.ts';

/** Problems the server reported for lines (409 short stock, 422 no longer sold), by variant. */
export type LineProblems = Map<string, string>;

export function renderLines(
  list: HTMLElement,
  cart: Cart,
  problems: LineProblems,
  onChange: (cart: Cart) => void,
): void {
  fill(
    list,
    cart.lines.map((line) => {
      const inputId = `qty-${line.variantId}`;
      const problemId = `problem-${line.variantId}`;
      const cap = maxQuantity(line);
      const outOfStock = line.stock !== undefined && line.stock <= 0;
      const over = line.stock !== undefined && line.quantity > line.stock;
      const problem =
        problems.get(line.variantId) ??
        (outOfStock
          ? tr(
              'Gói này đã hết hàng. Hãy xoá khỏi giỏ để đặt hàng.',
              'This pack is out of stock. Remove it from the cart to place your order.',
            )
          : over
            ? tr(`Chỉ còn ${line.stock} gói.`, `Only ${line.stock} left.`)
            : '');
      const change = (quantity: number) => {
        const fresh = loadCart();
        setQuantity(fresh, line.variantId, quantity);
        problems.delete(line.variantId);
        saveCart(fresh);
        onChange(fresh);
      };
      const input = h('input', {
        id: inputId,
        type: 'number',
        inputmode: 'numeric',
        min: 1,
        max: Math.max(1, cap),
        value: line.quantity,
        'aria-describedby': problem ? problemId : null,
        'aria-invalid': problem ? 'true' : null,
      });
      input.addEventListener('change', () => {
        const n = Math.floor(Number(input.value));
        change(Number.isFinite(n) && n >= 1 ? Math.min(n, Math.max(1, cap)) : line.quantity);
      });
      const name = `${line.productName} (${line.pack})`;
      return h(
        'li',
        { class: `cart-line${problem ? ' cart-line--problem' : ''}`, 'data-variant': line.variantId },
        line.image && line.image.startsWith('/')
          ? h('img', {
              class: 'cart-line__thumb',
              src: line.image,
              alt: '',
              width: 64,
              height: 48,
              loading: 'lazy',
              decoding: 'async',
            })
          : h('span', { class: 'cart-line__thumb cart-line__thumb--none', 'aria-hidden': 'true' }),
        h(
          'div',
          { class: 'cart-line__main' },
          h(
            'p',
            { class: 'cart-line__name' },
            h('a', { href: localHref(`/san-pham/${line.productSlug}/`) }, line.productName),
          ),
          h(
            'p',
            { class: 'cart-line__meta' },
            `${line.pack} · ${formatVnd(line.price)}`,
            line.producerName ? ` · ${line.producerName}` : '',
          ),
        ),
        h('p', { class: 'cart-line__total' }, formatVnd(line.price * line.quantity)),
        problem ? h('p', { class: 'cart-line__problem', id: problemId }, problem) : null,
        h(
          'div',
          { class: 'cart-line__controls' },
          h(
            'div',
            null,
            h('label', { for: inputId, class: 'sr-only' }, tr(`Số lượng ${name}`, `Quantity of ${name}`)),
            h(
              'div',
              { class: 'qty' },
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': tr(`Bớt 1 ${name}`, `One less ${name}`),
                  disabled: line.quantity <= 1,
                  onclick: () => change(line.quantity - 1),
                },
                '−',
              ),
              input,
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': tr(`Thêm 1 ${name}`, `One more ${name}`),
                  disabled: line.quantity >= Math.min(cap, LIMITS.quantityPerLine),
                  onclick: () => change(line.quantity + 1),
                },
                '+',
              ),
            ),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'linkish',
              onclick: () => {
                const fresh = loadCart();
                removeLine(fresh, line.variantId);
                problems.delete(line.variantId);
                saveCart(fresh);
                onChange(fresh);
              },
            },
            tr('Xoá', 'Remove'),
            h('span', { class: 'sr-only' }, ` ${name}`),
          ),
        ),
      );
    }),
  );
}

/** English pages say "1 pack" / "2 packs": the word after the count, marked `data-count-word`. */
export function setCountWord(count: HTMLElement, n: number): void {
  const word = count.parentElement?.querySelector('[data-count-word]');
  if (word) word.textContent = n === 1 ? 'pack' : 'packs';
}

/** Rechecks every product of the cart against the API, saves and reports what changed. */
export async function recheckCart(): Promise<{ cart: Cart; changes: LineChange[]; failed: boolean }> {
  const cart = loadCart();
  const slugs = [...new Set(cart.lines.map((l) => l.productSlug))];
  const current = new Map<string, Awaited<ReturnType<typeof currentProduct>>>();
  let failed = false;
  await Promise.all(
    slugs.map(async (slug) => {
      try {
        current.set(slug, await currentProduct(slug));
      } catch {
        failed = true;
      }
    }),
  );
  // Reconcile against the latest cart: the shopper may have changed it meanwhile.
  const latest = loadCart();
  const changes = reconcile(latest, current);
  saveCart(latest);
  return { cart: latest, changes, failed };
}

/** "Giá … đã đổi từ … thành …" — one sentence per change, in the page's language. */
export function describeChange(change: LineChange): string {
  switch (change.kind) {
    case 'price':
      return tr(
        `Giá ${change.name} đã đổi từ ${formatVnd(change.before)} thành ${formatVnd(change.after)}.`,
        `The price of ${change.name} has changed from ${formatVnd(change.before)} to ${formatVnd(change.after)}.`,
      );
    case 'stock':
      return change.after > 0
        ? tr(
            `${change.name} chỉ còn ${change.after} gói; số lượng đã giảm từ ${change.before} xuống ${change.after}.`,
            `Only ${change.after} of ${change.name} left; the quantity went down from ${change.before} to ${change.after}.`,
          )
        : tr(`${change.name} đã hết hàng.`, `${change.name} is out of stock.`);
    case 'gone':
      return tr(
        `${change.name} không còn được bán và đã được bỏ khỏi giỏ.`,
        `${change.name} is no longer sold and has been removed from the cart.`,
      );
  }
}

export function showChanges(box: HTMLElement, changes: LineChange[], failed: boolean): void {
  const items = changes.map(describeChange);
  if (failed)
    items.push(
      tr(
        'Chưa kiểm tra được giá mới nhất (lỗi mạng); giá sẽ được kiểm tra lại khi đặt hàng.',
        'Could not check the latest prices (network error); they will be checked again when you place the order.',
      ),
    );
  if (!items.length) {
    box.hidden = true;
    fill(box);
    return;
  }
  fill(
    box,
    h(
      'p',
      null,
      h(
        'strong',
        null,
        tr(
          'Giỏ hàng đã được cập nhật theo giá và tồn kho hiện tại:',
          'Your cart has been updated to the current prices and stock:',
        ),
      ),
    ),
    h(
      'ul',
      null,
      items.map((text) => h('li', null, text)),
    ),
  );
  box.hidden = false;
}
