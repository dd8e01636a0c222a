/**
 * Shipments from the board against the GHN emulator over HTTP, on DynamoDB Local: the orders
 * function is served on a port of its own so the emulator calls its webhook as GHN does.
 *  - "Giao cho vận chuyển" makes one shipment per part: two requests at once, and a retry after
 *    the carrier's answer was lost to a timeout, find the same parcel at the carrier;
 *  - label, cancel before pickup (and ship again), refusals, the manual carrier's typed path;
 *  - the carrier's events move the part (picked → shipped, delivered with the COD collected,
 *    a failed delivery shown, returned → cancelled with the stock back); duplicates, stale
 *    events, a bad token, an unknown code and another shop's events change nothing;
 *  - the poller catches up events whose webhooks never arrived and shipments a timeout left;
 *  - the COD statement the emulator downloads marks the parts remitted, lists the differences,
 *    and changes nothing when imported twice.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes as app } from '../../infra/local/function-apps.ts';
import { runJob, tickMessages, type JobReport } from '../../functions/orders/jobs.ts';
import {
  EMULATOR_GHN_SHOP_ID,
  type RunningCarrierEmulators,
} from '../../infra/local/carrier-emulators/index.ts';
import { settlement } from '../../shared/orders/reports.ts';
import { testCarrierEmulators } from './carrier-world.ts';
import {
  call,
  createShop,
  moveSubOrder,
  orderBody,
  place,
  SHOPPER,
  stockOf,
  track,
  type Shop,
} from './orders-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON, probed by assertions
type Json = any;

let shop: Shop;
let emulators: RunningCarrierEmulators;
let server: ServerType;
let exchangeUrl: string;

const GHN_RULES = {
  flatFee: { in_province: 15_000, north: 25_000, elsewhere: 35_000 },
  freeAbove: null,
  pickup: true,
  carrier: { id: 'ghn', shopId: EMULATOR_GHN_SHOP_ID },
};

beforeAll(async () => {
  shop = await createShop({ memberTea: 1_000, coopBTea: 1_000 });
  emulators = await testCarrierEmulators();
  server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  exchangeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulators.emulator.setSiteUrl(exchangeUrl);
  const set = await call('PUT', `/api/board/${shop.coopA.id}/shipping`, {
    token: shop.actors.managerA.token,
    body: GHN_RULES,
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

const manager = () => shop.actors.managerA.token;
const board = (code: string) => `/api/board/${shop.coopA.id}/orders/${code}`;

/** A COD order of cooperative A's part (2 × 200 g tea), confirmed and packed. */
async function packedOrder(paymentMethod: 'cod' | 'vietqr' = 'cod', quantity = 2): Promise<Json> {
  const placed = await place(
    orderBody([{ variantId: shop.packs.memberTea.id, quantity }], { paymentMethod }),
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const code = placed.body.order.code as string;
  for (const to of ['confirmed', 'packed']) {
    const moved = await moveSubOrder(manager(), shop.coopA.id, code, { to });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  return placed.body.order;
}

const ship = (code: string, token = manager()) => call('POST', `${board(code)}/shipment`, { token });
const part = async (code: string): Promise<Json> =>
  (await call('GET', board(code), { token: manager() })).body.subOrders[0];
const parcelsOf = (clientCode: string) =>
  emulators.emulator.parcels('ghn').filter((p) => p.clientCode === clientCode);

/** The emulator moves the parcel (and calls the exchange's webhook, retrying); waits for it. */
async function advance(
  carrierCode: string,
  step: Parameters<RunningCarrierEmulators['emulator']['advance']>[2],
) {
  expect(emulators.emulator.advance('ghn', carrierCode, step), `${carrierCode} → ${step}`).toBe(true);
  await emulators.emulator.settled();
}

/** A webhook as GHN sends it, to the exchange's URL. */
async function webhook(body: Record<string, unknown>, token = emulators.emulator.options.tokens.ghn.webhook) {
  const res = await fetch(`${exchangeUrl}/api/carriers/ghn/webhook?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const ghnEvent = (
  carrierCode: string,
  status: string,
  time: string,
  extra: Record<string, unknown> = {},
) => ({
  OrderCode: carrierCode,
  Status: status,
  Type: 'switch_status',
  Time: time,
  ShopID: Number(EMULATOR_GHN_SHOP_ID),
  ...extra,
});

describe('Giao cho vận chuyển', () => {
  it('makes the shipment from the packs, the address and the COD, and records it on the part', async () => {
    const order = await packedOrder('cod', 2);
    const answer = await ship(order.code);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const sub = answer.body.subOrders[0];
    expect(sub.status).toBe('packed');
    const shipment = sub.shipment;
    expect(shipment).toMatchObject({
      carrier: 'ghn',
      clientCode: `${order.code}-1`,
      stage: 'created',
      codAmount: sub.subtotal + sub.shippingFee,
      shopId: EMULATOR_GHN_SHOP_ID,
    });
    expect(sub.trackingNumber).toBe(shipment.carrierCode);
    const [parcel] = parcelsOf(`${order.code}-1`);
    expect(parcel).toMatchObject({
      code: shipment.carrierCode,
      codAmount: sub.subtotal + sub.shippingFee,
      insuredValue: sub.subtotal,
      // Two 200 g packs and the box.
      weightGrams: 500,
      shopId: EMULATOR_GHN_SHOP_ID,
    });
    expect(parcel!.to.name).toBe(SHOPPER.name);
    expect(shipment.fee).toBe(parcel!.fee.total);
    // The carrier's fee above what the shopper paid for delivery is the cooperative's cost.
    expect(shipment.extraCost ?? 0).toBe(Math.max(0, parcel!.fee.total - sub.shippingFee));
  });

  it('a double click makes one shipment: both answers carry the same parcel', async () => {
    const order = await packedOrder();
    const [a, b] = await Promise.all([ship(order.code), ship(order.code)]);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    expect(a.body.subOrders[0].shipment.carrierCode).toBe(b.body.subOrders[0].shipment.carrierCode);
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(1);
    // And a click later still answers the same one.
    const again = await ship(order.code);
    expect(again.body.subOrders[0].shipment.carrierCode).toBe(a.body.subOrders[0].shipment.carrierCode);
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(1);
  });

  it('a carrier timeout says to retry; the retry finds the parcel GHN made, and nothing is duplicated', async () => {
    const order = await packedOrder();
    // GHN makes the parcel but its answer comes after the provider gave up, and so does its
    // answer to the provider's look-up by client code.
    emulators.emulator.fault({ carrier: 'ghn', calls: 2, delayMs: 4_000 });
    const lost = await ship(order.code);
    expect(lost.status, JSON.stringify(lost.body)).toBe(503);
    expect(lost.body.error.code).toBe('shipment.carrier_timeout');
    expect(lost.body.error.message).toContain('Đang chờ GHN trả lời, hãy thử lại sau ít phút');
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(1);
    expect((await part(order.code)).shipment).toBeUndefined();

    const retry = await ship(order.code);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.subOrders[0].shipment.carrierCode).toBe(parcelsOf(`${order.code}-1`)[0]!.code);
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(1);
  });

  it('prints the carrier’s label with its content type', async () => {
    const order = await packedOrder();
    expect((await ship(order.code)).status).toBe(200);
    const res = await app.request(`${board(order.code)}/shipment/label`, {
      headers: { authorization: `Bearer ${manager()}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text\/html|application\/pdf)/);
    expect((await res.text()).length).toBeGreaterThan(50);
  });

  it('cancels before pickup (the part stays packed, ready to ship again), refuses after', async () => {
    const order = await packedOrder();
    const first = (await ship(order.code)).body.subOrders[0].shipment;
    const cancelled = await call('POST', `${board(order.code)}/shipment/cancel`, { token: manager() });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.subOrders[0]).toMatchObject({ status: 'packed', shipment: { stage: 'cancelled' } });
    expect(emulators.emulator.parcel('ghn', first.carrierCode)!.status).toBe('cancel');

    const second = await ship(order.code);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const shipment = second.body.subOrders[0].shipment;
    expect(shipment.carrierCode).not.toBe(first.carrierCode);
    expect(shipment.clientCode).toBe(`${order.code}-1-2`);

    await advance(shipment.carrierCode, 'picked');
    const late = await call('POST', `${board(order.code)}/shipment/cancel`, { token: manager() });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('shipment.not_cancellable');
  });

  it('refuses clearly: not packed yet, and a cooperative that ships by hand keeps its typed path', async () => {
    const placed = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }]));
    const early = await ship(placed.body.order.code);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('Đã đóng gói');

    // Cooperative B has no carrier: "Giao cho vận chuyển" is not its path; typing one still is.
    const b = await place(orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 1 }]));
    const code = b.body.order.code as string;
    for (const to of ['confirmed', 'packed'])
      await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, { to });
    const manual = await call('POST', `/api/board/${shop.coopB.id}/orders/${code}/shipment`, {
      token: shop.actors.managerB.token,
    });
    expect(manual.status).toBe(409);
    expect(manual.body.error.code).toBe('shipment.manual');
    const typed = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, {
      to: 'shipped',
      carrier: 'Viettel Post',
      trackingNumber: 'VTP 1234 5678',
    });
    expect(typed.status).toBe(200);
    expect(typed.body.subOrders[0]).toMatchObject({ status: 'shipped', trackingNumber: 'VTP12345678' });
  });

  it('another cooperative’s manager cannot ship, print, cancel or import for cooperative A', async () => {
    const order = await packedOrder();
    const other = shop.actors.managerB.token;
    expect((await ship(order.code, other)).status).toBe(403);
    expect((await call('GET', `${board(order.code)}/shipment/label`, { token: other })).status).toBe(403);
    expect((await call('POST', `${board(order.code)}/shipment/cancel`, { token: other })).status).toBe(403);
    const imported = await call('POST', `/api/board/${shop.coopA.id}/cod-statements`, {
      token: other,
      body: { carrier: 'ghn', csv: emulators.emulator.statementCsv('ghn') },
    });
    expect(imported.status).toBe(403);
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(0);
  });
});

