import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { app, catalogCache } from '../../functions/catalog/app.ts';
import { createDb, db, type Db } from '../../shared/db/client.ts';
import { config } from '../../shared/services.ts';
import { recompose } from '../../infra/local/services.ts';
import { createTable } from '../../shared/db/create-table.ts';
import { keyAttributes } from '../../shared/db/table.ts';
import type {
  LotTrace,
  ProducerDetail,
  ProductDetail,
  ProductSummary,
} from '../../shared/domain/catalog-view.ts';
import { foldForSearch } from '../../shared/domain/text.ts';
import { scaleSeededWith, seedScale } from '../../infra/local/demo/scale-seed.ts';

type Page = { items: ProductSummary[]; nextCursor: string | null; total: number };
const get = async <T>(path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
};

const SIZE = { listings: 50, producers: 40, seed: 7 };
const discard = { put: async () => {} };

async function scanAll(target: Db): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await target.doc.send(new ScanCommand({ TableName: target.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));
}

// Index sort keys may carry the time of the write (the catalog index orders by last change):
// what the seed decides is the item's key and its stored entity.
const WRITE_TIME_KEYS = new Set(keyAttributes().filter((name) => name !== 'pk' && name !== 'sk'));
const stored = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !WRITE_TIME_KEYS.has(name)));

let first: Db;
let result: Awaited<ReturnType<typeof seedScale>>;

beforeAll(async () => {
  first = db();
  result = await seedScale({ ...SIZE, media: discard });
  catalogCache.clear();
}, 120_000);

describe('npm run seed:scale (seedScale) at a small size', () => {
  it('writes every listing with its packs, lots and certificates, and records the size', async () => {
    expect(result).toMatchObject({ producers: 40, accounts: 40, listings: 50, packs: 150, lots: 100 });
    expect(result.certificates).toBe(1); // listing index 7 (1 in 62)
    expect(await scaleSeededWith()).toEqual(SIZE);
    const items = await scanAll(first);
    const count = (type: string) => items.filter((i) => i.type === type).length;
    expect(count('product')).toBe(50);
    expect(count('variant')).toBe(150);
    expect(count('lot')).toBe(100);
    expect(count('ocop')).toBe(1);
    expect(count('producer')).toBe(40);
    expect(count('account')).toBe(40);
  });

  it('is deterministic: the same size and seed give the same items in another table', async () => {
    const second = createDb({
      ...config(),
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tableName: `test-${randomUUID()}`,
    });
    await createTable(second.raw, second.tableName);
    const before = recompose({ db: second });
    try {
      await seedScale({ ...SIZE, media: discard, concurrency: 2 });
    } finally {
      recompose({ ...before, db: first });
    }
    const [a, b] = [await scanAll(first), await scanAll(second)];
    expect(b.length).toBe(a.length);
    expect(b.map(stored)).toEqual(a.map(stored));
  }, 120_000);

  it('resumes: seeding again over the same table keeps what is there and adds nothing twice', async () => {
    const before = await scanAll(first);
    await seedScale({ ...SIZE, media: discard });
    expect(await scanAll(first)).toEqual(before);
  }, 120_000);

  it('is readable through the catalog API: lists, search, product, producer and lot pages', async () => {
    const seen: ProductSummary[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page } = await get<Page>(
        `/api/catalog/products?limit=24${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(50);
    expect(seen.every((p) => p.variants.length === 3 && p.images.length === 1)).toBe(true);
    // Real communes of Thái Nguyên, Vietnamese names with their diacritics.
    expect(seen.every((p) => /^(Xã|Phường) /.test(p.producer.commune.name))).toBe(true);
    expect(seen.some((p) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ]/.test(p.name.vi))).toBe(true);

    const target = seen[0]!;
    const search = await get<Page>(
      `/api/catalog/products?q=${encodeURIComponent(foldForSearch(target.name.vi))}`,
    );
    expect(search.body.items.map((i) => i.slug)).toContain(target.slug);

    const detail = await get<ProductDetail>(`/api/catalog/products/${target.slug}`);
    expect(detail.status).toBe(200);
    expect(detail.body.lots).toHaveLength(2);
    const lot = await get<LotTrace>(`/api/catalog/lots/${detail.body.lots[0]!.traceCode}`);
    expect(lot.status).toBe(200);
    expect(lot.body.product.slug).toBe(target.slug);

    const coop = seen.find((p) => p.producer.kind === 'cooperative');
    if (coop) {
      const producer = await get<ProducerDetail>(`/api/catalog/producers/${coop.producer.slug}`);
      expect(producer.status).toBe(200);
      expect(producer.body.products.map((p) => p.slug)).toContain(coop.slug);
    }
  });
});
