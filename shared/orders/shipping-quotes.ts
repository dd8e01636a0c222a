/**
 * What delivering each cooperative's part costs and when it arrives: the one pricing that
 * checkout's quote (`quoteShipping`) and placing (`placeOrder`) both use.
 *
 *  - pickup: free, ready the day after the cooperative confirms;
 *  - a cooperative without a carrier (the manual carrier): its flat fee by region (shipping.ts),
 *    arriving within the region's days (regions.ts);
 *  - a cooperative with a carrier (GHN, GHTK, Viettel Post): the carrier's quote for the parcel
 *    its packs make (carriers/parcel.ts), from the cooperative's commune to the shopper's. A quote
 *    is kept `QUOTE_TTL_SECONDS` in the table (db/shipping-quotes.ts): placing reads it instead of
 *    asking the carrier, so the shopper pays what checkout showed; only a missing quote is asked
 *    for, with a short timeout.
 *
 * `freeAbove` still applies with a carrier: the shopper's `fee` is then 0 and the cooperative
 * pays the carrier's `carrierFee`.
 *
 * Refusals: a commune the carrier cannot serve is a 422 that names it and says what to do; a
 * carrier that does not answer in time (or is down) is a 503 with Retry-After. Neither writes.
 */
import { parcelOf } from '../carriers/parcel.ts';
import { CarrierError, type CarrierId, type Carriers } from '../carriers/types.ts';
import {
  putCachedQuote,
  quoteCacheKey,
  readCachedQuotes,
  type CachedQuote,
  type QuoteCacheKey,
} from '../db/shipping-quotes.ts';
import { DomainError } from '../domain/errors.ts';
import type { Producer } from '../domain/producer.ts';
import { required } from '../services.ts';
import type { OrderLine, ShippingQuote } from './model.ts';
import { deliveryEstimate, regionOf } from './regions.ts';
import { DEFAULT_SHIPPING_RULES, type ShippingRules } from './shipping.ts';

/** How long checkout's quote waits for a carrier. */
export const QUOTE_TIMEOUT_MS = 5_000;
/** How long placing waits for a carrier (only for a quote no longer kept): shorter, the shopper waits. */
export const PLACE_TIMEOUT_MS = 3_000;
/** When to try again after a carrier did not answer. */
export const CARRIER_RETRY_AFTER_SECONDS = 30;
/** Public quotes per address a minute (RATE_LIMITS=off turns it off). */
export const QUOTES_PER_IP_PER_MINUTE = 60;

/** The carriers' names as shoppers know them. */
export const CARRIER_NAMES: Record<CarrierId, string> = {
  ghn: 'GHN (Giao Hàng Nhanh)',
  ghtk: 'GHTK (Giao Hàng Tiết Kiệm)',
  viettelpost: 'Viettel Post',
  manual: 'HTX tự giao',
};

export type PricedDelivery =
  { method: 'pickup' } | { method: 'shipping'; address: { provinceCode: string; wardCode: string } };

/** One cooperative's part, as checkout groups the lines. */
export interface PartToPrice {
  fulfiller: Pick<Producer, 'id' | 'name' | 'address'>;
  lines: Pick<OrderLine, 'grams' | 'quantity' | 'lineTotal'>[];
}

export interface PartPrice {
  fulfillerId: string;
  fulfillerName: string;
  subtotal: number;
  carrier: CarrierId;
  /** What the shopper pays for delivering this part, VND. */
  fee: number;
  /** What delivering it costs (the carrier's quote, or the flat fee); above `fee`, the cooperative pays. */
  carrierFee: number;
  /** YYYY-MM-DD, Vietnam time. */
  estimatedDelivery: string;
  service?: string;
  /** The cooperative hands parcels over at its place (the shopper may choose pickup). */
  pickup: boolean;
  quotedAt: string;
}

/** What a part asks of its carrier: nothing (pickup, flat fee) or a quote for this key. */
export type PartPlan =
  | { kind: 'fixed'; price: PartPrice }
  | {
      kind: 'carrier';
      key: QuoteCacheKey;
      base: Omit<PartPrice, 'fee' | 'carrierFee' | 'estimatedDelivery'>;
      rules: ShippingRules;
      insuredValue: number;
      from: { provinceCode: string; wardCode: string };
    };

const VN_OFFSET_MS = 7 * 3_600_000;

/** A date as Vietnam sees it (YYYY-MM-DD). */
export const vietnamDate = (at: Date): string =>
  new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);

