/**
 * The pre-order rules as pure functions: the deposit, the variable-weight price (capped above the
 * tolerance), the deposit kept when a balance lapses, first reserved first served, the window's
 * phases in Vietnam time, the window body's validation, the notices' texts, and pre-order lines
 * in the packing list and the household settlement.
 */
import { describe, expect, it } from 'vitest';
import type { Order, SubOrder } from '../../shared/orders/model.ts';
import { packingList, settlement } from '../../shared/orders/reports.ts';
import {
  allocate,
  CreatePreorderWindowBody,
  depositOf,
  keptOnLapse,
  packName,
  weighedPrice,
  windowPhase,
} from '../../shared/preorders/model.ts';
import { preorderNotice } from '../../shared/preorders/notices.ts';

describe('money rules', () => {
  it('the deposit is rounded up to the đồng', () => {
    expect(depositOf(800_000, 30)).toBe(240_000);
    expect(depositOf(99_999, 30)).toBe(30_000);
  });

  it('a variable-weight line: heavier is charged up to +tolerance, lighter for what is delivered', () => {
    const line = { estimatedGrams: 500, amount: 400_000, tolerancePercent: 10 };
    expect(weighedPrice(line, 500)).toBe(400_000);
    expect(weighedPrice(line, 530)).toBe(424_000);
    expect(weighedPrice(line, 600)).toBe(440_000); // capped at 550 g
    expect(weighedPrice(line, 400)).toBe(320_000);
    expect(weighedPrice({ estimatedGrams: 200, amount: 180_000 }, 260)).toBe(180_000); // fixed pack
  });

  it('a lapsed balance keeps the deposit up to 30 % of the final amount', () => {
    expect(keptOnLapse(72_000, 180_000)).toBe(54_000);
    expect(keptOnLapse(20_000, 180_000)).toBe(20_000);
  });

  it('names a weighed pack as an estimate', () => {
    expect(packName({ grams: 500, tolerancePercent: 10 })).toBe('khoảng 500 g (±10%)');
    expect(packName({ grams: 1000 })).toBe('1 kg');
  });
});

describe('first reserved, first served', () => {
  const r = (code: string, at: string, householdId: string, lines: [string, number, number][]) => ({
    code,
    reservedAt: at,
    householdId,
    lines: lines.map(([packId, grams, quantity]) => ({ packId, grams, quantity })),
  });

  it('serves each household’s picking in the order reserved; leftovers go to later smaller packs', () => {
    const plan = allocate(
      [
        r('TN-CCCCC', '2027-02-12T00:00:00Z', 'a', [['p2', 200, 1]]),
        r('TN-AAAAA', '2027-02-10T00:00:00Z', 'a', [['p1', 500, 2]]),
        r('TN-BBBBB', '2027-02-11T00:00:00Z', 'b', [['p1', 500, 1]]),
        r('TN-DDDDD', '2027-02-13T00:00:00Z', 'a', [['p1', 500, 1]]),
      ],
      new Map([
        ['a', 700],
        ['b', 0],
      ]),
    );
    expect(plan).toEqual([
      { code: 'TN-AAAAA', packs: { p1: 1 }, shortGrams: 500 },
      { code: 'TN-BBBBB', packs: { p1: 0 }, shortGrams: 500 },
      { code: 'TN-CCCCC', packs: { p2: 1 }, shortGrams: 0 },
      { code: 'TN-DDDDD', packs: { p1: 0 }, shortGrams: 500 },
    ]);
  });

  it('gives everything when the picking covers every reservation', () => {
    const plan = allocate(
      [r('TN-AAAAA', '2027-02-10T00:00:00Z', 'a', [['p1', 500, 3]])],
      new Map([['a', 5000]]),
    );
    expect(plan).toEqual([{ code: 'TN-AAAAA', packs: { p1: 3 }, shortGrams: 0 }]);
  });
});

