/**
 * The storefront's pure logic: language paths, catalog listing views (sort, pages, URL shape) and
 * the in-browser search over the built index.
 */
import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../../shared/domain/text.ts';
import type { ProductSummary } from '../../shared/domain/catalog-view.ts';
import {
  langOfPath,
  localizePath,
  messages,
  pick,
  switchPath,
  unlocalizePath,
} from '../../site/src/i18n/index.ts';
import { vi } from '../../site/src/i18n/messages.ts';
import {
  allViews,
  listingPath,
  pageCount,
  pageOf,
  PAGE_SIZE,
  sortProducts,
  viewParam,
  parseView,
} from '../../site/src/lib/listing.ts';
import { searchEntries, toSearchEntry } from '../../site/src/shop/search-entry.ts';

describe('language paths', () => {
  it('puts English under /en/ and keeps the rest of the path', () => {
    expect(localizePath('en', '/')).toBe('/en/');
    expect(localizePath('en', '/san-pham/che/')).toBe('/en/san-pham/che/');
    expect(localizePath('vi', '/san-pham/che/')).toBe('/san-pham/che/');
    expect(unlocalizePath('/en/')).toBe('/');
    expect(unlocalizePath('/en/truy-xuat/TN-1/')).toBe('/truy-xuat/TN-1/');
    expect(unlocalizePath('/english-tea/')).toBe('/english-tea/');
  });

  it('switches language on the same page both ways', () => {
    expect(switchPath('/thanh-toan/', 'en')).toBe('/en/thanh-toan/');
    expect(switchPath('/en/thanh-toan/', 'vi')).toBe('/thanh-toan/');
    expect(switchPath('/en/', 'vi')).toBe('/');
    expect(switchPath('/', 'en')).toBe('/en/');
    expect(switchPath('/en/gio-hang/', 'en')).toBe('/en/gio-hang/');
  });

  it('reads the language from the path, not from look-alike prefixes', () => {
    expect(langOfPath('/en')).toBe('en');
    expect(langOfPath('/en/san-pham/')).toBe('en');
    expect(langOfPath('/entry/')).toBe('vi');
    expect(langOfPath('/')).toBe('vi');
  });

  it('falls back to the Vietnamese text when a seller wrote no English', () => {
    expect(pick({ vi: 'Chè đinh', en: 'Dinh bud tea' }, 'en')).toEqual({ text: 'Dinh bud tea', lang: 'en' });
    expect(pick({ vi: 'Chè đinh', en: '  ' }, 'en')).toEqual({ text: 'Chè đinh', lang: 'vi' });
    expect(pick({ vi: 'Chè đinh', en: 'Dinh bud tea' }, 'vi')).toEqual({ text: 'Chè đinh', lang: 'vi' });
  });

  it('has every message in both languages, and English differs where it should', () => {
    const en = messages('en');
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(en).sort()).toEqual(keys(vi).sort());
    expect(en.cart).toBe('Cart');
    expect(en.stars(1)).toBe('1 star');
    expect(vi.stars(4)).toBe('4 sao');
  });
});

