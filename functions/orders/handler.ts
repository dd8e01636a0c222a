import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { app } from './app.ts';

installLambdaServices('orders', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
});

export const handler = observed('orders', handle(app));
