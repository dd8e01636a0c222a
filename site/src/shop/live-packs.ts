/**
 * Product pages are static: built with the prices and stock of their build. This island reads
 * the product again from the catalog API after load and updates each pack's price, price per
 * 100 g and stock state in place, so a change made after the build shows without a rebuild.
 * Nothing changes when the API cannot be reached (the built values stay).
 */
interface LivePack {
  id: string;
  price: number;
  pricePer100g: number | null;
  stock: number;
}

import { formatVnd } from '../../../shared/domain/money.ts';
import { tr, whenIdle } from './lang.ts';

/** Sets the first `<data>` price inside `cell` (its value and its "150.000 ₫" text). */
export function setPrice(cell: Element | null, amount: number | null): void {
  if (!cell) return;
  const data = cell.querySelector('data');
  if (amount === null || !data) return;
  if (data.value === String(amount)) return;
  data.value = String(amount);
  data.textContent = formatVnd(amount);
}

function setStock(cell: Element | null, stock: number): void {
  if (!cell) return;
  const inStock = stock > 0;
  const label = cell.querySelector('span');
  if (!label || label.classList.contains(inStock ? 'stock-in' : 'stock-out')) return;
  label.className = inStock ? 'stock-in' : 'stock-out';
  label.textContent = inStock ? tr('Còn hàng', 'In stock') : tr('Hết hàng', 'Out of stock');
}

export function applyLivePacks(table: HTMLTableElement, packs: readonly LivePack[]): void {
  for (const pack of packs) {
    const row = table.querySelector(`tr[data-pack="${CSS.escape(pack.id)}"]`);
    if (!row) continue;
    setPrice(row.querySelector('[data-price]'), pack.price);
    setPrice(row.querySelector('[data-per100g]'), pack.pricePer100g);
    setStock(row.querySelector('[data-stock]'), pack.stock);
  }
}

export function refreshPackTables(): void {
  whenIdle(refreshNow);
}

function refreshNow(): void {
  for (const table of document.querySelectorAll<HTMLTableElement>('table[data-live-slug]')) {
    const slug = table.dataset.liveSlug!;
    // Revalidate: the browser may hold this product from an earlier visit.
    fetch(`/api/catalog/products/${encodeURIComponent(slug)}`, {
      headers: { accept: 'application/json' },
      cache: 'no-cache',
    })
      .then((res) => (res.ok ? (res.json() as Promise<{ variants: LivePack[] }>) : null))
      .then((product) => {
        if (product) applyLivePacks(table, product.variants);
      })
      .catch(() => undefined);
  }
}