describe('the carrier’s events', () => {
  it('picked → shipped, a failed delivery shown, delivered with the COD collected; tracking shows them', async () => {
    const order = await packedOrder('cod');
    const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
    await advance(code, 'picked');
    expect((await part(order.code)).status).toBe('shipped');
    await advance(code, 'delivering');
    await advance(code, 'delivery_failed');
    const failed = await part(order.code);
    expect(failed.status).toBe('shipped');
    expect(failed.shipment.stage).toBe('delivery_failed');
    expect(failed.shipment.events.at(-1).reason).toBe('Không liên lạc được người nhận');
    await advance(code, 'delivering');
    await advance(code, 'delivered');
    const done = await part(order.code);
    expect(done).toMatchObject({ status: 'delivered', cashCollected: true });
    expect(done.shipment.codCollected).toBe(done.subtotal + done.shippingFee);
    // The COD payment is captured as when a manager records the cash.
    const intent = await shop.payments.paymentIntents.retrieve(order.paymentIntentId);
    expect(intent.status).toBe('succeeded');

    const shopperView = await track(order.code);
    const seen = shopperView.body.subOrders[0].shipment;
    expect(seen.stage).toBe('delivered');
    expect(seen.events.map((e: Json) => e.stage)).toEqual(
      expect.arrayContaining(['picked', 'delivering', 'delivery_failed', 'delivered']),
    );
  });

  it('duplicates and stale events change nothing; nothing moves backwards', async () => {
    const order = await packedOrder();
    const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
    const picked = ghnEvent(code, 'picked', '2026-12-06T02:00:00.000Z');
    expect((await webhook(picked)).body).toEqual({ applied: 1, ignored: 0 });
    const once = await part(order.code);
    expect((await webhook(picked)).body).toEqual({ applied: 0, ignored: 1 });
    expect(await part(order.code)).toEqual(once);

    await webhook(ghnEvent(code, 'delivering', '2026-12-06T05:00:00.000Z'));
    // An older status arriving late: recorded, the stage stays.
    const stale = await webhook(ghnEvent(code, 'storing', '2026-12-06T03:00:00.000Z'));
    expect(stale.status).toBe(200);
    const after = await part(order.code);
    expect(after.status).toBe('shipped');
    expect(after.shipment.stage).toBe('delivering');
  });

  it('returned cancels the part with its stock back', async () => {
    const order = await packedOrder('cod', 3);
    const before = await stockOf(shop.packs.memberTea);
    const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
    await advance(code, 'picked');
    await advance(code, 'delivering');
    await advance(code, 'delivery_failed');
    await advance(code, 'returned');
    const returned = await part(order.code);
    expect(returned.status).toBe('cancelled');
    expect(returned.shipment.stage).toBe('returned');
    expect(await stockOf(shop.packs.memberTea)).toBe(before + 3);
  });

  it('tampering changes nothing: a bad token, an unknown code, another shop’s parcel', async () => {
    const order = await packedOrder();
    const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
    const before = await part(order.code);

    const badToken = await webhook(ghnEvent(code, 'picked', new Date().toISOString()), 'not-the-token');
    expect(badToken.status).toBe(401);
    const unknown = await webhook(ghnEvent('GZZZZZZZ', 'delivered', new Date().toISOString()));
    expect(unknown).toEqual({ status: 200, body: { applied: 0, ignored: 1 } });
    const otherShop = await webhook(
      ghnEvent(code, 'delivered', new Date().toISOString(), { ShopID: 999_999 }),
    );
    expect(otherShop).toEqual({ status: 200, body: { applied: 0, ignored: 1 } });
    const unknownCarrier = await fetch(`${exchangeUrl}/api/carriers/dhl/webhook`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknownCarrier.status).toBe(400);

    expect(await part(order.code)).toEqual(before);
  });
});

