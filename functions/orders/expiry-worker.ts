import { installLambdaServices } from '../services.ts';
import { jobWorker } from './jobs-handler.ts';

installLambdaServices('expiryJobs');

/** The expiry lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('expiry');
