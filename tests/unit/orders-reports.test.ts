import { describe, expect, it } from 'vitest';
import { canTransition, ORDER_STATUSES, type OrderLine, type SubOrder } from '../../shared/orders/model.ts';
import {
  addDays,
  apiRange,
  csvField,
  inDays,
  isDay,
  MANAGER_NEXT,
  mondayOf,
  packingList,
  settlement,
  settlementCsv,
  stepActor,
  toCsv,
  UTF8_BOM,
  vnDay,
  weeklySales,
  weeklySalesFrom,
} from '../../shared/orders/reports.ts';

const THANH = { producerId: 'ho-nguyen-van-thanh', producerName: 'Hộ Nguyễn Văn Thành' };
const HOA = { producerId: 'ho-tran-thi-hoa', producerName: 'Hộ Trần Thị Hoa' };
const COOP = { producerId: 'htx-tan-cuong-xanh', producerName: 'HTX Chè Tân Cương Xanh' };

function line(
  who: { producerId: string; producerName: string },
  variantId: string,
  quantity: number,
  unitPrice: number,
  productName = `Chè ${variantId}`,
  pack = '200 g',
): OrderLine {
  return {
    variantId,
    productId: variantId.replace(/-v\d+$/, ''),
    productSlug: 'che',
    productName,
    pack,
    ...who,
    unitPrice,
    quantity,
    lineTotal: unitPrice * quantity,
  };
}

let counter = 0;
function sub(
  status: SubOrder['status'],
  lines: OrderLine[],
  extra: Partial<SubOrder> & { createdAt?: string } = {},
): SubOrder {
  counter += 1;
  const createdAt = extra.createdAt ?? '2025-06-10T03:00:00.000Z';
  return {
    orderCode: `TN-${String(counter).padStart(5, 'A')}`,
    fulfillerId: COOP.producerId,
    fulfillerName: COOP.producerName,
    status,
    lines,
    subtotal: lines.reduce((n, l) => n + l.lineTotal, 0),
    shippingFee: 30_000,
    history: [{ status: 'placed', at: createdAt, by: 'shopper' }],
    createdAt,
    version: 1,
    ...extra,
  };
}

describe('days in Vietnam', () => {
  it('puts an order placed late in the evening on that Vietnamese day', () => {
    expect(vnDay('2025-06-10T16:59:59.000Z')).toBe('2025-06-10');
    expect(vnDay('2025-06-10T17:00:00.000Z')).toBe('2025-06-11');
    expect(vnDay('2025-06-10T00:30:00.000Z')).toBe('2025-06-10');
  });

  it('adds days across months and years, finds Mondays, checks day strings', () => {
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(mondayOf('2025-06-15')).toBe('2025-06-09'); // Sunday → its week's Monday
    expect(mondayOf('2025-06-09')).toBe('2025-06-09');
    expect(isDay('2025-06-09')).toBe(true);
    expect(isDay('2025-02-30')).toBe(false);
    expect(isDay('9/6/2025')).toBe(false);
    expect(isDay(null)).toBe(false);
  });

  it('asks the API from the day before and filters on Vietnamese days', () => {
    expect(apiRange('2025-06-10', '2025-06-12')).toEqual({ from: '2025-06-09', to: '2025-06-12' });
    expect(inDays({ createdAt: '2025-06-09T18:00:00.000Z' }, '2025-06-10', '2025-06-10')).toBe(true);
    expect(inDays({ createdAt: '2025-06-09T16:00:00.000Z' }, '2025-06-10', '2025-06-10')).toBe(false);
  });
});

describe('the manager’s next steps', () => {
  it('are exactly the manager edges of the transition table, less refunds', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const allowed = canTransition(from, to, 'manager') && to !== 'refunded';
        expect(MANAGER_NEXT[from].includes(to), `${from} → ${to}`).toBe(allowed);
      }
    }
  });
});

