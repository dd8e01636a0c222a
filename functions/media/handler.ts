/**
 * Lambda entry of the media function: EventBridge delivers "Object Created" events of the media
 * bucket for keys under `uploads/`. A refused image is recorded on the photo and the invocation
 * succeeds (retrying would refuse it again); an unexpected error throws, and EventBridge's
 * asynchronous invocation retries it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { instrumentClient } from '../../shared/observability/clients.ts';
import { observed } from '../observability.ts';
import { createMediaHandler } from './media.ts';

let handleEvent: ReturnType<typeof createMediaHandler> | undefined;

export const handler = observed('media', async (event: S3ObjectCreatedNotificationEvent) => {
  handleEvent ??= createMediaHandler({
    s3: instrumentClient(new S3Client({})),
    bucket: required('MEDIA_BUCKET'),
    mediaPrefix: required('MEDIA_PREFIX'),
  });
  return handleEvent(event);
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
