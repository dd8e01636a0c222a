/**
 * Marketplace rules for listings. Trade stays on the exchange: names and pack labels may not carry
 * a phone number, a link or a Zalo (or other chat) handle, which would take the buyer off the
 * platform. And a change that could turn an approved listing into another offer goes back to
 * review: a new pack, or a price cut of more than half (the classic bait after approval).
 */
import * as z from 'zod';
import { Text } from './common.ts';

/** Lower case, diacritics and đ folded, punctuation kept (dots and slashes matter for links). */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

const CONTACT_PATTERNS: readonly { kind: string; pattern: RegExp }[] = [
  // A Vietnamese number in any spacing: 0912 345 678, 0912.345.678, +84 912 345 678, 84912345678.
  { kind: 'số điện thoại', pattern: /(?<![\d])(?:\+?\s*84|0)(?:[\s.()-]*\d){8,10}(?![\d])/u },
  {
    kind: 'liên kết',
    pattern:
      /\b(?:https?:\/\/|www\.)|\b[a-z0-9-]+\s*(?:\.|\(\.\)|\[\.\]|\s+cham\s+)\s*(?:com|vn|net|org|info|biz|shop|store|online|site|xyz|me|io|co|ly|link|app)\b/u,
  },
  {
    kind: 'Zalo hoặc tài khoản mạng xã hội',
    pattern:
      /\b(?:zalo|zl|za\s*lo|facebook|fb|messenger|telegram|tele|viber|tiktok|inbox|ib)\b|(?:^|\s)@[a-z0-9_.]{3,}/u,
  },
];

/** What kind of contact detail the text carries, or undefined. */
export function contactDetail(text: string): string | undefined {
  const folded = fold(text);
  return CONTACT_PATTERNS.find(({ pattern }) => pattern.test(folded))?.kind;
}

/** A `Text(max)` field that refuses contact details, naming the field (`Tên sản phẩm`) in Vietnamese. */
export const TextWithoutContact = (max: number, field: string, fieldEn: string) =>
  Text(max).pipe(
    z.string().superRefine((value, ctx) => {
      const kind = contactDetail(value);
      if (kind) {
        ctx.addIssue({
          code: 'custom',
          message: `${field} không được chứa ${kind}: mọi liên hệ và giao dịch đi qua sàn / ${fieldEn} may not carry a phone number, link or chat handle: trade stays on the exchange`,
        });
      }
    }),
  );

/** A listing's name, Vietnamese first, both refusing contact details. */
export const ListingName = z.strictObject({
  vi: TextWithoutContact(160, 'Tên sản phẩm', 'The product name'),
  en: TextWithoutContact(160, 'Tên sản phẩm (tiếng Anh)', 'The English product name').optional(),
});

/** A pack's label (its unit, e.g. "hộp 10 gói"). */
export const PackLabel = TextWithoutContact(60, 'Nhãn gói', 'The pack label');

/** A price cut to less than this share of the approved price sends a listing back to review. */
export const REVIEW_PRICE_SHARE = 0.5;

/**
 * Whether pack changes on a published listing need a reviewer's look again: a new pack, or a
 * price cut of more than half. Raises and small cuts go live at once.
 */
export function packChangesNeedReview(
  current: readonly { id: string; price: number }[],
  changes: readonly { id?: string; price: number }[],
): boolean {
  return changes.some((change) => {
    if (change.id === undefined) return true;
    const before = current.find((v) => v.id === change.id);
    return before !== undefined && change.price < before.price * REVIEW_PRICE_SHARE;
  });
}
