import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from '../orders/payments.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { ssmCredentialStore } from '../adapters/ssm-credential-store.ts';
import { app } from './app.ts';

installLambdaServices('office', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  tokens: remoteAuthConfig,
  // Invoice settings save the seller's SInvoice account (write-only).
  invoiceCredentials: ssmCredentialStore,
});

export const handler = observed('office', handle(app));
