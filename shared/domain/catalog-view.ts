/**
 * What shoppers see: the public views of producers, products, packs, certificates and lots,
 * built from stored entities. These zod schemas are the API's response types and feed the
 * OpenAPI document; the storefront imports the types.
 */
import * as z from 'zod';
import { findCommune } from './admin-units.ts';
import { CATEGORIES } from './categories.ts';
import type { ImageRef } from './common.ts';
import type { Lot } from './lot.ts';
import { currentOcop, ocopExpiresOn, type OcopCertificate } from './ocop.ts';
import type { Producer } from './producer.ts';
import { packLabel, type Product, type Variant } from './product.ts';
import { pricePer100g } from './money.ts';

const Localized = z.object({ vi: z.string(), en: z.string().optional() });
const Place = z.object({ code: z.string(), name: z.string() });

/** Widths the media pipeline produces for every photo. */
export const IMAGE_WIDTHS = [320, 640, 1280] as const;
export const IMAGE_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Path of one rendition: /media/<key>/<width>.<ext>. */
export function mediaPath(key: string, width: number, format: ImageFormat): string {
  return `/media/${key}/${width}.${format === 'jpeg' ? 'jpg' : format}`;
}

export const ImageView = z
  .object({
    alt: z.string(),
    width: z.int(),
    height: z.int(),
    src: z.string().meta({ description: 'JPEG at 640 px, for clients without srcset' }),
    srcset: z.object({ avif: z.string(), webp: z.string(), jpeg: z.string() }),
  })
  .meta({ id: 'Image' });
export type ImageView = z.infer<typeof ImageView>;

export function imageView(image: ImageRef): ImageView {
  const srcset = (format: ImageFormat) =>
    IMAGE_WIDTHS.map((w) => `${mediaPath(image.key, w, format)} ${w}w`).join(', ');
  return {
    alt: image.alt,
    width: image.width,
    height: image.height,
    src: mediaPath(image.key, 640, 'jpeg'),
    srcset: { avif: srcset('avif'), webp: srcset('webp'), jpeg: srcset('jpeg') },
  };
}

export const ProducerCard = z
  .object({
    slug: z.string(),
    name: z.string(),
    kind: z.enum(['household', 'cooperative', 'enterprise']),
    commune: Place,
    province: Place,
  })
  .meta({ id: 'ProducerCard' });
export type ProducerCard = z.infer<typeof ProducerCard>;

export function producerCard(producer: Producer): ProducerCard {
  const found = findCommune(producer.address.communeCode);
  return {
    slug: producer.slug,
    name: producer.name,
    kind: producer.kind,
    commune: { code: producer.address.communeCode, name: found?.commune.name ?? '' },
    province: { code: producer.address.provinceCode, name: found?.province.name ?? '' },
  };
}

export const OcopBadge = z
  .object({
    stars: z.int().min(3).max(5),
    decisionNumber: z.string(),
    decisionDate: z.string(),
    expiresOn: z.string(),
    issuer: z.string(),
  })
  .meta({ id: 'OcopBadge', description: 'Present only while the certificate is verified and valid' });
export type OcopBadge = z.infer<typeof OcopBadge>;

export function ocopBadge(certs: readonly OcopCertificate[], today?: string): OcopBadge | null {
  const cert = currentOcop(certs, today);
  if (!cert) return null;
  return {
    stars: cert.stars,
    decisionNumber: cert.decisionNumber,
    decisionDate: cert.decisionDate,
    expiresOn: ocopExpiresOn(cert.decisionDate),
    issuer: cert.issuer,
  };
}

export const PackView = z
  .object({
    id: z.string(),
    grams: z.int().optional(),
    unit: z.string().optional(),
    label: z.string(),
    price: z.int().meta({ description: 'Whole VND' }),
    pricePer100g: z.int().nullable(),
    stock: z.int(),
  })
  .meta({ id: 'Pack' });
export type PackView = z.infer<typeof PackView>;