/** The shopper's fee: the cooperative's free threshold still applies to what delivery costs. */
export const shopperFee = (rules: ShippingRules, subtotal: number, cost: number): number =>
  rules.freeAbove !== null && subtotal >= rules.freeAbove ? 0 : cost;

/** What pricing a part needs, before any carrier is asked. Pure. */
export function planPart(
  part: PartToPrice,
  rules: ShippingRules | undefined,
  delivery: PricedDelivery,
  now: Date,
): PartPlan {
  const own = rules ?? DEFAULT_SHIPPING_RULES;
  const subtotal = part.lines.reduce((sum, l) => sum + l.lineTotal, 0);
  const base = {
    fulfillerId: part.fulfiller.id,
    fulfillerName: part.fulfiller.name,
    subtotal,
    pickup: own.pickup,
    quotedAt: now.toISOString(),
  };
  if (delivery.method === 'pickup') {
    const ready = deliveryEstimate({ method: 'pickup' }, now).latest;
    return {
      kind: 'fixed',
      price: { ...base, carrier: 'manual', fee: 0, carrierFee: 0, estimatedDelivery: vietnamDate(ready) },
    };
  }
  if (!own.carrier) {
    const flat = own.flatFee[regionOf(delivery.address.provinceCode)];
    const by = deliveryEstimate({ method: 'shipping', address: delivery.address }, now).latest;
    return {
      kind: 'fixed',
      price: {
        ...base,
        carrier: 'manual',
        fee: shopperFee(own, subtotal, flat),
        carrierFee: flat,
        estimatedDelivery: vietnamDate(by),
      },
    };
  }
  const parcel = parcelOf(part.lines, subtotal);
  return {
    kind: 'carrier',
    key: {
      carrier: own.carrier.id,
      shopId: own.carrier.shopId,
      fromWard: part.fulfiller.address.communeCode,
      toWard: delivery.address.wardCode,
      weightGrams: parcel.weightGrams,
    },
    base: { ...base, carrier: own.carrier.id },
    rules: own,
    insuredValue: subtotal,
    from: { provinceCode: part.fulfiller.address.provinceCode, wardCode: part.fulfiller.address.communeCode },
  };
}

/** The part's price from its carrier's quote. */
export function priceFromQuote(plan: Extract<PartPlan, { kind: 'carrier' }>, quote: CachedQuote): PartPrice {
  return {
    ...plan.base,
    fee: shopperFee(plan.rules, plan.base.subtotal, quote.fee),
    carrierFee: quote.fee,
    estimatedDelivery: quote.estimatedDelivery,
    ...(quote.service ? { service: quote.service } : {}),
    quotedAt: quote.quotedAt,
  };
}

/** What a sub-order keeps of its price (absent for pickup). */
export function shippingQuoteOf(price: PartPrice, delivery: PricedDelivery): ShippingQuote | undefined {
  if (delivery.method === 'pickup') return undefined;
  return {
    carrier: price.carrier,
    fee: price.carrierFee,
    estimatedDelivery: price.estimatedDelivery,
    ...(price.service ? { service: price.service } : {}),
    quotedAt: price.quotedAt,
  };
}

/**
 * 422: the carrier does not deliver to the shopper's commune: the message names it and says what
 * to do (pickup when the cooperative offers it); `details` lets the page act on it. The commune's
 * name comes from the provider's refusal (carriers/areas.ts `unservedError`: "… chưa giao hàng
 * đến <xã>, <tỉnh>: …"), so the orders function does not bundle the names list for it.
 */
export class AddressUnserved extends DomainError {
  readonly details: {
    fulfillerId: string;
    fulfillerName: string;
    carrier: CarrierId;
    provinceCode: string;
    wardCode: string;
    pickup: boolean;
  };
  constructor(
    carrier: CarrierId,
    fulfiller: { id: string; name: string },
    to: { provinceCode: string; wardCode: string },
    pickup: boolean,
    refusal = '',
  ) {
    const place = / đến ([^:;]+):/.exec(refusal)?.[1]?.trim() ?? `xã/phường mã ${to.wardCode}`;
    const todo = pickup
      ? `hãy chọn “Nhận tại HTX” (${fulfiller.name} có nhận hàng tại chỗ) hoặc một địa chỉ nhận khác`
      : 'hãy chọn một địa chỉ nhận khác';
    super(
      'unprocessable',
      'shipping.address_unserved',
      `${CARRIER_NAMES[carrier]} của ${fulfiller.name} chưa giao đến ${place}; ${todo}. / ${CARRIER_NAMES[carrier]} does not deliver to ${place}: ${pickup ? 'choose pickup at the cooperative or ' : 'choose '}another address.`,
    );
    this.details = { fulfillerId: fulfiller.id, fulfillerName: fulfiller.name, carrier, ...to, pickup };
  }
}

