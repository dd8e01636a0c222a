import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { createSnsMessenger } from '../adapters/sns-messenger.ts';
import { s3UploadTargets } from './s3-upload-targets.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { app } from './app.ts';

installLambdaServices('producers', {
  messenger: createSnsMessenger,
  uploadTargets: s3UploadTargets,
  tokens: remoteAuthConfig,
});

export const handler = observed('producers', handle(app));
