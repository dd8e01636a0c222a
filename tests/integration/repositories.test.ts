import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client.ts';
import { CATALOG_SHARD_KEYS, keys } from '../../shared/db/items.ts';
import { readCatalogShard } from '../../shared/db/catalog-input.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  createMockCertificate,
  createMockLot,
  createMockProducer,
  createMockProduct,
  createMockVariant,
} from '../fixtures.ts';

/** Every item of the catalog index, read as the catalog function's read model reads it. */
async function catalogIndex() {
  const reads = await Promise.all(CATALOG_SHARD_KEYS.map((shard) => readCatalogShard(shard)));
  const items = reads.flatMap((r) => r.items).filter((item) => !item.removed);
  return {
    products: items.flatMap((item) => (item.type === 'product' ? [item.entity] : [])),
    variants: items.flatMap((item) => (item.type === 'variant' ? [item.entity] : [])),
    certificates: items.flatMap((item) => (item.type === 'ocop' ? [item.entity] : [])),
  };
}

async function exists(key: { pk: string; sk: string }) {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item !== undefined;
}

describe('producer repository', () => {
  it('creates, reads by id and slug, and lists cooperative members', async () => {
    const coop = await producers.create(createMockProducer({ name: 'HTX Chè Tân Cương'.normalize('NFD') }));
    const member = await producers.create(
      createMockProducer({ kind: 'household', membership: { cooperativeId: coop.id, status: 'approved' } }),
    );
    await producers.create(
      createMockProducer({ kind: 'household', membership: { cooperativeId: coop.id, status: 'requested' } }),
    );
    expect((await producers.get(coop.id))?.name).toBe('HTX Chè Tân Cương'.normalize('NFC'));
    expect((await producers.getBySlug(coop.slug))?.id).toBe(coop.id);
    expect((await producers.listMembers(coop.id)).map((p) => p.id)).toEqual([member.id]);
    expect(await producers.listMembers(coop.id, 'requested')).toHaveLength(1);
  });

  it('refuses a taken slug and writes nothing', async () => {
    const first = await producers.create(createMockProducer());
    const second = createMockProducer({ slug: first.slug });
    const error = await producers.create(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('producer.slug_taken');
    expect(await exists(keys.producer(second.id))).toBe(false);
  });

  it('rejects invalid producers before writing', async () => {
    const bad = createMockProducer({ address: { provinceCode: '01', communeCode: '05503' } });
    await expect(producers.create(bad)).rejects.toThrow(/không thuộc tỉnh/);
    expect(await exists(keys.producer(bad.id))).toBe(false);
  });
});

describe('product repository', () => {
  it('writes a listing with packs, certificate and lots in one transaction', async () => {
    const producer = await producers.create(createMockProducer());
    const product = createMockProduct(producer.id);
    const lot = createMockLot(product.id, producer.id);
    await products.create(
      {
        product,
        variants: [
          createMockVariant(product.id),
          createMockVariant(product.id, { grams: 500, price: 400_000 }),
        ],
        certificates: [createMockCertificate(product.id)],
        lots: [lot],
      },
      producer,
    );
    const catalog = await catalogIndex();
    expect(catalog.products.map((p) => p.id)).toContain(product.id);
    expect(catalog.variants.filter((v) => v.productId === product.id)).toHaveLength(2);
    expect(catalog.certificates.filter((c) => c.productId === product.id)).toHaveLength(1);
    expect((await products.getLotByTraceCode(lot.traceCode))?.id).toBe(lot.id);
    expect((await products.listLots(product.id)).map((l) => l.traceCode)).toEqual([lot.traceCode]);
  });

  it('keeps drafts that were never published out of the catalog index', async () => {
    const producer = await producers.create(createMockProducer());
    const { publishedAt: _never, ...draft } = createMockProduct(producer.id, { status: 'draft' });
    await products.create({ product: draft, variants: [createMockVariant(draft.id)] }, producer);
    expect(await exists(keys.product(draft.id))).toBe(true);
    expect((await catalogIndex()).products.map((p) => p.id)).not.toContain(draft.id);
  });

  it('keeps a product that left the shop in the catalog index, with its status', async () => {
    const producer = await producers.create(createMockProducer());
    const archived = createMockProduct(producer.id, { status: 'archived' });
    await products.create({ product: archived, variants: [createMockVariant(archived.id)] }, producer);
    const listed = (await catalogIndex()).products.find((p) => p.id === archived.id);
    expect(listed?.status).toBe('archived');
  });

  it('writes nothing when the slug is taken: no orphan packs', async () => {
    const producer = await producers.create(createMockProducer());
    const first = createMockProduct(producer.id);
    await products.create({ product: first, variants: [createMockVariant(first.id)] }, producer);
    const second = createMockProduct(producer.id, { slug: first.slug });
    const variant = createMockVariant(second.id);
    await expect(products.create({ product: second, variants: [variant] }, producer)).rejects.toMatchObject({
      code: 'product.slug_taken',
    });
    expect(await exists(keys.product(second.id))).toBe(false);
    expect(await exists(keys.variant(second.id, variant.id))).toBe(false);
  });

  it('rejects packs that belong to another product, and pack counts out of range', async () => {
    const producer = await producers.create(createMockProducer());
    const product = createMockProduct(producer.id);
    await expect(
      products.create({ product, variants: [createMockVariant('other')] }, producer),
    ).rejects.toMatchObject({ code: 'product.child_mismatch' });
    await expect(products.create({ product, variants: [] }, producer)).rejects.toMatchObject({
      code: 'product.variant_count',
    });
    await expect(
      products.create({ product, variants: [{ ...createMockVariant(product.id), price: -5 }] }, producer),
    ).rejects.toThrow();
    expect(await exists(keys.product(product.id))).toBe(false);
  });
});
