/**
 * The pure rules of reviews: who may review which line and until when, what is shown of the
 * buyer, the season of a date, the JSON-LD only with real reviews, and the catalog's rating
 * (from the stats item) and its sort.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog, queryCatalog } from '../../shared/domain/catalog-query.ts';
import type { OrderLine, SubOrder } from '../../shared/orders/model.ts';
import { reviewAuthor, reviewEligibility, seasonOf } from '../../shared/reviews/model.ts';
import { reviewJsonLd } from '../../site/src/lib/review-json-ld.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

const line = (variantId: string): OrderLine => ({
  variantId,
  productId: 'p1',
  productSlug: 'che',
  productName: 'Chè',
  pack: '200 g',
  producerId: 'h1',
  producerName: 'Hộ',
  unitPrice: 100_000,
  quantity: 1,
  lineTotal: 100_000,
});

const sub = (status: SubOrder['status'], deliveredAt?: string): SubOrder => ({
  orderCode: 'TN-ABCDE',
  fulfillerId: 'c1',
  fulfillerName: 'HTX',
  status,
  lines: [line('v1')],
  subtotal: 100_000,
  shippingFee: 0,
  history: [
    { status: 'placed', at: '2026-03-01T00:00:00.000Z', by: 'x' },
    ...(deliveredAt ? [{ status: 'delivered' as const, at: deliveredAt, by: 'x' }] : []),
  ],
  createdAt: '2026-03-01T00:00:00.000Z',
  version: 1,
});

describe('who may review', () => {
  const now = new Date('2026-04-01T00:00:00.000Z');
  it('a delivered or completed line, within 60 days of delivery', () => {
    expect(reviewEligibility([sub('delivered', '2026-03-05T00:00:00.000Z')], 'v1', now).ok).toBe(true);
    expect(reviewEligibility([sub('completed', '2026-03-05T00:00:00.000Z')], 'v1', now).ok).toBe(true);
    expect(reviewEligibility([sub('shipped')], 'v1', now)).toEqual({ ok: false, reason: 'not_delivered' });
    expect(reviewEligibility([sub('delivered', '2026-03-05T00:00:00.000Z')], 'v2', now)).toEqual({
      ok: false,
      reason: 'no_line',
    });
    const late = new Date('2026-05-05T00:00:01.000Z');
    expect(reviewEligibility([sub('delivered', '2026-03-05T00:00:00.000Z')], 'v1', late)).toEqual({
      ok: false,
      reason: 'too_late',
    });
    // Refunded after delivery: no longer a line to review.
    expect(reviewEligibility([sub('refunded', '2026-03-05T00:00:00.000Z')], 'v1', now).ok).toBe(false);
  });

  it('shows the given name and the delivery province only', () => {
    const shipping = {
      contact: { name: '  Nguyễn Thị  Lan ', phone: '+84987654321' },
      delivery: {
        method: 'shipping' as const,
        address: { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' },
      },
    };
    expect(reviewAuthor(shipping)).toEqual({ firstName: 'Lan', province: 'Thành phố Hà Nội' });
    expect(reviewAuthor({ ...shipping, delivery: { method: 'pickup' } })).toEqual({
      firstName: 'Lan',
      province: null,
    });
  });

  it('names the tea season of a date in Vietnam time', () => {
    expect(seasonOf('2026-03-10T00:00:00.000Z')).toBe('Vụ xuân 2026');
    expect(seasonOf('2026-06-10T00:00:00.000Z')).toBe('Vụ hè 2026');
    expect(seasonOf('2026-09-10T00:00:00.000Z')).toBe('Vụ thu 2026');
    expect(seasonOf('2026-12-10T00:00:00.000Z')).toBe('Vụ đông 2026');
    expect(seasonOf('2027-01-10T00:00:00.000Z')).toBe('Vụ đông 2026');
    // 31 January 18:00 UTC is 1 February in Vietnam: spring.
    expect(seasonOf('2027-01-31T18:00:00.000Z')).toBe('Vụ xuân 2027');
  });
});

describe('JSON-LD', () => {
  const review = {
    stars: 4,
    text: 'Ngon',
    createdAt: '2026-03-10T00:00:00.000Z',
    author: { firstName: 'Lan', province: null },
  };
  it('has aggregateRating and review only with real, visible reviews', () => {
    expect(reviewJsonLd(undefined, [])).toEqual({});
    expect(reviewJsonLd(undefined, [review])).toEqual({});
    expect(reviewJsonLd({ average: 4, count: 1 }, [])).toEqual({});
    const ld = reviewJsonLd({ average: 4, count: 1 }, [review]);
    expect(ld.aggregateRating).toMatchObject({ ratingValue: 4, reviewCount: 1 });
    expect(ld.review).toEqual([
      expect.objectContaining({ reviewBody: 'Ngon', author: { '@type': 'Person', name: 'Lan' } }),
    ]);
  });
});

describe('ratings in the catalog read model', () => {
  it('applies stats items to the summaries and sorts by rating', () => {
    const producer = createMockProducer({ kind: 'cooperative' });
    const products = ['a', 'b', 'c'].map((slug) => createMockProduct(producer.id, { slug }));
    const catalog = buildCatalog({
      producers: [producer],
      products,
      variants: products.map((p) => createMockVariant(p.id)),
      certificates: [],
    });
    const stats = (i: number, ratingCount: number, ratingSum: number, sold: number, at: string) => ({
      type: 'stats' as const,
      version: `${at}#stats#${products[i]!.id}`,
      entity: { id: products[i]!.id, ratingCount, ratingSum, sold },
    });
    catalog.apply([
      stats(0, 2, 7, 5, '2026-03-01T00:00:00.000Z'),
      stats(2, 1, 5, 0, '2026-03-01T00:00:00.000Z'),
    ]);
    const page = queryCatalog(catalog, { sort: 'rating' });
    expect(page.items.map((p) => p.slug)).toEqual(['c', 'a', 'b']);
    expect(page.items[0]!.rating).toEqual({ average: 5, count: 1 });
    expect(page.items[1]).toMatchObject({ rating: { average: 3.5, count: 2 }, sold: 5 });
    expect(page.items[2]!.rating).toBeUndefined();
    // A review hidden: the older stats change is ignored, the newer one applied.
    catalog.apply([
      stats(2, 0, 0, 0, '2026-03-02T00:00:00.000Z'),
      stats(2, 1, 5, 0, '2026-03-01T12:00:00.000Z'),
    ]);
    const after = queryCatalog(catalog, { sort: 'rating' });
    expect(after.items[0]!.slug).toBe('a');
    expect(after.items.find((p) => p.slug === 'c')!.rating).toBeUndefined();
    expect(JSON.parse(JSON.stringify(after.items[0]))).toMatchObject({
      rating: { average: 3.5, count: 2 },
      sold: 5,
    });
  });
});
