/**
 * The reconcile lane (functions/orders/jobs.ts): VNPay payments nobody heard back about are asked
 * about with querydr and late payments refunded; beside it, the carriers are asked about open
 * shipments. Its own module so that the reconcile worker bundles only this lane's code.
 */
import { SHARDS } from '../../../shared/db/shards.ts';
import { pollShipments, type PollReport } from '../../../shared/orders/shipments.ts';
import { reconcileVnpay, type ReconcileResult } from '../../../shared/payments/vnpay/reconcile.ts';
import { services } from '../../../shared/services.ts';
import type { JobOptions } from '../job-messages.ts';
import { exchangePayments } from '../payments.ts';

export type ReconcileLaneReport = {
  kind: 'reconcile';
  shards: string[];
  report: ReconcileResult;
  shipments?: PollReport;
};

/** Runs one reconcile message over its shards, all of them at once. */
export async function runReconcileLane(
  shards: string[],
  options: JobOptions = {},
): Promise<ReconcileLaneReport> {
  const { payments, settings } = await exchangePayments();
  const now = options.now ?? new Date();
  // The late-payment refunds are one list: the message with the first shard does them.
  const vnpay = options.fetch ? { ...settings.vnpay, fetch: options.fetch } : settings.vnpay;
  // A query is only started if it can finish (its own timeout) before the deadline.
  const stopAt = options.stopAt && options.stopAt - (vnpay.apiTimeoutMs ?? 10_000);
  const [report, shipments] = await Promise.all([
    reconcileVnpay(payments, vnpay, {
      now,
      shards,
      concurrency: shards.length,
      refundLatePayments: shards.includes(SHARDS[0]!),
      ...(stopAt ? { stopAt } : {}),
    }),
    catchUpShipments(shards, now, options.stopAt),
  ]);
  return { kind: 'reconcile', shards, report, ...(shipments ? { shipments } : {}) };
}

/** The carriers' catch-up, where the function has carriers (shared/orders/shipments.ts). */
export async function catchUpShipments(
  shards: readonly string[],
  now: Date,
  stopAt: number | undefined,
): Promise<PollReport | undefined> {
  const load = services().carriers;
  if (!load) return undefined;
  const { payments } = await exchangePayments();
  return pollShipments(
    { carriers: load, payments, now },
    { shards, concurrency: shards.length, ...(stopAt ? { stopAt } : {}) },
  );
}
