/**
 * A cooperative's reference price per grade: what its manager says a kilogram of each grade its
 * members sell is worth from a given day (₫/kg), shown to member households beside their own
 * prices on the market panel. A new price never erases an old one: the history is kept, and the
 * price in force on a day is the one with the latest effective date on or before it.
 */
import * as z from 'zod';
import { addReferencePrices, referencePriceHistory } from '../db/reference-prices.ts';
import { newId } from '../db/items.ts';
import { CATEGORY_SLUGS, findCategory } from '../domain/categories.ts';
import { forbidden, invalid } from '../domain/errors.ts';
import { managedCooperativeId, type Principal } from '../domain/permissions.ts';
import { addDays, vnDay } from '../orders/reports.ts';

/** Highest reference price accepted, ₫/kg (the dearest Thái Nguyên tea is a few million). */
export const MAX_PRICE_PER_KG = 100_000_000;
/** How far back or ahead an effective date may be set, in days. */
export const EFFECTIVE_WINDOW_DAYS = 366;

export const ReferencePrice = z
  .strictObject({
    id: z.string(),
    cooperativeId: z.string(),
    category: z.enum(CATEGORY_SLUGS),
    pricePerKg: z.int(),
    /** First day (YYYY-MM-DD, Vietnamese day) the price is in force. */
    effectiveFrom: z.iso.date(),
    setAt: z.iso.datetime(),
    setBy: z.string(),
  })
  .meta({ id: 'ReferencePrice' });
export type ReferencePrice = z.infer<typeof ReferencePrice>;

const PRICE_MESSAGE = `Giá tham chiếu là số đồng nguyên cho 1 kg, lớn hơn 0 và không quá ${MAX_PRICE_PER_KG.toLocaleString('vi-VN')} ₫ / A whole number of đồng per kg, above 0`;

export const SetReferencePricesBody = z
  .strictObject({
    prices: z
      .array(
        z.strictObject({
          category: z.enum(CATEGORY_SLUGS, {
            error: 'Loại chè/sản phẩm không có trong danh mục của sàn / Not a category of the exchange',
          }),
          pricePerKg: z
            .int({ error: PRICE_MESSAGE })
            .min(1, PRICE_MESSAGE)
            .max(MAX_PRICE_PER_KG, PRICE_MESSAGE)
            .meta({ description: 'Whole VND per kilogram' }),
          effectiveFrom: z.iso
            .date({ error: 'Ngày áp dụng có dạng YYYY-MM-DD / The effective date is YYYY-MM-DD' })
            .meta({ description: 'First day the price is in force (YYYY-MM-DD, Vietnam time)' }),
        }),
      )
      .min(1, 'Hãy nhập ít nhất một giá / Give at least one price')
      .max(CATEGORY_SLUGS.length, `Tối đa ${CATEGORY_SLUGS.length} giá mỗi lần / At most one price per grade`)
      .refine((prices) => new Set(prices.map((p) => p.category)).size === prices.length, {
        message: 'Mỗi loại chỉ một giá mỗi lần lưu / One price per grade at a time',
      }),
  })
  .meta({ id: 'SetReferencePrices' });
export type SetReferencePricesBody = z.infer<typeof SetReferencePricesBody>;

/** The manager of `cooperativeId`, and nobody else (admins included: the price is the cooperative's). */
function requireManagerOf(principal: Principal, cooperativeId: string): void {
  if (managedCooperativeId(principal) !== cooperativeId) {
    throw forbidden(
      'market.not_your_cooperative',
      'Chỉ quản lý của hợp tác xã này được đặt giá tham chiếu / Only this cooperative’s manager sets its reference prices',
    );
  }
}

export interface ReferencePriceBoard {
  /** The price in force today for each grade that has one, in catalog order. */
  current: ReferencePrice[];
  /** Every price set, newest effective date first (at most 200). */
  history: ReferencePrice[];
}

/** What a cooperative's board shows: the prices in force today and the history. */
export async function referencePricesFor(
  principal: Principal,
  cooperativeId: string,
  now: Date,
): Promise<ReferencePriceBoard> {
  requireManagerOf(principal, cooperativeId);
  return boardOf(await referencePriceHistory(cooperativeId), now);
}

const newestFirst = (a: ReferencePrice, b: ReferencePrice) =>
  b.effectiveFrom.localeCompare(a.effectiveFrom) || b.setAt.localeCompare(a.setAt);

function boardOf(all: ReferencePrice[], now: Date): ReferencePriceBoard {
  const today = vnDay(now);
  const history = [...all].sort(newestFirst);
  const current = CATEGORY_SLUGS.flatMap((category) => {
    const inForce = history.find((p) => p.category === category && p.effectiveFrom <= today);
    return inForce ? [inForce] : [];
  });
  return { current, history: history.slice(0, 200) };
}

/**
 * The manager sets new reference prices (all written together, with an audit entry); the old
 * ones stay in the history.
 */
export async function setReferencePrices(
  principal: Principal,
  cooperativeId: string,
  body: SetReferencePricesBody,
  now: Date,
): Promise<ReferencePriceBoard> {
  requireManagerOf(principal, cooperativeId);
  const today = vnDay(now);
  const earliest = addDays(today, -EFFECTIVE_WINDOW_DAYS);
  const latest = addDays(today, EFFECTIVE_WINDOW_DAYS);
  for (const p of body.prices) {
    if (p.effectiveFrom < earliest || p.effectiveFrom > latest) {
      throw invalid(
        'market.effective_date_out_of_range',
        `Ngày áp dụng của ${findCategory(p.category)?.name.vi ?? p.category} phải trong vòng một năm trước hoặc sau hôm nay / The effective date must be within a year of today`,
      );
    }
  }
  const setAt = now.toISOString();
  const prices: ReferencePrice[] = body.prices.map((p) => ({
    id: newId(),
    cooperativeId,
    category: p.category,
    pricePerKg: p.pricePerKg,
    effectiveFrom: p.effectiveFrom,
    setAt,
    setBy: principal.sub,
  }));
  await addReferencePrices(prices, {
    at: setAt,
    actor: { sub: principal.sub, role: 'cooperative_manager' },
    action: 'reference_prices.set',
    subject: { type: 'producer', id: cooperativeId },
    details: {
      prices: prices.map(({ category, pricePerKg, effectiveFrom }) => ({
        category,
        pricePerKg,
        effectiveFrom,
      })),
    },
  });
  return boardOf(await referencePriceHistory(cooperativeId), now);
}
