/**
 * What checkout reads before its transaction: one eventually consistent batch (the transaction's
 * conditions re-check price, stock and the Idempotency-Key), with the shipping rules of the
 * parts' fulfillers only. A member household's own rules are read only when the guess that its
 * cooperative fulfils no longer holds (it left since its pack was last ordered).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../shared/db/client.ts';
import { putShippingRules } from '../../shared/db/orders.ts';
import { DEFAULT_SHIPPING_RULES } from '../../shared/orders/shipping.ts';
import { createShop, orderBody, placeUnconfirmed, type Shop } from './orders-world.ts';

let shop: Shop;

beforeAll(async () => {
  shop = await createShop();
});

interface Call {
  command: string;
  consistent: boolean | undefined;
  keys: string[];
}

/** The item or key as the document client has it, whichever side of its marshalling. */
function plain(value: unknown): Record<string, unknown> {
  const record = (value ?? {}) as Record<string, unknown>;
  const first = Object.values(record)[0];
  const wire = !!first && typeof first === 'object' && 'S' in first;
  return wire ? unmarshall(record as Parameters<typeof unmarshall>[0]) : record;
}

/** Every DynamoDB read `work` makes, with the keys it names. */
async function readsOf(work: () => Promise<unknown>): Promise<Call[]> {
  const calls: Call[] = [];
  const name = 'checkoutReads';
  db().doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Record<string, unknown>;
      if (/Get|Query|Scan/.test(command)) {
        const batch = input.RequestItems
          ? Object.values(
              input.RequestItems as Record<string, { Keys: unknown[]; ConsistentRead?: boolean }>,
            )[0]
          : undefined;
        const keys = (batch?.Keys ?? (input.Key ? [input.Key] : [])).map((k) => {
          const key = plain(k);
          return `${String(key.pk)} ${String(key.sk)}`;
        });
        calls.push({
          command,
          consistent: (batch?.ConsistentRead ?? input.ConsistentRead) as boolean | undefined,
          keys,
        });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    db().doc.middlewareStack.remove(name);
  }
  return calls;
}

const vietqr = (variantId: string) => orderBody([{ variantId, quantity: 1 }], { paymentMethod: 'vietqr' });

describe('checkout reads', () => {
  it('a warm placement is one eventually consistent batch, with the fulfilling cooperative’s rules only', async () => {
    const { memberTea } = shop.packs;
    // The first order of the pack teaches the container where it goes.
    expect((await placeUnconfirmed(vietqr(memberTea.id))).status).toBe(201);
    let answer: { status: number } | undefined;
    const reads = await readsOf(async () => (answer = await placeUnconfirmed(vietqr(memberTea.id))));
    expect(answer?.status).toBe(201);
    expect(reads.map((r) => r.command)).toEqual(['BatchGetItemCommand']);
    const [batch] = reads;
    expect(batch!.consistent).toBeFalsy();
    expect(batch!.keys).toContain(`PRODUCER#${shop.coopA.id} SHIPPING`);
    expect(batch!.keys).toContain(`PRODUCER#${shop.member.id} PRODUCER`);
    expect(batch!.keys).not.toContain(`PRODUCER#${shop.member.id} SHIPPING`);
  });

  it('a household that left its cooperative since is priced by its own rules, read after the batch', async () => {
    const { memberTeaBig } = shop.packs;
    expect((await placeUnconfirmed(vietqr(memberTeaBig.id))).status).toBe(201);
    const ownRules = {
      ...DEFAULT_SHIPPING_RULES,
      flatFee: { in_province: 11_000, north: 17_000, elsewhere: 23_000 },
    };
    await putShippingRules(shop.member.id, ownRules, 'test', new Date().toISOString());
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCER#${shop.member.id}`, sk: 'PRODUCER' },
        UpdateExpression: 'REMOVE membership',
      }),
    );
    try {
      let answer:
        | { status: number; body: { order: { subOrders: { fulfillerId: string; shippingFee: number }[] } } }
        | undefined;
      const reads = await readsOf(async () => (answer = await placeUnconfirmed(vietqr(memberTeaBig.id))));
      expect(answer?.status).toBe(201);
      expect(answer!.body.order.subOrders).toEqual([
        expect.objectContaining({ fulfillerId: shop.member.id, shippingFee: 17_000 }),
      ]);
      expect(reads.map((r) => r.command)).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
      expect(reads[1]!.keys).toEqual([`PRODUCER#${shop.member.id} SHIPPING`]);
    } finally {
      await db().doc.send(
        new UpdateCommand({
          TableName: db().tableName,
          Key: { pk: `PRODUCER#${shop.member.id}`, sk: 'PRODUCER' },
          UpdateExpression: 'SET membership = :m',
          ExpressionAttributeValues: { ':m': shop.member.membership },
        }),
      );
    }
  });
});
