/**
 * The delivery lane (functions/orders/jobs.ts): due webhook events are sent from the outbox, and
 * due e-invoices issued. Its own module so that only the delivery worker bundles the invoices'
 * code (their XML builder weighs more than the rest of a worker).
 */
import { runDueInvoices, type InvoiceRunReport } from '../../../shared/invoices/worker.ts';
import { deliverWebhooks, type DeliveryReport } from '../../../shared/payments/index.ts';
import { required, services } from '../../../shared/services.ts';
import type { JobOptions } from '../job-messages.ts';
import { exchangePayments } from '../payments.ts';

export type DeliveryLaneReport = {
  kind: 'delivery';
  shards: string[];
  report: DeliveryReport;
  invoices?: InvoiceRunReport;
};

/** Runs one delivery message over its shards, all of them at once. */
export async function runDeliveryLane(
  shards: string[],
  options: JobOptions = {},
): Promise<DeliveryLaneReport> {
  const { settings } = await exchangePayments();
  const now = options.now ?? new Date();
  // E-invoices ride the delivery lane: their due markers are sharded like the outbox.
  const invoices = await runInvoices(shards, now, options.stopAt);
  return {
    kind: 'delivery',
    shards,
    ...(invoices ? { invoices } : {}),
    report: await deliverWebhooks({
      endpoints: settings.webhookEndpoints,
      shards,
      concurrency: shards.length,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: () => options.now! } : {}),
      ...(options.stopAt ? { stopClaimingAt: options.stopAt } : {}),
    }),
  };
}

/** The invoice lane's share of a delivery message, where the function has a provider. */
async function runInvoices(
  shards: readonly string[],
  now: Date,
  stopAt: number | undefined,
): Promise<InvoiceRunReport | undefined> {
  const load = services().invoiceProvider;
  if (!load) return undefined;
  return runDueInvoices(shards, {
    provider: await load(),
    credentials: required('invoiceCredentials'),
    now: () => now,
    ...(stopAt ? { stopAt } : {}),
  });
}
