import { jobWorker } from './jobs-handler.ts';

/** The delivery lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('delivery');
