/**
 * Reservations follow checkout's limits (an unpaid deposit holds grams as an unpaid order holds
 * stock): a phone with as many unpaid orders or reservations as the limit gets 429 with
 * Retry-After for the next one, and nothing more is held; once one is paid, it may reserve again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recompose } from '../../infra/local/services.ts';
import { getWindowRecord } from '../../shared/db/preorders.ts';
import { ORDER_RATE_LIMITS } from '../../shared/orders/limits.ts';
import { config } from '../../shared/services.ts';
import { bankTransfer, call, createShop, newKey, notifyTransfer, type Shop } from './orders-world.ts';

// The limits are what this file tests: on, whatever the setup turned off.
recompose({ config: { ...config(), rateLimits: true } });

let shop: Shop;
let windowId = '';
beforeAll(async () => {
  shop = await createShop();
  const day = (n: number) => new Date(Date.now() + 7 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
  const opened = await call('POST', `/api/board/${shop.coopA.id}/preorders`, {
    token: shop.actors.managerA.token,
    body: {
      productId: shop.packs.memberTea.productId,
      season: 'Chè xuân',
      opensOn: day(0),
      closesOn: day(5),
      harvestFrom: day(6),
      harvestTo: day(9),
      packs: [{ grams: 200, price: 180_000 }],
      totalKg: 50,
      quotaKg: 20,
      depositPercent: 30,
      graceDays: 2,
    },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  windowId = opened.body.id;
});

const reserve = (phone: string) =>
  call('POST', `/api/preorders/${windowId}/reservations`, {
    key: newKey(),
    body: {
      lines: [{ packId: 'p1', quantity: 1 }],
      contact: { name: 'Đỗ Thị Thu', phone },
      delivery: { method: 'pickup' },
      paymentMethod: 'vietqr',
      balanceMethod: 'cod',
    },
  });

describe('open reservations per phone', () => {
  it(`reservation ${ORDER_RATE_LIMITS.openOrdersPerPhone + 1} with unpaid deposits is refused until one is paid`, async () => {
    const phone = '0912 345 678';
    const held = [];
    for (let i = 0; i < ORDER_RATE_LIMITS.openOrdersPerPhone; i++) {
      const res = await reserve(phone);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      held.push(res.body);
    }
    const before = (await getWindowRecord(windowId))!.holds.leftGrams;
    const refused = await reserve(phone);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('order.too_many_open');
    expect(refused.body.error.message).toContain('chưa thanh toán');
    expect((await getWindowRecord(windowId))!.holds.leftGrams).toBe(before);

    expect((await notifyTransfer(bankTransfer(shop, held[0]))).status).toBe(200);
    expect((await reserve(phone)).status).toBe(201);
  });
});
