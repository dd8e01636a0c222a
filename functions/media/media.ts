/**
 * The media function's work, separate from its Lambda entry so tests can hand it a fake S3
 * client: an upload landed under `uploads/<productId>/<photoId>` (EventBridge "Object Created"
 * from the media bucket); read it, run the shared photo processing, write the renditions under
 * `media/`, and record the outcome on the photo.
 */
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { log as logger } from '../../shared/observability/log.ts';
import { parseUploadKey } from '../../shared/db/photos.ts';
import { IMAGE_ERRORS, IMAGE_LIMITS } from '../../shared/images/pipeline.ts';
import { readUpload, s3MediaStore, type MediaBucketClient } from '../../shared/images/s3.ts';
import { completePhotoUpload, type PhotoUploadOutcome } from '../../shared/images/upload.ts';

export interface MediaFunctionConfig {
  s3: MediaBucketClient;
  /** The media bucket: uploads are read from it and renditions written to it. */
  bucket: string;
  /** Where renditions go in the bucket (`media/`, the prefix CloudFront serves at /media/). */
  mediaPrefix: string;
  log?: (entry: Record<string, unknown>) => void;
}

export type MediaEventResult = PhotoUploadOutcome | { status: 'ignored'; reason: string };

export function createMediaHandler(config: MediaFunctionConfig) {
  const log = config.log ?? (({ msg, ...entry }) => logger().info(String(msg), entry));
  const store = s3MediaStore({ client: config.s3, bucket: config.bucket, prefix: config.mediaPrefix });

  return async function handleUploadEvent(
    event: S3ObjectCreatedNotificationEvent,
  ): Promise<MediaEventResult> {
    const { bucket, object } = event.detail;
    // The EventBridge rule already filters on bucket, event and prefix; this guards against a
    // rule edited by hand or a test event sent to the wrong function.
    if (event['detail-type'] !== 'Object Created' || bucket.name !== config.bucket) {
      log({ msg: 'media: ignored event', detailType: event['detail-type'], bucket: bucket.name });
      return { status: 'ignored', reason: 'not_an_upload_of_this_bucket' };
    }
    // Upload keys are only [a-z0-9-/], which S3 never URL-encodes in events, so the key is
    // parsed as it comes; anything else is not an upload this exchange handed out.
    const ids = parseUploadKey(object.key);
    if (!ids) {
      log({ msg: 'media: ignored key', key: object.key });
      return { status: 'ignored', reason: 'not_an_upload_key' };
    }

    const outcome = await completePhotoUpload({
      ...ids,
      store,
      bytes: async () => {
        // The event states the size: refuse a too-large upload without even fetching it.
        if (object.size > IMAGE_LIMITS.maxBytes) throw IMAGE_ERRORS.tooLarge();
        return readUpload({
          client: config.s3,
          bucket: config.bucket,
          key: object.key,
          // The bucket is versioned: process exactly the upload this event is about.
          versionId: object['version-id'] || undefined,
        });
      },
    });
    log({ msg: 'media: processed upload', key: object.key, ...summary(outcome) });
    return outcome;
  };
}

function summary(outcome: PhotoUploadOutcome): Record<string, unknown> {
  if (outcome.status === 'ready')
    return { status: 'ready', width: outcome.image.width, height: outcome.image.height };
  if (outcome.status === 'failed') return { status: 'failed', code: outcome.error.code };
  return { status: 'skipped', reason: outcome.reason };
}
