/**
 * No anonymous stock hoarding: a COD order holds its stock only once the buyer confirms it with
 * the code sent to the phone given, and expires (stock back exactly once) otherwise; orders per
 * address and per phone, open orders per phone and a pack's units per phone a day are limited,
 * each answered 429 with Retry-After and a Vietnamese message; a flood from one address cannot
 * keep a real buyer from the last units. The limits are on here, as in `npm start`.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes as app } from '../../infra/local/function-apps.ts';
import { recordCodTrust } from '../../shared/db/order-guards.ts';
import { COD_CONFIRMATION, ORDER_RATE_LIMITS } from '../../shared/orders/limits.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import {
  call,
  confirmationCode,
  confirmOrder,
  createShop,
  moveSubOrder,
  orderBody,
  setStock,
  stockOf,
  track,
  type Answer,
  type Shop,
} from './orders-world.ts';
import { recompose } from '../../infra/local/services.ts';
import { config } from '../../shared/services.ts';

// The limits are what this file tests: on, whatever the setup turned off.
recompose({ config: { ...config(), rateLimits: true } });

const MINUTE = 60_000;
let shop: Shop;

beforeAll(async () => {
  shop = await createShop();
});

let phoneSeq = 0;
/** A fresh Vietnamese mobile for each buyer. */
const newPhone = () =>
  `09${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}${String(phoneSeq++ % 10_000).padStart(4, '0')}`;
const e164 = (local: string) => `+84${local.slice(1)}`;
let ipSeq = 0;
const newIp = () => `10.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}.7`;

/** POST /api/orders from a given socket address (what the local server passes the function). */
async function placeFrom(
  ip: string,
  body: unknown,
  key = `k_${randomUUID()}`,
): Promise<Answer & { retryAfter: string | null }> {
  const res = await app.request(
    '/api/orders',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    },
    { incoming: { socket: { remoteAddress: ip } } },
  );
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

const cod = (phone: string, variantId: string, quantity: number) =>
  orderBody([{ variantId, quantity }], { contact: { name: 'Người mua', phone } });

function expect429(res: Answer & { retryAfter: string | null }, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error.code).toBe(code);
  expect(Number(res.retryAfter)).toBeGreaterThan(0);
  // Vietnamese first, with its diacritics.
  expect(res.body.error.message).toMatch(/hãy|thử lại/);
}

