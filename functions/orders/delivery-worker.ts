import { installLambdaServices } from '../services.ts';
import { paymentsFromSsm } from './payments.ts';
import { carriersFromSsm } from './carriers.ts';
import { jobWorker } from './jobs-handler.ts';
import { runDeliveryLane } from './lanes/delivery.ts';
import { ssmCredentialStore } from '../adapters/ssm-credential-store.ts';
import { createViettelProvider } from '../../shared/invoices/viettel.ts';

// The invoice lane issues with Viettel SInvoice, each seller with its own account from SSM.
installLambdaServices('deliveryJobs', {
  payments: paymentsFromSsm,
  carriers: carriersFromSsm,
  invoiceCredentials: ssmCredentialStore,
  invoiceProvider: createViettelProvider,
});

/** The delivery lane's worker: SQS messages from its queue (jobs.ts). */
export const handler = jobWorker('delivery', runDeliveryLane);
