import { installLambdaServices } from '../services.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { jobWorker } from './jobs-handler.ts';

installLambdaServices('deliveryJobs', { payments: paymentsFromSsm, carriers: carriersFromSsm });

/** The delivery lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('delivery');
