import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { app, catalogCache } from '../../functions/catalog/app.ts';
import { ROUTES } from '../../functions/routes.ts';
import type {
  LotTrace,
  ProducerDetail,
  ProductDetail,
  ProductSummary,
} from '../../shared/domain/catalog-view.ts';
import { seedDemoData } from '../../infra/local/demo/seed.ts';
import { fileMediaStore } from '../../infra/local/media-store.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

type Page = { items: ProductSummary[]; nextCursor: string | null; total: number };
const get = async <T>(path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
};

beforeAll(async () => {
  const mediaDir = mkdtempSync(join(tmpdir(), 'media-'));
  await seedDemoData(fileMediaStore(mediaDir));
  catalogCache.clear();
}, 60_000);

describe('GET /api/catalog/products', () => {
  it('pages through every published product with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { status, body }: { status: number; body: Page } = await get<Page>(
        `/api/catalog/products?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(10);
      seen.push(...body.items.map((p) => p.slug));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(30);
    expect(new Set(seen).size).toBe(seen.length);
    // The unverified household's product never shows.
    expect(seen).not.toContain('che-bup-hop-thanh');
  });

  it('returns items with slug, name, producer, ocop, packs and images', async () => {
    const { body, headers } = await get<Page>('/api/catalog/products?limit=1');
    const item = body.items[0]!;
    expect(item).toMatchObject({
      slug: expect.any(String),
      name: { vi: expect.any(String) },
      producer: { name: expect.any(String) },
    });
    expect(item.variants[0]).toMatchObject({
      id: expect.any(String),
      price: expect.any(Number),
      stock: expect.any(Number),
    });
    expect(item.images[0]?.srcset.avif).toMatch(/\/media\/demo\/.+\/320\.avif 320w/);
    expect(headers.get('cache-control')).toContain('max-age');
  });

  it('searches the same with and without diacritics, in NFC and NFD', async () => {
    const variants = ['che tan cuong', 'Chè Tân Cương', 'CHÈ TÂN CƯƠNG', 'Chè Tân Cương'.normalize('NFD')];
    const results = await Promise.all(
      variants.map(async (q) =>
        (await get<Page>(`/api/catalog/products?q=${encodeURIComponent(q)}`)).body.items.map((i) => i.slug),
      ),
    );
    expect(results[0]!.length).toBeGreaterThan(0);
    expect(results[0]![0]).toMatch(/tan-cuong/);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('finds "trà" with "tra" and "chè đinh" with "dinh" or "đinh"', async () => {
    const tra = (await get<Page>('/api/catalog/products?q=tra')).body.items;
    expect(tra.some((i) => i.name.vi.toLowerCase().includes('trà'))).toBe(true);
    const dinh = (await get<Page>('/api/catalog/products?q=dinh')).body.items.map((i) => i.slug);
    const dDinh = (await get<Page>(`/api/catalog/products?q=${encodeURIComponent('đinh')}`)).body.items.map(
      (i) => i.slug,
    );
    expect(dinh).toEqual(dDinh);
    expect(dinh.slice(0, 2).every((s) => s.startsWith('che-dinh'))).toBe(true);
  });

  it('filters by category, OCOP stars, commune, price and stock, and sorts by price', async () => {
    const tea = (await get<Page>('/api/catalog/products?category=che-dinh')).body.items;
    expect(tea.length).toBeGreaterThan(0);
    expect(tea.every((i) => i.category.slug === 'che-dinh')).toBe(true);
    const five = (await get<Page>('/api/catalog/products?ocopMin=5')).body.items;
    expect(five.map((i) => i.ocop?.stars)).toEqual([5]);
    const laBang = (await get<Page>('/api/catalog/products?commune=05818')).body.items;
    expect(laBang.every((i) => i.producer.commune.name === 'Xã La Bằng')).toBe(true);
    const cheap = (await get<Page>('/api/catalog/products?priceMax=60000&limit=60')).body.items;
    expect(cheap.every((i) => i.variants.some((v) => v.price <= 60_000))).toBe(true);
    const inStock = (await get<Page>('/api/catalog/products?inStock=true&limit=60')).body;
    const all = (await get<Page>('/api/catalog/products?limit=60')).body;
    expect(inStock.total).toBeLessThan(all.total);
    expect(inStock.items.every((i) => i.inStock)).toBe(true);
    const byPrice = (await get<Page>('/api/catalog/products?sort=price_asc&limit=60')).body.items.map(
      (i) => i.price.min,
    );
    expect(byPrice).toEqual([...byPrice].sort((a, b) => a - b));
  });

  it('answers 400 with a readable message for bad or unknown parameters', async () => {
    for (const query of [
      'foo=1',
      'ocopMin=9',
      'limit=0',
      'sort=cheapest',
      'priceMin=10&priceMax=5',
      'cursor=garbage',
    ]) {
      const { status, body } = await get<{ error: { code: string; message: string } }>(
        `/api/catalog/products?${query}`,
      );
      expect(status, query).toBe(400);
      expect(body.error.message.length, query).toBeGreaterThan(5);
    }
  });
});

describe('GET /api/catalog/products/{slug}', () => {
  it('returns packs with price per 100 g, producer, lots and a valid OCOP badge', async () => {
    const { status, body } = await get<ProductDetail>('/api/catalog/products/che-dinh-tan-cuong-thuong-hang');
    expect(status).toBe(200);
    expect(body.ocop).toMatchObject({ stars: 5, decisionNumber: '1052/QĐ-BNNMT', expiresOn: '2028-05-20' });
    expect(body.variants.map((v) => [v.grams, v.price, v.pricePer100g])).toEqual([
      [100, 480_000, 480_000],
      [200, 920_000, 460_000],
      [500, 2_200_000, 440_000],
    ]);
    expect(body.producer).toMatchObject({
      slug: 'ho-nguyen-van-thanh',
      cooperative: { slug: 'htx-che-tan-cuong-xanh' },
    });
    expect(body.lots[0]).toMatchObject({
      season: 'Vụ xuân 2026',
      certifications: ['VietGAP'],
      household: { name: 'Hộ Nguyễn Văn Thành' },
    });
    expect(body.description.vi).toContain('chảo gang');
  });

  it('hides an expired and an unverified certificate', async () => {
    expect((await get<ProductDetail>('/api/catalog/products/che-moc-cau-tan-cuong')).body.ocop).toBeNull();
    expect(
      (await get<ProductDetail>('/api/catalog/products/tra-tui-loc-huu-co-vo-tranh')).body.ocop,
    ).toBeNull();
  });

  it('answers 404 for unknown and unpublished products', async () => {
    const missing = await get<{ error: { code: string } }>('/api/catalog/products/khong-co');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('product.not_found');
    expect((await get('/api/catalog/products/che-bup-hop-thanh')).status).toBe(404);
  });

  it('answers 410 Gone for a product that was on sale and is archived', async () => {
    const producer = await producers.create(createMockProducer());
    const archived = createMockProduct(producer.id, { status: 'archived' });
    await products.create({ product: archived, variants: [createMockVariant(archived.id)] }, producer);
    catalogCache.clear();
    const gone = await get<{ error: { code: string; message: string } }>(
      `/api/catalog/products/${archived.slug}`,
    );
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('product.gone');
    expect(gone.body.error.message).toContain('đã ngừng bán');
    expect((await get('/api/catalog/products/khong-co')).status).toBe(404);
  });
});

describe('producers, categories and trace records', () => {
  it('shows a cooperative with its member households and their products', async () => {
    const { status, body } = await get<ProducerDetail>('/api/catalog/producers/htx-che-tan-cuong-xanh');
    expect(status).toBe(200);
    expect(body.kind).toBe('cooperative');
    expect(body.members.map((m) => m.slug)).toEqual(['ho-nguyen-van-thanh']);
    const sellers = new Set(body.products.map((p) => p.producer.slug));
    expect(sellers).toEqual(new Set(['htx-che-tan-cuong-xanh', 'ho-nguyen-van-thanh']));
  });

  it('hides unverified producers', async () => {
    expect((await get('/api/catalog/producers/ho-phung-van-khanh')).status).toBe(404);
    const list = (await get<{ items: { slug: string }[] }>('/api/catalog/producers')).body.items.map(
      (p) => p.slug,
    );
    expect(list).toContain('htx-tra-la-bang');
    expect(list).not.toContain('ho-phung-van-khanh');
  });

  it('lists categories with counts', async () => {
    const { body } = await get<{ items: { slug: string; productCount: number }[] }>(
      '/api/catalog/categories',
    );
    const total = body.items.reduce((sum, c) => sum + c.productCount, 0);
    expect(total).toBe((await get<Page>('/api/catalog/products')).body.total);
    expect(body.items.find((c) => c.slug === 'mat-ong')?.productCount).toBe(2);
  });

  it("returns a lot's trace record by code, case-insensitively", async () => {
    const { status, body } = await get<LotTrace>('/api/catalog/lots/tn2604-0071');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      traceCode: 'TN2604-0071',
      growingAreaCode: 'TN-LB-VT-003',
      household: { name: 'Hộ Trần Thị Hoa', commune: { name: 'Xã La Bằng' } },
      producer: { slug: 'htx-tra-la-bang' },
      cooperative: { slug: 'htx-tra-la-bang' },
      product: { slug: 'che-non-la-bang' },
    });
    expect((await get('/api/catalog/lots/NOPE-000000')).status).toBe(404);
    expect((await get('/api/catalog/lots/%3Cscript%3E')).status).toBe(400);
  });
});

describe('health and API description', () => {
  it('answers health', async () => {
    const { status, body } = await get('/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
  });

  it('publishes OpenAPI 3.1 with stable operation ids from the route table', async () => {
    const { body } = await get<{
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    }>('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    const ids = Object.values(body.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'listProducts',
        'getProduct',
        'getProducer',
        'getLotTrace',
        'listCategories',
        'health',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    // Every function's operations are in the one document, each under its route-table path.
    expect(ids).toEqual(
      expect.arrayContaining([
        'startSignIn',
        'verifySignIn',
        'signUpProducer',
        'requestMembership',
        'decideMembership',
        'createProduct',
        'updateProduct',
        'submitProduct',
        'decideProduct',
        'uploadProductPhoto',
        'createLot',
        'getLotLabel',
        'addOcopCertificate',
        'verifyOcopCertificate',
      ]),
    );
    const undocumented = ROUTES.filter((r) => !ids.includes(r.operationId)).map((r) => r.operationId);
    expect(undocumented).toEqual(['openApiDocument', 'apiDocs']);
    expect(body.paths['/api/catalog/products/{slug}']?.get?.operationId).toBe('getProduct');
  });

  it('renders a human docs page', async () => {
    const res = await app.request('/api/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('listProducts');
    expect(html).toContain('/api/catalog/lots/{traceCode}');
  });

  it('answers JSON 404 for unknown routes', async () => {
    const { status, body } = await get<{ error: { code: string } }>('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error.code).toBe('route.not_found');
  });
});
