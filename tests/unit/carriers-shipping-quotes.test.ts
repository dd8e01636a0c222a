/**
 * The glue between a cooperative's part and its carrier (shared/orders/shipping-quotes.ts), with
 * the carrier and the quote cache stood in: pickup and flat fees need no carrier; a carrier part
 * is quoted for the parcel its packs make, from the cooperative's commune; `freeAbove` makes the
 * shopper's fee 0 while the carrier's fee is kept; a kept quote is charged without asking the
 * carrier; an unserved commune is a 422 naming it, a carrier too slow a 503 with Retry-After, and
 * neither keeps anything.
 */
import { describe, expect, it } from 'vitest';
import { PACKING_GRAMS } from '../../shared/carriers/parcel.ts';
import {
  CarrierError,
  type CarrierProvider,
  type Carriers,
  type QuoteRequest,
} from '../../shared/carriers/types.ts';
import { quoteCacheKey, type CachedQuote, type QuoteCacheKey } from '../../shared/db/shipping-quotes.ts';
import { DEFAULT_SHIPPING_RULES, type ShippingRules } from '../../shared/orders/shipping.ts';
import {
  AddressUnserved,
  CarrierUnavailable,
  learnQuoteHints,
  planPart,
  predictQuoteKeys,
  priceParts,
  shippingQuoteOf,
  vietnamDate,
  type PartToPrice,
} from '../../shared/orders/shipping-quotes.ts';

const NOW = new Date('2026-12-08T03:00:00Z'); // Tuesday 10:00 in Vietnam
const coop = (id: string): PartToPrice['fulfiller'] => ({
  id,
  name: `HTX ${id}`,
  address: { provinceCode: '19', communeCode: '05716' },
});
const TO = { method: 'shipping' as const, address: { provinceCode: '01', wardCode: '00004' } };
const ghnRules: ShippingRules = { ...DEFAULT_SHIPPING_RULES, carrier: { id: 'ghn', shopId: '885' } };

function fakeCarrier(answer: (r: QuoteRequest) => Promise<{ fee: number; estimatedDelivery: string }>) {
  const asked: QuoteRequest[] = [];
  const provider = {
    id: 'ghn',
    quote: async (r: QuoteRequest) => {
      asked.push(r);
      return { carrier: 'ghn' as const, ...(await answer(r)) };
    },
  } as unknown as CarrierProvider;
  const carriers: Carriers = { manual: {} as CarrierProvider, ghn: provider };
  return { asked, carriers: async () => carriers };
}

function memoryCache() {
  const kept = new Map<string, CachedQuote>();
  const writes: QuoteCacheKey[] = [];
  return {
    kept,
    writes,
    read: async (keys: QuoteCacheKey[]) =>
      new Map(
        keys.flatMap((k) =>
          kept.has(quoteCacheKey(k).pk) ? [[quoteCacheKey(k).pk, kept.get(quoteCacheKey(k).pk)!]] : [],
        ),
      ),
    write: async (key: QuoteCacheKey, quote: CachedQuote) => {
      writes.push(key);
      kept.set(quoteCacheKey(key).pk, quote);
    },
  };
}

const part = (id: string, lines: PartToPrice['lines']): PartToPrice => ({ fulfiller: coop(id), lines });

describe('planPart', () => {
  it('pickup is free and ready the next day, with no carrier', () => {
    const plan = planPart(
      part('a', [{ grams: 200, quantity: 1, lineTotal: 90_000 }]),
      ghnRules,
      { method: 'pickup' },
      NOW,
    );
    expect(plan).toMatchObject({
      kind: 'fixed',
      price: { carrier: 'manual', fee: 0, estimatedDelivery: '2026-12-09' },
    });
    if (plan.kind === 'fixed') expect(shippingQuoteOf(plan.price, { method: 'pickup' })).toBeUndefined();
  });

  it('a cooperative without a carrier keeps its flat fee by region, and its free threshold', () => {
    const cheap = planPart(part('a', [{ grams: 200, quantity: 1, lineTotal: 90_000 }]), undefined, TO, NOW);
    expect(cheap).toMatchObject({
      kind: 'fixed',
      price: { carrier: 'manual', fee: 30_000, carrierFee: 30_000 },
    });
    const big = planPart(part('a', [{ grams: 200, quantity: 6, lineTotal: 540_000 }]), undefined, TO, NOW);
    expect(big).toMatchObject({ kind: 'fixed', price: { fee: 0, carrierFee: 30_000 } });
  });

  it('a carrier part is keyed by carrier, shop, communes and the parcel’s weight from the packs', () => {
    const plan = planPart(
      part('a', [
        { grams: 200, quantity: 2, lineTotal: 180_000 },
        { quantity: 1, lineTotal: 50_000 }, // a counted pack
      ]),
      ghnRules,
      TO,
      NOW,
    );
    expect(plan.kind).toBe('carrier');
    if (plan.kind !== 'carrier') return;
    expect(plan.key).toEqual({
      carrier: 'ghn',
      shopId: '885',
      fromWard: '05716',
      toWard: '00004',
      weightGrams: 400 + 300 + PACKING_GRAMS,
    });
  });
});

