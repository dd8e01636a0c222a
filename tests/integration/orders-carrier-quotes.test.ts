/**
 * Checkout priced by the cooperative's carrier, on DynamoDB Local and the GHN emulator over HTTP
 * (the GHN provider as the exchange runs it; a counter beside it only counts its quotes):
 *  - `quoteShipping` answers each part with its carrier, fee and estimated date: GHN's quote for
 *    co-op A (its shop at GHN), the flat fee for co-op B (no carrier);
 *  - placing after the quote charges the kept quote without asking GHN again, and the order's
 *    totals and each sub-order's `shippingQuote` are exactly what the quote showed;
 *  - `freeAbove` still applies: the shopper pays 0, the carrier's fee is recorded;
 *  - a commune GHN cannot serve is a 422 naming it (at quote and at placement), nothing written;
 *  - a cooperative on GHTK is priced by GHTK (its emulator) the same way;
 *  - GHN too slow is a 503 with Retry-After at quote and at placement: no order, no stock held,
 *    no quote kept.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recompose } from '../../infra/local/services.ts';
import type { Carriers, QuoteRequest } from '../../shared/carriers/types.ts';
import { db } from '../../shared/db/client.ts';
import { putShippingRules } from '../../shared/db/orders.ts';
import { quoteCacheKey } from '../../shared/db/shipping-quotes.ts';
import { parcelOf } from '../../shared/carriers/parcel.ts';
import { DEFAULT_SHIPPING_RULES } from '../../shared/orders/shipping.ts';
import { testCarrierEmulators, testCarriers } from './carrier-world.ts';
import { call, newKey, orderBody, placeUnconfirmed, stockOf, type Shop, createShop } from './orders-world.ts';

let shop: Shop;
const asked: QuoteRequest[] = [];

beforeAll(async () => {
  shop = await createShop();
  // Co-op A ships with GHN (the emulator's shop); co-op B keeps its flat fees.
  await putShippingRules(
    shop.coopA.id,
    { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghn', shopId: '885' } },
    'test',
    new Date().toISOString(),
  );
  const real = await testCarriers();
  const counted: Carriers = {
    ...real,
    ghn: {
      ...real.ghn!,
      quote: (request) => {
        asked.push(request);
        return real.ghn!.quote(request);
      },
    },
  };
  recompose({ carriers: async () => counted });
});

afterEach(() => {
  asked.length = 0;
});

const quote = (body: unknown) => call('POST', '/api/orders/quote', { body });
const to = (provinceCode: string, wardCode: string, street = '12 Phố Đội Cấn') => ({
  provinceCode,
  wardCode,
  street,
});

/** Items of the table under a partition key (no order, no quote must exist after a refusal). */
async function itemsUnder(pk: string) {
  const { Items } = await db().doc.send(
    new QueryCommand({
      TableName: db().tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('quoteShipping per part', () => {
  it('co-op A’s part is GHN’s quote for its parcel; co-op B’s part its flat fee; totals add up', async () => {
    const lines = [
      { variantId: shop.packs.memberTea.id, quantity: 2 }, // A, 200 g each
      { variantId: shop.packs.coopBTea.id, quantity: 1 }, // B
    ];
    const q = await quote({ lines, address: { provinceCode: '01', wardCode: '00008' } });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const a = q.body.parts.find((p: { fulfillerId: string }) => p.fulfillerId === shop.coopA.id);
    const b = q.body.parts.find((p: { fulfillerId: string }) => p.fulfillerId === shop.coopB.id);

    // What GHN itself answers for the same parcel, asked directly.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      from: { provinceCode: shop.coopA.address.provinceCode, wardCode: shop.coopA.address.communeCode },
      to: { provinceCode: '01', wardCode: '00008' },
      shopId: '885',
      parcel: parcelOf([{ grams: 200, quantity: 2 }], 2 * shop.packs.memberTea.price),
    });
    const direct = await (await testCarriers()).ghn!.quote(asked[0]!);
    expect(a).toMatchObject({
      carrier: 'ghn',
      fee: direct.fee,
      carrierFee: direct.fee,
      shippingFee: direct.fee,
      estimatedDelivery: direct.estimatedDelivery,
      pickup: true,
      subtotal: 2 * shop.packs.memberTea.price,
    });
    expect(direct.fee).toBeGreaterThan(0);
    expect(b).toMatchObject({ carrier: 'manual', fee: 30_000, carrierFee: 30_000 });
    expect(q.body.shippingTotal).toBe(direct.fee + 30_000);
    expect(q.body.total).toBe(q.body.itemsTotal + q.body.shippingTotal);

    // The quote is kept, keyed by carrier, shop, communes and weight.
    const key = quoteCacheKey({
      carrier: 'ghn',
      shopId: '885',
      fromWard: shop.coopA.address.communeCode,
      toWard: '00008',
      weightGrams: asked[0]!.parcel.weightGrams,
    });
    expect(await itemsUnder(key.pk)).toHaveLength(1);
  });
});

describe('placing charges the kept quote', () => {
  it('no second call to GHN; the totals and the sub-order’s quote are what the shopper saw', async () => {
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 1 }];
    const q = await quote({ lines, address: { provinceCode: '01', wardCode: '00025' } });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(asked).toHaveLength(1);

    const placed = await placeUnconfirmed(
      orderBody(lines, {
        paymentMethod: 'vietqr',
        delivery: { method: 'shipping', address: to('01', '00025') },
      }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(asked).toHaveLength(1); // the kept quote: GHN was not asked again
    const order = placed.body.order;
    expect(order).toMatchObject({
      itemsTotal: q.body.itemsTotal,
      shippingTotal: q.body.shippingTotal,
      total: q.body.total,
    });
    const [part] = q.body.parts;
    expect(order.subOrders[0]).toMatchObject({
      shippingFee: part.fee,
      shippingQuote: {
        carrier: 'ghn',
        fee: part.carrierFee,
        estimatedDelivery: part.estimatedDelivery,
        quotedAt: part.quotedAt,
      },
    });
    expect(order.subOrders[0].lines[0].grams).toBe(200);
  });

  it('without a quote kept, placing asks GHN once and charges its fee', async () => {
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 2 }]; // 360.000 ₫, below the free threshold
    const placed = await placeUnconfirmed(
      orderBody(lines, {
        paymentMethod: 'vietqr',
        delivery: { method: 'shipping', address: to('01', '00070') },
      }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(asked).toHaveLength(1);
    const direct = await (await testCarriers()).ghn!.quote(asked[0]!);
    expect(direct.fee).toBeGreaterThan(0);
    expect(placed.body.order.shippingTotal).toBe(direct.fee);
  });

  it('free above the threshold: the shopper pays 0 and the carrier’s fee is recorded', async () => {
    const lines = [{ variantId: shop.packs.memberTeaBig.id, quantity: 2 }];
    const q = await quote({ lines, address: { provinceCode: '79', wardCode: '25747' } });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(q.body.parts[0]).toMatchObject({ carrier: 'ghn', fee: 0 });
    expect(q.body.parts[0].carrierFee).toBeGreaterThan(0);
    const placed = await placeUnconfirmed(
      orderBody(lines, {
        paymentMethod: 'vietqr',
        delivery: { method: 'shipping', address: to('79', '25747', '5 Lê Lợi') },
      }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.shippingTotal).toBe(0);
    expect(placed.body.order.subOrders[0].shippingQuote.fee).toBe(q.body.parts[0].carrierFee);
  });
});

describe('refusals', () => {
  // Xã Ba Chẽ (Quảng Ninh): no ward of GHN's master data became it (shared/data/carrier-areas-ghn.json).
  const UNSERVED = { provinceCode: '22', wardCode: '06978' };

  it('a commune GHN cannot serve: 422 naming it and offering pickup, at quote and at placement; nothing written', async () => {
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 1 }];
    const q = await quote({ lines, address: UNSERVED });
    expect(q.status, JSON.stringify(q.body)).toBe(422);
    expect(q.body.error.code).toBe('shipping.address_unserved');
    expect(q.body.error.message).toMatch(/chưa giao đến Xã Ba Chẽ, Tỉnh Quảng Ninh; hãy chọn “Nhận tại HTX”/);
    expect(q.body.details).toMatchObject({ fulfillerId: shop.coopA.id, carrier: 'ghn', pickup: true });

    const before = await stockOf(shop.packs.memberTea);
    const key = newKey();
    const placed = await placeUnconfirmed(
      orderBody(lines, { delivery: { method: 'shipping', address: to('22', '06978', 'Thôn Làng Cang') } }),
      key,
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(422);
    expect(placed.body.error.code).toBe('shipping.address_unserved');
    expect(await stockOf(shop.packs.memberTea)).toBe(before);
    expect(await itemsUnder(`ORDERIDEM#${key}`)).toHaveLength(0);
    // The same attempt goes on with pickup (the refusal was not kept under its key).
    const pickup = await placeUnconfirmed(orderBody(lines, { delivery: { method: 'pickup' } }), key);
    expect(pickup.status, JSON.stringify(pickup.body)).toBe(201);
    expect(pickup.body.order.shippingTotal).toBe(0);
  });

  it('GHN too slow: 503 with Retry-After at quote and at placement; no order, no stock held, no quote kept', async () => {
    const emulator = (await testCarrierEmulators()).emulator;
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 4 }];
    const address = { provinceCode: '01', wardCode: '00091' };

    emulator.fault({ carrier: 'ghn', calls: 1, delayMs: 4_000 });
    const q = await quote({ lines, address });
    expect(q.status, JSON.stringify(q.body)).toBe(503);
    expect(q.body.error.code).toBe('shipping.carrier_unavailable');
    expect(q.body.error.message).toMatch(
      /chưa trả lời phí giao hàng; đơn hàng chưa được tạo, hãy thử lại sau 30 giây/,
    );

    const before = await stockOf(shop.packs.memberTea);
    const key = newKey();
    emulator.fault({ carrier: 'ghn', calls: 1, delayMs: 4_000 });
    const res = await (
      await import('../../functions/orders/app.ts')
    ).app.request('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(
        orderBody(lines, { delivery: { method: 'shipping', address: to('01', '00091', '1 Phố Huế') } }),
      ),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect((await res.json()).error.code).toBe('shipping.carrier_unavailable');
    expect(await stockOf(shop.packs.memberTea)).toBe(before);
    expect(await itemsUnder(`ORDERIDEM#${key}`)).toHaveLength(0);
    const weightGrams = parcelOf([{ grams: 200, quantity: 4 }], 0).weightGrams;
    const cacheKey = quoteCacheKey({
      carrier: 'ghn',
      shopId: '885',
      fromWard: shop.coopA.address.communeCode,
      toWard: '00091',
      weightGrams,
    });
    expect(await itemsUnder(cacheKey.pk)).toHaveLength(0);

    // Once GHN answers again, the same attempt places the order.
    const again = await placeUnconfirmed(
      orderBody(lines, { delivery: { method: 'shipping', address: to('01', '00091', '1 Phố Huế') } }),
      key,
    );
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  });
});

