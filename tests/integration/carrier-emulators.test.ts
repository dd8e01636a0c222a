/**
 * Each carrier provider against its emulator over HTTP (infra/local/carrier-emulators): quotes
 * from the stated fee table, shipments made once per client code (a double request and a retry
 * after a timeout find the first), cancel, label, tracking, webhooks delivered with retries to a
 * receiver that fails at first, and the share of the 2025 communes each carrier's mapping serves.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { required } from '../../shared/services.ts';
import { findProvince, listProvinces, THAI_NGUYEN_PROVINCE_CODE } from '../../shared/domain/admin-units.ts';
import { ghnAreas, ghtkAreas } from '../../shared/carriers/areas.ts';
import { vietnamDateAfter } from '../../shared/carriers/common.ts';
import {
  CarrierError,
  type CarrierProvider,
  type CreateShipmentRequest,
  type QuoteRequest,
} from '../../shared/carriers/types.ts';
import type { RunningCarrierEmulators } from '../../infra/local/carrier-emulators/index.ts';
import { TEST_CARRIER_TIMEOUT_MS, testCarrierEmulators } from './carrier-world.ts';

function communeCode(provinceCode: string, name: string): string {
  const commune = findProvince(provinceCode)!.wards.find((w) => w.name === name);
  if (!commune) throw new Error(`no commune ${name}`);
  return commune.code;
}

const FROM = {
  provinceCode: THAI_NGUYEN_PROVINCE_CODE,
  wardCode: communeCode('19', 'Phường Phan Đình Phùng'),
};
const TO = { provinceCode: '01', wardCode: communeCode('01', 'Phường Ba Đình') };
const PARCEL = { weightGrams: 1_200, lengthCm: 30, widthCm: 25, heightCm: 15, insuredValue: 200_000 };

function quoteRequest(over: Partial<QuoteRequest> = {}): QuoteRequest {
  return { from: FROM, to: TO, parcel: PARCEL, codAmount: 200_000, at: new Date(), ...over };
}

let counter = 0;
function shipmentRequest(over: Partial<CreateShipmentRequest> = {}): CreateShipmentRequest {
  counter++;
  return {
    clientCode: `TN-T${Date.now().toString(36).toUpperCase()}-${counter}`,
    from: { ...FROM, street: 'Tổ 5, đường Lương Ngọc Quyến', name: 'HTX Chè Tân Cương', phone: '0912345678' },
    to: { ...TO, street: '12 phố Đội Cấn', name: 'Nguyễn Thị Lan', phone: '0987654321' },
    parcel: PARCEL,
    codAmount: 200_000,
    items: [{ name: 'Chè Tân Cương 200 g', quantity: 5, weightGrams: 200 }],
    ...over,
  };
}

/** A webhook receiver that answers 500 to the first `failFirst` calls of each parcel. */
async function startReceiver(failFirst: number) {
  const calls: { carrier: string; query: Record<string, string>; body: string; answered: number }[] = [];
  const seen = new Map<string, number>();
  const app = new Hono();
  app.post('/api/carriers/:carrier/webhook', async (c) => {
    const body = await c.req.text();
    const n = (seen.get(body) ?? 0) + 1;
    seen.set(body, n);
    const answered = n <= failFirst ? 500 : 200;
    calls.push({ carrier: c.req.param('carrier'), query: c.req.query(), body, answered });
    return c.json({ ok: answered === 200 }, answered as 200);
  });
  const server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

let emulators: RunningCarrierEmulators;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  emulators = await testCarrierEmulators();
  receiver = await startReceiver(2);
  emulators.emulator.setSiteUrl(receiver.url);
});
afterAll(() => receiver.stop());