describe('priceParts', () => {
  it('asks the carrier once for a missing quote, keeps it, and charges the kept one next time', async () => {
    const ghn = fakeCarrier(async () => ({ fee: 36_500, estimatedDelivery: '2026-12-10' }));
    const cache = memoryCache();
    const parts = [part('a', [{ grams: 500, quantity: 1, lineTotal: 120_000 }])];
    const rules = new Map([['a', ghnRules]]);
    const first = await priceParts(parts, rules, TO, {
      now: NOW,
      timeoutMs: 1000,
      carriers: ghn.carriers,
      cache,
    });
    expect(first[0]).toMatchObject({
      carrier: 'ghn',
      fee: 36_500,
      carrierFee: 36_500,
      estimatedDelivery: '2026-12-10',
    });
    expect(ghn.asked).toHaveLength(1);
    expect(ghn.asked[0]).toMatchObject({
      from: { provinceCode: '19', wardCode: '05716' },
      to: TO.address,
      shopId: '885',
      parcel: { weightGrams: 600, insuredValue: 120_000 },
    });
    expect(cache.writes).toHaveLength(1);

    const later = new Date(NOW.getTime() + 10 * 60_000);
    const second = await priceParts(parts, rules, TO, {
      now: later,
      timeoutMs: 1000,
      carriers: ghn.carriers,
      cache,
    });
    expect(ghn.asked).toHaveLength(1); // the kept quote, no second call
    expect(second[0]).toEqual(first[0]);
    expect(shippingQuoteOf(second[0]!, TO)).toEqual({
      carrier: 'ghn',
      fee: 36_500,
      estimatedDelivery: '2026-12-10',
      quotedAt: NOW.toISOString(),
    });
  });

  it('free above the threshold: the shopper pays 0, the carrier’s fee is kept for the cooperative', async () => {
    const ghn = fakeCarrier(async () => ({ fee: 41_000, estimatedDelivery: '2026-12-11' }));
    const [price] = await priceParts(
      [part('a', [{ grams: 1000, quantity: 1, lineTotal: 600_000 }])],
      new Map([['a', ghnRules]]),
      TO,
      { now: NOW, timeoutMs: 1000, carriers: ghn.carriers, cache: memoryCache() },
    );
    expect(price).toMatchObject({ fee: 0, carrierFee: 41_000 });
  });

  it('an unserved commune is a 422 naming it and offering pickup; nothing is kept', async () => {
    const ghn = fakeCarrier(async () => {
      throw new CarrierError(
        'address_unserved',
        'Giao Hàng Nhanh (GHN) chưa giao hàng đến Phường Ba Đình, Thành phố Hà Nội: hãy chọn nhận hàng tại hợp tác xã hoặc một địa chỉ khác',
        'ghn',
      );
    });
    const cache = memoryCache();
    const error = await priceParts(
      [part('a', [{ grams: 200, quantity: 1, lineTotal: 90_000 }])],
      new Map([['a', ghnRules]]),
      TO,
      { now: NOW, timeoutMs: 1000, carriers: ghn.carriers, cache },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AddressUnserved);
    expect((error as AddressUnserved).kind).toBe('unprocessable');
    expect((error as Error).message).toMatch(
      /chưa giao đến Phường Ba Đình, Thành phố Hà Nội; hãy chọn “Nhận tại HTX”/,
    );
    expect((error as AddressUnserved).details).toEqual({
      fulfillerId: 'a',
      fulfillerName: 'HTX a',
      carrier: 'ghn',
      provinceCode: '01',
      wardCode: '00004',
      pickup: true,
    });
    expect(cache.writes).toHaveLength(0);
  });

  it('a carrier slower than the timeout is a 503 with Retry-After; nothing is kept', async () => {
    const ghn = fakeCarrier(() => new Promise(() => {}));
    const cache = memoryCache();
    const started = Date.now();
    const error = await priceParts(
      [part('a', [{ grams: 200, quantity: 1, lineTotal: 90_000 }])],
      new Map([['a', ghnRules]]),
      TO,
      { now: NOW, timeoutMs: 150, carriers: ghn.carriers, cache },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(CarrierUnavailable);
    expect(error).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 30 });
    expect((error as Error).message).toMatch(/đơn hàng chưa được tạo, hãy thử lại sau 30 giây/);
    expect(cache.writes).toHaveLength(0);
  });

  it('dates are Vietnam’s: 20:00 UTC is already the next day', () => {
    expect(vietnamDate(new Date('2026-12-09T20:00:00Z'))).toBe('2026-12-10');
  });
});

