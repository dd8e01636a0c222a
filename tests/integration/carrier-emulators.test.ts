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
import { ghnAreas } from '../../shared/carriers/areas.ts';
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
    const events = received.flatMap((c) => ghn.parseWebhook({ headers: {}, query: c.query, body: c.body }));
    expect(events.map((e) => e.stage)).toEqual(['created', 'picked', 'delivering', 'delivered']);
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

describe('the 2025 communes in the carriers’ keys', () => {
  it('GHN: all but a handful of the 3,321 communes map, and every commune of Thái Nguyên', async () => {
    const communes = listProvinces().flatMap((p) => p.wards.map((w) => ({ ...w, province: p.code })));
    const mapped: typeof communes = [];
    for (const c of communes) if (await ghnAreas(c.code)) mapped.push(c);
    console.log(
      `GHN mapping: ${mapped.length} of ${communes.length} communes (${((mapped.length / communes.length) * 100).toFixed(2)} %)`,
    );
    expect(communes).toHaveLength(3_321);
    expect(mapped.length / communes.length).toBeGreaterThan(0.995);
    const thaiNguyen = communes.filter((c) => c.province === THAI_NGUYEN_PROVINCE_CODE);
    expect(thaiNguyen.length).toBeGreaterThan(90);
    expect(thaiNguyen.every((c) => mapped.includes(c))).toBe(true);
  });
});
