/**
 * The product page's pre-order box (components/shop/PreorderBox.astro): asks GET
 * /api/preorders?product=<slug> once the page is idle and, for each open window, shows its facts
 * and the “Đặt trước” link to /dat-truoc/?dot=<id>. Tiny on purpose: only fetch and the DOM.
 */
import { formatVnd } from '../../../shared/domain/money.ts';
import { localHref, pageLang, tr, whenIdle } from './lang.ts';

interface BoxWindow {
  id: string;
  season: string;
  phase: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  leftGrams: number;
  depositPercent: number;
  packs: { grams: number; price: number; deposit: number; tolerancePercent?: number }[];
  depositRule: { vi: string; en: string };
}

const day = (iso: string) => iso.split('-').reverse().join('/');

function el(tag: string, text?: string, attrs: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function render(box: HTMLElement, w: BoxWindow): void {
  const facts = box.querySelector<HTMLElement>('[data-preorder-facts]')!;
  const first = w.packs.reduce((a, b) => (b.price < a.price ? b : a), w.packs[0]!);
  const weight = first.grams >= 1000 ? `${first.grams / 1000} kg` : `${first.grams} g`;
  const list = el('ul');
  for (const text of [
    tr(`Mùa vụ: ${w.season}`, `Season: ${w.season}`),
    tr(
      `Nhận đặt trước đến hết ngày ${day(w.closesOn)}`,
      `Reservations close at the end of ${day(w.closesOn)}`,
    ),
    tr(
      `Dự kiến gửi hàng từ ${day(w.harvestFrom)} đến ${day(w.harvestTo)}`,
      `Expected dispatch from ${day(w.harvestFrom)} to ${day(w.harvestTo)}`,
    ),
    tr(
      `Còn khoảng ${(w.leftGrams / 1000).toLocaleString('vi-VN')} kg`,
      `About ${(w.leftGrams / 1000).toLocaleString('en')} kg left`,
    ),
    tr(
      `Đặt cọc ${w.depositPercent}%: từ ${formatVnd(first.deposit)} cho gói ${weight} giá ${formatVnd(first.price)}`,
      `${w.depositPercent}% deposit: from ${formatVnd(first.deposit)} for the ${weight} pack at ${formatVnd(first.price)}`,
    ),
  ])
    list.append(el('li', text));
  facts.append(
    el('p', tr('Sản phẩm này đang nhận đặt trước.', 'This product is open for pre-order.'), {
      class: 'preorder-box__lead',
    }),
    list,
    el('p', pageLang() === 'en' ? w.depositRule.en : w.depositRule.vi, { class: 'hint' }),
    el('a', tr('Đặt trước', 'Pre-order'), {
      class: 'btn btn--primary',
      href: localHref(`/dat-truoc/?dot=${encodeURIComponent(w.id)}`),
    }),
  );
  box.hidden = false;
}

export function startPreorderBoxes(): void {
  const boxes = [...document.querySelectorAll<HTMLElement>('[data-preorder-box]')];
  if (boxes.length === 0) return;
  whenIdle(() => {
    for (const box of boxes) {
      void fetch(`/api/preorders?product=${encodeURIComponent(box.dataset.product ?? '')}`, {
        headers: { accept: 'application/json' },
      })
        .then((res) => (res.ok ? (res.json() as Promise<{ items: BoxWindow[] }>) : { items: [] }))
        .then(({ items }) => {
          const open = items.find((w) => w.phase === 'open');
          if (open) render(box, open);
        })
        .catch(() => undefined);
    }
  });
}
