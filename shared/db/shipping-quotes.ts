/**
 * Carriers' quotes, kept for a while so placing an order charges what checkout showed without
 * asking the carrier again:
 *   SHIPQUOTE#<carrier>#<shopId or ->#<from commune>#<to commune>#<grams> / QUOTE
 * A quote is good for `QUOTE_TTL_SECONDS` (the item's TTL; the time is also checked on read,
 * since DynamoDB Local never deletes expired items).
 */
import type { CarrierId, CarrierQuote } from '../carriers/types.ts';
import { putItem } from './item-access.ts';
import { batchGetConsistent } from './orders.ts';

/** How long a carrier's quote stands: a shopper's checkout, with time to spare. */
export const QUOTE_TTL_SECONDS = 30 * 60;

export interface QuoteCacheKey {
  carrier: CarrierId;
  shopId?: string | undefined;
  fromWard: string;
  toWard: string;
  weightGrams: number;
}

export interface CachedQuote extends CarrierQuote {
  /** When the carrier gave it (ISO). */
  quotedAt: string;
}

export const quoteCacheKey = (k: QuoteCacheKey) => ({
  pk: `SHIPQUOTE#${k.carrier}#${k.shopId ?? '-'}#${k.fromWard}#${k.toWard}#${k.weightGrams}`,
  sk: 'QUOTE',
});

/** A kept quote item's quote, if it still stands at `nowMs`. */
export const keptQuote = (item: Record<string, unknown>, nowMs: number): CachedQuote | undefined => {
  if (typeof item.expiresAt !== 'number' || item.expiresAt * 1000 <= nowMs) return undefined;
  const q = item.quote as CachedQuote | undefined;
  return q && typeof q.fee === 'number' && typeof q.estimatedDelivery === 'string' ? q : undefined;
};

/** The quotes still standing among `wanted`, by their key's pk (one consistent batch). */
export async function readCachedQuotes(
  wanted: QuoteCacheKey[],
  nowMs: number,
): Promise<Map<string, CachedQuote>> {
  const found = new Map<string, CachedQuote>();
  if (wanted.length === 0) return found;
  for (const item of await batchGetConsistent(wanted.map(quoteCacheKey))) {
    const quote = keptQuote(item, nowMs);
    if (quote) found.set(String(item.pk), quote);
  }
  return found;
}

export async function putCachedQuote(key: QuoteCacheKey, quote: CachedQuote): Promise<void> {
  await putItem({
    ...quoteCacheKey(key),
    type: 'shipping_quote',
    quote,
    expiresAt: Math.floor(Date.parse(quote.quotedAt) / 1000) + QUOTE_TTL_SECONDS,
  });
}