describe('GHN provider against the GHN emulator', () => {
  let ghn: CarrierProvider;
  beforeAll(async () => {
    ghn = (await required('carriers')()).ghn!;
    expect(ghn).toBeDefined();
  });

  it('quotes from the stated table: Thái Nguyên → Hà Nội is in the same region', async () => {
    const quote = await ghn.quote(quoteRequest());
    // 30,000 for the first 500 g, 2 × 5,000 for the 700 g above, 0.5 % of the 200,000 COD;
    // 200,000 declared is below the insured threshold.
    expect(quote).toEqual({
      carrier: 'ghn',
      fee: 30_000 + 2 * 5_000 + 1_000,
      estimatedDelivery: vietnamDateAfter(new Date(), 2),
      service: '2',
    });
  });

  it('refuses a commune it has no keys for, naming it and the carrier', async () => {
    const baChe = communeCode('22', 'Xã Ba Chẽ');
    expect(await ghnAreas(baChe)).toBeUndefined();
    const refusal = await ghn
      .quote(quoteRequest({ to: { provinceCode: '22', wardCode: baChe } }))
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CarrierError);
    expect((refusal as CarrierError).code).toBe('address_unserved');
    expect((refusal as CarrierError).message).toContain('Xã Ba Chẽ, Tỉnh Quảng Ninh');
    expect((refusal as CarrierError).message).toContain('Giao Hàng Nhanh');
  });

  it('creates a shipment once per client code: a second request answers the first', async () => {
    const request = shipmentRequest();
    const first = await ghn.createShipment(request);
    expect(first).toMatchObject({ carrier: 'ghn', clientCode: request.clientCode, fee: 41_000 });
    const again = await ghn.createShipment(request);
    expect(again.carrierCode).toBe(first.carrierCode);
    expect(again.fee).toBe(first.fee);
    expect(emulators.emulator.parcels('ghn').filter((p) => p.clientCode === request.clientCode)).toHaveLength(
      1,
    );
  });

  it('after a timeout, the retry finds the shipment the lost answer made', async () => {
    const request = shipmentRequest();
    emulators.emulator.fault({ carrier: 'ghn', calls: 1, delayMs: TEST_CARRIER_TIMEOUT_MS + 500 });
    const shipment = await ghn.createShipment(request);
    const parcels = emulators.emulator.parcels('ghn').filter((p) => p.clientCode === request.clientCode);
    expect(parcels).toHaveLength(1);
    expect(shipment.carrierCode).toBe(parcels[0]!.code);
  });

  it('a carrier that answers too late on a quote is a timeout', async () => {
    emulators.emulator.fault({ carrier: 'ghn', calls: 2, delayMs: TEST_CARRIER_TIMEOUT_MS + 500 });
    const error = await ghn.quote(quoteRequest()).catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('timeout');
  });

  it('cancels a parcel not yet picked, refuses one on its way', async () => {
    const waiting = await ghn.createShipment(shipmentRequest());
    await ghn.cancelShipment(waiting.carrierCode);
    expect(emulators.emulator.parcel('ghn', waiting.carrierCode)!.status).toBe('cancel');
    const picked = await ghn.createShipment(shipmentRequest());
    expect(emulators.emulator.advance('ghn', picked.carrierCode, 'picked')).toBe(true);
    const refusal = await ghn.cancelShipment(picked.carrierCode).catch((e: unknown) => e);
    expect((refusal as CarrierError).code).toBe('not_cancellable');
  });

  it('prints the label and tracks the parcel through its statuses', async () => {
    const shipment = await ghn.createShipment(shipmentRequest());
    const label = await ghn.label(shipment.carrierCode);
    expect(label.contentType).toBe('text/html');
    expect(label.body).toContain(shipment.carrierCode);
    expect(label.body).toContain('Nguyễn Thị Lan');
    for (const step of ['picked', 'delivering', 'delivered'] as const) {
      expect(emulators.emulator.advance('ghn', shipment.carrierCode, step)).toBe(true);
    }
    const events = await ghn.track(shipment.carrierCode);
    expect(events.map((e) => [e.stage, e.carrierStatus])).toEqual([
      ['created', 'ready_to_pick'],
      ['picked', 'picked'],
      ['delivering', 'delivering'],
      ['delivered', 'delivered'],
    ]);
    expect(events.every((e) => e.clientCode === shipment.clientCode)).toBe(true);
  });

  it('sends each status to the webhook, retrying a failing receiver, in a body the provider reads', async () => {
    const shipment = await ghn.createShipment(shipmentRequest());
    emulators.emulator.advance('ghn', shipment.carrierCode, 'picked');
    emulators.emulator.advance('ghn', shipment.carrierCode, 'delivering');
    emulators.emulator.advance('ghn', shipment.carrierCode, 'delivered');
    await emulators.emulator.settled();
    const deliveries = emulators.emulator.deliveries().filter((d) => d.parcelCode === shipment.carrierCode);
    expect(deliveries.map((d) => [d.status, d.state, d.attempts.length])).toEqual([
      ['ready_to_pick', 'delivered', 3],
      ['picked', 'delivered', 3],
      ['delivering', 'delivered', 3],
      ['delivered', 'delivered', 3],
    ]);
    const received = receiver.calls.filter(
      (c) => c.body.includes(shipment.carrierCode) && c.answered === 200,
    );
    expect(received).toHaveLength(4);
    // Retries interleave, so calls arrive in any order (the exchange orders events itself).
    const order = ['created', 'picked', 'delivering', 'delivered'];
    const events = received
      .flatMap((c) => ghn.parseWebhook({ headers: {}, query: c.query, body: c.body }))
      .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
    expect(events.map((e) => e.stage)).toEqual(order);
    expect(events.at(-1)).toMatchObject({
      codCollected: 200_000,
      clientCode: shipment.clientCode,
      shopId: '885',
    });
    // The token is the emulator's, checked by the provider: another one is refused.
    expect(() => ghn.parseWebhook({ headers: {}, query: { token: 'x' }, body: received[0]!.body })).toThrow(
      /token/,
    );
  });

  it('serves the COD statement of delivered COD parcels in GHN columns', async () => {
    const response = await fetch(`${emulators.hosts.ghn}/cod-statement.csv`);
    const [header, ...rows] = (await response.text()).trim().split('\r\n');
    expect(header).toBe(
      'Mã đơn GHN,Mã đơn khách hàng,Ngày giao thành công,Tiền thu hộ (COD),Tổng phí,Trạng thái',
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.split(',')[3] === '200000')).toBe(true);
  });
});

