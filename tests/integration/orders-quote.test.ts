/**
 * The checkout total before "Đặt hàng" (`POST /api/orders/quote`, `quoteShipping`) on DynamoDB
 * Local, for cooperatives on flat fees (the manual carrier): for every region (in Thái Nguyên,
 * the north, elsewhere), above the free threshold, with a cooperative's own rules and over two
 * cooperatives, the quote is exactly what placing the same order then charges, with the
 * estimated delivery date and pickup availability per part; it reserves nothing; bad bodies are
 * 400 and packs no longer sold 422. (Carriers' quotes: orders-carrier-quotes.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { putShippingRules } from '../../shared/db/orders.ts';
import { call, createShop, orderBody, place, stockOf, type Shop } from './orders-world.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await createShop();
  // Co-op B has its own rules: dearer in the north, free from 200.000 ₫.
  await putShippingRules(
    shop.coopB.id,
    { flatFee: { in_province: 15_000, north: 35_000, elsewhere: 60_000 }, freeAbove: 200_000, pickup: true },
    'test',
    new Date().toISOString(),
  );
});

const ADDRESSES = {
  hanoi: { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' },
  thaiNguyen: { provinceCode: '19', wardCode: '01840', street: 'Xóm Hồng Thái' },
  saigon: { provinceCode: '79', wardCode: '25747', street: '5 Lê Lợi' },
};

const quote = (body: unknown) => call('POST', '/api/orders/quote', { body });

describe('the quote is what placing charges', () => {
  const cases: [string, () => { variantId: string; quantity: number }[], keyof typeof ADDRESSES][] = [
    ['one cooperative, Hà Nội (north)', () => [{ variantId: shop.packs.memberTea.id, quantity: 1 }], 'hanoi'],
    ['in Thái Nguyên', () => [{ variantId: shop.packs.memberTea.id, quantity: 1 }], 'thaiNguyen'],
    ['elsewhere (TP HCM)', () => [{ variantId: shop.packs.independentTea.id, quantity: 2 }], 'saigon'],
    ['above the free threshold', () => [{ variantId: shop.packs.memberTeaBig.id, quantity: 2 }], 'saigon'],
    [
      'two cooperatives, one with its own rules',
      () => [
        { variantId: shop.packs.memberTea.id, quantity: 1 },
        { variantId: shop.packs.coopBTea.id, quantity: 1 },
      ],
      'hanoi',
    ],
    [
      'a cooperative’s own free threshold',
      () => [{ variantId: shop.packs.coopBTea.id, quantity: 3 }],
      'thaiNguyen',
    ],
  ];

  it.each(cases)('%s', async (_name, lines, where) => {
    const { provinceCode, wardCode } = ADDRESSES[where];
    const before = await stockOf(shop.packs.coopBTea);
    const q = await quote({ lines: lines(), address: { provinceCode, wardCode } });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(await stockOf(shop.packs.coopBTea)).toBe(before); // a quote reserves nothing

    const placed = await place(
      orderBody(lines(), {
        paymentMethod: 'vnpay',
        delivery: { method: 'shipping', address: ADDRESSES[where] },
      }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body.order;
    expect(q.body).toMatchObject({
      itemsTotal: order.itemsTotal,
      shippingTotal: order.shippingTotal,
      total: order.total,
    });
    expect(
      q.body.parts
        .map((p: { fulfillerId: string; shippingFee: number }) => [p.fulfillerId, p.shippingFee])
        .sort(),
    ).toEqual(
      order.subOrders
        .map((s: { fulfillerId: string; shippingFee: number }) => [s.fulfillerId, s.shippingFee])
        .sort(),
    );
  });

  it('the fees follow the rules: 20.000 in Thái Nguyên, 30.000 north, 45.000 elsewhere', async () => {
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 1 }];
    const fee = async (where: keyof typeof ADDRESSES) => {
      const { provinceCode, wardCode } = ADDRESSES[where];
      return (await quote({ lines, address: { provinceCode, wardCode } })).body.shippingTotal;
    };
    expect(await fee('thaiNguyen')).toBe(20_000);
    expect(await fee('hanoi')).toBe(30_000);
    expect(await fee('saigon')).toBe(45_000);
  });

  it('each part names its carrier (manual: flat fee), the estimated date, and whether pickup is offered', async () => {
    const { provinceCode, wardCode } = ADDRESSES.saigon;
    const q = await quote({
      lines: [{ variantId: shop.packs.memberTea.id, quantity: 1 }],
      address: { provinceCode, wardCode },
    });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const [part] = q.body.parts;
    expect(part).toMatchObject({ carrier: 'manual', fee: 45_000, carrierFee: 45_000, pickup: true });
    // Elsewhere takes 3–5 days: the latest, in Vietnam's calendar.
    const latest = new Date(Date.now() + 5 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(part.estimatedDelivery).toBe(latest);
  });
});

describe('bad quotes', () => {
  it('400 with a Vietnamese message for a bad body; 422 for packs no longer sold', async () => {
    const lines = [{ variantId: shop.packs.memberTea.id, quantity: 1 }];
    const hanoi = { provinceCode: '01', wardCode: '00004' };
    const bad: unknown[] = [
      { lines, address: { provinceCode: '99', wardCode: '00004' } },
      { lines, address: hanoi, extra: true },
      { lines, address: { ...hanoi, street: '12 Phố Đội Cấn' } },
      { lines, address: { provinceCode: '19', wardCode: '00004' } }, // a Hà Nội ward, not in Thái Nguyên
      { lines, delivery: { method: 'shipping', provinceCode: '01' } }, // the old body
      { lines: [], address: hanoi },
      { lines: [{ variantId: shop.packs.memberTea.id, quantity: 0 }], address: hanoi },
      { address: hanoi },
      { lines },
      null,
    ];
    for (const body of bad) {
      const res = await quote(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
    }
    const province = await quote({ lines, address: { provinceCode: '99', wardCode: '00004' } });
    expect(JSON.stringify(province.body)).toMatch(/Không có tỉnh\/thành với mã này/);
    const gone = await quote({ lines: [{ variantId: 'v_gone', quantity: 1 }], address: hanoi });
    expect(gone.status).toBe(422);
    expect(gone.body).toMatchObject({
      error: { code: 'order.unavailable' },
      details: { variantIds: ['v_gone'] },
    });
  });
});
