/**
 * A listing's items as the seller center changes them (the product, its packs, certificates,
 * lots, photos and stock history share the product's partition):
 *   PRODUCT#<id> / PRODUCT | VARIANT#… | OCOP#… | LOT#… | PHOTO#…   (products.ts, photos.ts)
 *   PRODUCT#<id> / STOCK#<ISO time>#<id>                           a stock change, newest last
 * The use-case module (seller/listings.ts) puts these items, with its audit entries, in one
 * transaction (`transactWrite`).
 */
import type { Lot } from '../domain/lot.ts';
import type { OcopCertificate } from '../domain/ocop.ts';
import type { Producer } from '../domain/producer.ts';
import { Product, type Variant } from '../domain/product.ts';
import { db } from './client.ts';
import { catalogSort, fromItem, keys, guardedPut, newId, queryAll, type TransactItem } from './items.ts';
import type { ProductPhoto } from './photos.ts';
import { CERTIFICATE_QUEUE, lotItem, ocopItem, productItem, variantItem } from './products.ts';

export { REVIEW_QUEUES } from './products.ts';

export interface ListingItems {
  product: Product | undefined;
  variants: Variant[];
  certificates: OcopCertificate[];
  lots: Lot[];
  photos: ProductPhoto[];
}

/** Everything stored under a product, read consistently. */
export async function listingItems(productId: string): Promise<ListingItems> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.product(productId).pk },
    ConsistentRead: true,
  });
  const of = <T>(type: string) => items.filter((i) => i.type === type).map((i) => fromItem<T>(i));
  const product = items.find((i) => i.type === 'product');
  return {
    product: product ? fromItem<Product>(product) : undefined,
    variants: of<Variant>('variant'),
    certificates: of<OcopCertificate>('ocop'),
    lots: of<Lot>('lot'),
    photos: of<ProductPhoto>('photo'),
  };
}

/** A new item: its key must be free. */
function putNew(Item: Record<string, unknown>): TransactItem {
  return guardedPut(Item, 'new');
}

/** The product item write with an optimistic lock on `updatedAt`. */
export function saveProduct(next: Product, previous: Product, seller: Producer): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: productItem(Product.parse(next), seller),
      ConditionExpression: 'updatedAt = :previous',
      ExpressionAttributeValues: { ':previous': previous.updatedAt },
    },
  };
}

/** A new pack on an existing listing. */
export const putNewPack = (variant: Variant): TransactItem => putNew(variantItem(variant));

/** A pack's new price (the pack must exist); its catalog entry moves so readers see it. */
export function setPackPrice(productId: string, variantId: string, price: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: keys.variant(productId, variantId),
      UpdateExpression: 'SET price = :price, catalogSort = :changed',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':price': price, ':changed': catalogSort('variant', variantId) },
    },
  };
}

/**
 * A pack's stock from `before` to `after`, only while it is still `before` (no lost update, never
 * negative); catalogSort moves, so the change reaches every catalog read model at its next poll.
 */
export function setPackStock(
  productId: string,
  variantId: string,
  before: number,
  after: number,
): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: keys.variant(productId, variantId),
      UpdateExpression: 'SET stock = :after, catalogSort = :changed',
      ConditionExpression: 'stock = :before',
      ExpressionAttributeValues: {
        ':before': before,
        ':after': after,
        ':changed': catalogSort('variant', variantId),
      },
    },
  };
}

/** A stock history entry of a product. */
export function putStockChange(
  productId: string,
  entry: Record<string, unknown> & { at: string },
): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: {
        ...keys.product(productId),
        sk: `STOCK#${entry.at}#${newId()}`,
        type: 'stock_change',
        ...entry,
      },
    },
  };
}

/** A product's stock history, newest first. */
export async function stockHistory<T>(productId: string): Promise<T[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stock)',
    ExpressionAttributeValues: { ':pk': keys.product(productId).pk, ':stock': 'STOCK#' },
    ScanIndexForward: false,
  });
  return items.map((i) => fromItem<T>(i));
}

/** Ids of the products waiting in a review queue. */
export async function productIdsInReview(queue: string): Promise<string[]> {
  const items = await queryAll({
    IndexName: 'reviewQueue',
    KeyConditionExpression: 'reviewKey = :q',
    ExpressionAttributeValues: { ':q': queue },
  });
  return items.map((i) => String(i.id));
}

/** Ids of a seller's products, newest first (byOwner). */
export async function productIdsOfSeller(sellerId: string): Promise<string[]> {
  const items = await queryAll({
    IndexName: 'byOwner',
    KeyConditionExpression: 'ownerKey = :o AND begins_with(ownerSort, :p)',
    ExpressionAttributeValues: { ':o': `PRODUCER#${sellerId}`, ':p': 'PRODUCT#' },
    ScanIndexForward: false,
  });
  return items.map((i) => String(i.id));
}

/** A new OCOP certificate of a listing. */
export const putNewCertificate = (cert: OcopCertificate): TransactItem => putNew(ocopItem(cert));

/** A new harvest lot of a listing. */
export const putNewLot = (lot: Lot): TransactItem => putNew(lotItem(lot));

/** A certificate's decision, only while it is still undecided. */
export function decideCertificate(next: OcopCertificate): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: ocopItem(next),
      ConditionExpression: 'attribute_exists(pk) AND verified = :no AND attribute_not_exists(review)',
      ExpressionAttributeValues: { ':no': false },
    },
  };
}

/** Certificates awaiting an admin (the reviewQueue index). */
export async function certificatesToVerify(): Promise<OcopCertificate[]> {
  const items = await queryAll({
    IndexName: 'reviewQueue',
    KeyConditionExpression: 'reviewKey = :q',
    ExpressionAttributeValues: { ':q': CERTIFICATE_QUEUE },
  });
  return items.map((i) => fromItem<OcopCertificate>(i));
}
