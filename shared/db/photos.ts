import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ImageRef } from '../domain/common.ts';
import { notFound } from '../domain/errors.ts';
import { db } from './client.ts';
import { catalogSort, fromItem, keys, type TransactItem } from './items.ts';

/**
 * A product photo from upload to processed renditions. The upload lands under
 * `uploads/<productId>/<photoId>` (S3 in AWS, a folder locally); processing writes the
 * renditions under `/media/products/<productId>/<photoId>/…` and appends the photo to the
 * product's images.
 */
export interface ProductPhoto {
  productId: string;
  photoId: string;
  status: 'pending' | 'ready' | 'failed';
  alt: string;
  contentType: string;
  bytes: number;
  /** Product photos join the gallery when ready; certificate scans and review photos do not. */
  purpose: 'product' | 'certificate_scan' | 'review';
  /** A review photo's order line (`<order code>#<pack id>`): only that line's review may use it. */
  line?: string;
  /** Set when ready: the rendition key, e.g. products/<productId>/<photoId>. */
  image?: ImageRef;
  /** Set when failed: a message for the seller, in Vietnamese and English. */
  error?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

/**
 * An upload slot's URL lasts 15 minutes and processing takes seconds: a photo still pending an hour
 * after its slot was handed out will never arrive (the seller closed the page, the network dropped).
 */
export const STALE_PENDING_MS = 60 * 60_000;

export const UPLOAD_MISSING = {
  code: 'photo.upload_missing',
  message:
    'Ảnh chưa được tải lên trong 1 giờ; hãy chọn lại ảnh / The upload never arrived; choose the photo again',
};

export function isStalePending(photo: Pick<ProductPhoto, 'status' | 'createdAt'>, nowMs: number): boolean {
  return photo.status === 'pending' && nowMs - Date.parse(photo.createdAt) > STALE_PENDING_MS;
}

/** The object key of an upload in the media bucket (AWS) or the upload folder (local). */
export function uploadKey(productId: string, photoId: string): string {
  return `uploads/${productId}/${photoId}`;
}

/** Parses an upload key back into its product and photo ids, or null for anything else. */
export function parseUploadKey(key: string): { productId: string; photoId: string } | null {
  const match = /^uploads\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(key);
  return match ? { productId: match[1]!, photoId: match[2]! } : null;
}

/** The media key renditions are written under. */
export function photoMediaKey(productId: string, photoId: string): string {
  return `products/${productId}/${photoId}`;
}

/**
 * Review photos have ids starting `rv-` (shared/reviews/reviews.ts) and an item of their own, out
 * of the product's partition, which the seller center reads whole: buyers' photos must not grow it.
 * Their uploads and renditions use the same keys as a listing's photos, so the one pipeline (the
 * media function, the local upload route) processes both.
 */
export const REVIEW_PHOTO_PREFIX = 'rv-';

const photoKey = (productId: string, photoId: string) =>
  photoId.startsWith(REVIEW_PHOTO_PREFIX)
    ? { pk: `REVIEWPHOTO#${photoId}`, sk: 'PHOTO' }
    : { ...keys.product(productId), sk: `PHOTO#${photoId}` };

/** The photo id of a gallery image: the last part of its rendition key (products/<productId>/<photoId>). */
export function imagePhotoId(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

export const photos = {
  /** Removes a photo's record, in the caller's transaction (only if it is still there). */
  removeItem(productId: string, photoId: string): TransactItem {
    return {
      Delete: {
        TableName: db().tableName,
        Key: photoKey(productId, photoId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
  },

  async createPending(
    photo: Omit<ProductPhoto, 'status' | 'createdAt' | 'updatedAt'>,
  ): Promise<ProductPhoto> {
    const now = new Date().toISOString();
    const record: ProductPhoto = { ...photo, status: 'pending', createdAt: now, updatedAt: now };
    const { doc, tableName } = db();
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...photoKey(photo.productId, photo.photoId), type: 'photo', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  },

  /**
   * The photo of this product with this id. A review photo's item is keyed by its id alone, so the
   * record's own product is checked: another product's id never reaches it.
   */
  async get(productId: string, photoId: string): Promise<ProductPhoto | undefined> {
    const photo = await readPhoto(photoKey(productId, photoId));
    return photo?.productId === productId ? photo : undefined;
  },

  /**
   * A listing's own photo (its gallery's, or a certificate scan), for the seller's photo routes:
   * a buyer's review photo is never one, not even through its own product (its record names the
   * buyer's order).
   */
  async listingPhoto(productId: string, photoId: string): Promise<ProductPhoto | undefined> {
    if (photoId.startsWith(REVIEW_PHOTO_PREFIX)) return undefined;
    const photo = await this.get(productId, photoId);
    return photo?.purpose === 'review' ? undefined : photo;
  },

  /**
   * Records the outcome of processing. On success the photo becomes ready and is appended to the
   * product's images in the same transaction; processing the same upload twice changes nothing.
   */
  async complete(
    productId: string,
    photoId: string,
    outcome: { image: ImageRef } | { error: { code: string; message: string } },
  ): Promise<void> {
    const { doc, tableName } = db();
    const now = new Date().toISOString();
    const key = photoKey(productId, photoId);
    const photo = await this.require(productId, photoId);
    if ('error' in outcome) {
      await doc
        .send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...(await this.require(productId, photoId)),
              ...key,
              type: 'photo',
              status: 'failed',
              error: outcome.error,
              updatedAt: now,
            },
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          }),
        )
        .catch(ignoreAlreadyDone);
      return;
    }
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: key,
                UpdateExpression: 'SET #status = :ready, image = :image, updatedAt = :now',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':ready': 'ready',
                  ':pending': 'pending',
                  ':image': outcome.image,
                  ':now': now,
                },
              },
            },
            ...(photo.purpose === 'certificate_scan' || photo.purpose === 'review'
              ? []
              : [
                  {
                    Update: {
                      TableName: tableName,
                      Key: keys.product(productId),
                      // A new change time re-sorts the product in its catalog shard, so every
                      // container's read model picks the photo up at its next poll (a product
                      // never published has no catalogKey and stays out of the index).
                      UpdateExpression:
                        'SET images = list_append(images, :image), updatedAt = :now, catalogSort = :changed',
                      ConditionExpression: 'attribute_exists(pk)',
                      ExpressionAttributeValues: {
                        ':image': [outcome.image],
                        ':now': now,
                        ':changed': catalogSort('product', productId),
                      },
                    },
                  },
                ]),
          ],
        }),
      )
      .catch(ignoreAlreadyDone);
  },

  /** A review photo by its id alone (`rv-…`; its item is keyed by the id), or undefined for any other id. */
  async reviewPhoto(photoId: string): Promise<ProductPhoto | undefined> {
    return photoId.startsWith(REVIEW_PHOTO_PREFIX) ? readPhoto(photoKey('', photoId)) : undefined;
  },

  async require(productId: string, photoId: string): Promise<ProductPhoto> {
    const photo = await this.get(productId, photoId);
    if (!photo) throw notFound('photo.not_found', 'Không tìm thấy ảnh / Photo not found');
    return photo;
  },
};

async function readPhoto(key: { pk: string; sk: string }): Promise<ProductPhoto | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item ? fromItem<ProductPhoto>(Item) : undefined;
}

function ignoreAlreadyDone(error: unknown): void {
  const name = (error as { name?: string }).name;
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') return;
  throw error;
}