describe('COD confirmation', () => {
  it('holds a COD order only once the code sent to its phone is entered', async () => {
    const phone = newPhone();
    const pack = shop.packs.coopBTea;
    const before = await stockOf(pack);
    const placed = await placeFrom(newIp(), cod(phone, pack.id, 2));
    expect(placed.status).toBe(201);
    const code = placed.body.order.code as string;
    expect(placed.body.order.status).toBe('pending_payment');
    expect(placed.body.confirmation).toEqual({ required: true, confirmBy: expect.any(String) });
    const window = Date.parse(placed.body.confirmation.confirmBy) - Date.now();
    expect(window).toBeGreaterThan(COD_CONFIRMATION.windowMs - MINUTE);
    expect(window).toBeLessThanOrEqual(COD_CONFIRMATION.windowMs);
    // Reserved while it waits.
    expect(await stockOf(pack)).toBe(before - 2);

    // The cooperative cannot start packing it.
    const board = await call('GET', `/api/board/${shop.coopB.id}/orders`, {
      token: shop.actors.managerB.token,
    });
    const onBoard = board.body.items.find((i: { orderCode: string }) => i.orderCode === code);
    expect(onBoard?.status ?? 'not listed').not.toBe('placed');
    const early = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, { to: 'confirmed' });
    expect(early.status).toBe(409);

    // The SMS (dev inbox) carries the code and a confirm link.
    const otp = (await confirmationCode(code))!;
    expect(otp).toMatch(/^\d{6}$/);
    const wrong = await confirmOrder(code, otp === '000000' ? '111111' : '000000', phone);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/Mã xác nhận không đúng/);
    const otherPhone = await confirmOrder(code, otp, newPhone());
    expect(otherPhone.status).toBe(404);

    const confirmed = await confirmOrder(code, otp, phone);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('placed');
    expect((await track(code, phone)).body.status).toBe('placed');
    // Twice is fine (the link after the code); it stays placed, nothing expires it.
    expect((await confirmOrder(code, otp, phone)).body.status).toBe('placed');
    expect(await expireUnpaidOrders(shop.payments, new Date(Date.now() + 20 * MINUTE))).toMatchObject({
      expired: 0,
    });
    expect((await track(code, phone)).body.status).toBe('placed');
    expect(await stockOf(pack)).toBe(before - 2);
    const packed = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, code, { to: 'confirmed' });
    expect(packed.status).toBe(200);
  });

  it('unconfirmed, expires and releases its stock exactly once (expiry runs at once)', async () => {
    const phone = newPhone();
    const pack = shop.packs.independentTea;
    const before = await stockOf(pack);
    const placed = await placeFrom(newIp(), cod(phone, pack.id, 4));
    const code = placed.body.order.code as string;
    expect(await stockOf(pack)).toBe(before - 4);
    // Still within the window: left alone.
    await expireUnpaidOrders(shop.payments, new Date(Date.now() + COD_CONFIRMATION.windowMs - MINUTE));
    expect((await track(code, phone)).body.status).toBe('pending_payment');
    const after = new Date(Date.now() + COD_CONFIRMATION.windowMs + MINUTE);
    const runs = await Promise.all([1, 2, 3].map(() => expireUnpaidOrders(shop.payments, after)));
    expect(runs.reduce((n, r) => n + r.expired, 0)).toBe(1);
    expect((await track(code, phone)).body.status).toBe('expired');
    expect(await stockOf(pack)).toBe(before);
    // Too late to confirm.
    const late = await confirmOrder(code, (await confirmationCode(code))!, phone);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/hết hạn/);
    expect(await stockOf(pack)).toBe(before);
  });

  it('locks the order after a few wrong codes', async () => {
    const phone = newPhone();
    const placed = await placeFrom(newIp(), cod(phone, shop.packs.coopBTea.id, 1));
    const code = placed.body.order.code as string;
    const otp = (await confirmationCode(code))!;
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < COD_CONFIRMATION.attempts; i++) {
      expect((await confirmOrder(code, wrong, phone)).status).toBe(400);
    }
    const locked = await app.request(`/api/orders/${code}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code: otp }),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await track(code, phone)).body.status).toBe('pending_payment');
  });

  it('a phone that confirmed before skips it for small orders only', async () => {
    const phone = newPhone();
    const first = await placeFrom(newIp(), cod(phone, shop.packs.coopBTea.id, 1));
    const code = first.body.order.code as string;
    await confirmOrder(code, (await confirmationCode(code))!, phone);
    // 95,000 ₫ × 5 = 475,000 ₫ of items: at most the trusted amount, placed at once.
    const small = await placeFrom(newIp(), cod(phone, shop.packs.coopBTea.id, 5));
    expect(small.status).toBe(201);
    expect(small.body.order.status).toBe('placed');
    expect(small.body.confirmation).toBeUndefined();
    // 95,000 ₫ × 6 = 570,000 ₫: over it, confirmed again.
    const large = await placeFrom(newIp(), cod(phone, shop.packs.coopBTea.id, 6));
    expect(large.body.order.status).toBe('pending_payment');
    expect(large.body.confirmation).toBeDefined();
    // A phone never confirmed: even a small order waits.
    const stranger = await placeFrom(newIp(), cod(newPhone(), shop.packs.coopBTea.id, 1));
    expect(stranger.body.order.status).toBe('pending_payment');
  });
});

describe('limits', () => {
  it(`open orders per phone: unconfirmed order ${ORDER_RATE_LIMITS.openOrdersPerPhone + 1} is refused until one is confirmed`, async () => {
    const phone = newPhone();
    const codes: string[] = [];
    for (let i = 0; i < ORDER_RATE_LIMITS.openOrdersPerPhone; i++) {
      const res = await placeFrom(newIp(), cod(phone, shop.packs.memberTea.id, 1));
      expect(res.status).toBe(201);
      codes.push(res.body.order.code);
    }
    const before = await stockOf(shop.packs.memberTea);
    const refused = await placeFrom(newIp(), cod(phone, shop.packs.memberTea.id, 1));
    expect429(refused, 'order.too_many_open');
    expect(refused.body.error.message).toMatch(/chưa thanh toán hoặc chưa xác nhận/);
    expect(await stockOf(shop.packs.memberTea)).toBe(before); // nothing written
    await confirmOrder(codes[0]!, (await confirmationCode(codes[0]!))!, phone);
    expect((await placeFrom(newIp(), cod(phone, shop.packs.memberTea.id, 1))).status).toBe(201);
  });

  it(`orders per phone an hour: order ${ORDER_RATE_LIMITS.ordersPerPhonePerHour + 1} is refused`, async () => {
    const phone = newPhone();
    await recordCodTrust(e164(phone), Date.now() + 86_400_000); // small orders are placed at once
    for (let i = 0; i < ORDER_RATE_LIMITS.ordersPerPhonePerHour; i++) {
      const res = await placeFrom(newIp(), cod(phone, shop.packs.otherMemberTea.id, 1));
      expect(res.body.order?.status, JSON.stringify(res.body)).toBe('placed');
    }
    const refused = await placeFrom(newIp(), cod(phone, shop.packs.otherMemberTea.id, 1));
    expect429(refused, 'order.too_many_for_phone');
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
  });

  it(`orders per address an hour: order ${ORDER_RATE_LIMITS.ordersPerIpPerHour + 1} is refused, other addresses are not`, async () => {
    const ip = newIp();
    for (let i = 0; i < ORDER_RATE_LIMITS.ordersPerIpPerHour; i++) {
      expect((await placeFrom(ip, cod(newPhone(), shop.packs.memberTeaBig.id, 1))).status).toBe(201);
    }
    expect429(
      await placeFrom(ip, cod(newPhone(), shop.packs.memberTeaBig.id, 1)),
      'order.too_many_from_address',
    );
    expect((await placeFrom(newIp(), cod(newPhone(), shop.packs.memberTeaBig.id, 1))).status).toBe(201);
  });

  it(`a pack's units per phone a day: at most ${ORDER_RATE_LIMITS.packUnitsPerPhonePerDay}, nothing written beyond`, async () => {
    const phone = newPhone();
    const pack = shop.packs.coopBTea;
    expect((await placeFrom(newIp(), cod(phone, pack.id, 30))).status).toBe(201);
    const before = await stockOf(pack);
    const refused = await placeFrom(
      newIp(),
      cod(phone, pack.id, ORDER_RATE_LIMITS.packUnitsPerPhonePerDay - 29),
    );
    expect429(refused, 'order.pack_daily_limit');
    expect(refused.body.error.message).toMatch(/tối đa 50 gói mỗi loại/);
    expect(await stockOf(pack)).toBe(before);
    expect(
      (await placeFrom(newIp(), cod(phone, pack.id, ORDER_RATE_LIMITS.packUnitsPerPhonePerDay - 30))).status,
    ).toBe(201);
  });
});