describe('naming the kept quotes before reading', () => {
  it('after one checkout, the same packs to a commune predict the key placing will look up', () => {
    const lines = [
      { variantId: 'v-hint-1', quantity: 2 },
      { variantId: 'v-hint-2', quantity: 1 },
    ];
    expect(predictQuoteKeys(lines, '00004')).toEqual([]); // nothing learned yet
    learnQuoteHints(
      [
        { variantId: 'v-hint-1', grams: 200, fulfiller: coop('a') },
        { variantId: 'v-hint-2', fulfiller: coop('b') }, // a counted pack
      ],
      new Map([
        ['a', ghnRules],
        ['b', DEFAULT_SHIPPING_RULES],
      ]),
    );
    const plan = planPart(part('a', [{ grams: 200, quantity: 2, lineTotal: 360_000 }]), ghnRules, TO, NOW);
    // Only co-op A ships with a carrier: one key, the one its plan will ask for.
    expect(predictQuoteKeys(lines, '00004')).toEqual([plan.kind === 'carrier' ? plan.key : undefined]);
    expect(predictQuoteKeys(lines, undefined)).toEqual([]); // pickup: no quote
    expect(predictQuoteKeys([...lines, { variantId: 'v-unknown', quantity: 1 }], '00004')).toEqual([]);
  });

  it('a quote read with the lines is not read again, found or not', async () => {
    const ghn = fakeCarrier(async () => ({ fee: 36_500, estimatedDelivery: '2026-12-10' }));
    const cache = memoryCache();
    let reads = 0;
    const counting = { ...cache, read: async (keys: QuoteCacheKey[]) => ((reads += 1), cache.read(keys)) };
    const parts = [part('a', [{ grams: 500, quantity: 1, lineTotal: 120_000 }])];
    const plan = planPart(parts[0]!, ghnRules, TO, NOW);
    const pk = plan.kind === 'carrier' ? quoteCacheKey(plan.key).pk : '';
    const kept = {
      carrier: 'ghn' as const,
      fee: 33_000,
      estimatedDelivery: '2026-12-11',
      quotedAt: NOW.toISOString(),
    };
    const [price] = await priceParts(parts, new Map([['a', ghnRules]]), TO, {
      now: NOW,
      timeoutMs: 1000,
      carriers: ghn.carriers,
      cache: counting,
      prefetched: { asked: new Set([pk]), kept: new Map([[pk, kept]]) },
    });
    expect(price).toMatchObject({ fee: 33_000, estimatedDelivery: '2026-12-11' });
    expect(reads).toBe(0);
    expect(ghn.asked).toHaveLength(0);
    // Asked with the lines and not there: the carrier is asked, no second read.
    await priceParts(parts, new Map([['a', ghnRules]]), TO, {
      now: NOW,
      timeoutMs: 1000,
      carriers: ghn.carriers,
      cache: counting,
      prefetched: { asked: new Set([pk]), kept: new Map() },
    });
    expect(reads).toBe(0);
    expect(ghn.asked).toHaveLength(1);
  });
});

describe('the refusal’s words', () => {
  it('names the commune from the carrier’s refusal, else by its code; offers pickup only where there is', () => {
    const to = { provinceCode: '01', wardCode: '00004' };
    const named = new AddressUnserved(
      'ghtk',
      { id: 'b', name: 'HTX B' },
      to,
      false,
      'Giao Hàng Tiết Kiệm (GHTK) chưa giao hàng đến Phường Ba Đình, Thành phố Hà Nội: hãy chọn …',
    );
    expect(named.message).toMatch(
      /^GHTK \(Giao Hàng Tiết Kiệm\) của HTX B chưa giao đến Phường Ba Đình, Thành phố Hà Nội; hãy chọn một địa chỉ nhận khác\./,
    );
    expect(named.message).not.toMatch(/Nhận tại HTX/);
    const coded = new AddressUnserved('ghn', { id: 'a', name: 'HTX A' }, to, true, 'no route');
    expect(coded.message).toMatch(
      /chưa giao đến xã\/phường mã 00004; hãy chọn “Nhận tại HTX” \(HTX A có nhận hàng tại chỗ\)/,
    );
  });
});