describe('windows', () => {
  const w = { opensOn: '2027-02-10', closesOn: '2027-02-28' };
  it('opens at 00:00 and closes at 24:00 Vietnam time of its dates', () => {
    expect(windowPhase(w, new Date('2027-02-09T16:59:59Z'))).toBe('upcoming');
    expect(windowPhase(w, new Date('2027-02-09T17:00:00Z'))).toBe('open');
    expect(windowPhase(w, new Date('2027-02-28T16:59:59Z'))).toBe('open');
    expect(windowPhase(w, new Date('2027-02-28T17:00:00Z'))).toBe('closed');
    expect(windowPhase({ ...w, allocatedAt: '2027-03-12T00:00:00Z' }, new Date('2027-03-13T00:00:00Z'))).toBe(
      'allocated',
    );
  });

  const body = {
    productId: 'prd-001',
    season: 'Chè xuân 2027',
    opensOn: '2027-02-10',
    closesOn: '2027-02-28',
    harvestFrom: '2027-03-10',
    harvestTo: '2027-04-10',
    packs: [{ grams: 500, price: 400_000, tolerancePercent: 10 }],
    totalKg: 100,
    quotaKg: 20,
    depositPercent: 30,
    graceDays: 3,
  };
  it('accepts a well-formed window and refuses unknown fields, impossible dates and bad bounds', () => {
    expect(CreatePreorderWindowBody.safeParse(body).success).toBe(true);
    for (const bad of [
      { ...body, color: 'green' },
      { ...body, closesOn: '2027-02-29' },
      { ...body, harvestFrom: '2027-02-20' },
      { ...body, depositPercent: 9 },
      { ...body, quotaKg: 101 },
      { ...body, packs: [body.packs[0], body.packs[0]] },
    ]) {
      expect(CreatePreorderWindowBody.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

const ORDER = {
  code: 'TN-AAAAA',
  contact: { name: 'Hoa', phone: '+84987654321' },
  preorder: {
    windowId: 'w1',
    season: 'Chè xuân 2027',
    householdId: 'ho-a',
    householdName: 'Hộ A',
    grams: 1000,
    packs: { p1: 2 },
    depositPercent: 40,
    deposit: 320_000,
    balanceMethod: 'online',
    graceDays: 3,
    keptOnLapsePercent: 30,
    harvestFrom: '2027-03-10',
    harvestTo: '2027-04-10',
    allocation: { at: '2027-03-12T00:00:00Z', packs: { p1: 1 }, shortGrams: 500, refunded: 160_000 },
    settlement: {
      at: '2027-03-15T00:00:00Z',
      finalAmount: 440_000,
      balance: 280_000,
      dueBy: '2027-03-18T00:00:00.000Z',
      status: 'due',
    },
  },
} as unknown as Order;

describe('notices', () => {
  it('say each step in Vietnamese with the amounts', () => {
    expect(preorderNotice(ORDER, 'short', undefined)).toContain('thiếu hàng');
    expect(preorderNotice(ORDER, 'short', undefined)).toContain('160.000');
    expect(preorderNotice(ORDER, 'balance_due', undefined)).toContain('còn phải trả 280.000');
    expect(preorderNotice(ORDER, 'lapsed', undefined)).toContain('quá hạn thanh toán phần còn lại');
  });
});

describe('reports', () => {
  const sub: SubOrder = {
    orderCode: 'TN-AAAAA',
    fulfillerId: 'htx',
    fulfillerName: 'HTX',
    status: 'delivered',
    lines: [
      {
        variantId: 'PO-w1-p1',
        productId: 'prd-001',
        productSlug: 'che',
        productName: 'Chè đinh',
        pack: 'khoảng 500 g (±10%) · đặt trước',
        grams: 500,
        producerId: 'ho-a',
        producerName: 'Hộ A',
        unitPrice: 400_000,
        quantity: 1,
        lineTotal: 440_000,
      },
    ],
    subtotal: 440_000,
    shippingFee: 0,
    preorder: {
      windowId: 'w1',
      householdId: 'ho-a',
      grams: 500,
      packs: { p1: 1 },
      allocatedAt: '2027-03-12T00:00:00Z',
    },
    history: [],
    createdAt: '2027-02-10T03:00:00Z',
    version: 5,
  };
  it('pre-order lines appear under the household that picked them, marked, at the weighed amount', () => {
    const waiting = {
      ...sub,
      orderCode: 'TN-BBBBB',
      status: 'placed' as const,
      preorder: { ...sub.preorder!, allocatedAt: undefined },
    };
    const packing = packingList([{ ...sub, status: 'confirmed' }, waiting]);
    // The reservation still waiting for its harvest is not in the packing list.
    expect(packing.orders.map((o) => o.orderCode)).toEqual(['TN-AAAAA']);
    expect(packing.households[0]).toMatchObject({ producerId: 'ho-a', quantity: 1 });
    expect(packing.households[0]!.items[0]!.pack).toContain('đặt trước');
    const settled = settlement([sub]);
    expect(settled.households[0]).toMatchObject({ producerId: 'ho-a', amount: 440_000 });
    expect(settled.households[0]!.products[0]!.pack).toContain('đặt trước');
  });
});
