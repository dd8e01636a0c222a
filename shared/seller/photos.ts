/**
 * Photo uploads: the seller asks for an upload slot, sends the file straight to storage (a
 * presigned S3 PUT in AWS, the local runtime's upload route locally), and the media pipeline
 * processes it; the seller polls the photo until it is ready or refused.
 */
import { newId } from '../db/items.ts';
import { required } from '../services.ts';
import { isStalePending, photos, UPLOAD_MISSING, uploadKey, type ProductPhoto } from '../db/photos.ts';
import { conflict } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { listingForEditor, listingForWriter } from './listings.ts';

export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
}

/** Where uploads go: S3 presigned URLs in AWS, the local runtime's folder locally. */
export interface UploadTargets {
  create(key: string, contentType: string, bytes: number): Promise<UploadTarget>;
}

export const MAX_PHOTOS_PER_PRODUCT = 12;

/**
 * Marks a stale pending photo failed, so it no longer counts toward the limit nor spins forever
 * in the seller's list (an upload that still arrives later is ignored: only pending photos complete).
 */
async function settleIfStale(photo: ProductPhoto, nowMs: number): Promise<ProductPhoto> {
  if (!isStalePending(photo, nowMs)) return photo;
  await photos.complete(photo.productId, photo.photoId, { error: UPLOAD_MISSING });
  return { ...photo, status: 'failed', error: UPLOAD_MISSING };
}

export async function startPhotoUpload(
  p: Principal,
  productId: string,
  body: { contentType: string; bytes: number; alt?: string; purpose?: 'product' | 'certificate_scan' },
): Promise<{ photoId: string; upload: UploadTarget & { method: 'PUT' } }> {
  const listing = await listingForWriter(p, productId);
  const nowMs = Date.now();
  const current = await Promise.all(listing.photos.map((photo) => settleIfStale(photo, nowMs)));
  if (current.filter((photo) => photo.status !== 'failed').length >= MAX_PHOTOS_PER_PRODUCT) {
    throw conflict(
      'photo.too_many',
      `Tối đa ${MAX_PHOTOS_PER_PRODUCT} ảnh / At most ${MAX_PHOTOS_PER_PRODUCT} photos`,
    );
  }
  const targets = required('uploadTargets');
  const photoId = newId();
  await photos.createPending({
    productId,
    photoId,
    alt: body.alt ?? listing.product.name.vi,
    contentType: body.contentType,
    bytes: body.bytes,
    purpose: body.purpose ?? 'product',
  });
  const target = await targets.create(uploadKey(productId, photoId), body.contentType, body.bytes);
  return { photoId, upload: { method: 'PUT', ...target } };
}

export async function getPhoto(p: Principal, productId: string, photoId: string): Promise<ProductPhoto> {
  await listingForEditor(p, productId);
  return settleIfStale(await photos.require(productId, photoId), Date.now());
}
