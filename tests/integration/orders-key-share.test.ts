/**
 * No hot key on the order path: 1,000 orders (cash on delivery, VNPay and VietQR in turn, over
 * 96 packs of 24 producers) are placed through the orders function while a middleware on the
 * DynamoDB client counts every item write per partition key, the table's and each GSI's
 * (tests/write-counter.ts). No partition may take more than 5 % of the writes: a single-value
 * key written by every order (an `OUTBOX`, `EVENTS`, `ORDEREXP`, `VNPAYPENDING`, or one catalog
 * index key touched by every stock reservation) takes far more.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import type { Variant } from '../../shared/domain/product.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';
import type { OutgoingMessage } from '../../shared/messaging/messenger.ts';
import { recompose } from '../../infra/local/services.ts';
import { countWrites } from '../write-counter.ts';
import { createShop, orderBody, place, sentMessages } from './orders-world.ts';

const ORDERS = 1_000;
const CONCURRENCY = 16;
const METHODS = ['cod', 'vnpay', 'vietqr'] as const;

let packs: Variant[] = [];

const sent: OutgoingMessage[] = [];

beforeAll(async () => {
  await createShop();
  // Order notices go out by SMS/Zalo in AWS, not through the table; the local runtime's stand-in
  // (the dev inbox, one table partition) is not part of the deployed write path.
  recompose({ messenger: { send: async (message) => void sent.push(message) } });
  // COD confirmation codes are read from there too.
  sentMessages.list = async () => sent;
  const tag = Date.now().toString(36);
  for (let p = 0; p < 24; p++) {
    const producer = await producers.create(
      createMockProducer({
        id: `keyshare-${tag}-${p}`,
        kind: p % 3 === 0 ? 'cooperative' : 'enterprise',
        phone: `+8491${String(p).padStart(7, '0')}`,
      }),
    );
    for (let l = 0; l < 2; l++) {
      const product = createMockProduct(producer.id, { name: { vi: `Chè thử ${p}-${l}` } });
      const variants = [100, 200].map((grams) =>
        createMockVariant(product.id, { grams, price: 50_000 + grams * 500, stock: 100_000 }),
      );
      await products.create({ product, variants }, producer);
      packs.push(...variants);
    }
  }
  packs = packs.sort((a, b) => a.id.localeCompare(b.id));
}, 120_000);

describe('the order write path has no hot key', () => {
  it('1,000 orders: no partition key of the table or of any index takes more than 5 % of the writes', async () => {
    const counter = countWrites(db().raw);
    try {
      // What the orders will update (packs, producers) was written before: its index keys are known.
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db().doc.send(new ScanCommand({ TableName: db().tableName, ExclusiveStartKey }));
        for (const item of page.Items ?? []) counter.remember(item);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      counter.reset();

      let next = 0;
      const statuses = new Map<number, number>();
      const worker = async () => {
        for (let i = next++; i < ORDERS; i = next++) {
          // Deterministic spread: one or two lines, over every pack.
          const lines = [{ variantId: packs[(i * 7) % packs.length]!.id, quantity: 1 + (i % 3) }];
          if (i % 2 === 1) lines.push({ variantId: packs[(i * 13 + 5) % packs.length]!.id, quantity: 1 });
          const unique = [...new Map(lines.map((l) => [l.variantId, l])).values()];
          const answer = await place(orderBody(unique, { paymentMethod: METHODS[i % METHODS.length] }));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(Object.fromEntries(statuses)).toEqual({ 201: ORDERS });

      const top = counter.top(8);
      console.info(
        JSON.stringify({
          orders: ORDERS,
          writes: counter.total,
          writesPerOrder: +(counter.total / ORDERS).toFixed(2),
          hottest: top.map((t) => ({ ...t, share: `${(t.share * 100).toFixed(2)} %` })),
        }),
      );
      expect(counter.total).toBeGreaterThan(ORDERS * 5);
      expect(sent.length).toBeGreaterThan(0);
      expect(top.filter((t) => t.share > 0.05)).toEqual([]);
    } finally {
      counter.stop();
    }
  }, 600_000);
});
