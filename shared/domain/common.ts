import * as z from 'zod';
import vi from 'zod/v4/locales/vi.js';
import { isCommuneInProvince } from './admin-codes.ts';
import { BIDI_CONTROLS, normalizeText } from './text.ts';
import { toE164 } from './phone.ts';

// Validation messages people read are Vietnamese first (our own messages add English).
z.config(vi());

/**
 * Every name and text field of the API: bidi controls refused, invisible characters removed, NFC
 * with whitespace collapsed, then non-empty and at most `max` characters. A value of only
 * zero-width characters is empty.
 */
export const Text = (max: number) =>
  z
    .string()
    .refine((value) => !BIDI_CONTROLS.test(value), {
      message:
        'Có ký tự điều khiển hướng chữ ẩn (U+202A–U+202E, U+2066–U+2069), hãy gõ lại ô này / Hidden text-direction characters, retype this field',
      abort: true,
    })
    .transform(normalizeText)
    .pipe(z.string().min(1, 'Không được để trống').max(max, `Tối đa ${max} ký tự`));

/** Vietnamese first, English optional. */
export const LocalizedText = (max: number) => z.strictObject({ vi: Text(max), en: Text(max).optional() });
export type LocalizedText = { vi: string; en?: string };

/** A whole amount of đồng. */
export const VndAmount = z.int().min(0).max(1_000_000_000).meta({ description: 'Whole VND' });

/** A Vietnamese mobile number in any common form, stored as E.164. */
export const PhoneNumber = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({
      code: 'custom',
      message: 'Số điện thoại di động không hợp lệ (10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09)',
    });
    return z.NEVER;
  }
  return e164;
});

export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Chỉ gồm chữ thường không dấu, số và dấu gạch ngang')
  .max(80);

export const IsoDate = z.iso.date();
export const IsoDateTime = z.iso.datetime();

/** Province + commune codes from the 2025 two-level units; the commune must lie in the province. */
export const Address = /* @__PURE__ */ z
  .strictObject({
    provinceCode: z.string().regex(/^\d{2}$/),
    communeCode: z.string().regex(/^\d{5}$/),
    street: Text(200).optional(),
  })
  .refine((a) => isCommuneInProvince(a.provinceCode, a.communeCode), {
    message: 'Xã/phường không thuộc tỉnh/thành đã chọn (đơn vị hành chính 2025)',
    path: ['communeCode'],
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;

/** A processed photo; files live under /media/<key>/<width>.<format>. */
export const ImageRef = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9/-]+$/),
    alt: Text(200),
    width: z.int().positive(),
    height: z.int().positive(),
  })
  .meta({ id: 'ImageRef' });
export type ImageRef = z.infer<typeof ImageRef>;

/** A decision by a reviewer: who, when, what and why. */
export const ReviewRecord = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().optional(),
  at: IsoDateTime,
  by: z.string(),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;