/** 503 with Retry-After: the carrier did not answer (in time). Nothing was written. */
export class CarrierUnavailable extends DomainError {
  readonly retryAfterSeconds = CARRIER_RETRY_AFTER_SECONDS;
  constructor(carrier: CarrierId) {
    super(
      'unavailable',
      'shipping.carrier_unavailable',
      `${CARRIER_NAMES[carrier]} chưa trả lời phí giao hàng; đơn hàng chưa được tạo, hãy thử lại sau ${CARRIER_RETRY_AFTER_SECONDS} giây. / ${CARRIER_NAMES[carrier]} did not answer with a delivery fee; nothing was placed, try again in ${CARRIER_RETRY_AFTER_SECONDS} seconds.`,
    );
  }
}

/**
 * A cooperative may choose only a carrier the exchange is connected to (its provider configured):
 * otherwise every checkout of its goods would be refused. 422 naming the carrier.
 */
export async function ensureCarrierConnected(
  rules: ShippingRules,
  carriers: () => Promise<Carriers> = required('carriers'),
): Promise<void> {
  const id = rules.carrier?.id;
  if (!id || (await carriers())[id]) return;
  throw new DomainError(
    'unprocessable',
    'shipping.carrier_not_connected',
    `Sàn chưa kết nối với ${CARRIER_NAMES[id]}; hãy chọn đơn vị vận chuyển khác hoặc tự giao. / The exchange is not connected to ${CARRIER_NAMES[id]} yet: choose another carrier or your own delivery.`,
  );
}

function withTimeout<T>(work: Promise<T>, ms: number, carrier: CarrierId): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CarrierError('timeout', `no answer in ${ms} ms`, carrier)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface PricingContext {
  now: Date;
  /** How long to wait for a carrier. */
  timeoutMs: number;
  /** The carriers (default: the process's `services().carriers`). */
  carriers?: () => Promise<Carriers>;
  /**
   * Kept quotes already read (with the lines, `predictQuoteKeys`): keys in `asked` are not read
   * again, whether found or not.
   */
  prefetched?: { asked: Set<string>; kept: Map<string, CachedQuote> };
  /** The quote cache (default: the table's). */
  cache?: {
    read: (keys: QuoteCacheKey[], nowMs: number) => Promise<Map<string, CachedQuote>>;
    write: (key: QuoteCacheKey, quote: CachedQuote) => Promise<void>;
  };
}

const TABLE_CACHE = { read: readCachedQuotes, write: putCachedQuote };

/**
 * Prices every part: fixed ones at once, carrier ones from the kept quotes (one consistent
 * batch), asking the carrier only for those missing (all at once, each with the timeout).
 */
