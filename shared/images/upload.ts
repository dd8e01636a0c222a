/**
 * A product photo upload from bytes to a ready (or failed) photo record: the one piece of code the
 * media Lambda (AWS, after S3 reports the upload) and the local runtime (after it stored the
 * upload in its folder) both run, so both environments accept and refuse exactly the same files.
 */
import { photoMediaKey, photos } from '../db/photos.ts';
import type { ImageRef } from '../domain/common.ts';
import { DomainError } from '../domain/errors.ts';
import { processImage, type MediaStore } from './pipeline.ts';

/**
 * Processes the bytes of an upload into renditions under `products/<productId>/<photoId>` and
 * returns the ImageRef to store (dimensions of the largest rendition). Throws a 4xx DomainError
 * for anything that is not an acceptable image.
 */
export async function processUpload(
  bytes: Buffer,
  productId: string,
  photoId: string,
  store: MediaStore,
  alt: string,
): Promise<ImageRef> {
  const key = photoMediaKey(productId, photoId);
  const processed = await processImage(bytes, key, store);
  return { key, alt, width: processed.width, height: processed.height };
}

export type PhotoUploadOutcome =
  | { status: 'ready'; image: ImageRef }
  | { status: 'failed'; error: { code: string; message: string } }
  /** No pending photo record for this upload: unknown, or already processed (a repeated event). */
  | { status: 'skipped'; reason: 'unknown_photo' | 'not_pending' };

/**
 * Runs the photo lifecycle for one upload: process it and mark the photo ready (appending it to
 * the product's images), or record why the file was refused. A refused file is an outcome, not an
 * error: the seller sees the message and uploads another; retrying would refuse it again. Errors
 * that are not DomainErrors (storage or database down) propagate, so the caller can retry.
 *
 * `bytes` may be a function, so that nothing is read for an upload that needs no processing.
 */
export async function completePhotoUpload(input: {
  productId: string;
  photoId: string;
  bytes: Buffer | (() => Promise<Buffer>);
  store: MediaStore;
}): Promise<PhotoUploadOutcome> {
  const { productId, photoId, store } = input;
  const photo = await photos.get(productId, photoId);
  if (!photo) return { status: 'skipped', reason: 'unknown_photo' };
  if (photo.status !== 'pending') return { status: 'skipped', reason: 'not_pending' };
  try {
    const bytes = typeof input.bytes === 'function' ? await input.bytes() : input.bytes;
    const image = await processUpload(bytes, productId, photoId, store, photo.alt);
    await photos.complete(productId, photoId, { image });
    return { status: 'ready', image };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const failure = { code: error.code, message: error.message };
    await photos.complete(productId, photoId, { error: failure });
    return { status: 'failed', error: failure };
  }
}