describe('GHTK provider against the GHTK emulator', () => {
  let ghtk: CarrierProvider;
  beforeAll(async () => {
    ghtk = (await required('carriers')()).ghtk!;
    expect(ghtk).toBeDefined();
  });

  it('quotes by names from the stated table, with GHTK’s road days for the zone', async () => {
    const quote = await ghtk.quote(quoteRequest());
    // 28,000 for the first 500 g and 2 × 5,000 above it; GHTK prices no COD; nothing to insure.
    expect(quote).toEqual({
      carrier: 'ghtk',
      fee: 28_000 + 2 * 5_000,
      estimatedDelivery: vietnamDateAfter(new Date(), 3),
      service: 'road',
    });
  });

  it('refuses a commune it has no names for', async () => {
    const baChe = communeCode('22', 'Xã Ba Chẽ');
    const refusal = await ghtk
      .quote(quoteRequest({ to: { provinceCode: '22', wardCode: baChe } }))
      .catch((e: unknown) => e);
    expect((refusal as CarrierError).code).toBe('address_unserved');
    expect((refusal as CarrierError).message).toContain('Giao Hàng Tiết Kiệm');
  });

  it('creates once per partner id: a second request answers ORDER_ID_EXIST’s label', async () => {
    const request = shipmentRequest();
    const first = await ghtk.createShipment(request);
    expect(first).toMatchObject({ carrier: 'ghtk', clientCode: request.clientCode, fee: 38_000 });
    expect(first.estimatedDelivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = await ghtk.createShipment(request);
    expect(again.carrierCode).toBe(first.carrierCode);
    expect(again.fee).toBe(first.fee);
    expect(
      emulators.emulator.parcels('ghtk').filter((p) => p.clientCode === request.clientCode),
    ).toHaveLength(1);
  });

  it('after a timeout, the retry finds the order by partner_id', async () => {
    const request = shipmentRequest();
    emulators.emulator.fault({ carrier: 'ghtk', calls: 1, delayMs: TEST_CARRIER_TIMEOUT_MS + 500 });
    const shipment = await ghtk.createShipment(request);
    const parcels = emulators.emulator.parcels('ghtk').filter((p) => p.clientCode === request.clientCode);
    expect(parcels).toHaveLength(1);
    expect(shipment.carrierCode).toBe(parcels[0]!.code);
  });

  it('cancels before pickup, refuses after; prints a PDF label; tracks the current status', async () => {
    const waiting = await ghtk.createShipment(shipmentRequest());
    await ghtk.cancelShipment(waiting.carrierCode);
    expect(emulators.emulator.parcel('ghtk', waiting.carrierCode)!.status).toBe('-1');

    const shipment = await ghtk.createShipment(shipmentRequest());
    const label = await ghtk.label(shipment.carrierCode);
    expect(label.contentType).toBe('application/pdf');
    expect(new TextDecoder().decode(label.body as Uint8Array).slice(0, 8)).toBe('%PDF-1.4');
    emulators.emulator.advance('ghtk', shipment.carrierCode, 'picked');
    const refusal = await ghtk.cancelShipment(shipment.carrierCode).catch((e: unknown) => e);
    expect((refusal as CarrierError).code).toBe('not_cancellable');
    const [event] = await ghtk.track(shipment.carrierCode);
    expect(event).toMatchObject({ stage: 'picked', carrierStatus: '3', clientCode: shipment.clientCode });
  });

  it('sends each status to the webhook with retries, read by the provider', async () => {
    const shipment = await ghtk.createShipment(shipmentRequest());
    for (const step of ['picked', 'delivering', 'delivery_failed', 'returned'] as const) {
      expect(emulators.emulator.advance('ghtk', shipment.carrierCode, step)).toBe(true);
    }
    await emulators.emulator.settled();
    const deliveries = emulators.emulator.deliveries().filter((d) => d.parcelCode === shipment.carrierCode);
    expect(deliveries.every((d) => d.state === 'delivered' && d.attempts.length === 3)).toBe(true);
    const received = receiver.calls.filter(
      (c) => c.carrier === 'ghtk' && c.body.includes(shipment.carrierCode) && c.answered === 200,
    );
    const order = ['2', '3', '4', '9', '21'];
    const events = received
      .flatMap((c) => ghtk.parseWebhook({ headers: {}, query: c.query, body: c.body }))
      .sort((a, b) => order.indexOf(a.carrierStatus) - order.indexOf(b.carrierStatus));
    expect(events.map((e) => [e.stage, e.carrierStatus])).toEqual([
      ['created', '2'],
      ['picked', '3'],
      ['delivering', '4'],
      ['delivery_failed', '9'],
      ['returned', '21'],
    ]);
    expect(events[3]!.reason).toBe('Không liên lạc được người nhận');
    expect(events.every((e) => e.clientCode === shipment.clientCode)).toBe(true);
  });

  it('serves the COD statement in GHTK columns, with what the carrier says it collected', async () => {
    const shipment = await ghtk.createShipment(shipmentRequest());
    for (const step of ['picked', 'delivering'] as const)
      emulators.emulator.advance('ghtk', shipment.carrierCode, step);
    const set = await fetch(`${emulators.url}/emulator/parcels/ghtk/${shipment.carrierCode}/cod`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 150_000 }),
    });
    expect(set.status).toBe(200);
    emulators.emulator.advance('ghtk', shipment.carrierCode, 'delivered');
    const csv = await (await fetch(`${emulators.hosts.ghtk}/cod-statement.csv`)).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header).toBe('Mã đơn hàng,Mã đơn KH,Ngày giao,Tiền thu hộ,Phí ship,Phí bảo hiểm,Trạng thái');
    const row = rows.find((r) => r.startsWith(shipment.carrierCode))!.split(',');
    expect(row.slice(0, 2)).toEqual([shipment.carrierCode, shipment.clientCode]);
    expect(row[3]).toBe('150000');
  });
});

describe('the 2025 communes in the carriers’ keys', () => {
  it.each([
    ['GHN', ghnAreas],
    ['GHTK', ghtkAreas],
  ] as const)(
    '%s: all but a handful of the 3,321 communes map, and every commune of Thái Nguyên',
    async (name, areas) => {
      const communes = listProvinces().flatMap((p) => p.wards.map((w) => ({ ...w, province: p.code })));
      const mapped: typeof communes = [];
      for (const c of communes) if (await areas(c.code)) mapped.push(c);
      console.log(
        `${name} mapping: ${mapped.length} of ${communes.length} communes (${((mapped.length / communes.length) * 100).toFixed(2)} %)`,
      );
      expect(communes).toHaveLength(3_321);
      expect(mapped.length / communes.length).toBeGreaterThan(0.995);
      const thaiNguyen = communes.filter((c) => c.province === THAI_NGUYEN_PROVINCE_CODE);
      expect(thaiNguyen.length).toBeGreaterThan(90);
      expect(thaiNguyen.every((c) => mapped.includes(c))).toBe(true);
    },
  );
});
