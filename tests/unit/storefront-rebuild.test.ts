/**
 * The storefront's invalidation decisions (functions/site-rebuild): which stream records change a
 * page, and which paths (both languages) a batch of them makes stale at CloudFront.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { catalogChanges } from '../../functions/site-rebuild/decide.ts';
import {
  MAX_WILDCARDS,
  pathsToInvalidate,
  withinLimits,
  type CatalogLookup,
} from '../../functions/site-rebuild/invalidate.ts';

// ---- stream records -------------------------------------------------------------------------

function attribute(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  return { M: image(value as Record<string, unknown>) };
}
function image(item: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, attribute(v)]));
}

const AT = 1_760_000_000; // stream time, whole seconds

function record(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  at = AT,
): DynamoDBRecord {
  const item = (after ?? before)!;
  return {
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    dynamodb: {
      ApproximateCreationDateTime: at,
      Keys: { pk: { S: String(item.pk) }, sk: { S: String(item.sk) } },
      ...(before ? { OldImage: image(before) } : {}),
      ...(after ? { NewImage: image(after) } : {}),
    },
  };
}

const product = {
  pk: 'PRODUCT#p1',
  sk: 'PRODUCT',
  type: 'product',
  id: 'p1',
  slug: 'che-tan-cuong',
  producerId: 'h1',
  category: 'che',
  name: { vi: 'Chè Tân Cương', en: 'Tan Cuong tea' },
  description: { vi: 'Chè búp', en: 'Tea buds' },
  images: [{ id: 'i1', alt: 'Chè' }],
  status: 'published',
  updatedAt: '2025-05-01T00:00:00.000Z',
  searchName: 'che tan cuong',
};
const pack = { pk: 'PRODUCT#p1', sk: 'VARIANT#v1', type: 'variant', grams: 200, price: 180_000, stock: 10 };
const certificate = {
  pk: 'PRODUCT#p1',
  sk: 'OCOP#c1',
  type: 'ocop',
  stars: 4,
  decisionNumber: '2361/QĐ-UBND',
  decisionDate: '2024-03-01',
  issuer: 'UBND tỉnh Thái Nguyên',
  verified: false,
};
const producer = {
  pk: 'PRODUCER#h1',
  sk: 'PRODUCER',
  type: 'producer',
  slug: 'ho-nguyen-van-thanh',
  kind: 'household',
  name: 'Hộ Nguyễn Văn Thành',
  address: { communeCode: '05500', detail: 'Xóm 1' },
  verification: { status: 'verified' },
  updatedAt: '2025-05-01T00:00:00.000Z',
};

const whatOf = (records: DynamoDBRecord[]) => catalogChanges(records).map((c) => c.what);

describe('catalogChanges: what a static page would show differently', () => {
  it('ignores drafts, whatever changes in them', () => {
    const draft = { ...product, status: 'draft' };
    expect(whatOf([record(undefined, draft)])).toEqual([]);
    expect(whatOf([record(draft, { ...draft, name: { vi: 'Chè mới', en: 'New tea' } })])).toEqual([]);
    expect(whatOf([record({ ...draft, status: 'in_review' }, draft)])).toEqual([]);
  });

  it('sees a product published, unpublished or deleted', () => {
    expect(whatOf([record({ ...product, status: 'in_review' }, product)])).toEqual(['published']);
    expect(whatOf([record(product, { ...product, status: 'archived' })])).toEqual(['unpublished (archived)']);
    expect(whatOf([record(product, undefined)])).toEqual(['deleted']);
  });

  it('sees what a published product page shows, not bookkeeping', () => {
    expect(whatOf([record(product, { ...product, updatedAt: '2025-06-01T00:00:00.000Z' })])).toEqual([]);
    expect(
      whatOf([record(product, { ...product, name: { ...product.name, vi: 'Chè Tân Cương đặc biệt' } })]),
    ).toEqual(['changed: name']);
    expect(
      whatOf([record(product, { ...product, images: [...product.images, { id: 'i2', alt: 'Ấm' }] })]),
    ).toEqual(['changed: images']);
  });

  it('compares maps regardless of key order', () => {
    const reordered = { ...product, name: { en: 'Tan Cuong tea', vi: 'Chè Tân Cương' } };
    expect(whatOf([record(product, reordered)])).toEqual([]);
  });

  it('sees pack prices and sizes, and stock only when it crosses zero', () => {
    expect(whatOf([record(pack, { ...pack, stock: 9 })])).toEqual([]);
    expect(whatOf([record({ ...pack, stock: 1 }, { ...pack, stock: 0 })])).toEqual(['pack sold out']);
    expect(whatOf([record({ ...pack, stock: 0 }, { ...pack, stock: 5 })])).toEqual(['pack back in stock']);
    expect(whatOf([record(pack, { ...pack, price: 190_000, stock: 8 })])).toEqual(['pack price']);
    expect(whatOf([record(undefined, pack)])).toEqual(['pack added']);
    expect(whatOf([record(pack, undefined)])).toEqual(['pack removed']);
  });

  it('sees OCOP badges appear and disappear; unverified certificates show nothing', () => {
    expect(whatOf([record(undefined, certificate)])).toEqual([]);
    const verified = { ...certificate, verified: true };
    expect(whatOf([record(certificate, verified)])).toEqual(['certificate verified']);
    expect(whatOf([record(verified, { ...verified, stars: 5 })])).toEqual(['changed: stars']);
    expect(whatOf([record(verified, undefined)])).toEqual(['certificate removed']);
  });

  it('sees verified producers change, not pending ones', () => {
    const pending = { ...producer, verification: { status: 'pending' } };
    expect(whatOf([record(pending, { ...pending, name: 'Hộ Nguyễn Văn Thành (Tân Cương)' })])).toEqual([]);
    expect(whatOf([record(pending, producer)])).toEqual(['producer verified']);
    expect(whatOf([record(producer, { ...producer, name: 'Hộ Nguyễn Văn Thành (Tân Cương)' })])).toEqual([
      'changed: name',
    ]);
    expect(whatOf([record(producer, { ...producer, updatedAt: '2025-07-01T00:00:00.000Z' })])).toEqual([]);
  });

  it('ignores every other item of the table', () => {
    const lot = { pk: 'PRODUCT#p1', sk: 'LOT#l1', type: 'lot', harvestDate: '2025-04-01' };
    const order = { pk: 'ORDER#o1', sk: 'ORDER', status: 'placed' };
    expect(whatOf([record(undefined, lot), record(undefined, order)])).toEqual([]);
  });

  it('keeps the item key and the write time (ms)', () => {
    const [change] = catalogChanges([record(pack, { ...pack, price: 1 }, AT + 7)]);
    expect(change).toMatchObject({ kind: 'pack', key: 'PRODUCT#p1', at: (AT + 7) * 1000 });
  });
});

// ---- paths -----------------------------------------------------------------------------------

describe('pathsToInvalidate: exactly the stale paths, in both languages', () => {
  const lookups: string[] = [];
  const lookup: CatalogLookup = {
    async product(id) {
      lookups.push(`product:${id}`);
      return id === 'p1' ? { slug: product.slug, category: product.category, producerId: 'h1' } : undefined;
    },
    async producerSlug(id) {
      lookups.push(`producer:${id}`);
      return id === 'h1' ? producer.slug : undefined;
    },
  };
  const PRODUCT_PATHS = [
    '/san-pham/che-tan-cuong/',
    '/en/san-pham/che-tan-cuong/',
    '/og/che-tan-cuong.jpg',
    '/san-pham/',
    '/en/san-pham/',
    '/san-pham/trang/*',
    '/en/san-pham/trang/*',
    '/san-pham/sap-xep/*',
    '/en/san-pham/sap-xep/*',
    '/san-pham/danh-muc/che/*',
    '/en/san-pham/danh-muc/che/*',
    '/nha-san-xuat/ho-nguyen-van-thanh/',
    '/en/nha-san-xuat/ho-nguyen-van-thanh/',
  ];

  it('an approval: the product page, its OG card, its listings, its producer and the sitemap', async () => {
    const paths = await pathsToInvalidate([record({ ...product, status: 'in_review' }, product)], lookup);
    expect(paths).toEqual([...PRODUCT_PATHS, '/sitemap*'].sort());
  });

  it('a price change: the same pages (the product is found from the pack), not the sitemap', async () => {
    lookups.length = 0;
    const paths = await pathsToInvalidate([record(pack, { ...pack, price: 190_000 })], lookup);
    expect(paths).toEqual([...PRODUCT_PATHS].sort());
    expect(lookups).toEqual(['product:p1', 'producer:h1']);
  });

  it('a sale that leaves stock above zero invalidates nothing', async () => {
    expect(await pathsToInvalidate([record(pack, { ...pack, stock: 9 })], lookup)).toEqual([]);
  });

  it('a move to another category: the listings of both', async () => {
    const paths = await pathsToInvalidate([record(product, { ...product, category: 'mat-ong' })], lookup);
    expect(paths).toContain('/san-pham/danh-muc/che/*');
    expect(paths).toContain('/en/san-pham/danh-muc/mat-ong/*');
  });

  it('an archive: the product page goes, and the sitemap', async () => {
    const paths = await pathsToInvalidate([record(product, { ...product, status: 'archived' })], lookup);
    expect(paths).toContain('/san-pham/che-tan-cuong/');
    expect(paths).toContain('/sitemap*');
  });

  it("a new lot: its trace page and its product's page", async () => {
    const lot = { pk: 'PRODUCT#p1', sk: 'LOT#l1', type: 'lot', traceCode: 'TN-2026-0042' };
    const paths = await pathsToInvalidate([record(undefined, lot)], lookup);
    expect(paths).toContain('/truy-xuat/TN-2026-0042/');
    expect(paths).toContain('/en/truy-xuat/TN-2026-0042/');
    expect(paths).toContain('/san-pham/che-tan-cuong/');
  });

  it("a new or hidden review (the product's rating moves): its page and listings, as a price change", async () => {
    const before = {
      pk: 'PRODUCT#p1',
      sk: 'STATS',
      type: 'product_stats',
      ratingCount: 1,
      ratingSum: 5,
      sold: 3,
    };
    const written = await pathsToInvalidate(
      [record(before, { ...before, ratingCount: 2, ratingSum: 9 })],
      lookup,
    );
    expect(written).toContain('/san-pham/che-tan-cuong/');
    expect(written).toContain('/en/san-pham/che-tan-cuong/');
    expect(written).toContain('/san-pham/');
    const hidden = await pathsToInvalidate(
      [record(before, { ...before, ratingCount: 0, ratingSum: 0 })],
      lookup,
    );
    expect(hidden).toContain('/san-pham/che-tan-cuong/');
    // Only its change time moved: nothing a page shows.
    expect(await pathsToInvalidate([record(before, { ...before, catalogSort: 'x' })], lookup)).toEqual([]);
  });

  it("a producer's new name: its page, the index, and every product page and listing (one wildcard)", async () => {
    const paths = await pathsToInvalidate([record(producer, { ...producer, name: 'Hộ Thành' })], lookup);
    expect(paths).toEqual(
      [
        '/nha-san-xuat/',
        '/en/nha-san-xuat/',
        '/nha-san-xuat/ho-nguyen-van-thanh/',
        '/en/nha-san-xuat/ho-nguyen-van-thanh/',
        '/san-pham/*',
        '/en/san-pham/*',
      ].sort(),
    );
  });

  it("stays within CloudFront's limits: many categories collapse into one wildcard", () => {
    const many = Array.from({ length: MAX_WILDCARDS + 1 }, (_, i) => `/san-pham/danh-muc/c${i}/*`);
    expect(withinLimits([...many, '/truy-xuat/TN-1/'])).toEqual(
      ['/truy-xuat/TN-1/', '/san-pham/*', '/en/san-pham/*'].sort(),
    );
    const huge = Array.from({ length: 2_000 }, (_, i) => `/san-pham/p${i}/`);
    expect(withinLimits(huge)).toEqual(['/*']);
  });
});
