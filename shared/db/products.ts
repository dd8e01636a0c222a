import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { findCommune } from '../domain/admin-units.ts';
import { productSearchFields } from '../domain/catalog-query.ts';
import { invalid } from '../domain/errors.ts';
import { Lot } from '../domain/lot.ts';
import { OcopCertificate } from '../domain/ocop.ts';
import type { Producer } from '../domain/producer.ts';
import { cooperativeOf } from '../domain/permissions.ts';
import { PRODUCT_LIMITS, Product, Variant } from '../domain/product.ts';
import { db } from './client.ts';
import { placeOfVariant } from './variant-places.ts';
import {
  catalogEntry,
  findByPublicId,
  fromItem,
  keys,
  slugGuard,
  uniqueSlugError,
  type TransactItem,
} from './items.ts';

/**
 * A product's item. A product joins the `catalog` index when first published and stays there
 * with its status (in review again, archived), so every container's read model sees it leave the
 * shop; drafts that were never published stay out. Every product is in byOwner under its producer
 * (newest first) and in byPublicId under its slug. Search fields are folded here, at write time.
 */
export function productItem(product: Product, producer: Producer): Record<string, unknown> {
  const place = findCommune(producer.address.communeCode);
  return {
    ...keys.product(product.id),
    type: 'product',
    ...product,
    ...productSearchFields(
      product,
      producer.name,
      place ? `${place.commune.name} ${place.province.name}` : '',
    ),
    publicId: keys.publicId.product(product.slug),
    publicIdKind: 'product',
    ownerKey: `PRODUCER#${product.producerId}`,
    ownerSort: `PRODUCT#${product.createdAt}#${product.id}`,
    ...(product.status === 'published' || product.publishedAt
      ? catalogEntry('product', product.id, product.id)
      : {}),
    ...(product.status === 'in_review'
      ? { reviewKey: reviewQueueKey(producer), reviewSort: `${product.updatedAt}#${product.id}` }
      : {}),
  };
}

/** The review queues of listings on the reviewQueue index. */
export const REVIEW_QUEUES = {
  admin: 'REVIEW#admin',
  cooperative: (cooperativeId: string) => `REVIEW#cooperative#${cooperativeId}`,
};

/** The review queue a seller's listings go to: its cooperative's, or the admins'. */
export function reviewQueueKey(seller: Producer): string {
  const coop = cooperativeOf(seller);
  return coop ? REVIEW_QUEUES.cooperative(coop) : REVIEW_QUEUES.admin;
}

export const CERTIFICATE_QUEUE = 'REVIEW#certificates';

/**
 * Packs, certificates and lots always sit in the catalog index, in their product's shard; they
 * show only beside a published product. A pack's index entry changes with its stock and price.
 */
export function variantItem(variant: Variant): Record<string, unknown> {
  return {
    ...keys.variant(variant.productId, variant.id),
    type: 'variant',
    publicId: keys.publicId.variant(variant.id),
    publicIdKind: 'variant',
    ...variant,
    ...catalogEntry('variant', variant.productId, variant.id),
  };
}

export function ocopItem(cert: OcopCertificate): Record<string, unknown> {
  return {
    ...keys.ocop(cert.productId, cert.id),
    type: 'ocop',
    ...cert,
    ...catalogEntry('ocop', cert.productId, cert.id),
    ...(!cert.verified && !cert.review
      ? { reviewKey: CERTIFICATE_QUEUE, reviewSort: `${cert.decisionDate}#${cert.id}` }
      : {}),
  };
}

export function lotItem(lot: Lot): Record<string, unknown> {
  return {
    ...keys.lot(lot.productId, lot.id),
    type: 'lot',
    ...lot,
    publicId: keys.publicId.lot(lot.traceCode),
    publicIdKind: 'lot',
    // In the catalog index too, so product pages and trace records need no Query of their own.
    ...catalogEntry('lot', lot.productId, lot.id),
  };
}

export interface NewListing {
  product: Product;
  variants: Variant[];
  certificates?: OcopCertificate[];
  lots?: Lot[];
}

export const products = {
  /**
   * Writes a product with its packs, certificates and lots in one transaction: a listing is
   * never visible half-written. The slug is claimed in the same transaction, and `options.with`
   * (a consent used up, an audit entry) is written with it.
   */
  async create(
    listing: NewListing,
    producer: Producer,
    options: { with?: readonly TransactItem[] } = {},
  ): Promise<Product> {
    const product = Product.parse(listing.product);
    const variants = listing.variants.map((v) => Variant.parse(v));
    const certificates = (listing.certificates ?? []).map((c) => OcopCertificate.parse(c));
    const lots = (listing.lots ?? []).map((l) => Lot.parse(l));
    if (product.producerId !== producer.id)
      throw invalid('product.producer_mismatch', 'Product and producer do not match');
    if (variants.length < PRODUCT_LIMITS.variantsMin || variants.length > PRODUCT_LIMITS.variantsMax) {
      throw invalid(
        'product.variant_count',
        `A product has ${PRODUCT_LIMITS.variantsMin}–${PRODUCT_LIMITS.variantsMax} packs`,
      );
    }
    const children = [...variants, ...certificates, ...lots];
    if (children.some((child) => child.productId !== product.id)) {
      throw invalid('product.child_mismatch', 'Every pack, certificate and lot must belong to the product');
    }
    const { doc, tableName } = db();
    const put = (Item: Record<string, unknown>) => ({
      Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: slugGuard(tableName, 'product', product.slug, product.id) },
            put(productItem(product, producer)),
            ...variants.map((v) => put(variantItem(v))),
            ...certificates.map((c) => put(ocopItem(c))),
            ...lots.map((l) => put(lotItem(l))),
            ...(options.with ?? []),
          ],
        }),
      )
      .catch(uniqueSlugError('product', product.slug));
    return product;
  },

  /** The lots of a product, oldest harvest first. */
  async listLots(productId: string): Promise<Lot[]> {
    const { doc, tableName } = db();
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lot)',
        ExpressionAttributeValues: { ':pk': keys.product(productId).pk, ':lot': 'LOT#' },
      }),
    );
    return Items.map((item) => fromItem<Lot>(item)).sort((a, b) =>
      a.harvestDate.localeCompare(b.harvestDate),
    );
  },

  /** Which product and seller a pack belongs to (variant-places.ts). */
  placeOfVariant,

  getLotByTraceCode(traceCode: string): Promise<Lot | undefined> {
    return findByPublicId<Lot>(keys.publicId.lot(traceCode));
  },
};