describe('the poller', () => {
  async function poll(): Promise<JobReport[]> {
    return Promise.all(tickMessages('reconcile').map((message) => runJob(message)));
  }

  it('catches up events whose webhooks never arrived', async () => {
    const order = await packedOrder();
    const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
    // The carrier cannot reach the exchange for a while.
    emulators.emulator.setSiteUrl('http://127.0.0.1:9');
    try {
      await advance(code, 'picked');
      await advance(code, 'delivering');
    } finally {
      emulators.emulator.setSiteUrl(exchangeUrl);
    }
    expect((await part(order.code)).status).toBe('packed');
    const reports = await poll();
    const tracked = reports.reduce(
      (n, r) => n + (r.kind === 'reconcile' ? (r.shipments?.tracked ?? 0) : 0),
      0,
    );
    expect(tracked).toBeGreaterThan(0);
    const caught = await part(order.code);
    expect(caught.status).toBe('shipped');
    expect(caught.shipment.stage).toBe('delivering');
    // Polling again changes nothing.
    await poll();
    expect(await part(order.code)).toEqual(caught);
  });

  it('resolves a shipment a timeout left “creating”, finding the parcel the carrier made', async () => {
    const order = await packedOrder();
    emulators.emulator.fault({ carrier: 'ghn', calls: 2, delayMs: 4_000 });
    expect((await ship(order.code)).status).toBe(503);
    await poll();
    const sub = await part(order.code);
    expect(sub.shipment?.carrierCode).toBe(parcelsOf(`${order.code}-1`)[0]!.code);
    expect(parcelsOf(`${order.code}-1`)).toHaveLength(1);
  });
});

