/**
 * The GHTK provider against recorded exchanges in GHTK's documented shapes
 * (tests/fixtures/carriers/ghtk.json): the fee query and the order body field by field, the
 * answers it reads, ORDER_ID_EXIST and the timeout retry by partner_id, every status id's stage,
 * and the webhook's token check (JSON and form bodies).
 */
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/carriers/ghtk.json' with { type: 'json' };
import { createGhtkProvider, GHTK_STATUSES, ghtkTime } from '../../shared/carriers/ghtk.ts';
import type { CarrierError, CreateShipmentRequest, ShipmentStage } from '../../shared/carriers/types.ts';
import { BASE_URL, expectSent, fixtureFetch, type Exchange } from './carriers-fixtures.ts';

const F = fixtures as unknown as Record<string, Exchange> & { webhook: Record<string, unknown> };

const AREAS: Record<string, { province: string; district: string; ward: string }> = {
  '05434': { province: 'Thái Nguyên', district: 'Thành phố Thái Nguyên', ward: 'Xã Tân Cương' },
  '00004': { province: 'Hà Nội', district: 'Quận Ba Đình', ward: 'Phường Đội Cấn' },
};
const FROM = { provinceCode: '19', wardCode: '05434' };
const TO = { provinceCode: '01', wardCode: '00004' };
const PARCEL = { weightGrams: 1_200, lengthCm: 30, widthCm: 25, heightCm: 15, insuredValue: 200_000 };
const SHIPMENT: CreateShipmentRequest = {
  clientCode: 'TN-ABCDE-1',
  from: { ...FROM, street: 'Xóm Soi Mít', name: 'HTX Chè Tân Cương', phone: '0912345678' },
  to: { ...TO, street: '12 phố Đội Cấn', name: 'Nguyễn Thị Lan', phone: '0987654321' },
  parcel: PARCEL,
  codAmount: 200_000,
  items: [{ name: 'Chè Tân Cương 200 g', quantity: 5, weightGrams: 200 }],
  note: 'Gọi trước khi giao',
};
const TOKEN = 'hook-secret-ghtk';

function provider(route: Parameters<typeof fixtureFetch>[0]) {
  const stub = fixtureFetch(route);
  const ghtk = createGhtkProvider({
    baseUrl: BASE_URL,
    token: 'ghtk-token-0123',
    webhookToken: TOKEN,
    clientSource: 'S22882891',
    fetch: stub.fetch,
    areas: async (code) => AREAS[code],
    clock: () => new Date('2017-07-01T01:00:00Z'),
  });
  return { ghtk, sent: stub.sent };
}
const noCalls = () => {
  throw new Error('no call expected');
};
const byPath =
  (table: Record<string, Exchange>) =>
  (path: string): Exchange => {
    const exchange = table[path];
    if (!exchange) throw new Error(`unexpected call ${path}`);
    return exchange;
  };

describe('GHTK quote', () => {
  it('asks the fee by names, weight in grams, and reads fee and zone', async () => {
    const { ghtk, sent } = provider(byPath({ [F.fee!.request!.path]: F.fee! }));
    const quote = await ghtk.quote({
      from: FROM,
      to: TO,
      parcel: PARCEL,
      codAmount: 200_000,
      at: new Date('2017-07-01T01:00:00Z'),
    });
    expectSent(sent[0], F.fee!.request!);
    // "region": GHTK's three days within a region.
    expect(quote).toEqual({ carrier: 'ghtk', fee: 30_400, estimatedDelivery: '2017-07-04', service: 'road' });
  });

  it('"delivery": false is the commune refused, named', async () => {
    const { ghtk } = provider(() => F.feeNotServed!);
    const error = await ghtk
      .quote({ from: FROM, to: TO, parcel: PARCEL, codAmount: 0, at: new Date() })
      .catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('address_unserved');
    expect((error as CarrierError).message).toContain('Giao Hàng Tiết Kiệm (GHTK) chưa giao hàng đến ');
    expect((error as CarrierError).message).toContain('Thành phố Hà Nội');
  });

  it('a commune without GHTK names is refused before any call', async () => {
    const { ghtk, sent } = provider(noCalls);
    const error = await ghtk
      .quote({
        from: FROM,
        to: { provinceCode: '22', wardCode: '06978' },
        parcel: PARCEL,
        codAmount: 0,
        at: new Date(),
      })
      .catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('address_unserved');
    expect((error as CarrierError).message).toContain('Xã Ba Chẽ, Tỉnh Quảng Ninh');
    expect(sent).toHaveLength(0);
  });
});

