import { jobWorker } from './jobs-handler.ts';

/** The expiry lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('expiry');
