/**
 * Storefront components rendered with the Astro Container API: real HTML out of the real
 * components, from fixtures shaped like the catalog API's responses.
 * Needs Astro's Vite plugins: run under a vitest project built with `getViteConfig` (astro/config).
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  imageView,
  type OcopBadge as OcopBadgeView,
  type ProductSummary,
} from '../../shared/domain/catalog-view.ts';
import OcopBadge from '../../site/src/components/OcopBadge.astro';
import PackTable from '../../site/src/components/PackTable.astro';
import Price from '../../site/src/components/Price.astro';
import ProductCard from '../../site/src/components/ProductCard.astro';
import AddToCart from '../../site/src/components/shop/AddToCart.astro';

/** Intl's vi-VN currency format puts a no-break space before the đồng sign. */
const NBSP = '\u00a0';

const ocop: OcopBadgeView = {
  stars: 4,
  decisionNumber: '1234/QĐ-UBND',
  decisionDate: '2024-03-15',
  expiresOn: '2027-03-15',
  issuer: 'UBND tỉnh Thái Nguyên',
};

function fixture(overrides: Partial<ProductSummary> = {}): ProductSummary {
  return {
    id: 'p1',
    slug: 'che-tom-non-tan-cuong',
    name: { vi: 'Chè tôm nõn Tân Cương', en: 'Tan Cuong bud tea' },
    category: { slug: 'che-tom-non', name: { vi: 'Chè tôm nõn', en: 'Tom non tea (bud only)' } },
    producer: {
      slug: 'htx-che-tan-cuong',
      name: 'HTX Chè Tân Cương',
      kind: 'cooperative',
      commune: { code: '05503', name: 'Xã Tân Cương' },
      province: { code: '19', name: 'Tỉnh Thái Nguyên' },
    },
    ocop,
    variants: [
      { id: 'v1', grams: 200, label: '200 g', price: 150_000, pricePer100g: 75_000, stock: 4 },
      { id: 'v2', grams: 500, label: '500 g', price: 350_000, pricePer100g: 70_000, stock: 0 },
      { id: 'v3', unit: 'hộp quà', label: 'hộp quà', price: 420_000, pricePer100g: null, stock: 2 },
    ],
    price: { min: 150_000, max: 420_000 },
    inStock: true,
    images: [
      imageView({ key: 'products/p1/a', alt: 'Búp chè tôm nõn trên đĩa sứ', width: 1280, height: 960 }),
    ],
    publishedAt: '2025-04-20T08:00:00.000Z',
    ...overrides,
  };
}

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create();
});

describe('OcopBadge', () => {
  it('shows the OCOP mark with one star per level', async () => {
    const html = await container.renderToString(OcopBadge, { props: { ocop, now: new Date('2026-01-01') } });
    expect(html).toContain('OCOP');
    expect(html).toContain('★★★★');
    expect(html).not.toContain('★★★★★');
    expect(html).toContain('4 sao');
  });

  it('renders nothing for an unverified certificate (the API sends none)', async () => {
    const html = await container.renderToString(OcopBadge, { props: { ocop: null } });
    expect(html.trim()).toBe('');
  });

  it('hides a certificate that expired after the page was built', async () => {
    const expired = { ...ocop, expiresOn: '2025-01-31' };
    const before = await container.renderToString(OcopBadge, {
      props: { ocop: expired, now: new Date('2025-01-31T10:00:00Z') },
    });
    expect(before).toContain('★★★★');
    for (const detailed of [false, true]) {
      const after = await container.renderToString(OcopBadge, {
        props: { ocop: expired, detailed, now: new Date('2025-02-01T00:00:00Z') },
      });
      expect(after.trim()).toBe('');
    }
  });

  it('speaks English on English pages', async () => {
    const html = await container.renderToString(OcopBadge, {
      props: { ocop: { ...ocop, stars: 5 }, detailed: true, now: new Date('2026-01-01') },
      request: new Request('http://localhost/en/san-pham/x/'),
    });
    expect(html).toContain('5-star OCOP product');
    expect(html).toContain('Valid until');
    expect(html).toMatch(/<time datetime="2027-03-15">15 Mar 2027<\/time>/);
    expect(html).not.toContain('sao');
  });

  it('gives the decision, issuer and expiry when detailed', async () => {
    const html = await container.renderToString(OcopBadge, {
      props: { ocop: { ...ocop, stars: 5 }, detailed: true, now: new Date('2026-01-01') },
    });
    expect(html).toContain('★★★★★');
    expect(html).toContain('1234/QĐ-UBND');
    expect(html).toContain('15/03/2024');
    expect(html).toContain('UBND tỉnh Thái Nguyên');
    expect(html).toMatch(/<time datetime="2027-03-15">15\/03\/2027<\/time>/);
  });
});

describe('Price', () => {
  it('formats whole đồng the vi-VN way', async () => {
    const html = await container.renderToString(Price, { props: { amount: 150_000 } });
    expect(html).toContain(`150.000${NBSP}₫`);
    expect(html).toContain('value="150000"');
  });

  it('says "từ" for the low end of a range and "/100 g" for unit prices', async () => {
    expect(await container.renderToString(Price, { props: { amount: 150_000, from: true } })).toContain(
      `từ <data value="150000">150.000${NBSP}₫</data>`,
    );
    expect(await container.renderToString(Price, { props: { amount: 45_000, per100g: true } })).toContain(
      `45.000${NBSP}₫</data>/100 g`,
    );
  });

  it('keeps đồng and says "from" on English pages', async () => {
    const html = await container.renderToString(Price, {
      props: { amount: 150_000, from: true },
      request: new Request('http://localhost/en/san-pham/'),
    });
    expect(html).toContain(`from <data value="150000">150.000${NBSP}₫</data>`);
  });
});

