import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { jobWorker } from './jobs-handler.ts';
import { runExpiryLane } from './lanes/expiry.ts';

installLambdaServices('expiryJobs', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
});

/** The expiry lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('expiry', runExpiryLane);