describe('GHTK shipments', () => {
  it('posts the order with every documented field (weights in kg) and reads label, fee and date', async () => {
    const { ghtk, sent } = provider(byPath({ [F.order!.request!.path]: F.order! }));
    const shipment = await ghtk.createShipment(SHIPMENT);
    expectSent(sent[0], F.order!.request!);
    expect(shipment).toEqual({
      carrier: 'ghtk',
      carrierCode: 'S1.A1.17373471',
      clientCode: 'TN-ABCDE-1',
      fee: 30_400,
      estimatedDelivery: '2017-07-02',
    });
  });

  it('ORDER_ID_EXIST answers the order GHTK already has, by its label', async () => {
    const { ghtk, sent } = provider(
      byPath({ [F.order!.request!.path]: F.orderExists!, [F.status!.request!.path]: F.status! }),
    );
    const shipment = await ghtk.createShipment(SHIPMENT);
    expectSent(sent[1], F.status!.request!);
    expect(shipment).toEqual({
      carrier: 'ghtk',
      carrierCode: 'S1.A1.17373471',
      clientCode: 'TN-ABCDE-1',
      fee: 30_400,
      estimatedDelivery: '2017-07-02',
    });
  });

  it('after a timeout, finds the order by partner_id; none: the timeout stands', async () => {
    const found = provider((path) => (path === F.order!.request!.path ? 'timeout' : F.status!));
    const shipment = await found.ghtk.createShipment(SHIPMENT);
    expectSent(found.sent[1], F.statusByPartner!.request!);
    expect(shipment.carrierCode).toBe('S1.A1.17373471');

    const missing = provider((path) => (path === F.order!.request!.path ? 'timeout' : F.notFound!));
    const error = await missing.ghtk.createShipment(SHIPMENT).catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('timeout');
  });

  it('a 5xx on the order is looked up by partner_id too', async () => {
    const { ghtk } = provider((path) =>
      path === F.order!.request!.path ? { response: { status: 503, body: { success: false } } } : F.status!,
    );
    expect((await ghtk.createShipment(SHIPMENT)).carrierCode).toBe('S1.A1.17373471');
  });

  it('cancels by label; a refusal is not_cancellable', async () => {
    const ok = provider(byPath({ [F.cancel!.request!.path]: F.cancel! }));
    await ok.ghtk.cancelShipment('S1.A1.17373471');
    expectSent(ok.sent[0], F.cancel!.request!);
    const refused = provider(() => F.cancelRefused!);
    const error = await refused.ghtk.cancelShipment('S1.A1.17373471').catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('not_cancellable');
  });

  it('gets the PDF label', async () => {
    const { ghtk, sent } = provider(byPath({ [F.label!.request!.path]: F.label! }));
    const label = await ghtk.label('S1.A1.17373471');
    expectSent(sent[0], F.label!.request!);
    expect(label.contentType).toBe('application/pdf');
    expect(Buffer.from(label.body as Uint8Array).toString('base64')).toBe(F.label!.response.base64);
  });

  it('tracks the current status with GHTK’s Vietnam-time stamp', async () => {
    const { ghtk } = provider(byPath({ [F.status!.request!.path]: F.status! }));
    expect(await ghtk.track('S1.A1.17373471')).toEqual([
      {
        carrier: 'ghtk',
        carrierCode: 'S1.A1.17373471',
        clientCode: 'TN-ABCDE-1',
        stage: 'picked',
        carrierStatus: '3',
        at: '2017-07-01T08:40:11.000Z',
        reason: 'Gọi trước khi giao',
      },
    ]);
  });
});

