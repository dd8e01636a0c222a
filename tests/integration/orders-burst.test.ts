/**
 * A hot pack: fifty shoppers press "Đặt hàng" on the same pack at the same moment. In DynamoDB
 * two such checkouts can cancel each other (`TransactionConflict`) or be throttled; DynamoDB
 * Local serializes transactions and does neither, so both are thrown into some of the burst's
 * requests (tests/write-faults.ts). Every answer must be 201, 409 (not enough left) or 503
 * (busy, with Retry-After) — never 500 — and the pack is never oversold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../functions/orders/app.ts';
import { db } from '../../shared/db/client.ts';
import { cancelled, injectFaults, named } from '../write-faults.ts';
import { createShop, orderBody, place, placeUnconfirmed, stockOf, type Shop } from './orders-world.ts';

const STOCK = 40;
/** The dev inbox's partition (shared/db/dev-inbox.ts), where the local SMS land. */
const INBOX = 'DEVINBOX';
const METHODS = ['cod', 'vnpay', 'vietqr'] as const;

let shop: Shop;
beforeAll(async () => {
  shop = await createShop({ independentTea: STOCK });
});

describe('fifty buyers of one pack at once', () => {
  it('answer only 201, 409 or 503, and the pack is never oversold', async () => {
    const pack = shop.packs.independentTea;
    let transactions = 0;
    let puts = 0;
    const remove = injectFaults(db().raw, (command) => {
      // Every third transaction conflicts and every seventh is throttled, as a hot item would in
      // DynamoDB; a retry may meet the next fault too.
      if (command === 'TransactWriteItemsCommand') {
        transactions += 1;
        if (transactions % 7 === 0) return cancelled('None', 'ThrottlingError');
        if (transactions % 3 === 0) return cancelled('None', 'TransactionConflict');
      }
      if (command === 'PutItemCommand' && ++puts % 11 === 0) {
        return named('ProvisionedThroughputExceededException');
      }
      return undefined;
    });
    let answers: Awaited<ReturnType<typeof place>>[];
    try {
      answers = await Promise.all(
        // Placement is what reserves stock (a COD order is held, unconfirmed, until it expires).
        Array.from({ length: 50 }, (_, i) =>
          placeUnconfirmed(
            orderBody([{ variantId: pack.id, quantity: 1 + (i % 2) }], {
              paymentMethod: METHODS[i % METHODS.length],
            }),
          ),
        ),
      );
    } finally {
      remove();
    }
    expect(transactions).toBeGreaterThan(50);

    const counts = { 201: 0, 409: 0, 503: 0 } as Record<number, number>;
    for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    console.info(JSON.stringify({ burst: counts }));
    expect(answers.map((a) => a.status).filter((status) => ![201, 409, 503].includes(status))).toEqual([]);
    expect(counts[201]).toBeGreaterThan(0);
    // 75 packs asked for, 40 in stock: some must be refused.
    expect(counts[409]).toBeGreaterThan(0);

    for (const answer of answers) {
      if (answer.status === 409) {
        expect(answer.body.error.code).toBe('order.out_of_stock');
        expect(answer.body.details.lines[0]).toMatchObject({ variantId: pack.id });
        expect(answer.body.details.lines[0].available).toBeLessThan(answer.body.details.lines[0].requested);
      }
      if (answer.status === 503) {
        expect(answer.body.error.code).toBe('server.busy');
      }
    }
    const placed = answers
      .filter((a) => a.status === 201)
      .reduce((sum, a) => sum + (a.body.order.lines[0].quantity as number), 0);
    const left = await stockOf(pack);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(placed).toBeLessThanOrEqual(STOCK);
    // Every reservation belongs to a placed order: none lost, none made twice.
    expect(left).toBe(STOCK - placed);
  });

  it('a busy answer carries Retry-After, and the same key placed again afterwards succeeds', async () => {
    const pack = shop.packs.coopBTea;
    const before = await stockOf(pack);
    const remove = injectFaults(db().raw, (command) =>
      command === 'TransactWriteItemsCommand' ? cancelled('None', 'TransactionConflict') : undefined,
    );
    const key = `k_busy_${Date.now()}`;
    const body = orderBody([{ variantId: pack.id, quantity: 2 }]);
    let busy: Response;
    try {
      busy = await app.request('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    } finally {
      remove();
    }
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await busy.json()) as { error: object }).error).toMatchObject({
      code: 'server.busy',
      message: expect.stringMatching(/^Hệ thống/),
    });
    expect(await stockOf(pack)).toBe(before);

    // Nothing was written under the key: the client's retry with the same key places the order once.
    const retried = await place(body, key);
    expect(retried.status).toBe(201);
    expect(await stockOf(pack)).toBe(before - 2);
  });
});

describe('a confirmation SMS that cannot be sent', () => {
  it('still answers 201 for the held COD order, whose key replays the same answer', async () => {
    const pack = shop.packs.coopBTea;
    const before = await stockOf(pack);
    // A phone that never confirmed a COD order, so this one waits for the code.
    const body = orderBody([{ variantId: pack.id, quantity: 1 }], {
      paymentMethod: 'cod',
      contact: { name: 'Lò Thị Mai', phone: '+84912000111' },
    });
    const key = `k_sms_lost_${Date.now()}`;
    let inboxWrites = 0;
    // The dev inbox stores each SMS with a PutItem; the order itself is one transaction.
    const remove = injectFaults(db().raw, (command, input) => {
      // The Item, marshalled or not yet, depending on where the middleware meets it.
      const pk = (input.Item as { pk?: string | { S?: string } } | undefined)?.pk;
      if (command !== 'PutItemCommand' || (typeof pk === 'string' ? pk : pk?.S) !== INBOX) return undefined;
      inboxWrites += 1;
      return named('ProvisionedThroughputExceededException');
    });
    let first: Awaited<ReturnType<typeof placeUnconfirmed>>;
    try {
      first = await placeUnconfirmed(body, key);
    } finally {
      remove();
    }
    expect(inboxWrites).toBeGreaterThan(0);
    expect(first.status).toBe(201);
    expect(first.body.confirmation).toMatchObject({ required: true });
    expect(await stockOf(pack)).toBe(before - 1);
    const again = await placeUnconfirmed(body, key);
    expect(again.status).toBe(201);
    expect(again.body.order.code).toBe(first.body.order.code);
    expect(await stockOf(pack)).toBe(before - 1);
  });
});
