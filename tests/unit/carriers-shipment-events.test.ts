/**
 * The rules by which a carrier's events move a shipment and its sub-order (shipment-events.ts):
 * duplicates and stale events change nothing, the stage only moves forward, and the sub-order
 * follows through the `system` edges of the transition table. And the COD statement's columns.
 */
import { describe, expect, it } from 'vitest';
import type { CarrierEvent, ShipmentStage } from '../../shared/carriers/types.ts';
import { canTransition, type SubOrder } from '../../shared/orders/model.ts';
import { foldHeader, parseCodStatement, parseCsv } from '../../shared/orders/cod-statements.ts';
import { settlement, settlementCsv } from '../../shared/orders/reports.ts';
import { planCarrierEvents, STAGE_LABELS } from '../../shared/orders/shipment-events.ts';

const AT = '2026-12-06T09:00:00.000Z';

function packedSub(stage: ShipmentStage = 'created', status: SubOrder['status'] = 'packed'): SubOrder {
  return {
    orderCode: 'TN-ABCDE',
    fulfillerId: 'coop-a',
    fulfillerName: 'HTX A',
    status,
    lines: [],
    subtotal: 360_000,
    shippingFee: 30_000,
    shipment: {
      carrier: 'ghn',
      carrierCode: 'GHN123',
      clientCode: 'TN-ABCDE-1',
      fee: 30_000,
      codAmount: 390_000,
      stage,
      events: [{ stage: 'created', carrierStatus: 'ready_to_pick', at: '2026-12-06T01:00:00.000Z' }],
      createdAt: '2026-12-06T01:00:00.000Z',
    },
    history: [],
    createdAt: '2026-12-05T01:00:00.000Z',
    version: 3,
  };
}

const event = (stage: ShipmentStage, at: string, extra: Partial<CarrierEvent> = {}): CarrierEvent => ({
  carrier: 'ghn',
  carrierCode: 'GHN123',
  stage,
  carrierStatus: stage,
  at,
  ...extra,
});

const plan = (sub: SubOrder, events: CarrierEvent[], cod = true) =>
  planCarrierEvents(sub, events, { cod, at: AT });

describe('carrier events on a sub-order', () => {
  it('picked moves packed → shipped; delivered moves shipped → delivered with the COD collected', () => {
    const picked = plan(packedSub(), [event('picked', '2026-12-06T02:00:00.000Z')])!;
    expect(picked.steps).toEqual(['shipped']);
    expect(picked.sub.status).toBe('shipped');
    expect(picked.sub.shipment!.stage).toBe('picked');
    expect(picked.sub.history.at(-1)).toMatchObject({ status: 'shipped', by: 'system' });

    const delivered = plan(picked.sub, [
      event('delivered', '2026-12-07T02:00:00.000Z', { codCollected: 390_000 }),
    ])!;
    expect(delivered.steps).toEqual(['delivered']);
    expect(delivered.sub.cashCollected).toBe(true);
    expect(delivered.sub.shipment!.codCollected).toBe(390_000);
    expect(delivered.finished).toBe('delivered');
  });

  it('a delivery with no pickup event seen still takes the table’s edges one by one', () => {
    const result = plan(packedSub(), [event('delivered', '2026-12-07T02:00:00.000Z')])!;
    expect(result.steps).toEqual(['shipped', 'delivered']);
    expect(canTransition('packed', 'shipped', 'system')).toBe(true);
    expect(canTransition('shipped', 'delivered', 'system')).toBe(true);
    // COD not stated by the carrier: what it was to collect.
    expect(result.sub.shipment!.codCollected).toBe(390_000);
  });

  it('a prepaid order is not marked cash collected', () => {
    const result = plan(
      packedSub('delivering', 'shipped'),
      [event('delivered', '2026-12-07T02:00:00.000Z')],
      false,
    )!;
    expect(result.sub.cashCollected).toBeUndefined();
  });

  it('a duplicate changes nothing', () => {
    const once = plan(packedSub(), [event('picked', '2026-12-06T02:00:00.000Z')])!;
    expect(plan(once.sub, [event('picked', '2026-12-06T02:00:00.000Z')])).toBeNull();
  });

  it('an out-of-order older event is recorded but never moves the stage or the status back', () => {
    const delivering = plan(packedSub(), [event('delivering', '2026-12-06T05:00:00.000Z')])!;
    expect(delivering.sub.shipment!.stage).toBe('delivering');
    const late = plan(delivering.sub, [event('picked', '2026-12-06T02:00:00.000Z')])!;
    expect(late.steps).toEqual([]);
    expect(late.sub.status).toBe('shipped');
    expect(late.sub.shipment!.stage).toBe('delivering');
    // Kept in time order.
    expect(late.sub.shipment!.events.map((e) => e.stage)).toEqual(['created', 'picked', 'delivering']);
  });

  it('nothing leaves a final stage: a late "delivering" after delivered is only recorded', () => {
    const done = plan(packedSub('delivering', 'shipped'), [event('delivered', '2026-12-07T02:00:00.000Z')])!;
    const after = plan(done.sub, [event('delivering', '2026-12-07T03:00:00.000Z')])!;
    expect(after.sub.shipment!.stage).toBe('delivered');
    expect(after.sub.status).toBe('delivered');
    expect(after.steps).toEqual([]);
  });

  it('a failed delivery is recorded with its reason and the part stays shipped; a later attempt moves on', () => {
    const failed = plan(packedSub('delivering', 'shipped'), [
      event('delivery_failed', '2026-12-07T02:00:00.000Z', { reason: 'Không liên lạc được người nhận' }),
    ])!;
    expect(failed.sub.status).toBe('shipped');
    expect(failed.sub.shipment!.stage).toBe('delivery_failed');
    expect(failed.sub.shipment!.events.at(-1)!.reason).toBe('Không liên lạc được người nhận');
    const again = plan(failed.sub, [event('delivering', '2026-12-08T02:00:00.000Z')])!;
    expect(again.sub.shipment!.stage).toBe('delivering');
  });

  it('returned cancels the part (the caller puts the stock back)', () => {
    const result = plan(packedSub('returning', 'shipped'), [event('returned', '2026-12-09T02:00:00.000Z')])!;
    expect(result.steps).toEqual(['cancelled']);
    expect(canTransition('shipped', 'cancelled', 'system')).toBe(true);
    expect(result.finished).toBe('returned');
  });

  it('events of another parcel or carrier are not this shipment’s', () => {
    expect(plan(packedSub(), [event('picked', AT, { carrierCode: 'GHN999' })])).toBeNull();
    expect(plan(packedSub(), [event('picked', AT, { carrier: 'ghtk' })])).toBeNull();
  });

  it('every stage has a Vietnamese label', () => {
    for (const label of Object.values(STAGE_LABELS)) expect(label).toMatch(/[ăâđêôơưạảãáàặẩẫậ]/i);
  });
});

