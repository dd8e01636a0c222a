import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from '../orders/payments.ts';
import { carriersFromSsm } from '../orders/carriers.ts';
import { app } from './app.ts';

installLambdaServices('callbacks', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
});

export const handler = observed('callbacks', handle(app));
