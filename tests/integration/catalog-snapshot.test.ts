/**
 * Cold starts from the catalog's snapshots (shared/db/catalog-snapshot.ts): a new read model takes
 * every shard from its snapshot and reads only the changes since from the table, and ends with the
 * catalog a full read gives; a stale, foreign or unreadable snapshot is not used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSnapshot,
  encodeSnapshot,
  snapshotName,
  tableIdentity,
  writeCatalogSnapshots,
  type SnapshotStore,
} from '../../shared/db/catalog-snapshot.ts';
import { createCatalogReadModel } from '../../shared/db/catalog-read-model.ts';
import { db } from '../../shared/db/client.ts';
import { CATALOG_SHARD_KEYS } from '../../shared/db/items.ts';
import { producers } from '../../shared/db/producers.ts';
import { productItem, products, variantItem } from '../../shared/db/products.ts';
import { ListProductsQuery, queryCatalog, type Catalog } from '../../shared/domain/catalog-query.ts';
import type { Producer } from '../../shared/domain/producer.ts';
import type { Product, Variant } from '../../shared/domain/product.ts';
import { fileSnapshotStore } from '../../infra/local/catalog-snapshots.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

const put = (Item: Record<string, unknown>) =>
  db().doc.send(new PutCommand({ TableName: db().tableName, Item }));

let dir: string;
let store: SnapshotStore;
let producer: Producer;
const listed: { product: Product; pack: Variant }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalog-snapshots-'));
  store = fileSnapshotStore(dir);
  producer = await producers.create(createMockProducer());
  for (let i = 0; i < 12; i++) {
    const product = createMockProduct(producer.id, { name: { vi: `Chè Tân Cương số ${i + 1}` } });
    const pack = createMockVariant(product.id, { price: 100_000 + i * 1_000, stock: 10 + i });
    await products.create({ product, variants: [pack] }, producer);
    listed.push({ product, pack });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newModel = (options: { snapshots?: SnapshotStore; maxAgeMs?: number; overlapMs?: number } = {}) =>
  createCatalogReadModel({
    pollMs: 3_600_000,
    overlapMs: options.overlapMs ?? 10_000,
    ...(options.snapshots ? { snapshots: () => options.snapshots } : {}),
    ...(options.maxAgeMs !== undefined ? { snapshotMaxAgeMs: options.maxAgeMs } : {}),
  });

/** What a shopper can see of a catalog: every listed product, in order, with packs and stock. */
const visible = (catalog: Catalog) => queryCatalog(catalog, ListProductsQuery.parse({ limit: 60 })).items;

/** A store that counts the reads it answers. */
function counted(inner: SnapshotStore) {
  const reads: string[] = [];
  return {
    reads,
    store: {
      get: (name: string) => {
        reads.push(name);
        return inner.get(name);
      },
      put: (name: string, body: Uint8Array) => inner.put(name, body),
    } satisfies SnapshotStore,
  };
}

describe('catalog snapshots', () => {
  it('start a cold model from the snapshots plus the changes made since, equal to a full read', async () => {
    const report = await writeCatalogSnapshots(store);
    expect(report.shards).toBe(CATALOG_SHARD_KEYS.length);
    expect(report.items).toBeGreaterThanOrEqual(2 * listed.length);

    // After the snapshot: a price change, and a product taken off the exchange.
    const [first, second] = listed;
    await put(variantItem({ ...first!.pack, price: 155_000 }));
    await put(
      productItem({ ...second!.product, status: 'archived', updatedAt: new Date().toISOString() }, producer),
    );

    const { reads, store: countingStore } = counted(store);
    // No overlap here, so that the count below is exactly what changed after the snapshot (the
    // products were written moments before it, within the usual 10 s overlap).
    const fromSnapshots = newModel({ snapshots: countingStore, overlapMs: 0 });
    const catalog = await fromSnapshots.get();
    const stats = fromSnapshots.stats.fullLoad!;
    expect(reads).toHaveLength(CATALOG_SHARD_KEYS.length);
    expect(stats.fromSnapshot).toBe(CATALOG_SHARD_KEYS.length);
    expect(stats.snapshotItems).toBe(report.items);
    // From the table only the changes since the snapshots: the pack and the archived product.
    expect(stats.items).toBe(2);

    expect(catalog.entriesById.get(first!.product.id)?.summary.variants[0]?.price).toBe(155_000);
    expect(catalog.entriesById.has(second!.product.id)).toBe(false);
    const fullRead = await newModel().get();
    expect(visible(catalog)).toEqual(visible(fullRead));
    expect(visible(catalog)).toHaveLength(visible(fullRead).length);
  });

  it('are not used when older than the limit, or read from another table, or unreadable', async () => {
    await writeCatalogSnapshots(store);
    const expected = visible(await newModel().get());

    // Too old: six hours by default; here one minute, asked seven minutes on.
    const stale = newModel({ snapshots: store, maxAgeMs: 60_000 });
    expect(visible(await stale.get(Date.now() + 7 * 60_000))).toEqual(expected);
    expect(stale.stats.fullLoad?.fromSnapshot).toBe(0);

    // From another table (the table restored or recreated under the same name): items the new
    // table may not have must not come back.
    const shard = CATALOG_SHARD_KEYS[0]!;
    const body = await store.get(snapshotName(shard));
    const snapshot = (await decodeSnapshot(body!, shard))!;
    expect(snapshot.table).toBe(await tableIdentity());
    const ghost = createMockProduct(producer.id, { name: { vi: 'Sản phẩm của bảng cũ' } });
    const foreign = counted(store);
    await foreign.store.put(
      snapshotName(shard),
      await encodeSnapshot({
        ...snapshot,
        table: `${db().tableName}@2020-01-01T00:00:00.000Z`,
        items: [...snapshot.items, { type: 'product', version: new Date().toISOString(), entity: ghost }],
      }),
    );
    const otherTable = newModel({ snapshots: store });
    const fromOther = await otherTable.get();
    expect(fromOther.entriesById.has(ghost.id)).toBe(false);
    expect(visible(fromOther)).toEqual(expected);
    expect(otherTable.stats.fullLoad?.fromSnapshot).toBe(CATALOG_SHARD_KEYS.length - 1);

    // Not a snapshot at all.
    await store.put(snapshotName(shard), new TextEncoder().encode('not gzip'));
    const garbled = newModel({ snapshots: store });
    expect(visible(await garbled.get())).toEqual(expected);
    expect(garbled.stats.fullLoad?.fromSnapshot).toBe(CATALOG_SHARD_KEYS.length - 1);
  });
});
