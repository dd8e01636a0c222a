import { beforeAll, describe, expect, it } from 'vitest';
import { provideConfigOnly } from './config-only.ts';
import {
  buildCatalog,
  ListProductsQuery,
  productSearchFields,
  queryCatalog,
  categoryCounts,
  type CatalogInput,
} from '../../shared/domain/catalog-query.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { Product } from '../../shared/domain/product.ts';
import {
  createMockCertificate,
  createMockProducer,
  createMockProduct,
  createMockVariant,
} from '../fixtures.ts';

const TODAY = '2026-11-26';
const coop = createMockProducer({ id: 'coop', slug: 'htx-tan-cuong', name: 'HTX Chè Tân Cương' });
const household = createMockProducer({
  id: 'hh',
  slug: 'ho-la-bang',
  kind: 'household',
  name: 'Hộ Trần Thị Hoa',
  address: { provinceCode: '19', communeCode: '05818' },
});
const pending = createMockProducer({ id: 'pending', slug: 'pending', verification: { status: 'pending' } });

function listing(
  producer: typeof coop,
  n: number,
  fields: Partial<Product>,
  prices: number[],
  extra: { stock?: number; stars?: 3 | 4 | 5; verified?: boolean } = {},
) {
  const product = createMockProduct(producer.id, {
    id: `p${n}`,
    slug: `p${n}`,
    publishedAt: `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`,
    ...fields,
  });
  const place =
    producer.address.communeCode === '05818'
      ? 'Xã La Bằng Tỉnh Thái Nguyên'
      : 'Xã Tân Cương Tỉnh Thái Nguyên';
  return {
    product: { ...product, ...productSearchFields(product, producer.name, place) },
    variants: prices.map((price, i) =>
      createMockVariant(product.id, { id: `p${n}v${i}`, price, stock: extra.stock ?? 5 }),
    ),
    certs: extra.stars
      ? [createMockCertificate(product.id, { stars: extra.stars, verified: extra.verified ?? true })]
      : [],
  };
}

const listings = [
  listing(coop, 1, { name: { vi: 'Chè Tân Cương đặc biệt' }, category: 'che-non' }, [180_000, 430_000], {
    stars: 4,
  }),
  listing(
    coop,
    2,
    { name: { vi: 'Chè đinh thượng hạng'.normalize('NFD') }, category: 'che-dinh' },
    [480_000],
    { stars: 5 },
  ),
  listing(household, 3, { name: { vi: 'Trà túi lọc La Bằng' }, category: 'tra-tui-loc' }, [65_000, 120_000], {
    stock: 0,
  }),
  listing(
    household,
    4,
    { name: { vi: 'Mật ong rừng' }, category: 'mat-ong', description: { vi: 'Pha với trà rất ngon' } },
    [180_000],
    { stars: 3, verified: false },
  ),
  listing(coop, 5, { name: { vi: 'Chè móc câu' }, category: 'che-moc-cau', status: 'draft' }, [100_000]),
  listing(pending, 6, { name: { vi: 'Chè của hộ chưa xác minh' } }, [90_000]),
];

const input: CatalogInput = {
  producers: [coop, household, pending],
  products: listings.map((l) => l.product),
  variants: listings.flatMap((l) => l.variants),
  certificates: listings.flatMap((l) => l.certs),
};
const catalog = buildCatalog(input, TODAY);
const slugs = (query: Record<string, string> = {}) =>
  queryCatalog(catalog, ListProductsQuery.parse(query)).items.map((i) => i.slug);

// Cursors are sealed with the configured secret (the local dev one here).
beforeAll(() => provideConfigOnly());