describe('COD statements', () => {
  it('folds Vietnamese column names', () => {
    expect(foldHeader('Mã đơn hàng')).toBe('ma_don_hang');
    expect(foldHeader('Tiền thu hộ (COD)')).toBe('tien_thu_ho');
  });

  it('reads quoted fields and the semicolon Excel writes', () => {
    expect(parseCsv('\uFEFFa;b\r\n"x;1";"2 ""q"""\r\n')).toEqual([
      ['a', 'b'],
      ['x;1', '2 "q"'],
    ]);
  });

  it('reads GHN-style and Vietnamese headers, amounts with thousands separators', () => {
    expect(parseCodStatement('order_code,client_order_code,cod_amount\nGHN1,TN-ABCDE-1,390000\n')).toEqual([
      { carrierCode: 'GHN1', clientCode: 'TN-ABCDE-1', amount: 390_000 },
    ]);
    expect(parseCodStatement('Mã vận đơn;Tiền thu hộ\r\nS1.23;"1.250.000"\r\n')).toEqual([
      { carrierCode: 'S1.23', amount: 1_250_000 },
    ]);
  });

  it('refuses a file without the code and amount columns, naming what it needs', () => {
    expect(() => parseCodStatement('name,phone\nA,1\n')).toThrow(/cột mã vận đơn/);
    expect(() => parseCodStatement('order_code,cod_amount\nGHN1,abc\n')).toThrow(/Dòng 2/);
  });
});

describe('the settlement with carriers', () => {
  it('shows the carriers’ COD collected against what their statements paid, and the extra cost', () => {
    const line = {
      variantId: 'v1',
      productId: 'p1',
      productSlug: 'p1',
      productName: 'Chè',
      pack: '200 g',
      producerId: 'hh-1',
      producerName: 'Hộ Một',
      unitPrice: 180_000,
      quantity: 2,
      lineTotal: 360_000,
    };
    const delivered = (remitted?: number): SubOrder => {
      const sub = packedSub('delivered', 'delivered');
      return {
        ...sub,
        lines: [line],
        cashCollected: true,
        shipment: {
          ...sub.shipment!,
          codCollected: 390_000,
          extraCost: 2_000,
          ...(remitted !== undefined ? { codRemitted: { amount: remitted, statementId: 's1', at: AT } } : {}),
        },
      };
    };
    const result = settlement([delivered(390_000), delivered()]);
    expect(result.carriers).toEqual({
      shipments: 2,
      codExpected: 780_000,
      codRemitted: 390_000,
      codOutstanding: 1,
      extraCost: 4_000,
    });
    const csv = settlementCsv(result, { from: '2026-12-01', to: '2026-12-07' });
    expect(csv).toContain('COD đơn vị vận chuyển đã trả (bảng kê),,,,390000');
    expect(csv).toContain('Cước vận chuyển HTX chịu thêm,,,,4000');
    // Without carriers the file is as before.
    expect(settlementCsv(settlement([]), { from: '2026-12-01', to: '2026-12-07' })).not.toContain(
      'vận chuyển',
    );
  });
});