function product(slug: string, min: number, stars: number | null, category = 'che-tom-non'): ProductSummary {
  return {
    id: slug,
    slug,
    name: { vi: slug },
    category: { slug: category, name: { vi: category, en: category } },
    producer: {
      slug: 'p',
      name: 'HTX',
      kind: 'cooperative',
      commune: { code: '05503', name: 'Xã Tân Cương' },
      province: { code: '19', name: 'Tỉnh Thái Nguyên' },
    },
    ocop: stars
      ? { stars, decisionNumber: '1/QĐ', decisionDate: '2025-01-01', expiresOn: '2028-01-01', issuer: 'UBND' }
      : null,
    variants: [],
    price: { min, max: min },
    inStock: true,
    images: [],
    publishedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('catalog listings', () => {
  const list = [product('a', 300, null), product('b', 100, 4), product('c', 200, 5), product('d', 100, 3)];

  it('sorts by price both ways and by OCOP stars, keeping newest-first order for ties', () => {
    expect(sortProducts(list, 'moi-nhat').map((p) => p.slug)).toEqual(['a', 'b', 'c', 'd']);
    expect(sortProducts(list, 'gia-tang').map((p) => p.slug)).toEqual(['b', 'd', 'c', 'a']);
    expect(sortProducts(list, 'gia-giam').map((p) => p.slug)).toEqual(['a', 'c', 'b', 'd']);
    expect(sortProducts(list, 'ocop').map((p) => p.slug)).toEqual(['c', 'b', 'd', 'a']);
    expect(list.map((p) => p.slug)).toEqual(['a', 'b', 'c', 'd']); // not sorted in place
  });

  it('sorts by rating: average, then number of reviews; unrated last', () => {
    const rated = [
      { ...product('a', 1, null), rating: { average: 4.5, count: 2 } },
      product('b', 1, null),
      { ...product('c', 1, null), rating: { average: 4.5, count: 9 } },
      { ...product('d', 1, null), rating: { average: 5, count: 1 } },
    ];
    expect(sortProducts(rated, 'danh-gia').map((p) => p.slug)).toEqual(['d', 'c', 'a', 'b']);
  });

  it('puts category, sort and page in the path, leaving defaults out', () => {
    expect(listingPath({ sort: 'moi-nhat', page: 1 })).toBe('/san-pham/');
    expect(listingPath({ sort: 'moi-nhat', page: 2 })).toBe('/san-pham/trang/2/');
    expect(listingPath({ sort: 'gia-tang', page: 1 })).toBe('/san-pham/sap-xep/gia-tang/');
    expect(listingPath({ category: 'che-dinh', sort: 'ocop', page: 3 })).toBe(
      '/san-pham/danh-muc/che-dinh/sap-xep/ocop/trang/3/',
    );
    expect(viewParam({ sort: 'moi-nhat', page: 1 })).toBeUndefined();
  });

  it('pages by PAGE_SIZE and lists every view once', () => {
    const many = Array.from({ length: PAGE_SIZE * 2 + 1 }, (_, i) => product(`p${i}`, i, null));
    expect(pageCount(many.length)).toBe(3);
    expect(pageCount(0)).toBe(1);
    expect(pageOf(many, 3).map((p) => p.slug)).toEqual([`p${PAGE_SIZE * 2}`]);
    const views = allViews(many, ['che-tom-non', 'mat-ong']);
    // All products: 3 pages × 5 sorts; che-tom-non holds all of them (3 × 5); mat-ong is empty (1 × 5).
    expect(views).toHaveLength(15 + 15 + 5);
    expect(new Set(views.map((v) => listingPath(v))).size).toBe(views.length);
  });
});

describe('listing URLs rendered on request', () => {
  it('parseView reads back every view viewParam writes', () => {
    const views = [
      { sort: 'moi-nhat' as const, page: 1 },
      { sort: 'moi-nhat' as const, page: 3 },
      { category: 'che-dinh', sort: 'gia-tang' as const, page: 1 },
      { category: 'mat-ong', sort: 'ocop' as const, page: 12 },
      { sort: 'gia-giam' as const, page: 2 },
      { category: 'che-dinh', sort: 'danh-gia' as const, page: 1 },
    ];
    for (const view of views) expect(parseView(viewParam(view))).toEqual(view);
  });

  it('refuses paths that are no listing (one URL per view: defaults are never spelled out)', () => {
    for (const param of [
      'trang/1',
      'trang/0',
      'trang/01',
      'trang/x',
      'sap-xep/moi-nhat',
      'sap-xep/re-nhat',
      'danh-muc',
      'danh-muc/Che',
      'trang/2/danh-muc/che-dinh',
      'danh-muc/che-dinh/extra',
    ]) {
      expect(parseView(param), param).toBeNull();
    }
  });
});

describe('search over the built index', () => {
  const entries = [
    { ...product('che-tom-non-tan-cuong', 150_000, 4), name: { vi: 'Chè tôm nõn Tân Cương' } },
    {
      ...product('che-dinh-la-bang', 400_000, 5),
      name: { vi: 'Chè đinh La Bằng', en: 'La Bang dinh tea' },
      producer: { ...product('x', 1, null).producer, commune: { code: '2', name: 'Xã La Bằng' } },
    },
    {
      ...product('mat-ong-rung', 250_000, null, 'mat-ong'),
      name: { vi: 'Mật ong rừng' },
      producer: { ...product('x', 1, null).producer, commune: { code: '1', name: 'Xã Sơn Tân' } },
    },
    { ...product('che-xanh', 90_000, null), name: { vi: 'Chè xanh Tân Cương' }, inStock: false },
  ].map((p) => toSearchEntry(p, foldForSearch));
  const search = (q: string) => searchEntries(entries, q, foldForSearch).map((e) => e.slug);

  it('ignores diacritics and case', () => {
    expect(search('che tan cuong')).toEqual(['che-tom-non-tan-cuong', 'che-xanh']);
    expect(search('CHÈ TÂN CƯƠNG')).toEqual(search('che tan cuong'));
    expect(search('dinh')).toEqual(['che-dinh-la-bang']);
    expect(search('đinh')).toEqual(['che-dinh-la-bang']);
  });

  it('matches word starts, English names and producer places; needs every word', () => {
    expect(search('tan')).toEqual(['che-tom-non-tan-cuong', 'che-xanh', 'mat-ong-rung']);
    expect(search('an')).toEqual([]);
    expect(search('bang tea')).toEqual(['che-dinh-la-bang']);
    expect(search('mat ong tan cuong')).toEqual([]);
    expect(search('   ')).toEqual([]);
  });

  it('ranks name matches first, then in-stock, then OCOP stars', () => {
    // "tân cương" is in both tea names; the in-stock 4-star one first, the sold-out one next.
    expect(search('tân cương')[0]).toBe('che-tom-non-tan-cuong');
    expect(search('xa son tan')).toEqual(['mat-ong-rung']);
  });
});
