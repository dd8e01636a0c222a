/**
 * The GHN provider against recorded exchanges in GHN's documented shapes
 * (tests/fixtures/carriers/ghn.json): every request field it sends, every answer it reads, the
 * retry that finds a shipment GHN already has, every GHN status's stage, and the webhook's token
 * check.
 */
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/carriers/ghn.json' with { type: 'json' };
import { createGhnProvider, GHN_STATUSES } from '../../shared/carriers/ghn.ts';
import { CarrierError, type CreateShipmentRequest, type ShipmentStage } from '../../shared/carriers/types.ts';
import { BASE_URL, expectSent, fixtureFetch, type Exchange } from './carriers-fixtures.ts';

const F = fixtures as unknown as Record<string, Exchange> & { webhook: Record<string, unknown> };

// Two 2025 communes in GHN's keys (the mapping file is tested against the emulator).
const AREAS: Record<string, { districtId: number; wardCode: string }> = {
  '05434': { districtId: 1454, wardCode: '21211' },
  '00004': { districtId: 1452, wardCode: '21012' },
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

function provider(route: Parameters<typeof fixtureFetch>[0]) {
  const stub = fixtureFetch(route);
  const ghn = createGhnProvider({
    baseUrl: BASE_URL,
    token: 'ghn-token-0123',
    webhookToken: 'hook-secret-ghn',
    shopId: '885',
    fetch: stub.fetch,
    areas: async (code) => AREAS[code],
    clock: () => new Date('2020-06-01T09:00:00Z'),
  });
  return { ghn, sent: stub.sent };
}

const byPath =
  (table: Record<string, Exchange>) =>
  (path: string): Exchange => {
    const exchange = table[path];
    if (!exchange) throw new Error(`unexpected call ${path}`);
    return exchange;
  };

describe('GHN quote', () => {
  it('sends fee and leadtime requests field by field and reads total and leadtime', async () => {
    const { ghn, sent } = provider(
      byPath({ [F.fee!.request!.path]: F.fee!, [F.leadtime!.request!.path]: F.leadtime! }),
    );
    const quote = await ghn.quote({ from: FROM, to: TO, parcel: PARCEL, codAmount: 200_000, at: new Date() });
    expectSent(
      sent.find((s) => s.path.endsWith('/fee')),
      F.fee!.request!,
    );
    expectSent(
      sent.find((s) => s.path.endsWith('/leadtime')),
      F.leadtime!.request!,
    );
    // leadtime 1593187200 is 2020-06-26 16:00 UTC, 23:00 that day in Vietnam.
    expect(quote).toEqual({ carrier: 'ghn', fee: 36_300, estimatedDelivery: '2020-06-26', service: '2' });
  });

  it('refuses a commune without GHN keys before calling GHN, naming it', async () => {
    const { ghn, sent } = provider(() => {
      throw new Error('no call expected');
    });
    const error = await ghn
      .quote({
        from: FROM,
        to: { provinceCode: '22', wardCode: '06978' },
        parcel: PARCEL,
        codAmount: 0,
        at: new Date(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierError);
    expect((error as CarrierError).code).toBe('address_unserved');
    expect((error as CarrierError).message).toBe(
      'Giao Hàng Nhanh (GHN) chưa giao hàng đến Xã Ba Chẽ, Tỉnh Quảng Ninh: hãy chọn nhận hàng tại hợp tác xã hoặc một địa chỉ khác',
    );
    expect(sent).toHaveLength(0);
  });

  it('a timeout is CarrierError("timeout"), a 5xx "unavailable", a bad token "unauthorized"', async () => {
    for (const [answer, code] of [
      ['timeout', 'timeout'],
      [{ response: { status: 502, body: { code: 502, message: 'Bad gateway' } } }, 'unavailable'],
      [{ response: { status: 401, body: { code: 401, message: 'Token is not valid!' } } }, 'unauthorized'],
    ] as const) {
      const { ghn } = provider(() => answer as Exchange | 'timeout');
      const error = await ghn
        .quote({ from: FROM, to: TO, parcel: PARCEL, codAmount: 0, at: new Date() })
        .catch((e: unknown) => e);
      expect((error as CarrierError).code).toBe(code);
    }
  });
});

describe('GHN shipments', () => {
  it('creates with every documented field and reads order_code, total_fee and the delivery time', async () => {
    const { ghn, sent } = provider(byPath({ [F.create!.request!.path]: F.create! }));
    const shipment = await ghn.createShipment(SHIPMENT);
    expectSent(sent[0], F.create!.request!);
    expect(shipment).toEqual({
      carrier: 'ghn',
      carrierCode: 'FFFNL9HH',
      clientCode: 'TN-ABCDE-1',
      fee: 36_300,
      estimatedDelivery: '2020-06-03',
    });
  });

  it('a client_order_code GHN already has answers the shipment already made, quoted again for its fee', async () => {
    const { ghn, sent } = provider(
      byPath({
        [F.create!.request!.path]: F.createDuplicate!,
        [F.detailByClientCode!.request!.path]: F.detailByClientCode!,
        [F.fee!.request!.path]: F.fee!,
        [F.leadtime!.request!.path]: F.leadtime!,
      }),
    );
    const shipment = await ghn.createShipment(SHIPMENT);
    expectSent(
      sent.find((s) => s.path.endsWith('detail-by-client-code')),
      F.detailByClientCode!.request!,
    );
    expect(shipment).toEqual({
      carrier: 'ghn',
      carrierCode: 'FFFNL9HH',
      clientCode: 'TN-ABCDE-1',
      fee: 36_300,
      estimatedDelivery: '2020-06-03',
    });
    expect(sent.filter((s) => s.path.endsWith('/create'))).toHaveLength(1);
  });

  it('after a timeout on create, looks the order up; none made: the timeout stands', async () => {
    const notFound: Exchange = {
      response: { status: 400, body: { code: 400, message: 'Không tìm thấy đơn hàng', data: null } },
    };
    const { ghn } = provider((path) =>
      path.endsWith('/create') ? 'timeout' : path.endsWith('detail-by-client-code') ? notFound : F.fee!,
    );
    const error = await ghn.createShipment(SHIPMENT).catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('timeout');
  });

  it('a 5xx on create is looked up too: the order GHN made before failing is the answer', async () => {
    const { ghn } = provider((path) =>
      path.endsWith('/create')
        ? { response: { status: 502, body: { code: 502, message: 'Bad gateway' } } }
        : path.endsWith('detail-by-client-code')
          ? F.detailByClientCode!
          : path.endsWith('/fee')
            ? F.fee!
            : F.leadtime!,
    );
    expect((await ghn.createShipment(SHIPMENT)).carrierCode).toBe('FFFNL9HH');
  });

  it('cancels by order_codes; a refusal is not_cancellable with GHN’s reason', async () => {
    const ok = provider(byPath({ [F.cancel!.request!.path]: F.cancel! }));
    await ok.ghn.cancelShipment('FFFNL9HH');
    expectSent(ok.sent[0], F.cancel!.request!);
    const refused = provider(() => F.cancelRefused!);
    const error = await refused.ghn.cancelShipment('FFFNL9HH').catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe('not_cancellable');
    expect((error as CarrierError).message).toContain('không thể hủy ở trạng thái hiện tại');
  });

  it('prints the A5 label through a print token', async () => {
    const { ghn, sent } = provider(
      byPath({ [F.genToken!.request!.path]: F.genToken!, [F.printA5!.request!.path]: F.printA5! }),
    );
    const label = await ghn.label('FFFNL9HH');
    expectSent(sent[0], F.genToken!.request!);
    expectSent(sent[1], F.printA5!.request!);
    expect(label).toEqual({ contentType: 'text/html', body: F.printA5!.response.text });
  });

  it('tracks from the order log, oldest first, leaving out statuses outside the flow', async () => {
    const { ghn, sent } = provider(byPath({ [F.detail!.request!.path]: F.detail! }));
    const events = await ghn.track('FFFNL9HH');
    expectSent(sent[0], F.detail!.request!);
    expect(events.map((e) => [e.carrierStatus, e.stage, e.at])).toEqual([
      ['ready_to_pick', 'created', '2020-06-01T09:21:00.000Z'],
      ['picked', 'picked', '2020-06-01T14:02:00.000Z'],
      ['storing', 'in_transit', '2020-06-01T20:00:00.000Z'],
      ['delivering', 'delivering', '2020-06-03T01:30:00.000Z'],
      ['delivered', 'delivered', '2020-06-03T08:10:00.000Z'],
    ]);
    expect(events[0]).toMatchObject({
      carrier: 'ghn',
      carrierCode: 'FFFNL9HH',
      clientCode: 'TN-ABCDE-1',
      shopId: '885',
    });
  });
});

describe('GHN statuses', () => {
  // Every status GHN documents, and the stage it means here.
  const expected: Record<string, ShipmentStage | undefined> = {
    ready_to_pick: 'created',
    picking: 'created',
    money_collect_picking: 'created',
    picked: 'picked',
    storing: 'in_transit',
    transporting: 'in_transit',
    sorting: 'in_transit',
    delivering: 'delivering',
    money_collect_delivering: 'delivering',
    delivered: 'delivered',
    delivery_fail: 'delivery_failed',
    waiting_to_return: 'returning',
    return: 'returning',
    return_transporting: 'returning',
    return_sorting: 'returning',
    returning: 'returning',
    return_fail: 'returning',
    returned: 'returned',
    cancel: 'cancelled',
    damage: 'delivery_failed',
    lost: 'delivery_failed',
    exception: undefined,
  };

  it('maps every status', () => {
    expect(GHN_STATUSES).toEqual(expected);
  });

  it.each(Object.entries(expected))('a %s callback means %s', (status, stage) => {
    const { ghn } = provider(() => {
      throw new Error('no call');
    });
    const events = ghn.parseWebhook({
      headers: {},
      query: { token: 'hook-secret-ghn' },
      body: JSON.stringify({ ...F.webhook, Status: status }),
    });
    expect(events.map((e) => e.stage)).toEqual(stage ? [stage] : []);
  });
});

describe('GHN webhook', () => {
  const { ghn } = provider(() => {
    throw new Error('no call');
  });
  const body = JSON.stringify(F.webhook);

  it('reads a delivered callback with the right token', () => {
    expect(ghn.parseWebhook({ headers: {}, query: { token: 'hook-secret-ghn' }, body })).toEqual([
      {
        carrier: 'ghn',
        carrierCode: 'FFFNL9HH',
        clientCode: 'TN-ABCDE-1',
        stage: 'delivered',
        carrierStatus: 'delivered',
        at: '2021-11-11T03:52:50.158Z',
        codCollected: 200_000,
        shopId: '885',
      },
    ]);
  });

  it.each([
    ['a wrong token', { token: 'hook-secret-ghx' }],
    ['a longer token', { token: 'hook-secret-ghn-and-more' }],
    ['no token', {}],
  ])('refuses %s', (_, query) => {
    const error = (() => {
      try {
        ghn.parseWebhook({ headers: {}, query, body });
      } catch (e) {
        return e;
      }
    })();
    expect((error as CarrierError).code).toBe('unauthorized');
  });

  it('refuses a body that is not GHN’s shape', () => {
    for (const bad of ['not json', JSON.stringify({ OrderCode: 'X' }), JSON.stringify([1])]) {
      expect(() => ghn.parseWebhook({ headers: {}, query: { token: 'hook-secret-ghn' }, body: bad })).toThrow(
        CarrierError,
      );
    }
  });

  it('weight, COD and fee updates move nothing', () => {
    for (const type of ['update_weight', 'update_cod', 'update_fee']) {
      const events = ghn.parseWebhook({
        headers: {},
        query: { token: 'hook-secret-ghn' },
        body: JSON.stringify({ ...F.webhook, Type: type }),
      });
      expect(events).toEqual([]);
    }
  });
});
