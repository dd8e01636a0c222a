import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/domain/categories.ts';
import { foldForSearch } from '../../shared/domain/text.ts';
import { seasonLabel } from '../../site/src/i18n/index.ts';
import { addLine, reconcile, type Cart } from '../../site/src/shop/store.ts';

describe('English labels', () => {
  it('seasons as sellers write them read as English seasons; other wordings stay Vietnamese', () => {
    expect(seasonLabel('Vụ xuân 2026', 'en')).toEqual({ text: 'Spring 2026 harvest', lang: 'en' });
    expect(seasonLabel('vụ Hè 2026', 'en')).toEqual({ text: 'Summer 2026 harvest', lang: 'en' });
    expect(seasonLabel('Vụ thu', 'en')).toEqual({ text: 'Autumn harvest', lang: 'en' });
    expect(seasonLabel('Vụ đông 2025', 'en')).toEqual({ text: 'Winter 2025 harvest', lang: 'en' });
    expect(seasonLabel('Chè vụ tết', 'en')).toEqual({ text: 'Chè vụ tết', lang: 'vi' });
    expect(seasonLabel('Vụ xuân 2026', 'vi')).toEqual({ text: 'Vụ xuân 2026', lang: 'vi' });
  });

  it('no English category name keeps a Vietnamese-only word', () => {
    const vietnameseWords = CATEGORIES.flatMap((c) => foldForSearch(c.name.vi).split(' ')).filter(
      (w) => !['tra', 'gaba'].includes(w), // "trà GABA" is GABA tea in English too
    );
    for (const category of CATEGORIES) {
      const words = foldForSearch(category.name.en).split(' ');
      expect(
        words.filter((w) => vietnameseWords.includes(w) && !['tea'].includes(w)),
        category.name.en,
      ).toEqual([]);
    }
  });
});

describe('cart thumbnails', () => {
  it('a line keeps its thumbnail; a line saved without one gets it when the cart is rechecked', () => {
    const cart: Cart = { lines: [] };
    const line = {
      variantId: 'v1',
      quantity: 1,
      productSlug: 'che',
      productName: 'Chè',
      pack: '100 g',
      producerName: 'HTX',
      price: 100_000,
      stock: 5,
    };
    addLine(cart, { ...line, image: '/media/a/320.webp' });
    expect(cart.lines[0]!.image).toBe('/media/a/320.webp');
    const old: Cart = { lines: [{ ...line }] };
    reconcile(
      old,
      new Map([
        [
          'che',
          {
            name: 'Chè',
            packs: [{ id: 'v1', label: '100 g', price: 100_000, stock: 5 }],
            image: '/media/b/320.webp',
          },
        ],
      ]),
    );
    expect(old.lines[0]!.image).toBe('/media/b/320.webp');
  });
});