describe('ProductCard', () => {
  it('links the product and shows producer, commune, OCOP stars and prices', async () => {
    const html = await container.renderToString(ProductCard, { props: { product: fixture() } });
    expect(html).toContain('href="/san-pham/che-tom-non-tan-cuong/"');
    expect(html).toContain('Chè tôm nõn Tân Cương');
    expect(html).toContain('HTX Chè Tân Cương');
    expect(html).toContain('Xã Tân Cương');
    expect(html).toContain('★★★★');
    expect(html).toContain(`từ <data value="150000">150.000${NBSP}₫</data>`);
    // Lowest price per 100 g among weighed packs (500 g at 350.000 ₫).
    expect(html).toContain(`70.000${NBSP}₫</data>/100 g`);
    // The sold-out tag is there for the listing island to show, but hidden while in stock.
    expect(html).toMatch(/<span class="tag" data-card-out hidden[^>]*>Hết hàng<\/span>/);
    expect(html).not.toContain('card--out');
  });

  it('serves AVIF, WebP and JPEG with sizes, dimensions and alt text, lazily by default', async () => {
    const html = await container.renderToString(ProductCard, { props: { product: fixture() } });
    expect(html).toContain('<source type="image/avif" srcset="/media/products/p1/a/320.avif 320w,');
    expect(html).toContain('<source type="image/webp"');
    expect(html).toMatch(
      /<img src="\/media\/products\/p1\/a\/640\.jpg" srcset="[^"]*1280\.jpg 1280w" sizes="[^"]+"/,
    );
    expect(html).toContain('width="1280" height="960" alt="Búp chè tôm nõn trên đĩa sứ" loading="lazy"');
    expect(html).not.toContain('fetchpriority');
  });

  it('marks sold-out products and leaves out the OCOP mark when there is none', async () => {
    const soldOut = fixture({
      ocop: null,
      inStock: false,
      variants: fixture().variants.map((v) => ({ ...v, stock: 0 })),
      price: { min: 150_000, max: 150_000 },
    });
    const html = await container.renderToString(ProductCard, { props: { product: soldOut } });
    expect(html).toContain('card--out');
    expect(html).toMatch(/<span class="tag" data-card-out>Hết hàng<\/span>/);
    expect(html).not.toContain('OCOP');
    expect(html).toContain(`<data value="150000">150.000${NBSP}₫</data>`);
    expect(html).not.toContain('từ <data value="150000">');
  });
});

describe('PackTable', () => {
  it('lists each pack with its price, price per 100 g and stock state', async () => {
    const html = await container.renderToString(PackTable, { props: { packs: fixture().variants } });
    expect(html).toContain('<caption>Quy cách và giá</caption>');
    expect(html.match(/<tr[\s>]/g)).toHaveLength(4); // header + 3 packs (rows carry data-pack)
    expect(html).toContain(`350.000${NBSP}₫`);
    expect(html).toContain(`75.000${NBSP}₫`);
    expect(html).toContain('Còn hàng');
    expect(html).toContain('Hết hàng');
    expect(html).toContain('không áp dụng');
  });
});

describe('AddToCart (the pack selector)', () => {
  it('offers each pack with its price and price per 100 g, the first in-stock pack chosen, sold-out packs disabled', async () => {
    const html = await container.renderToString(AddToCart, { props: { product: fixture() } });
    const radios = html.match(/<input type="radio"[^>]*>/g) ?? [];
    expect(radios).toHaveLength(3);
    expect(radios[0]).toContain('value="v1"');
    expect(radios[0]).toContain('checked');
    expect(radios[1]).toContain('value="v2"');
    expect(radios[1]).toContain('disabled');
    expect(radios[1]).not.toContain('checked');
    expect(radios[2]).not.toContain('disabled');
    expect(html).toContain(`200 g — 150.000${NBSP}₫`);
    expect(html).toContain(`75.000${NBSP}₫/100 g`);
    expect(html).toContain('Còn 4'); // few left
    expect(html).toContain('Hết hàng');
    expect(html).toContain('Thêm vào giỏ');
  });

  it('says it cannot be bought when every pack is sold out', async () => {
    const soldOut = fixture({ variants: fixture().variants.map((v) => ({ ...v, stock: 0 })) });
    const html = await container.renderToString(AddToCart, { props: { product: soldOut } });
    expect(html).not.toContain('type="radio"');
    expect(html).toContain('tạm hết hàng');
  });

  it('is in English on English pages, with the English product name for the cart', async () => {
    const html = await container.renderToString(AddToCart, {
      props: { product: fixture() },
      request: new Request('http://localhost/en/san-pham/che-tom-non-tan-cuong/'),
    });
    expect(html).toContain('Choose a pack');
    expect(html).toContain('Add to cart');
    expect(html).toContain('4 left');
    expect(html).toContain('data-name="Tan Cuong bud tea"');
    expect(html).not.toContain('Thêm vào giỏ');
  });
});

describe('ProductCard in English', () => {
  it('links the English page and shows the English name, falling back to Vietnamese marked as such', async () => {
    const request = () => new Request('http://localhost/en/san-pham/');
    const html = await container.renderToString(ProductCard, {
      props: { product: fixture() },
      request: request(),
    });
    expect(html).toContain('href="/en/san-pham/che-tom-non-tan-cuong/"');
    expect(html).toContain('>Tan Cuong bud tea</a>');
    const untranslated = fixture({ name: { vi: 'Chè đinh La Bằng' } });
    const fallback = await container.renderToString(ProductCard, {
      props: { product: untranslated },
      request: request(),
    });
    expect(fallback).toMatch(
      /<a href="\/en\/san-pham\/che-tom-non-tan-cuong\/" lang="vi">Chè đinh La Bằng<\/a>/,
    );
  });
});