describe('GHTK statuses', () => {
  const expected: Record<string, ShipmentStage> = {
    '-1': 'cancelled',
    '1': 'created',
    '2': 'created',
    '3': 'picked',
    '4': 'delivering',
    '5': 'delivered',
    '6': 'delivered',
    '7': 'created',
    '8': 'created',
    '9': 'delivery_failed',
    '10': 'delivering',
    '11': 'returned',
    '12': 'created',
    '13': 'delivery_failed',
    '20': 'returning',
    '21': 'returned',
    '123': 'picked',
    '127': 'created',
    '128': 'created',
    '45': 'delivered',
    '49': 'delivery_failed',
    '410': 'delivering',
  };

  it('maps every documented status id', () => {
    expect(GHTK_STATUSES).toEqual(expected);
  });

  it.each(Object.entries(expected))('status_id %s means %s', (status, stage) => {
    const { ghtk } = provider(noCalls);
    const [event] = ghtk.parseWebhook({
      headers: {},
      query: { token: TOKEN },
      body: JSON.stringify({ ...F.webhook, status_id: Number(status) }),
    });
    expect(event!.stage).toBe(stage);
  });

  it('an unknown status id moves nothing', () => {
    const { ghtk } = provider(noCalls);
    const body = JSON.stringify({ ...F.webhook, status_id: 999 });
    expect(ghtk.parseWebhook({ headers: {}, query: { token: TOKEN }, body })).toEqual([]);
  });
});

describe('GHTK webhook', () => {
  const { ghtk } = provider(noCalls);
  const delivered = {
    carrier: 'ghtk',
    carrierCode: 'S1.A1.17373471',
    clientCode: 'TN-ABCDE-1',
    stage: 'delivered',
    carrierStatus: '5',
    at: '2017-07-02T08:30:00.000Z',
    codCollected: 200_000,
  };

  it('reads a JSON body and a form body alike', () => {
    const json = JSON.stringify(F.webhook);
    const form = new URLSearchParams(
      Object.entries(F.webhook).map(([k, v]) => [k, String(v)] as [string, string]),
    ).toString();
    expect(ghtk.parseWebhook({ headers: {}, query: { token: TOKEN }, body: json })).toEqual([delivered]);
    expect(ghtk.parseWebhook({ headers: {}, query: { token: TOKEN }, body: form })).toEqual([delivered]);
  });

  it.each([
    ['a wrong token', { token: 'hook-secret-ghtx' }],
    ['no token', {}],
    ['another carrier’s token', { token: 'hook-secret-ghn' }],
  ])('refuses %s', (_, query) => {
    expect(() => ghtk.parseWebhook({ headers: {}, query, body: JSON.stringify(F.webhook) })).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
  });

  it('refuses a body without label_id or status_id', () => {
    for (const bad of ['{', JSON.stringify({ label_id: 'S1' }), 'status_id=5']) {
      expect(() => ghtk.parseWebhook({ headers: {}, query: { token: TOKEN }, body: bad })).toThrow(
        expect.objectContaining({ code: 'bad_request' }),
      );
    }
  });

  it('reads GHTK’s times in Vietnam time', () => {
    const fallback = new Date('2000-01-01T00:00:00Z');
    expect(ghtkTime('2017-07-01 15:40:11', fallback)).toBe('2017-07-01T08:40:11.000Z');
    expect(ghtkTime('2017-07-02T15:30:00+07:00', fallback)).toBe('2017-07-02T08:30:00.000Z');
    expect(ghtkTime('not a time', fallback)).toBe('2000-01-01T00:00:00.000Z');
  });
});
