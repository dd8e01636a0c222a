/**
 * Checkout finds where a pack belongs without loading the catalog: a pack's id leads to its
 * product and seller through byPublicId, and the answer is kept because it never changes.
 */
import { describe, expect, it } from 'vitest';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import { createVariantIndex } from '../../shared/orders/variant-index.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';

describe('where a pack belongs', () => {
  it('finds the product and seller of a pack by its id, and nothing for an unknown id', async () => {
    const producer = await producers.create(createMockProducer());
    const product = createMockProduct(producer.id);
    const pack = createMockVariant(product.id);
    await products.create({ product, variants: [pack] }, producer);
    expect(await products.placeOfVariant(pack.id)).toEqual({
      productId: product.id,
      producerId: producer.id,
    });
    expect(await products.placeOfVariant('khong-co-goi-nay')).toBeUndefined();
  });

  it('finds a pack written after the first look-up missed it (a miss is not kept)', async () => {
    const index = createVariantIndex();
    const producer = await producers.create(createMockProducer());
    const product = createMockProduct(producer.id);
    const pack = createMockVariant(product.id);
    expect(await index(pack.id)).toBeUndefined();
    await products.create({ product, variants: [pack] }, producer);
    expect(await index(pack.id)).toEqual({ productId: product.id, producerId: producer.id });
  });
});

describe('variant index cache', () => {
  it('asks once per pack, keeps at most maxEntries answers, and asks again after a miss or a failure', async () => {
    const asked: string[] = [];
    let fail = true;
    const index = createVariantIndex({
      maxEntries: 2,
      find: async (id) => {
        asked.push(id);
        if (id === 'loi' && fail) {
          fail = false;
          throw new Error('table unavailable');
        }
        return id === 'moi' ? undefined : { productId: `p-${id}`, producerId: 'h' };
      },
    });
    await index('a');
    await index('a');
    expect(asked).toEqual(['a']);
    await index('moi');
    await index('moi');
    expect(asked.filter((id) => id === 'moi')).toHaveLength(2);
    await expect(index('loi')).rejects.toThrow('table unavailable');
    expect(await index('loi')).toEqual({ productId: 'p-loi', producerId: 'h' });
    await index('b'); // 'a' is the oldest of three kept answers: it goes
    await index('a');
    expect(asked.filter((id) => id === 'a')).toHaveLength(2);
  });
});