describe('another carrier', () => {
  it('a cooperative that ships with GHTK is quoted by GHTK, and placing charges that quote', async () => {
    await putShippingRules(
      shop.coopB.id,
      { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghtk' } },
      'test',
      new Date().toISOString(),
    );
    const lines = [{ variantId: shop.packs.coopBTea.id, quantity: 2 }];
    const q = await quote({ lines, address: { provinceCode: '79', wardCode: '25747' } });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const direct = await (
      await testCarriers()
    ).ghtk!.quote({
      from: { provinceCode: shop.coopB.address.provinceCode, wardCode: shop.coopB.address.communeCode },
      to: { provinceCode: '79', wardCode: '25747' },
      parcel: parcelOf([{ grams: 100, quantity: 2 }], 2 * shop.packs.coopBTea.price),
      codAmount: 0,
      at: new Date(),
    });
    expect(q.body.parts[0]).toMatchObject({
      carrier: 'ghtk',
      fee: direct.fee,
      estimatedDelivery: direct.estimatedDelivery,
    });
    const placed = await placeUnconfirmed(
      orderBody(lines, {
        paymentMethod: 'vietqr',
        delivery: { method: 'shipping', address: to('79', '25747', '5 Lê Lợi') },
      }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.total).toBe(q.body.total);
    expect(placed.body.order.subOrders[0].shippingQuote).toMatchObject({ carrier: 'ghtk', fee: direct.fee });
  });
});

describe('choosing a carrier', () => {
  it('a carrier the exchange is not connected to is refused with 422, the rules unchanged', async () => {
    const path = `/api/board/${shop.coopA.id}/shipping`;
    const token = shop.actors.managerA.token;
    const before = await call('GET', path, { token });
    const refused = await call('PUT', path, {
      token,
      body: { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'viettelpost' } },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'shipping.carrier_not_connected' });
    expect(refused.body.error.message).toMatch(
      /Sàn chưa kết nối với Viettel Post; hãy chọn đơn vị vận chuyển khác hoặc tự giao/,
    );
    expect((await call('GET', path, { token })).body).toEqual(before.body);
    const saved = await call('PUT', path, {
      token,
      body: { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghn', shopId: '885' } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  });
});
