/**
 * Scheduled work of the orders function: VNPay reconciliation (querydr for payments still
 * pending after their window), expiry of unpaid orders (15 minutes) and webhook delivery from the
 * outbox. In AWS an EventBridge rule
 * runs it every minute (jobs-handler.ts); locally the runtime runs it on a timer.
 */
import { deliverWebhooks } from '../../shared/payments/index.ts';
import { reconcileVnpay } from '../../shared/payments/vnpay/reconcile.ts';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { exchangePayments } from './payments.ts';

export interface JobsReport {
  reconciled: Awaited<ReturnType<typeof reconcileVnpay>>;
  expired: Awaited<ReturnType<typeof expireUnpaidOrders>>;
  webhooks: Awaited<ReturnType<typeof deliverWebhooks>>;
}

export async function runScheduledJobs(
  options: { now?: Date; fetch?: typeof fetch } = {},
): Promise<JobsReport> {
  const { payments, settings } = await exchangePayments();
  const reconciled = await reconcileVnpay(payments, settings.vnpay, options.now ? { now: options.now } : {});
  // After querydr: an order whose payment VNPay confirms late is paid, not expired.
  const expired = await expireUnpaidOrders(payments, options.now ?? new Date());
  const webhooks = await deliverWebhooks({
    endpoints: settings.webhookEndpoints,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: () => options.now! } : {}),
  });
  return { reconciled, expired, webhooks };
}
