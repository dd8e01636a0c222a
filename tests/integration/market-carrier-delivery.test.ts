/**
 * Deliveries reported by a carrier count for the market panel as a manager's do: the GHN emulator
 * moves a parcel to delivered and calls the exchange's webhook (the orders function on a port of
 * its own, DynamoDB Local); the part's lines are summed once, in the transaction that delivers
 * it, and a replayed "delivered" event adds nothing.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes as app } from '../../infra/local/function-apps.ts';
import {
  EMULATOR_GHN_SHOP_ID,
  type RunningCarrierEmulators,
} from '../../infra/local/carrier-emulators/index.ts';
import { db } from '../../shared/db/client.ts';
import { MARKET_SHARDS } from '../../shared/db/market-sales.ts';
import { testCarrierEmulators } from './carrier-world.ts';
import { call, createShop, moveSubOrder, orderBody, place, type Shop } from './orders-world.ts';

let shop: Shop;
let emulators: RunningCarrierEmulators;
let server: ServerType;
let exchangeUrl: string;

beforeAll(async () => {
  shop = await createShop({ memberTea: 1_000 });
  emulators = await testCarrierEmulators();
  server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  exchangeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulators.emulator.setSiteUrl(exchangeUrl);
  const set = await call('PUT', `/api/board/${shop.coopA.id}/shipping`, {
    token: shop.actors.managerA.token,
    body: {
      flatFee: { in_province: 15_000, north: 25_000, elsewhere: 35_000 },
      freeAbove: null,
      pickup: true,
      carrier: { id: 'ghn', shopId: EMULATOR_GHN_SHOP_ID },
    },
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

async function gramsSold(category: string): Promise<number> {
  const { doc, tableName } = db();
  let grams = 0;
  for (let shard = 0; shard < MARKET_SHARDS; shard++) {
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `MKT#${category}#${shard}` },
        ConsistentRead: true,
      }),
    );
    grams += Items.reduce((n, i) => n + Number(i.grams ?? 0), 0);
  }
  return grams;
}

describe('a carrier’s delivered event', () => {
  it('sums the part’s lines once; a replayed event adds nothing', async () => {
    const manager = shop.actors.managerA.token;
    const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 3 }]));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const code = placed.body.order.code as string;
    for (const to of ['confirmed', 'packed']) {
      expect((await moveSubOrder(manager, shop.coopA.id, code, { to })).status).toBe(200);
    }
    const shipped = await call('POST', `/api/board/${shop.coopA.id}/orders/${code}/shipment`, {
      token: manager,
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    const parcel = shipped.body.subOrders[0].shipment.carrierCode as string;
    for (const step of ['picked', 'delivering'] as const) {
      expect(emulators.emulator.advance('ghn', parcel, step)).toBe(true);
      await emulators.emulator.settled();
    }
    expect(await gramsSold('che-non')).toBe(0);
    expect(emulators.emulator.advance('ghn', parcel, 'delivered')).toBe(true);
    await emulators.emulator.settled();
    const part = (await call('GET', `/api/board/${shop.coopA.id}/orders/${code}`, { token: manager })).body
      .subOrders[0];
    expect(part.status).toBe('delivered');
    expect(await gramsSold('che-non')).toBe(3 * 200);

    // GHN sends the same event again.
    const token = encodeURIComponent(emulators.emulator.options.tokens.ghn.webhook);
    const replay = await fetch(`${exchangeUrl}/api/carriers/ghn/webhook?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        OrderCode: parcel,
        Status: 'delivered',
        Type: 'switch_status',
        Time: new Date().toISOString(),
        ShopID: Number(EMULATOR_GHN_SHOP_ID),
      }),
    });
    expect(replay.status).toBeLessThan(300);
    expect(await gramsSold('che-non')).toBe(3 * 200);

    const panel = await call('GET', `/api/seller/products/${shop.packs.memberTea.productId}/market`, {
      token: shop.actors.member.token,
    });
    expect(panel.status).toBe(200);
    expect(panel.body.sales.weeks.at(-1)).toMatchObject({ units: 3, revenue: 3 * 180_000 });
  });
});
