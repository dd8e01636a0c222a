import * as z from 'zod';
import { CATEGORY_SLUGS } from './categories.ts';
import { ImageRef, IsoDateTime, LocalizedText, ReviewRecord, Slug, Text, VndAmount } from './common.ts';

export const ProductStatus = z.enum(['draft', 'in_review', 'published', 'archived']);
export type ProductStatus = z.infer<typeof ProductStatus>;

/** A listing. Its packs are Variants; its harvests are Lots; its OCOP rating a certificate. */
export const Product = z.strictObject({
  id: z.string(),
  slug: Slug,
  producerId: z.string(),
  category: z.enum(CATEGORY_SLUGS),
  name: LocalizedText(160),
  description: LocalizedText(5000),
  images: z.array(ImageRef).max(12),
  status: ProductStatus,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  publishedAt: IsoDateTime.optional(),
  /** Set when a cooperative manager listed it for a member household, with the household's consent. */
  listedBy: z
    .strictObject({
      sub: z.string(),
      cooperativeId: z.string(),
      consent: z.strictObject({
        consentId: z.string(),
        via: z.literal('sms_code'),
        confirmedAt: IsoDateTime,
      }),
    })
    .optional(),
  /** The last review decision, shown to the seller. */
  review: ReviewRecord.optional(),
});
export type Product = z.infer<typeof Product>;

/**
 * A pack: weighed (grams) or counted (unit, e.g. "hộp 20 túi"), never both. Price is whole VND;
 * stock is a count of packs and never negative.
 */
export const Variant = z
  .strictObject({
    id: z.string(),
    productId: z.string(),
    grams: z.int().min(1).max(100_000).optional(),
    unit: Text(60).optional(),
    price: VndAmount.refine((v) => v > 0, 'Giá phải lớn hơn 0'),
    stock: z.int().min(0).max(1_000_000),
  })
  .refine((v) => (v.grams === undefined) !== (v.unit === undefined), {
    message: 'Một gói có khối lượng (gram) hoặc đơn vị, không cả hai',
  });
export type Variant = z.infer<typeof Variant>;

export const PRODUCT_LIMITS = { variantsMin: 1, variantsMax: 8 } as const;

export function isPublished(product: Pick<Product, 'status'>): boolean {
  return product.status === 'published';
}

/** "200 g", "1 kg", or the unit text. */
export function packLabel(variant: Pick<Variant, 'grams' | 'unit'>): string {
  if (variant.grams === undefined) return variant.unit ?? '';
  return variant.grams >= 1000 && variant.grams % 1000 === 0
    ? `${variant.grams / 1000} kg`
    : `${variant.grams} g`;
}