describe('packingList', () => {
  it('totals packs per product and size, and per household with the orders, for orders to pack', () => {
    const a = sub('placed', [
      line(THANH, 'prd-001-v1', 2, 480_000, 'Chè đinh'),
      line(COOP, 'prd-003-v1', 1, 180_000, 'Chè nõn'),
    ]);
    const b = sub('confirmed', [
      line(THANH, 'prd-001-v1', 1, 480_000, 'Chè đinh'),
      line(THANH, 'prd-001-v2', 1, 920_000, 'Chè đinh', '500 g'),
    ]);
    const shipped = sub('shipped', [line(HOA, 'prd-010-v1', 9, 100_000, 'Chè búp')]);
    const list = packingList([a, b, shipped]);
    expect(list.orders.map((o) => o.orderCode)).toEqual([a.orderCode, b.orderCode]);
    expect(list.quantity).toBe(5);
    expect(list.products).toEqual([
      {
        productId: 'prd-001',
        productName: 'Chè đinh',
        packs: [
          { variantId: 'prd-001-v1', pack: '200 g', quantity: 3 },
          { variantId: 'prd-001-v2', pack: '500 g', quantity: 1 },
        ],
        quantity: 4,
      },
      {
        productId: 'prd-003',
        productName: 'Chè nõn',
        packs: [{ variantId: 'prd-003-v1', pack: '200 g', quantity: 1 }],
        quantity: 1,
      },
    ]);
    expect(list.households.map((hh) => [hh.producerName, hh.quantity])).toEqual([
      ['Hộ Nguyễn Văn Thành', 4],
      ['HTX Chè Tân Cương Xanh', 1],
    ]);
    expect(list.households[0]!.items[0]).toMatchObject({
      variantId: 'prd-001-v1',
      quantity: 3,
      orderCodes: [a.orderCode, b.orderCode],
    });
  });

  it('takes other statuses when asked, and is empty for no orders', () => {
    const packed = sub('packed', [line(HOA, 'prd-010-v1', 3, 100_000)]);
    expect(packingList([packed]).quantity).toBe(0);
    expect(packingList([packed], ['packed']).quantity).toBe(3);
    expect(packingList([])).toEqual({ orders: [], products: [], households: [], quantity: 0 });
  });
});

describe('settlement', () => {
  const cod = sub(
    'delivered',
    [line(THANH, 'prd-001-v1', 2, 480_000), line(COOP, 'prd-003-v1', 1, 180_000)],
    {
      cashCollected: true,
    },
  );
  const online = sub('completed', [
    line(THANH, 'prd-001-v1', 1, 480_000),
    line(HOA, 'prd-010-v1', 3, 99_999),
  ]);
  const notYet = sub('shipped', [line(THANH, 'prd-001-v1', 5, 480_000)]);
  const cancelled = sub('cancelled', [line(HOA, 'prd-010-v1', 5, 99_999)]);
  const refunded = sub('refunded', [line(HOA, 'prd-010-v1', 1, 99_999)]);

  it('owes each household its delivered and completed lines, COD cash shown apart', () => {
    const result = settlement([cod, online, notYet, cancelled, refunded]);
    expect(result.commissionPercent).toBe(0);
    const thanh = result.households.find((hh) => hh.producerId === THANH.producerId)!;
    expect(thanh).toMatchObject({
      quantity: 3,
      amount: 1_440_000,
      codCollected: 960_000,
      paidOnline: 480_000,
      commission: 0,
      owed: 1_440_000,
    });
    expect(thanh.products).toEqual([
      {
        variantId: 'prd-001-v1',
        productId: 'prd-001',
        productName: 'Chè prd-001-v1',
        pack: '200 g',
        quantity: 3,
        amount: 1_440_000,
      },
    ]);
    const hoa = result.households.find((hh) => hh.producerId === HOA.producerId)!;
    expect(hoa).toMatchObject({ quantity: 3, amount: 299_997, codCollected: 0, owed: 299_997 });
    expect(result.totals).toEqual({
      quantity: 7,
      amount: 1_919_997,
      codCollected: 1_140_000,
      paidOnline: 779_997,
      commission: 0,
      owed: 1_919_997,
    });
  });

  it('takes the commission off, rounded to whole đồng, and refuses a silly percentage', () => {
    const result = settlement([online], { commissionPercent: 5 });
    const hoa = result.households.find((hh) => hh.producerId === HOA.producerId)!;
    expect(hoa.commission).toBe(15_000); // 14 999.85 rounds up
    expect(hoa.owed).toBe(284_997);
    expect(result.totals.commission).toBe(24_000 + 15_000);
    expect(() => settlement([online], { commissionPercent: -1 })).toThrow(RangeError);
    expect(() => settlement([online], { commissionPercent: 101 })).toThrow(RangeError);
  });

  it('is empty when nothing was delivered', () => {
    expect(settlement([notYet, cancelled]).households).toEqual([]);
  });

  it('counts as “hộ” only the member households, not the cooperative’s own products', () => {
    const result = settlement([cod, online], { fulfillerId: COOP.producerId });
    expect(result.households.map((hh) => [hh.producerId, hh.kind])).toEqual([
      [THANH.producerId, 'household'],
      [HOA.producerId, 'household'],
      [COOP.producerId, 'cooperative'],
    ]);
    expect(result.householdCount).toBe(2);
    // Without the fulfiller every producer is taken for a household (the old count).
    expect(settlement([cod, online]).householdCount).toBe(3);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('Chè nõn')).toBe('Chè nõn');
    expect(csvField('hộp 2, 200 g')).toBe('"hộp 2, 200 g"');
    expect(csvField('chè "đặc biệt"')).toBe('"chè ""đặc biệt"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-5)).toBe('-5');
    expect(
      toCsv([
        ['a', 1],
        ['b,c', 2],
      ]),
    ).toBe('a,1\r\n"b,c",2\r\n');
  });

  it('writes the settlement with a BOM, a row per pack and the household totals', () => {
    const delivered = sub('delivered', [line(THANH, 'prd-001-v1', 2, 480_000, 'Chè đinh, thượng hạng')], {
      cashCollected: true,
    });
    const csv = settlementCsv(settlement([delivered], { commissionPercent: 10 }), {
      from: '2025-06-01',
      to: '2025-06-30',
    });
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('Hộ sản xuất');
    expect(rows[1]).toBe(
      '2025-06-01,2025-06-30,ho-nguyen-van-thanh,Hộ Nguyễn Văn Thành,"Chè đinh, thượng hạng",200 g,2,960000',
    );
    expect(rows[2]).toBe(
      '2025-06-01,2025-06-30,ho-nguyen-van-thanh,Hộ Nguyễn Văn Thành,Tổng của hộ,,2,960000,960000,0,96000,864000',
    );
    expect(rows[3]).toBe('2025-06-01,2025-06-30,,Tổng cộng,,,2,960000,960000,0,96000,864000');
  });

  it('offers the semicolon variant Excel opens in columns under Vietnamese regional settings', () => {
    const delivered = sub(
      'delivered',
      [line(THANH, 'prd-001-v1', 2, 480_000, 'Chè đinh; thượng hạng'), line(COOP, 'prd-003-v1', 1, 180_000)],
      { cashCollected: true },
    );
    const csv = settlementCsv(
      settlement([delivered], { fulfillerId: COOP.producerId }),
      { from: '2025-06-01', to: '2025-06-30' },
      ';',
    );
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows[0]!.split(';')).toHaveLength(12);
    expect(rows[0]).not.toContain(',');
    expect(rows[1]).toBe(
      '2025-06-01;2025-06-30;ho-nguyen-van-thanh;Hộ Nguyễn Văn Thành;"Chè đinh; thượng hạng";200 g;2;960000',
    );
    expect(rows[2]).toBe(
      '2025-06-01;2025-06-30;ho-nguyen-van-thanh;Hộ Nguyễn Văn Thành;Tổng của hộ;;2;960000;960000;0;0;960000',
    );
    expect(rows[4]).toContain(';Tổng hàng của HTX;');
    // A comma needs no quotes there, a semicolon does.
    expect(csvField('hộp 2, 200 g', ';')).toBe('hộp 2, 200 g');
    expect(toCsv([['a;b', 1]], ';')).toBe('"a;b";1\r\n');
  });
});