describe('a flood from one address', () => {
  it('200 concurrent checkouts for 10 s (distinct keys and phones): bounded, and a real buyer still buys the last units', async () => {
    // A pack whose other orders in this file were all confirmed: only the flood's can expire.
    const pack = shop.packs.otherMemberTea;
    const perOrder = 3;
    const last = 10;
    await setStock(pack, ORDER_RATE_LIMITS.ordersPerIpPerHour * perOrder + last);
    const floodIp = newIp();
    const statuses = new Map<number, number>();
    let missingRetryAfter = 0;
    const until = Date.now() + 10_000;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (Date.now() < until) {
          const res = await placeFrom(floodIp, cod(newPhone(), pack.id, perOrder));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 429 && !res.retryAfter) missingRetryAfter++;
        }
      }),
    );
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`flood: ${total} requests in 10 s → ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(201)).toBe(ORDER_RATE_LIMITS.ordersPerIpPerHour);
    expect(statuses.get(429)).toBe(total - ORDER_RATE_LIMITS.ordersPerIpPerHour);
    expect(missingRetryAfter).toBe(0);
    expect(await stockOf(pack)).toBe(last);

    // A real buyer, from home, buys the last units and confirms from the phone.
    const buyer = newPhone();
    const bought = await placeFrom(newIp(), cod(buyer, pack.id, last));
    expect(bought.status).toBe(201);
    const code = bought.body.order.code as string;
    expect((await confirmOrder(code, (await confirmationCode(code))!, buyer)).body.status).toBe('placed');
    expect(await stockOf(pack)).toBe(0);

    // The flood's orders were never confirmed: they expire and their stock comes back.
    await expireUnpaidOrders(shop.payments, new Date(Date.now() + COD_CONFIRMATION.windowMs + MINUTE), {
      stopAt: Date.now() + 60_000,
    });
    expect(await stockOf(pack)).toBe(ORDER_RATE_LIMITS.ordersPerIpPerHour * perOrder);
    expect((await track(code, buyer)).body.status).toBe('placed');
  });
});
