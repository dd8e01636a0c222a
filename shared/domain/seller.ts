/**
 * Write schemas of the seller center and the cooperative board. All strict: unknown fields are
 * rejected, and nothing here can set `verified`, `status`, `producerId` or a certificate's
 * `verified` — those change only through the decision routes.
 */
import * as z from 'zod';
import { CATEGORY_SLUGS } from './categories.ts';
import { Address, IsoDate, LocalizedText, Text, VndAmount } from './common.ts';
import { ListingName, PackLabel, TextWithoutContact } from './listing-rules.ts';
import { Certification } from './lot.ts';
import { PRODUCT_LIMITS } from './product.ts';
import { IMPORT_COLUMNS, IMPORT_ROWS_PER_REQUEST, REQUIRED_IMPORT_COLUMNS } from './import-columns.ts';

export const SignUpProducerBody = z
  .strictObject({
    kind: z.enum(['household', 'cooperative', 'enterprise']),
    name: TextWithoutContact(120, 'Tên nhà sản xuất', 'The producer name'),
    address: Address,
    description: LocalizedText(2000).optional(),
  })
  .meta({ id: 'SignUpProducer' });
export type SignUpProducerBody = z.infer<typeof SignUpProducerBody>;

export const RequestMembershipBody = z
  .strictObject({ cooperativeSlug: z.string().min(1).max(80) })
  .meta({ id: 'RequestMembership' });

/** Approve, or reject with a reason the other side will read. */
export const Decision = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: Text(500).optional(),
  })
  .refine((d) => d.decision === 'approve' || d.reason, {
    message: 'Hãy ghi lý do từ chối',
    path: ['reason'],
  })
  .meta({ id: 'Decision' });
export type Decision = z.infer<typeof Decision>;

const weightOrUnit = <T extends { grams?: number; unit?: string }>(pack: T) =>
  (pack.grams === undefined) !== (pack.unit === undefined);
const PACK_SHAPE = {
  message: 'Mỗi gói ghi khối lượng (gram) hoặc đơn vị, không cả hai',
};

export const NewPack = z
  .strictObject({
    grams: z.int().min(1).max(100_000).optional(),
    unit: PackLabel.optional(),
    price: VndAmount.refine((v) => v > 0, 'Giá phải lớn hơn 0'),
    stock: z.int().min(0).max(1_000_000),
  })
  .refine(weightOrUnit, PACK_SHAPE);

export const ProxyConsentProof = z.strictObject({
  householdId: z.string().min(1),
  consentId: z.string().min(1),
  code: z.string().regex(/^\d{6}$/, 'Mã gồm 6 chữ số / 6 digits'),
});

export const CreateProductBody = z
  .strictObject({
    category: z.enum(CATEGORY_SLUGS),
    name: ListingName,
    description: LocalizedText(5000),
    packs: z.array(NewPack).min(PRODUCT_LIMITS.variantsMin).max(PRODUCT_LIMITS.variantsMax),
    /** A cooperative manager listing for a member household, with the household's consent. */
    onBehalfOf: ProxyConsentProof.optional(),
  })
  .meta({ id: 'CreateProduct' });
export type CreateProductBody = z.infer<typeof CreateProductBody>;

export const PackChange = z
  .strictObject({
    /** An existing pack to reprice; omit to add a pack (then grams or unit, and stock). */
    id: z.string().optional(),
    grams: z.int().min(1).max(100_000).optional(),
    unit: PackLabel.optional(),
    price: VndAmount.refine((v) => v > 0, 'Giá phải lớn hơn 0'),
    stock: z.int().min(0).max(1_000_000).optional(),
  })
  .refine((p) => p.id !== undefined || (weightOrUnit(p) && p.stock !== undefined), {
    message: 'Gói mới cần khối lượng hoặc đơn vị, và số lượng',
  })
  .refine(
    (p) => p.id === undefined || (p.stock === undefined && p.grams === undefined && p.unit === undefined),
    {
      message: 'Gói đã có chỉ đổi giá ở đây; số lượng đổi qua nhập/xuất kho',
    },
  );

export const UpdateProductBody = z
  .strictObject({
    category: z.enum(CATEGORY_SLUGS).optional(),
    name: ListingName.optional(),
    description: LocalizedText(5000).optional(),
    packs: z.array(PackChange).min(1).max(PRODUCT_LIMITS.variantsMax).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Không có gì để thay đổi' })
  .meta({ id: 'UpdateProduct' });
export type UpdateProductBody = z.infer<typeof UpdateProductBody>;

export const AdjustStockBody = z
  .strictObject({
    variantId: z.string().min(1),
    delta: z
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((d) => d !== 0, 'Số thay đổi khác 0'),
    reason: Text(200),
    /**
     * The pack's stock the change was decided on (the offline queue sends it): when the stock is
     * no longer this, nothing is applied and the answer is 409 `stock.changed`.
     */
    expectedStock: z.int().min(0).max(100_000_000).optional(),
  })
  .meta({ id: 'AdjustStock' });

// No HEIC: sharp's prebuilt libvips cannot decode HEVC, so phones send JPEG (the site converts).
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export const UploadPhotoBody = z
  .strictObject({
    contentType: z.enum(PHOTO_CONTENT_TYPES),
    bytes: z
      .int()
      .min(1)
      .max(15 * 1024 * 1024, 'Ảnh tối đa 15 MB'),
    alt: Text(200).optional(),
    /** A scan of an OCOP certificate is kept for the admin, not shown in the product's gallery. */
    purpose: z.enum(['product', 'certificate_scan']).default('product'),
  })
  .meta({ id: 'UploadPhoto' });

/** A listing's photos in their new order; the first is the cover. */
export const OrderPhotosBody = z
  .strictObject({
    photoIds: z.array(z.string().min(1).max(64)).min(1).max(12),
  })
  .meta({ id: 'OrderPhotos' });

export const CreateLotBody = z
  .strictObject({
    harvestDate: IsoDate,
    season: Text(60),
    growingAreaCode: Text(40),
    certifications: z.array(Certification).max(4).default([]),
    /** The member household that grew the lot; defaults to the listing's producer. */
    householdId: z.string().optional(),
  })
  .meta({ id: 'CreateLot' });

export const AddOcopBody = z
  .strictObject({
    stars: z.union([z.literal(3), z.literal(4), z.literal(5)]),
    decisionNumber: Text(60),
    decisionDate: IsoDate,
    issuer: Text(200),
    /** A photo uploaded for this product that shows the certificate. */
    scanPhotoId: z.string().optional(),
  })
  .meta({ id: 'AddOcopCertificate' });

export const StartProxyConsentBody = z
  .strictObject({ householdId: z.string().min(1) })
  .meta({ id: 'StartProxyConsent' });

export const IMPORT_LIMITS = { rowsPerRequest: IMPORT_ROWS_PER_REQUEST } as const;
export { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS };
export const ImportProductsBody = z
  .strictObject({
    rows: z
      .array(
        z.strictObject({
          line: z.int().min(1),
          values: z.record(z.string().max(40), z.string().max(5000)),
        }),
      )
      .min(1)
      .max(IMPORT_LIMITS.rowsPerRequest),
  })
  .meta({ id: 'ImportProducts' });
