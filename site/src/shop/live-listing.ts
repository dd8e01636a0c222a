/**
 * Listings are static: built with the catalog of their build. This island reads the listing's
 * products again from the catalog API after load: each card's price and stock state are updated
 * in place, and on the first page of a newest-first listing, products published after the build
 * are added at the top (as plain cards). Nothing changes when the API cannot be reached.
 */
import { formatVnd } from '../../../shared/domain/money.ts';
import { localHref, pageLang, tr, whenIdle } from './lang.ts';
import { setPrice } from './live-packs.ts';

export interface LiveSummary {
  slug: string;
  name: { vi: string; en?: string | undefined };
  producer: { name: string; commune: { name: string } };
  price: { min: number; max: number };
  inStock: boolean;
  publishedAt: string;
  images: { src: string; alt: string; width: number; height: number; srcset: { jpeg: string } }[];
  ocop: { stars: number } | null;
}

function setCardStock(card: Element, inStock: boolean): void {
  card.classList.toggle('card--out', !inStock);
  const tag = card.querySelector<HTMLElement>('[data-card-out]');
  if (tag) tag.hidden = inStock;
}

/** A card for a product the page was built without (a lighter twin of ProductCard.astro). */
export function newCard(product: LiveSummary, en: boolean, markNew = true): HTMLLIElement {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) =>
    Object.assign(document.createElement(tag), props);
  const card = el('article', { className: 'card' });
  card.dataset.card = product.slug;
  const media = el('div', { className: 'card__media' });
  const image = product.images[0];
  if (image) {
    media.append(
      el('img', {
        src: image.src,
        srcset: image.srcset.jpeg,
        sizes: '(min-width: 72rem) 17rem, (min-width: 40rem) 30vw, 50vw',
        width: image.width,
        height: image.height,
        alt: image.alt,
        loading: 'lazy',
        decoding: 'async',
      }),
    );
  } else {
    media.append(el('div', { className: 'noimg' }));
  }
  const body = el('div', { className: 'card__body' });
  if (product.ocop) {
    body.append(el('span', { className: 'ocop', textContent: `OCOP ${'★'.repeat(product.ocop.stars)}` }));
  }
  const title = el('h3', { className: 'card__title' });
  const name = en && product.name.en ? product.name.en : product.name.vi;
  title.append(el('a', { href: localHref(`/san-pham/${product.slug}/`), textContent: name }));
  const price = el('p', { className: 'card__price' });
  price.dataset.cardPrice = '';
  const amount = el('data', { value: String(product.price.min), textContent: formatVnd(product.price.min) });
  price.append(el('span', { className: 'price' }));
  price.firstElementChild!.append(product.price.min !== product.price.max ? tr('từ ', 'from ') : '', amount);
  if (markNew) body.append(el('span', { className: 'tag tag--new', textContent: tr('Mới', 'New') }));
  body.append(
    title,
    el('p', {
      className: 'card__meta',
      textContent: `${product.producer.name} · ${product.producer.commune.name}`,
    }),
    price,
  );
  card.append(media, body);
  const li = el('li');
  li.append(card);
  return li;
}

/** Applies the API's current products to a built grid; returns how many cards were added. */
export function applyLiveListing(
  grid: HTMLElement,
  products: readonly LiveSummary[],
  options: { builtAt: string; addNew: boolean; en: boolean },
): number {
  const fresh: HTMLLIElement[] = [];
  for (const product of products) {
    const card = grid.querySelector(`[data-card="${CSS.escape(product.slug)}"]`);
    if (card) {
      setPrice(card.querySelector('[data-card-price]'), product.price.min);
      setCardStock(card, product.inStock);
    } else if (options.addNew && product.publishedAt > options.builtAt) {
      fresh.push(newCard(product, options.en));
    }
  }
  grid.prepend(...fresh);
  return fresh.length;
}

export function refreshListings(): void {
  whenIdle(refreshNow);
}

function refreshNow(): void {
  for (const grid of document.querySelectorAll<HTMLElement>('[data-live-grid]')) {
    const query = new URLSearchParams({ limit: '60', sort: 'newest' });
    if (grid.dataset.category) query.set('category', grid.dataset.category);
    fetch(`/api/catalog/products?${query}`, { headers: { accept: 'application/json' }, cache: 'no-cache' })
      .then((res) => (res.ok ? (res.json() as Promise<{ items: LiveSummary[] }>) : null))
      .then((page) => {
        if (!page) return;
        applyLiveListing(grid, page.items, {
          builtAt: grid.dataset.builtAt ?? '',
          addNew: grid.dataset.addNew === 'true',
          en: pageLang() === 'en',
        });
      })
      .catch(() => undefined);
  }
}
