import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalogShard } from '../../shared/db/catalog-input.ts';
import { createCatalogReadModel } from '../../shared/db/catalog-read-model.ts';
import { db } from '../../shared/db/client.ts';
import { CATALOG_SHARD_KEYS, catalogShard } from '../../shared/db/items.ts';
import { releaseStock, reserveStock } from '../../shared/db/orders.ts';
import { photos } from '../../shared/db/photos.ts';
import { producers } from '../../shared/db/producers.ts';
import { lotItem, productItem, products, variantItem } from '../../shared/db/products.ts';
import { ListProductsQuery, queryCatalog } from '../../shared/domain/catalog-query.ts';
import type { Producer } from '../../shared/domain/producer.ts';
import type { Product, Variant } from '../../shared/domain/product.ts';
import { createMockLot, createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

const put = (Item: Record<string, unknown>) =>
  db().doc.send(new PutCommand({ TableName: db().tableName, Item }));

let producer: Producer;
let product: Product;
let pack: Variant;
let other: Product;

beforeAll(async () => {
  producer = await producers.create(createMockProducer());
  product = createMockProduct(producer.id, { name: { vi: 'Chè Tân Cương móc câu' } });
  pack = createMockVariant(product.id, { price: 180_000, stock: 10 });
  await products.create({ product, variants: [pack] }, producer);
  other = createMockProduct(producer.id, { name: { vi: 'Chè đinh La Bằng' } });
  await products.create({ product: other, variants: [createMockVariant(other.id)] }, producer);
});

// No timer: the test decides when the model reads (pollMs is never reached).
const newModel = () => createCatalogReadModel({ pollMs: 3_600_000, overlapMs: 10_000 });

describe('catalog read model', () => {
  it('loads every shard once, then applies a price change, a stock move and an archive from one poll', async () => {
    const model = newModel();
    const catalog = await model.get();
    expect(catalog.entriesById.get(product.id)?.summary.variants[0]).toMatchObject({
      price: 180_000,
      stock: 10,
    });
    expect(model.stats.fullLoads).toBe(1);

    // A price edit (the seller's pack update writes the pack item), a checkout's reservation, an archive.
    await put(variantItem({ ...pack, price: 200_000 }));
    await db().doc.send(
      new TransactWriteCommand({ TransactItems: [reserveStock(product.id, pack.id, 3, 200_000)] }),
    );
    await put(productItem({ ...other, status: 'archived', updatedAt: new Date().toISOString() }, producer));

    await model.refresh();
    const after = await model.get();
    expect(after).toBe(catalog);
    expect(after.entriesById.get(product.id)?.summary.variants[0]).toMatchObject({
      price: 200_000,
      stock: 7,
    });
    expect(after.entriesById.has(other.id)).toBe(false);
    expect(after.entriesBySlug.has(other.slug)).toBe(false);
    const search = queryCatalog(after, ListProductsQuery.parse({ q: 'che' })).items.map((i) => i.id);
    expect(search).toEqual([product.id]);
    expect(model.stats.fullLoads).toBe(1);
    expect(model.stats.polls).toBe(1);
    // Only changes are applied: the pack (written twice, one item) and the archived product.
    expect(model.stats.lastPoll?.applied).toBe(2);

    await db().doc.send(new TransactWriteCommand({ TransactItems: [releaseStock(product.id, pack.id, 3)] }));
    await model.refresh();
    expect((await model.get()).entriesById.get(product.id)?.summary.variants[0]?.stock).toBe(10);
    expect(model.stats.fullLoads).toBe(1);
  });

  it('shows a new lot on the product without a Query of its own, and finds it by trace code', async () => {
    const model = newModel();
    await model.get();
    const lot = createMockLot(product.id, producer.id);
    await put(lotItem(lot));
    await model.refresh();
    const catalog = await model.get();
    expect(catalog.lotsOf(product.id).map((l) => l.traceCode)).toContain(lot.traceCode);
    expect(catalog.lotByTraceCode(lot.traceCode)?.id).toBe(lot.id);
    expect(model.stats.fullLoads).toBe(1);
  });

  it('reads nothing from a shard that did not change', async () => {
    const model = newModel();
    await model.get();
    // The first poll re-reads the overlap window before the load; the next one, a minute on, nothing.
    await model.refresh(Date.now() + 60_000);
    await model.refresh(Date.now() + 120_000);
    expect(model.stats.lastPoll).toMatchObject({ items: 0, applied: 0, requests: CATALOG_SHARD_KEYS.length });
  });

  it('ignores an item older than the one it holds (a re-read inside the overlap window)', async () => {
    const model = newModel();
    const catalog = await model.get();
    const held = catalog.entriesById.get(product.id)!.summary.variants[0]!;
    const older = {
      type: 'variant' as const,
      version: '2000-01-01T00:00:00.000Z#variant#x',
      entity: { ...pack, price: 1 },
    };
    expect(catalog.apply([older])).toBe(0);
    expect(catalog.entriesById.get(product.id)!.summary.variants[0]).toEqual(held);
  });

  it('moves a pack to a new place in its shard on every stock move, in the shard of its product', async () => {
    const before = (await readCatalogShard(catalogShard(product.id))).items.find(
      (i) => i.entity.id === pack.id,
    );
    await db().doc.send(
      new TransactWriteCommand({ TransactItems: [reserveStock(product.id, pack.id, 1, 200_000)] }),
    );
    const after = (await readCatalogShard(catalogShard(product.id))).items.find(
      (i) => i.entity.id === pack.id,
    );
    expect(after!.version > before!.version).toBe(true);
  });

  it('shows a photo processed after the load at the next poll', async () => {
    const model = newModel();
    await model.get();
    const photoId = 'anh-moi';
    await photos.createPending({
      productId: product.id,
      photoId,
      alt: 'Đồi chè',
      contentType: 'image/jpeg',
      bytes: 120_000,
      purpose: 'product',
    });
    const image = { key: `products/${product.id}/${photoId}`, width: 1280, height: 960, alt: 'Đồi chè' };
    await photos.complete(product.id, photoId, { image });
    await model.refresh();
    const images = (await model.get()).entriesById.get(product.id)!.summary.images;
    expect(images.map((i) => i.src)).toContainEqual(expect.stringContaining(image.key));
    expect(model.stats.fullLoads).toBe(1);
  });
});
