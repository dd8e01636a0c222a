/**
 * Background work in independent lanes (functions/orders/jobs.ts): expiry, VNPay reconciliation
 * and webhook delivery each run on their own, over their shards. A VNPay whose querydr hangs
 * holds up reconciliation only (and only until the call's timeout); orders past their window
 * expire meanwhile. The worker entry answers SQS with batch item failures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { jobWorker } from '../../functions/orders/jobs-handler.ts';
import { runExpiryLane } from '../../functions/orders/lanes/expiry.ts';
import { parseJobMessage, SHARD_GROUPS, startJobLanes, tickMessages } from '../../functions/orders/jobs.ts';
import { paymentsFrom } from '../../functions/orders/payments.ts';
import { recompose } from '../../infra/local/services.ts';
import { SHARDS } from '../../shared/db/shards.ts';
import { createShop, orderBody, place, stockOf, track, type Shop } from './orders-world.ts';

const MINUTE = 60_000;
const API_TIMEOUT_MS = 10_000;
let shop: Shop;

beforeAll(async () => {
  shop = await createShop({ independentTea: 50 });
  // VNPay's API as slow as it gets: querydr calls never answer and ignore the abort.
  recompose({
    payments: paymentsFrom({
      ...shop.settings,
      vnpay: { ...shop.settings.vnpay, apiTimeoutMs: API_TIMEOUT_MS },
    }),
  });
});

describe('job lanes', () => {
  it('a VNPay query that hangs does not delay expiry', async () => {
    const pack = shop.packs.independentTea;
    const before = await stockOf(pack);
    const vnpayOrder = await place(
      orderBody([{ variantId: pack.id, quantity: 2 }], { paymentMethod: 'vnpay' }),
    );
    const qrOrder = await place(
      orderBody([{ variantId: pack.id, quantity: 3 }], { paymentMethod: 'vietqr' }),
    );
    expect([vnpayOrder.status, qrOrder.status]).toEqual([201, 201]);
    expect(await stockOf(pack)).toBe(before - 5);

    let queries = 0;
    const hanging = (() => {
      queries += 1;
      return new Promise<Response>(() => {});
    }) as typeof fetch;
    const lanes = startJobLanes({
      intervalMs: 3_600_000,
      fetch: hanging,
      now: () => new Date(Date.now() + 40 * MINUTE),
    });
    try {
      let reconciled = false;
      const reconcile = lanes.tick('reconcile').then(() => (reconciled = true));
      const started = Date.now();
      await lanes.tick('expiry');
      const expiryMs = Date.now() - started;
      console.info(JSON.stringify({ expiryWhileVnpayHangsMs: expiryMs }));

      expect(queries).toBeGreaterThanOrEqual(1); // querydr was asked, and is hanging
      expect(reconciled).toBe(false);
      expect(expiryMs).toBeLessThan(API_TIMEOUT_MS);
      for (const placed of [vnpayOrder, qrOrder]) {
        expect((await track(placed.body.order.code)).body.status).toBe('expired');
      }
      expect(await stockOf(pack)).toBe(before);

      // The hanging query itself gives up at its timeout: the lane is free again.
      await reconcile;
      expect(Date.now() - started).toBeLessThan(API_TIMEOUT_MS + 5_000);
    } finally {
      lanes.stop();
    }
  }, 60_000);

  it('one tick is one message per shard group, covering every shard once', () => {
    for (const kind of ['expiry', 'reconcile', 'delivery'] as const) {
      const messages = tickMessages(kind);
      expect(messages).toHaveLength(SHARD_GROUPS.length);
      expect(messages.flatMap((m) => m.shards).sort()).toEqual([...SHARDS]);
      for (const message of messages) expect(parseJobMessage(JSON.stringify(message))).toEqual(message);
    }
    expect(() => parseJobMessage('{"kind":"expiry","shards":["99"]}')).toThrow(/no known shards/);
    expect(() => parseJobMessage('{"kind":"everything","shards":["00"]}')).toThrow(/Unknown job kind/);
  });

  it('the worker reports only the failed messages of an SQS batch', async () => {
    const worker = jobWorker('expiry', runExpiryLane);
    const record = (messageId: string, body: string) => ({ messageId, body }) as never;
    const answer = await worker(
      {
        Records: [
          record('good', JSON.stringify(tickMessages('expiry')[0])),
          record('garbled', 'not json'),
          record('other-lane', JSON.stringify(tickMessages('delivery')[0])),
        ],
      },
      { getRemainingTimeInMillis: () => 30_000 },
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['garbled', 'other-lane']);
  });
});
