import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { s3UploadTargets } from './s3-upload-targets.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { app } from './app.ts';

installLambdaServices('producers', {
  noticeQueue: sqsNoticeQueue,
  uploadTargets: s3UploadTargets,
  tokens: remoteAuthConfig,
});

export const handler = observed('producers', handle(app));