export function packView(variant: Variant): PackView {
  return {
    id: variant.id,
    ...(variant.grams !== undefined ? { grams: variant.grams } : { unit: variant.unit }),
    label: packLabel(variant),
    price: variant.price,
    pricePer100g: pricePer100g(variant.price, variant.grams),
    stock: variant.stock,
  };
}

export const CategoryRef = z
  .object({ slug: z.string(), name: z.object({ vi: z.string(), en: z.string() }) })
  .meta({ id: 'CategoryRef' });

/** One reference object per category, shared by every summary in it. */
const CATEGORY_REFS = new Map(
  CATEGORIES.map((c) => [c.slug, { slug: c.slug, name: c.name } as z.infer<typeof CategoryRef>]),
);

function categoryRef(slug: string): z.infer<typeof CategoryRef> {
  return CATEGORY_REFS.get(slug) ?? CATEGORY_REFS.get(CATEGORIES[0]!.slug)!;
}

export const ProductSummary = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: Localized,
    category: CategoryRef,
    producer: ProducerCard,
    ocop: OcopBadge.nullable(),
    variants: z.array(PackView),
    price: z.object({ min: z.int(), max: z.int() }),
    inStock: z.boolean(),
    images: z.array(ImageView),
    publishedAt: z.string(),
    rating: z
      .object({ average: z.number().min(1).max(5), count: z.int().min(1) })
      .optional()
      .meta({ description: 'Visible reviews from verified buyers: present only when there is one' }),
    sold: z.int().min(1).optional().meta({ description: 'Units delivered ("đã bán"); absent when none' }),
  })
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof ProductSummary>;

/**
 * A product summary as the catalog's read model holds it: its photos stay the stored references,
 * and their renditions' srcset strings are built only when read or serialized. A class rather
 * than a literal with a getter: V8 keeps an instance's properties fast (a literal with an accessor
 * becomes a dictionary), and the catalog walks every entry's summary on each query.
 */
class SummaryView implements ProductSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: ProductSummary['name'];
  readonly category: ProductSummary['category'];
  readonly producer: ProducerCard;
  readonly ocop: OcopBadge | null;
  readonly variants: PackView[];
  readonly price: ProductSummary['price'];
  readonly inStock: boolean;
  readonly publishedAt: string;
  readonly rating: ProductSummary['rating'];
  readonly sold: number | undefined;
  readonly #images: readonly ImageRef[];

  constructor(fields: Omit<ProductSummary, 'images'>, images: readonly ImageRef[]) {
    this.id = fields.id;
    this.slug = fields.slug;
    this.name = fields.name;
    this.category = fields.category;
    this.producer = fields.producer;
    this.ocop = fields.ocop;
    this.variants = fields.variants;
    this.price = fields.price;
    this.inStock = fields.inStock;
    this.publishedAt = fields.publishedAt;
    this.rating = fields.rating;
    this.sold = fields.sold;
    this.#images = images;
  }

  get images(): ImageView[] {
    return this.#images.map(imageView);
  }

  /** The summary as the API sends it (JSON.stringify calls this). */
  toJSON(): ProductSummary {
    return {
      id: this.id,
      slug: this.slug,
      name: this.name,
      category: this.category,
      producer: this.producer,
      ocop: this.ocop,
      variants: this.variants,
      price: this.price,
      inStock: this.inStock,
      images: this.images,
      publishedAt: this.publishedAt,
      ...(this.rating ? { rating: this.rating } : {}),
      ...(this.sold ? { sold: this.sold } : {}),
    };
  }
}

/** A product's buyers as the catalog counts them (shared/db/product-stats.ts keeps them). */
export interface ProductStats {
  /** The product's id. */
  id: string;
  /** Visible reviews and the sum of their stars. */
  ratingCount: number;
  ratingSum: number;
  /** Units delivered. */
  sold: number;
}

/** The rating shown (one decimal), only when there are visible reviews. */
export function ratingOf(stats: Pick<ProductStats, 'ratingCount' | 'ratingSum'> | undefined) {
  const count = stats?.ratingCount ?? 0;
  if (count <= 0) return undefined;
  const average = Math.min(5, Math.max(1, Math.round((stats!.ratingSum / count) * 10) / 10));
  return { average, count };
}

