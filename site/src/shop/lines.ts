/**
 * The cart's lines as a list with quantity steppers and remove buttons (cart page and
 * checkout summary), and the recheck of the snapshot against the catalog API.
 */
import { fill, h } from '../seller/dom.ts';
import { currentProduct } from './api.ts';
import { loadCart, saveCart } from './cart.ts';
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
          ? 'Gói này đã hết hàng. Hãy xoá khỏi giỏ để đặt hàng.'
          : over
            ? `Chỉ còn ${line.stock} gói.`
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
        h(
          'div',
          null,
          h(
            'p',
            { class: 'cart-line__name' },
            h('a', { href: `/san-pham/${line.productSlug}/` }, line.productName),
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
            h('label', { for: inputId, class: 'sr-only' }, `Số lượng ${name}`),
            h(
              'div',
              { class: 'qty' },
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `Bớt 1 ${name}`,
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
                  'aria-label': `Thêm 1 ${name}`,
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
            `Xoá`,
            h('span', { class: 'sr-only' }, ` ${name}`),
          ),
        ),
      );
    }),
  );
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

/** "Giá … đã đổi từ … thành …" — one sentence per change. */
export function describeChange(change: LineChange): string {
  switch (change.kind) {
    case 'price':
      return `Giá ${change.name} đã đổi từ ${formatVnd(change.before)} thành ${formatVnd(change.after)}.`;
    case 'stock':
      return change.after > 0
        ? `${change.name} chỉ còn ${change.after} gói; số lượng đã giảm từ ${change.before} xuống ${change.after}.`
        : `${change.name} đã hết hàng.`;
    case 'gone':
      return `${change.name} không còn được bán và đã được bỏ khỏi giỏ.`;
  }
}

export function showChanges(box: HTMLElement, changes: LineChange[], failed: boolean): void {
  const items = changes.map(describeChange);
  if (failed)
    items.push('Chưa kiểm tra được giá mới nhất (lỗi mạng); giá sẽ được kiểm tra lại khi đặt hàng.');
  if (!items.length) {
    box.hidden = true;
    fill(box);
    return;
  }
  fill(
    box,
    h('p', null, h('strong', null, 'Giỏ hàng đã được cập nhật theo giá và tồn kho hiện tại:')),
    h(
      'ul',
      null,
      items.map((text) => h('li', null, text)),
    ),
  );
  box.hidden = false;
}
