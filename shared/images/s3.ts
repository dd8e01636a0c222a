/**
 * The media bucket as the photo pipeline sees it: read an upload (bounded), write renditions.
 * The S3 client is passed in, so the media function can be tested with a fake one (there is no
 * S3 emulator here) and nothing in this file reads configuration.
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  type GetObjectCommandOutput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { IMAGE_ERRORS, IMAGE_LIMITS, type MediaStore } from './pipeline.ts';

/** The two calls the pipeline makes; S3Client satisfies it, and so can a test double. */
export interface MediaBucketClient {
  send(command: GetObjectCommand): Promise<Pick<GetObjectCommandOutput, 'Body' | 'ContentLength'>>;
  send(command: PutObjectCommand): Promise<Partial<PutObjectCommandOutput>>;
}

/**
 * Renditions live under a content-unique key (one photo id per upload, never overwritten), so
 * browsers and CloudFront may keep them for a year without revalidating.
 */
export const RENDITION_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** A MediaStore writing to `s3://<bucket>/<prefix><path>` (prefix `media/`, which CloudFront serves at /media/). */
export function s3MediaStore(options: {
  client: MediaBucketClient;
  bucket: string;
  prefix: string;
}): MediaStore {
  return {
    async put(path, body, contentType) {
      await options.client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: `${options.prefix}${path}`,
          Body: body,
          ContentType: contentType,
          CacheControl: RENDITION_CACHE_CONTROL,
        }),
      );
    },
  };
}

/**
 * Reads one version of an upload into memory, refusing (with the 4xx "too large" error) anything
 * over the limit before reading it: by the declared ContentLength, and again while streaming in
 * case it is missing or wrong.
 */
export async function readUpload(options: {
  client: MediaBucketClient;
  bucket: string;
  key: string;
  versionId?: string;
  maxBytes?: number;
}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? IMAGE_LIMITS.maxBytes;
  const { Body, ContentLength } = await options.client.send(
    new GetObjectCommand({ Bucket: options.bucket, Key: options.key, VersionId: options.versionId }),
  );
  const body = Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (ContentLength !== undefined && ContentLength > maxBytes) {
    // Close the connection instead of downloading what will be refused.
    body?.destroy?.();
    throw IMAGE_ERRORS.tooLarge();
  }
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy?.();
      throw IMAGE_ERRORS.tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