describe('stepActor', () => {
  it('credits placing and paying to the shopper and the system, never to the manager', () => {
    expect(stepActor('shopper')).toBe('Người mua');
    expect(stepActor('payment')).toMatch(/^Hệ thống/);
    expect(stepActor('system')).toBe('Hệ thống');
    expect(stepActor('3f2c9a70-manager-sub')).toBe('Quản lý HTX');
  });
});

describe('weeklySales', () => {
  it('counts delivered and completed sub-orders in the week of delivery, the last 8 weeks', () => {
    const today = '2025-06-12'; // a Thursday
    const deliveredOn = (at: string, status: SubOrder['status'] = 'delivered', total = 100_000) =>
      sub(status, [line(THANH, 'prd-001-v1', 1, total)], {
        createdAt: '2025-04-01T03:00:00.000Z',
        history: [
          { status: 'placed', at: '2025-04-01T03:00:00.000Z', by: 'shopper' },
          { status: 'delivered', at, by: 'manager' },
        ],
      });
    const weeks = weeklySales(
      [
        deliveredOn('2025-06-09T01:00:00.000Z'), // this week (Monday)
        deliveredOn('2025-06-08T18:00:00.000Z', 'completed', 50_000), // Monday 01:00 in Vietnam
        deliveredOn('2025-06-08T16:00:00.000Z'), // Sunday 23:00 in Vietnam: last week
        deliveredOn('2025-04-20T03:00:00.000Z'), // before the 8 weeks
        sub('shipped', [line(THANH, 'prd-001-v1', 1, 999_000)]),
        sub('cancelled', [line(THANH, 'prd-001-v1', 1, 999_000)]),
      ],
      today,
    );
    expect(weeks).toHaveLength(8);
    expect(weeks[0]).toMatchObject({ weekStart: '2025-04-21', weekEnd: '2025-04-27', revenue: 0 });
    expect(weeks[7]).toEqual({ weekStart: '2025-06-09', weekEnd: '2025-06-15', revenue: 150_000, orders: 2 });
    expect(weeks[6]).toEqual({ weekStart: '2025-06-02', weekEnd: '2025-06-08', revenue: 100_000, orders: 1 });
    expect(weeks.slice(0, 6).every((w) => w.revenue === 0)).toBe(true);
    expect(weeklySalesFrom(today)).toBe(addDays('2025-04-21', -30));
  });
});
