/**
 * Lambda entry of the media function: EventBridge delivers "Object Created" events of the media
 * bucket for keys under `uploads/`. A refused image is recorded on the photo and the invocation
 * succeeds (retrying would refuse it again); an unexpected error throws, and EventBridge's
 * asynchronous invocation retries it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { config } from '../../shared/services.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { createMediaHandler } from './media.ts';

installLambdaServices('media');

let handleEvent: ReturnType<typeof createMediaHandler> | undefined;

export const handler = observed('media', async (event: S3ObjectCreatedNotificationEvent) => {
  // MEDIA_BUCKET and MEDIA_PREFIX are required settings of this function (functions/services.ts).
  const media = config().media!;
  handleEvent ??= createMediaHandler({
    s3: instrumentClient(new S3Client({})),
    bucket: media.bucket,
    mediaPrefix: media.prefix!,
  });
  return handleEvent(event);
});