describe('catalog query', () => {
  it('shows only published products of verified producers, newest first', () => {
    expect(slugs()).toEqual(['p4', 'p3', 'p2', 'p1']);
  });

  it('finds products ignoring diacritics, case and Unicode form', () => {
    expect(slugs({ q: 'che tan cuong' })[0]).toBe('p1');
    expect(slugs({ q: 'Chè Tân Cương' })[0]).toBe('p1');
    expect(slugs({ q: 'CHÈ TÂN CƯƠNG'.normalize('NFD') })[0]).toBe('p1');
    expect(slugs({ q: 'dinh' })).toEqual(['p2']);
    expect(slugs({ q: 'đinh' })).toEqual(['p2']);
    expect(slugs({ q: 'tra' })).toContain('p3');
  });

  it('ranks name matches above description matches', () => {
    // "trà" is in p3's name and only in p4's description.
    expect(slugs({ q: 'tra' })).toEqual(['p3', 'p4']);
  });

  it('requires every word to match and returns nothing for unknown words', () => {
    expect(slugs({ q: 'che mat ong' })).toEqual([]);
    expect(slugs({ q: 'xyzzy' })).toEqual([]);
  });

  it('matches word prefixes while typing', () => {
    expect(slugs({ q: 'thuong ha' })).toEqual(['p2']);
  });

  it('filters by category, OCOP stars, place, price and stock', () => {
    expect(slugs({ category: 'che-dinh' })).toEqual(['p2']);
    expect(slugs({ ocopMin: '4' })).toEqual(['p2', 'p1']);
    // p4's 3★ certificate is unverified, so it has no badge.
    expect(slugs({ ocopMin: '3' })).toEqual(['p2', 'p1']);
    expect(slugs({ commune: '05818' })).toEqual(['p4', 'p3']);
    expect(slugs({ province: '19' })).toHaveLength(4);
    expect(slugs({ priceMin: '400000' })).toEqual(['p2', 'p1']);
    expect(slugs({ priceMax: '100000' })).toEqual(['p3']);
    expect(slugs({ inStock: 'true' })).toEqual(['p4', 'p2', 'p1']);
    expect(slugs({ producer: 'ho-la-bang' })).toEqual(['p4', 'p3']);
  });

  it('sorts by price and by OCOP stars', () => {
    expect(slugs({ sort: 'price_asc' })).toEqual(['p3', 'p1', 'p4', 'p2']);
    expect(slugs({ sort: 'price_desc' })).toEqual(['p2', 'p1', 'p4', 'p3']);
    expect(slugs({ sort: 'ocop' })).toEqual(['p2', 'p1', 'p4', 'p3']);
  });

  it('pages with a cursor through every product exactly once', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = queryCatalog(
        catalog,
        ListProductsQuery.parse({ limit: '3', sort: 'price_asc', ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.items.map((i) => i.slug));
      expect(page.total).toBe(4);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['p3', 'p1', 'p4', 'p2']);
  });

  it('pages a ranked search one product at a time in the order of the whole answer', () => {
    // "tra" ranks p3 (name) above p4 (description); "t" matches every product at several scores.
    for (const q of ['tra', 't', 'che']) {
      const whole = slugs({ q });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = queryCatalog(
          catalog,
          ListProductsQuery.parse({ q, limit: '1', ...(cursor ? { cursor } : {}) }),
        );
        seen.push(...page.items.map((i) => i.slug));
        expect(page.total).toBe(whole.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, q).toEqual(whole);
    }
  });

  it('rejects a forged cursor with a clear error', () => {
    expect(() => queryCatalog(catalog, ListProductsQuery.parse({ cursor: 'not-a-cursor' }))).toThrow(
      DomainError,
    );
  });

  it('validates the query strictly', () => {
    expect(ListProductsQuery.safeParse({ foo: '1' }).success).toBe(false);
    expect(ListProductsQuery.safeParse({ ocopMin: '2' }).success).toBe(false);
    expect(ListProductsQuery.safeParse({ limit: '500' }).success).toBe(false);
    expect(ListProductsQuery.safeParse({ priceMin: '10', priceMax: '5' }).success).toBe(false);
    expect(ListProductsQuery.safeParse({ category: 'nope' }).success).toBe(false);
  });

  it('builds summaries with packs, price range, price per 100 g and the valid badge', () => {
    const p1 = queryCatalog(catalog, ListProductsQuery.parse({ q: 'che tan cuong' })).items[0]!;
    expect(p1.price).toEqual({ min: 180_000, max: 430_000 });
    expect(p1.variants[0]).toMatchObject({ grams: 200, label: '200 g', pricePer100g: 90_000 });
    expect(p1.ocop).toMatchObject({ stars: 4, expiresOn: '2028-01-15' });
    expect(p1.producer).toMatchObject({
      slug: 'htx-tan-cuong',
      commune: { code: '05503', name: 'Xã Tân Cương' },
    });
  });

  it('counts products per category', () => {
    const counts = Object.fromEntries(categoryCounts(catalog).map((c) => [c.slug, c.productCount]));
    expect(counts).toMatchObject({
      'che-non': 1,
      'che-dinh': 1,
      'tra-tui-loc': 1,
      'mat-ong': 1,
      'che-moc-cau': 0,
    });
  });
});

describe('incremental catalog model', () => {
  const fresh = () => buildCatalog(input, TODAY);
  const query = (c: ReturnType<typeof fresh>, q: Record<string, string> = {}) =>
    queryCatalog(c, ListProductsQuery.parse(q)).items.map((i) => i.slug);
  const p1 = listings[0]!;
  const p3 = listings[2]!;

  it('moves a product in the price orders when a pack price changes, and ignores an older version', () => {
    const c = fresh();
    const cheaper = { ...p1.variants[0]!, price: 10_000 };
    expect(
      c.apply([{ type: 'variant', version: '2026-11-26T10:00:00.000Z#variant#x', entity: cheaper }]),
    ).toBe(1);
    expect(query(c, { sort: 'price_asc' })).toEqual(['p1', 'p3', 'p4', 'p2']);
    expect(
      c.apply([{ type: 'variant', version: '2026-11-26T09:00:00.000Z#variant#x', entity: p1.variants[0]! }]),
    ).toBe(0);
    expect(query(c, { sort: 'price_asc' })[0]).toBe('p1');
  });

  it('shows new stock, drops an archived product from lists and search, and finds a renamed one by its new words', () => {
    const c = fresh();
    c.apply([
      { type: 'variant', version: 'v2', entity: { ...p3.variants[0]!, stock: 4 } },
      { type: 'product', version: 'v2', entity: { ...p1.product, status: 'archived' } },
    ]);
    expect(query(c, { inStock: 'true' })).toContain('p3');
    expect(query(c)).not.toContain('p1');
    expect(query(c, { q: 'tan cuong' })).not.toContain('p1');
    expect(c.entriesBySlug.has('p1')).toBe(false);
    const renamed = {
      ...p3.product,
      ...productSearchFields({ ...p3.product, name: { vi: 'Trà Khe Cốc' } }, 'Hộ', ''),
    };
    c.apply([{ type: 'product', version: 'v3', entity: { ...renamed, name: { vi: 'Trà Khe Cốc' } } }]);
    expect(query(c, { q: 'khe co' })).toEqual(['p3']);
    expect(query(c, { q: 'la bang' })).not.toContain('p3');
  });

  it('recomputes OCOP badges on a new day: a certificate valid today is gone after it expires', () => {
    const c = fresh();
    expect(query(c, { ocopMin: '4' })).toEqual(['p2', 'p1']);
    c.setDay('2030-01-01');
    expect(query(c, { ocopMin: '4' })).toEqual([]);
    c.setDay(TODAY);
    expect(query(c, { ocopMin: '4' })).toEqual(['p2', 'p1']);
  });
});
