import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from '../orders/payments.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { app } from './app.ts';

installLambdaServices('seasons', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  tokens: remoteAuthConfig,
});

export const handler = observed('seasons', handle(app));