/**
 * The public summary of a published product; packs sorted by size then price. `producer` is the
 * seller's card, shared by the summaries of all its products.
 */
export function productSummary(
  product: Pick<Product, 'id' | 'slug' | 'name' | 'category' | 'images' | 'createdAt' | 'publishedAt'>,
  producer: ProducerCard,
  variants: readonly Variant[],
  certs: readonly OcopCertificate[],
  today?: string,
  stats?: ProductStats,
): ProductSummary {
  const packs = [...variants]
    .sort((a, b) => (a.grams ?? 0) - (b.grams ?? 0) || a.price - b.price)
    .map(packView);
  const prices = packs.map((p) => p.price);
  return new SummaryView(
    {
      id: product.id,
      slug: product.slug,
      name: product.name,
      category: categoryRef(product.category),
      producer,
      ocop: ocopBadge(certs, today),
      variants: packs,
      price: { min: prices.length ? Math.min(...prices) : 0, max: prices.length ? Math.max(...prices) : 0 },
      inStock: packs.some((p) => p.stock > 0),
      publishedAt: product.publishedAt ?? product.createdAt,
      rating: ratingOf(stats),
      sold: stats && stats.sold > 0 ? stats.sold : undefined,
    },
    product.images,
  );
}

/** A summary as a plain object (photo views built), for answers that extend it. */
export function plainSummary(summary: ProductSummary): ProductSummary {
  return summary instanceof SummaryView ? summary.toJSON() : { ...summary };
}

export const LotView = z
  .object({
    traceCode: z.string(),
    harvestDate: z.string(),
    season: z.string(),
    growingAreaCode: z.string(),
    certifications: z.array(z.string()),
    household: ProducerCard.nullable(),
  })
  .meta({ id: 'Lot' });
export type LotView = z.infer<typeof LotView>;

export function lotView(lot: Omit<Lot, 'createdAt'>, household: Producer | undefined): LotView {
  return {
    traceCode: lot.traceCode,
    harvestDate: lot.harvestDate,
    season: lot.season,
    growingAreaCode: lot.growingAreaCode,
    certifications: lot.certifications,
    household: household ? producerCard(household) : null,
  };
}

export const ProducerProfile = ProducerCard.extend({
  description: Localized.nullable(),
  photo: ImageView.nullable(),
  cooperative: ProducerCard.nullable().meta({ description: "A household's cooperative" }),
}).meta({ id: 'ProducerProfile' });
export type ProducerProfile = z.infer<typeof ProducerProfile>;

export function producerProfile(producer: Producer, cooperative: Producer | undefined): ProducerProfile {
  return {
    ...producerCard(producer),
    description: producer.description ?? null,
    photo: producer.photo ? imageView(producer.photo) : null,
    cooperative: cooperative ? producerCard(cooperative) : null,
  };
}

export const ProductDetail = ProductSummary.extend({
  description: Localized,
  producer: ProducerProfile,
  lots: z.array(LotView),
}).meta({ id: 'ProductDetail' });
export type ProductDetail = z.infer<typeof ProductDetail>;

export const ProducerDetail = ProducerProfile.extend({
  members: z.array(ProducerCard).meta({ description: "A cooperative's verified member households" }),
  products: z.array(ProductSummary),
}).meta({ id: 'ProducerDetail' });
export type ProducerDetail = z.infer<typeof ProducerDetail>;

export const LotTrace = LotView.extend({
  product: z.object({ slug: z.string(), name: Localized, category: CategoryRef }),
  producer: ProducerCard.meta({ description: 'Who sells the product' }),
  cooperative: ProducerCard.nullable(),
}).meta({ id: 'LotTrace' });
export type LotTrace = z.infer<typeof LotTrace>;

export const CategoryView = CategoryRef.extend({
  group: z.enum(['tea', 'ocop']),
  productCount: z.int(),
}).meta({ id: 'Category' });
export type CategoryView = z.infer<typeof CategoryView>;
