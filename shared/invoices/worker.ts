/**
 * The invoice lane: due markers (db/invoices.ts `INVOICEDUE#<shard>`) written with the order
 * changes that call for an invoice are run here, shard by shard, outside any request. A marker is
 * deleted once its invoice is issued (or nothing is to be issued); a failure keeps it, due again
 * after a backoff (30 s doubling to 1 h, then hourly until it is issued: an invoice is owed, so
 * the lane never gives up on it), and counts `InvoiceIssueFailed`, which the monitoring stack
 * alarms on. The invoice record shows `failed` with the last error and its kind on the board
 * from the first failure until an attempt succeeds. In AWS it rides the delivery lane's messages (functions/orders/jobs.ts);
 * locally the same lane's timer.
 */
import { invoices, type InvoiceDue } from '../db/invoices.ts';
import { forEachConcurrently } from '../db/shards.ts';
import { countEvent } from '../observability/metrics.ts';
import { log } from '../observability/log.ts';
import { processInvoiceDue, type IssueDeps } from './issue.ts';
import { ProviderError } from './provider.ts';

export interface InvoiceRunReport {
  issued: number;
  skipped: number;
  failed: number;
  waiting: number;
}

export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** attempts, 3_600_000);

/** Runs every due marker of `shards` once. */
export async function runDueInvoices(
  shards: readonly string[],
  deps: IssueDeps & { stopAt?: number },
): Promise<InvoiceRunReport> {
  const report: InvoiceRunReport = { issued: 0, skipped: 0, failed: 0, waiting: 0 };
  await forEachConcurrently(shards, Math.min(4, shards.length), async (shard) => {
    const due = await invoices.dueIn(shard, deps.now().getTime());
    for (const item of due) {
      if (deps.stopAt && Date.now() > deps.stopAt) return;
      await runOne(item, deps, report);
    }
  });
  return report;
}

async function runOne(due: InvoiceDue, deps: IssueDeps, report: InvoiceRunReport): Promise<void> {
  try {
    const outcome = await processInvoiceDue(due, deps);
    if (outcome.state === 'busy') return;
    if (outcome.state === 'waiting') {
      report.waiting++;
      await invoices.rescheduleDue(due, deps.now().getTime() + backoffMs(due.attempts), outcome.reason);
      return;
    }
    if (outcome.state === 'issued') {
      report.issued++;
      countEvent('InvoicesIssued');
    } else report.skipped++;
    await invoices.deleteDue(due);
  } catch (error) {
    report.failed++;
    countEvent('InvoiceIssueFailed');
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log().warn('invoice.issue_failed', {
      order: due.orderCode,
      part: due.fulfillerId,
      kind: due.kindKey,
      attempt: due.attempts + 1,
      failure: error instanceof ProviderError ? `${error.kind} ${error.code}` : 'error',
      error: message,
    });
    await invoices.rescheduleDue(due, deps.now().getTime() + backoffMs(due.attempts), message);
  }
}
