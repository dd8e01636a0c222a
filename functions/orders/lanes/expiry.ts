/**
 * The expiry lane (functions/orders/jobs.ts): unpaid online orders past their window expire and
 * their stock is released; then pre-order balances past their grace period lapse. Its own module
 * so that the expiry worker bundles only this lane's code.
 */
import { expireUnpaidOrders, type ExpiryReport } from '../../../shared/orders/lifecycle.ts';
import { lapseUnpaidBalances, type LapseReport } from '../../../shared/preorders/settle.ts';
import type { JobOptions } from '../job-messages.ts';
import { exchangePayments } from '../payments.ts';

export type ExpiryLaneReport = {
  kind: 'expiry';
  shards: string[];
  report: ExpiryReport;
  lapsed?: LapseReport;
};

/** Runs one expiry message over its shards, all of them at once. */
export async function runExpiryLane(shards: string[], options: JobOptions = {}): Promise<ExpiryLaneReport> {
  const { payments } = await exchangePayments();
  const now = options.now ?? new Date();
  const report = await expireUnpaidOrders(payments, now, {
    shards,
    concurrency: shards.length,
    stopAt: options.stopAt ?? Date.now() + 30_000,
  });
  // Pre-order balances past their grace period ride the same lane (shared/preorders/settle.ts),
  // after the orders' expiry: nothing a reservation does can keep unpaid orders from expiring.
  const lapsed = await lapseUnpaidBalances(payments, now, { shards });
  return { kind: 'expiry', shards, report, lapsed };
}
