/**
 * Public delivery quotes (`quoteShipping`) are limited per address like the other public routes:
 * `QUOTES_PER_IP_PER_MINUTE` pass, the next is `429 shipping.too_many_quotes` with Retry-After and
 * a Vietnamese message; `RATE_LIMITS=off` (config `rateLimits: false`) lets every quote through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recompose } from '../../infra/local/services.ts';
import { config } from '../../shared/services.ts';
import { QUOTES_PER_IP_PER_MINUTE } from '../../shared/orders/shipping-quotes.ts';
import { call, createShop, type Shop } from './orders-world.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await createShop();
});

const quote = () =>
  call('POST', '/api/orders/quote', {
    body: {
      lines: [{ variantId: shop.packs.coopBTea.id, quantity: 1 }],
      address: { provinceCode: '01', wardCode: '00004' },
    },
  });

describe('quotes per address', () => {
  it(`${QUOTES_PER_IP_PER_MINUTE} a minute, then 429 with Retry-After; off with RATE_LIMITS=off`, async () => {
    recompose({ config: { ...config(), rateLimits: true } });
    // Not across a minute's edge: the window would start again in the middle.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
    for (let i = 0; i < QUOTES_PER_IP_PER_MINUTE; i++) {
      const ok = await quote();
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    }
    const refused = await quote();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('shipping.too_many_quotes');
    expect(refused.body.error.message).toMatch(
      /Có quá nhiều yêu cầu tính phí giao hàng từ địa chỉ mạng này; hãy thử lại sau \d+ giây/,
    );

    recompose({ config: { ...config(), rateLimits: false } });
    expect((await quote()).status).toBe(200);
  });
});
