import { installLambdaServices } from '../services.ts';
import { sqsNoticeQueue } from '../adapters/sqs-notice-queue.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { jobWorker } from './jobs-handler.ts';
import { runReconcileLane } from './lanes/reconcile.ts';

installLambdaServices('reconcileJobs', {
  noticeQueue: sqsNoticeQueue,
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
});

/** The reconcile lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('reconcile', runReconcileLane);
