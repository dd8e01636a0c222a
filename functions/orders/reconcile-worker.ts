import { jobWorker } from './jobs-handler.ts';

/** The reconcile lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('reconcile');
