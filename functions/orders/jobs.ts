/**
 * Background work of the orders context, in three lanes that never wait for each other:
 *  - `expiry`: unpaid online orders past their window are expired and their stock released;
 *  - `reconcile`: VNPay payments nobody heard back about are asked about with querydr (every call
 *    bounded by the VNPay settings' `apiTimeoutMs`), and late payments are refunded; beside it,
 *    the carriers are asked about open shipments (missed webhooks, shipments a timeout left
 *    `creating`: shared/orders/shipments.ts `pollShipments`), over the same shard groups;
 *  - `delivery`: due webhook events are sent from the outbox.
 * Each lane works over the shards of its own partition (db/shards.ts), split into SHARD_GROUPS:
 * one message names a lane and a group of shards. In AWS an EventBridge rule per lane puts one
 * message per group on the lane's SQS queue every minute; the lane's worker function consumes it
 * (batch item failures, redrive to the lane's dead-letter queue), so the lanes scale out by
 * group and a VNPay that hangs delays only reconciliation. Locally `startJobLanes` runs the
 * same messages on a timer per lane.
 */
import { SHARDS } from '../../shared/db/shards.ts';
import { JOB_KINDS, tickMessages, type JobKind, type JobMessage, type JobOptions } from './job-messages.ts';
import { runDeliveryLane, type DeliveryLaneReport } from './lanes/delivery.ts';
import { runExpiryLane, type ExpiryLaneReport } from './lanes/expiry.ts';
import { catchUpShipments, runReconcileLane, type ReconcileLaneReport } from './lanes/reconcile.ts';
import { expireUnpaidOrders, type ExpiryReport } from '../../shared/orders/lifecycle.ts';
import { deliverWebhooks, type DeliveryReport } from '../../shared/payments/index.ts';
import { reconcileVnpay, type ReconcileResult } from '../../shared/payments/vnpay/reconcile.ts';
import { lapseUnpaidBalances, type LapseReport } from '../../shared/preorders/settle.ts';
import type { PollReport } from '../../shared/orders/shipments.ts';
import { exchangePayments } from './payments.ts';

export {
  JOB_KINDS,
  parseJobMessage,
  SHARD_GROUPS,
  SHARDS_PER_MESSAGE,
  tickMessages,
  type JobKind,
  type JobMessage,
  type JobOptions,
} from './job-messages.ts';

export type JobReport = ExpiryLaneReport | ReconcileLaneReport | DeliveryLaneReport;

/**
 * Runs one message: its lane over its shards, all of them at once. Each worker function calls
 * its own lane's runner instead (functions/orders/lanes/), so it bundles no other lane's code.
 */
export async function runJob(message: JobMessage, options: JobOptions = {}): Promise<JobReport> {
  switch (message.kind) {
    case 'expiry':
      return runExpiryLane(message.shards, options);
    case 'reconcile':
      return runReconcileLane(message.shards, options);
    case 'delivery':
      return runDeliveryLane(message.shards, options);
  }
}

export interface JobsReport {
  reconciled: ReconcileResult;
  expired: ExpiryReport;
  lapsed: LapseReport;
  webhooks: DeliveryReport;
  shipments?: PollReport;
}

/**
 * One pass of every lane over every shard, one lane after the other (reconciliation first, so a
 * payment VNPay confirms late is placed rather than expired). For tests and one-off runs; the
 * lanes themselves run independently (startJobLanes, the worker functions).
 */
export async function runScheduledJobs(
  options: { now?: Date; fetch?: typeof fetch } = {},
): Promise<JobsReport> {
  const { payments, settings } = await exchangePayments();
  const reconciled = await reconcileVnpay(payments, settings.vnpay, options.now ? { now: options.now } : {});
  const expired = await expireUnpaidOrders(payments, options.now ?? new Date());
  const lapsed = await lapseUnpaidBalances(payments, options.now ?? new Date());
  const webhooks = await deliverWebhooks({
    endpoints: settings.webhookEndpoints,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: () => options.now! } : {}),
  });
  const shipments = await catchUpShipments(SHARDS, options.now ?? new Date(), undefined);
  return { reconciled, expired, lapsed, webhooks, ...(shipments ? { shipments } : {}) };
}

export interface JobLanesOptions {
  /** How often each lane starts a tick (a lane still busy skips it). */
  intervalMs: number;
  /** The longest one tick of a lane may keep starting new work. @default 50 s */
  tickBudgetMs?: number;
  /** Which lanes to run. @default all */
  kinds?: readonly JobKind[];
  fetch?: typeof fetch;
  now?: () => Date;
  log?: (line: string) => void;
  onReport?: (report: JobReport) => void;
}

export interface RunningJobLanes {
  /** Runs one tick of a lane now (unless it is busy) and resolves when it is done. */
  tick(kind: JobKind): Promise<void>;
  stop(): void;
}

/**
 * The local runtime's stand-in for the queues and workers: a timer per lane, each tick running
 * the lane's messages (one per shard group) at the same time. A lane skips a tick while its last
 * one is still running, so a hanging VNPay holds up reconciliation and nothing else.
 */
export function startJobLanes(options: JobLanesOptions): RunningJobLanes {
  const busy = new Map<JobKind, Promise<void>>();
  const kinds = options.kinds ?? JOB_KINDS;
  const tick = (kind: JobKind): Promise<void> => {
    const running = busy.get(kind);
    if (running) return running;
    const stopAt = Date.now() + (options.tickBudgetMs ?? 50_000);
    const run = Promise.all(
      tickMessages(kind).map((message) =>
        runJob(message, {
          stopAt,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.now ? { now: options.now() } : {}),
        }).then(
          (report) => options.onReport?.(report),
          (error: unknown) => options.log?.(`${kind} jobs failed: ${String(error)}`),
        ),
      ),
    ).then(() => void busy.delete(kind));
    busy.set(kind, run);
    return run;
  };
  const timers = kinds.map((kind) => {
    const timer = setInterval(() => void tick(kind), options.intervalMs);
    timer.unref();
    return timer;
  });
  return {
    tick,
    stop: () => timers.forEach((timer) => clearInterval(timer)),
  };
}