export async function priceParts(
  parts: PartToPrice[],
  rules: Map<string, ShippingRules>,
  delivery: PricedDelivery,
  ctx: PricingContext,
): Promise<PartPrice[]> {
  const plans = parts.map((p) => planPart(p, rules.get(p.fulfiller.id), delivery, ctx.now));
  const asks = plans.filter((p): p is Extract<PartPlan, { kind: 'carrier' }> => p.kind === 'carrier');
  if (asks.length === 0) return plans.map((p) => (p as Extract<PartPlan, { kind: 'fixed' }>).price);
  const cache = ctx.cache ?? TABLE_CACHE;
  const asked = ctx.prefetched?.asked ?? new Set<string>();
  const kept = new Map(ctx.prefetched?.kept ?? []);
  const unread = asks.filter((a) => !asked.has(quoteCacheKey(a.key).pk));
  if (unread.length > 0) {
    for (const [pk, quote] of await cache.read(
      unread.map((a) => a.key),
      ctx.now.getTime(),
    )) {
      kept.set(pk, quote);
    }
  }
  const missing = asks.filter((a) => !kept.has(quoteCacheKey(a.key).pk));
  if (missing.length > 0 && delivery.method === 'shipping') {
    const carriers = await (ctx.carriers ?? required('carriers'))();
    const fresh = await Promise.all(
      missing.map(async (plan): Promise<[string, CachedQuote]> => {
        const provider = carriers[plan.key.carrier];
        if (!provider) throw new CarrierUnavailable(plan.key.carrier);
        try {
          const quote = await withTimeout(
            provider.quote({
              from: plan.from,
              to: delivery.address,
              parcel: parcelOf(
                parts.find((p) => p.fulfiller.id === plan.base.fulfillerId)!.lines,
                plan.insuredValue,
              ),
              codAmount: 0,
              ...(plan.key.shopId ? { shopId: plan.key.shopId } : {}),
              at: ctx.now,
            }),
            ctx.timeoutMs,
            plan.key.carrier,
          );
          return [quoteCacheKey(plan.key).pk, { ...quote, quotedAt: ctx.now.toISOString() }];
        } catch (error) {
          if (error instanceof CarrierError && error.code === 'address_unserved') {
            throw new AddressUnserved(
              plan.key.carrier,
              { id: plan.base.fulfillerId, name: plan.base.fulfillerName },
              delivery.address,
              plan.base.pickup,
              error.message,
            );
          }
          if (error instanceof CarrierError) throw new CarrierUnavailable(plan.key.carrier);
          throw error;
        }
      }),
    );
    // Kept for the shopper's next step (placing reads them); only once every part is priced.
    await Promise.all(
      fresh.map(([pk, quote]) =>
        cache.write(missing.find((m) => quoteCacheKey(m.key).pk === pk)!.key, quote),
      ),
    );
    for (const [pk, quote] of fresh) kept.set(pk, quote);
  }
  return plans.map((plan) =>
    plan.kind === 'fixed' ? plan.price : priceFromQuote(plan, kept.get(quoteCacheKey(plan.key).pk)!),
  );
}

/**
 * What this process has learned of where packs go and how their cooperatives ship, so checkout
 * can name the kept quotes it will need and read them in its one consistent batch with the lines.
 * A guess is checked against what that batch reads: a wrong or missing one (new rules, a pack
 * not seen yet) only costs the separate read `priceParts` makes then.
 */
const HINTS_MAX = 50_000;
const packHints = new Map<string, { fulfillerId: string; grams: number | undefined }>();
const shipperHints = new Map<
  string,
  { carrier: CarrierId; shopId?: string | undefined; fromWard: string } | null
>();

const bounded = <K, V>(map: Map<K, V>, key: K, value: V) => {
  map.set(key, value);
  if (map.size > HINTS_MAX) map.delete(map.keys().next().value!);
};

/**
 * The fulfiller (the cooperative of a member household) last seen for a pack, so checkout reads
 * its producer item and shipping rules in the first batch too. A membership that changed since is
 * found by that batch and read then.
 */
export const hintedFulfiller = (variantId: string): string | undefined =>
  packHints.get(variantId)?.fulfillerId;

/** Learns from a checkout's read: each pack's fulfiller and grams, each fulfiller's carrier. */
export function learnQuoteHints(
  lines: { variantId: string; grams?: number | undefined; fulfiller: PartToPrice['fulfiller'] }[],
  rules: Map<string, ShippingRules>,
): void {
  for (const l of lines) {
    bounded(packHints, l.variantId, { fulfillerId: l.fulfiller.id, grams: l.grams });
    const carrier = rules.get(l.fulfiller.id)?.carrier;
    bounded(
      shipperHints,
      l.fulfiller.id,
      carrier
        ? { carrier: carrier.id, shopId: carrier.shopId, fromWard: l.fulfiller.address.communeCode }
        : null,
    );
  }
}

/** The kept quotes a checkout of these lines to `toWard` will most likely need (see above). */
export function predictQuoteKeys(
  lines: readonly { variantId: string; quantity: number }[],
  toWard: string | undefined,
): QuoteCacheKey[] {
  if (!toWard) return [];
  const parts = new Map<string, { grams: number | undefined; quantity: number }[]>();
  for (const l of lines) {
    const hint = packHints.get(l.variantId);
    if (!hint) return [];
    parts.set(hint.fulfillerId, [
      ...(parts.get(hint.fulfillerId) ?? []),
      { grams: hint.grams, quantity: l.quantity },
    ]);
  }
  return [...parts].flatMap(([fulfillerId, own]) => {
    const shipper = shipperHints.get(fulfillerId);
    if (!shipper) return [];
    return [
      {
        carrier: shipper.carrier,
        shopId: shipper.shopId,
        fromWard: shipper.fromWard,
        toWard,
        weightGrams: parcelOf(own, 0).weightGrams,
      },
    ];
  });
}
