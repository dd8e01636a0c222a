/**
 * In AWS, photos go straight from the phone to the media bucket with a presigned PUT (the
 * function never carries the bytes); the bucket's event then starts the media function.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadTargets } from '../../shared/seller/photos.ts';

const URL_SECONDS = 15 * 60;

export function s3UploadTargets(bucket: string, client = new S3Client({})): UploadTargets {
  return {
    async create(key, contentType, bytes) {
      // Signing the length and type makes S3 refuse any other body than the one announced.
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: bytes,
      });
      const url = await getSignedUrl(client, command, {
        expiresIn: URL_SECONDS,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, headers: { 'Content-Type': contentType } };
    },
  };
}