describe('COD settlement', () => {
  it('the emulator’s statement marks delivered parts remitted, lists the differences, and twice changes nothing', async () => {
    const deliver = async (order: Json) => {
      const code = (await ship(order.code)).body.subOrders[0].shipment.carrierCode as string;
      for (const step of ['picked', 'delivering', 'delivered'] as const) await advance(code, step);
      return code;
    };
    const paid = await packedOrder('cod');
    const paidCode = await deliver(paid);
    // What GHN collects for each of these orders: its goods and the shipping the shopper paid.
    const cod = paid.total as number;

    // The statement GHN offers for download, as the board uploads it, with a row of a parcel
    // that is not the cooperative's.
    const download = await fetch(`${emulators.hosts.ghn}/cod-statement.csv`);
    expect(download.headers.get('content-type')).toContain('text/csv');
    const csv = await download.text();
    const [header] = csv.split('\r\n');
    const ourRow = csv.split('\r\n').find((line) => line.startsWith(paidCode))!;
    const statement = `${header}\r\n${ourRow}\r\nGNOTOURS,TN-ZZZZZ-1,2026-12-06,50000,0,delivered\r\n`;

    const first = await call('POST', `/api/board/${shop.coopA.id}/cod-statements`, {
      token: manager(),
      body: { carrier: 'ghn', csv: statement },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.matched).toBe(1);
    expect(first.body.short).toEqual([]);
    expect(first.body.extra).toEqual([
      expect.objectContaining({ carrierCode: 'GNOTOURS', reason: 'unknown_code' }),
    ]);
    const remitted = await part(paid.code);
    expect(remitted.shipment.codRemitted.amount).toBe(remitted.shipment.codCollected);

    // Two more deliveries: the next statement pays one of them short and the first again; the
    // other is paid by none.
    const shortOrder = await packedOrder('cod');
    expect(shortOrder.total).toBe(cod);
    expect(cod).toBeGreaterThan(300_000);
    const shortCode = await deliver(shortOrder);
    const missing = await packedOrder('cod');
    await deliver(missing);
    const next = await call('POST', `/api/board/${shop.coopA.id}/cod-statements`, {
      token: manager(),
      body: {
        carrier: 'ghn',
        csv: `${header}\r\n${shortCode},${shortOrder.code}-1,2026-12-07,300000,0,delivered\r\n${ourRow}\r\n`,
      },
    });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.short).toEqual([
      expect.objectContaining({ orderCode: shortOrder.code, expected: cod, remitted: 300_000 }),
    ]);
    expect(next.body.extra).toEqual([
      expect.objectContaining({ orderCode: paid.code, reason: 'paid_before' }),
    ]);
    // (Parts delivered by the tests above are in no statement either.)
    const missingCodes = next.body.missing.map((d: Json) => d.orderCode);
    expect(missingCodes).toContain(missing.code);
    expect(missingCodes).not.toContain(shortOrder.code);
    expect(missingCodes).not.toContain(paid.code);

    // The same statement again: its first answer, and nothing changes.
    const twice = await call('POST', `/api/board/${shop.coopA.id}/cod-statements`, {
      token: manager(),
      body: { carrier: 'ghn', csv: statement },
    });
    expect(twice.body).toEqual({ ...first.body, repeated: true });
    expect(await part(paid.code)).toEqual(remitted);

    // The settlement shows the carriers' COD collected against what their statements paid.
    const subs = [await part(paid.code), await part(shortOrder.code), await part(missing.code)];
    const result = settlement(subs, { fulfillerId: shop.coopA.id });
    expect(result.carriers.codExpected).toBe(3 * cod);
    expect(result.carriers.codRemitted).toBe(cod + 300_000);
    expect(result.carriers.codOutstanding).toBe(1);
  });

  it('GHTK too: a cooperative shipping with GHTK is delivered and settled by GHTK’s own statement', async () => {
    const managerB = shop.actors.managerB.token;
    const rules = await call('PUT', `/api/board/${shop.coopB.id}/shipping`, {
      token: managerB,
      body: { ...GHN_RULES, carrier: { id: 'ghtk' } },
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const placed = await place(orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 4 }]));
    const code = placed.body.order.code as string;
    for (const to of ['confirmed', 'packed']) await moveSubOrder(managerB, shop.coopB.id, code, { to });
    const shipped = await call('POST', `/api/board/${shop.coopB.id}/orders/${code}/shipment`, {
      token: managerB,
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    const shipment = shipped.body.subOrders[0].shipment;
    expect(shipment).toMatchObject({ carrier: 'ghtk', clientCode: `${code}-1`, stage: 'created' });
    for (const step of ['picked', 'delivering', 'delivered'] as const) {
      expect(emulators.emulator.advance('ghtk', shipment.carrierCode, step), step).toBe(true);
      await emulators.emulator.settled();
    }
    const view = async () =>
      (await call('GET', `/api/board/${shop.coopB.id}/orders/${code}`, { token: managerB })).body
        .subOrders[0];
    expect(await view()).toMatchObject({ status: 'delivered', cashCollected: true });

    const csv = await (await fetch(`${emulators.hosts.ghtk}/cod-statement.csv`)).text();
    const imported = await call('POST', `/api/board/${shop.coopB.id}/cod-statements`, {
      token: managerB,
      body: { carrier: 'ghtk', csv },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ matched: 1, missing: [], short: [], extra: [] });
    expect((await view()).shipment.codRemitted.amount).toBe(shipment.codAmount);
  });

  it('refuses a file that is not a statement, saying which columns it needs', async () => {
    const answer = await call('POST', `/api/board/${shop.coopA.id}/cod-statements`, {
      token: manager(),
      body: { carrier: 'ghn', csv: 'ten,so dien thoai\r\nA,1\r\n' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('tiền thu hộ');
  });
});
