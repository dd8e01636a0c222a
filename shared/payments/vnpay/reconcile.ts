/**
 * Reconciliation with VNPay's querydr, for the timer (PAYMENTS.md: VNPay signs no timestamp and
 * an IPN may never arrive). It reads the pending markers whose payment window has ended
 * (`VNPAYPENDING#<shard>`, sorted by window end: no scan; one worker a shard, or every shard a
 * few at a time) and asks VNPay about each, every call bounded by `apiTimeoutMs`:
 *  - paid (status 00, same amount) → `succeeded`; failed (02, 04) → `requires_payment_method`
 *    (`vnp_<status>`); 07 → `processing` (the marker stays until a final answer);
 *  - no payment at VNPay (API 91) or not completed (01) once the window plus a grace period has
 *    passed → `requires_payment_method` with `vnp_11` (VNPay refuses to take a payment after
 *    vnp_ExpireDate); within the grace period it stays pending;
 *  - anything else (API error, VNPay unreachable, a bad signature) stays pending for next time.
 * Applied exactly like an IPN (same conditional write, same events, the marker deleted in the
 * same transaction), so an IPN and the timer racing settle the intent once. A marker whose intent
 * stopped waiting (cancelled while the shopper was at VNPay) is still asked about: a payment
 * found there becomes a late payment (ipn.ts), then the marker goes.
 *
 * Late payments are then refunded through VNPay's refund API (full refund). A refusal leaves
 * them `refund_failed` for a manager, who gives the money back by hand and records it with
 * `resolveVnpayLatePayment`.
 */
import { forEachConcurrently, SHARDS } from '../../db/shards.ts';
import {
  dueMarkers,
  getLatePayment,
  listLatePayments,
  moveLatePayment as moveLate,
} from '../../db/vnpay-transactions.ts';
import type { Payments } from '../index.ts';
import type { PaymentOutcome } from '../providers/provider.ts';
import { getIntent, transact } from '../../db/payment-intents.ts';
import { awaitsTxn, keepUnappliedPayment, type VnpayLatePayment } from './ipn.ts';
import {
  deleteMarker,
  outcomeOf,
  queryVnpayTransaction,
  readQueryDr,
  refundVnpayPayment,
  vnpayFailure,
  type QueriedPayment,
  type VnpaySettings,
  type VnpayTxn,
} from './provider.ts';
import { log } from '../../observability/log.ts';
import { withLogScope } from '../../observability/scope.ts';

export interface ReconcileOptions {
  now?: Date;
  /** Markers looked at per shard in one run. Default 100. */
  limit?: number;
  /** The marker shards to look at (db/shards.ts). @default every shard */
  shards?: readonly string[];
  /** Shards reconciled at the same time. @default 8 */
  concurrency?: number;
  /** No new marker is asked about after this time (ms since the epoch): a worker's deadline. */
  stopAt?: number;
  /** How long after the window an unfinished payment is given up as timed out. Default 15 min. */
  expireGraceMinutes?: number;
  /** Refund late payments in this run. Default true. */
  refundLatePayments?: boolean;
}

export interface ReconcileResult {
  checked: number;
  succeeded: number;
  failed: number;
  stillPending: number;
  /** Went to `processing` (07). */
  processing: number;
  /** Markers of intents that had stopped waiting (cancelled…), dropped after the check. */
  cleared: number;
  /** Successful payments found for intents that could not take them. */
  latePayments: number;
  lateRefunded: number;
  lateRefundFailed: number;
}

export async function reconcileVnpay(
  payments: Payments,
  settings: VnpaySettings,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 100;
  const graceMs = (options.expireGraceMinutes ?? 15) * 60_000;
  const result: ReconcileResult = {
    checked: 0,
    succeeded: 0,
    failed: 0,
    stillPending: 0,
    processing: 0,
    cleared: 0,
    latePayments: 0,
    lateRefunded: 0,
    lateRefundFailed: 0,
  };
  const timeIsUp = () => options.stopAt !== undefined && Date.now() >= options.stopAt;
  await forEachConcurrently(options.shards ?? SHARDS, options.concurrency ?? 8, async (shard) => {
    if (timeIsUp()) return;
    for (const txn of await dueMarkers(shard, now, limit)) {
      if (timeIsUp()) return;
      result.checked += 1;
      try {
        // Each payment logs under its own order code (set where its intent is read).
        await withLogScope({}, () => reconcileOne(payments, settings, txn, now, graceMs, result));
      } catch (error) {
        log().warn('reconciliation of a payment failed', { intentId: txn.intentId, error });
        result.stillPending += 1;
      }
    }
  });
  if (options.refundLatePayments !== false) await refundLatePayments(settings, now, result);
  return result;
}

async function reconcileOne(
  payments: Payments,
  settings: VnpaySettings,
  txn: VnpayTxn,
  now: Date,
  graceMs: number,
  result: ReconcileResult,
): Promise<void> {
  const found: QueriedPayment = readQueryDr(await queryVnpayTransaction(settings, txn, now));
  const givenUp = found.state === 'not_completed' && now.getTime() >= txn.windowEndMs + graceMs;
  const stored = await getIntent(txn.intentId);

  if (!stored || !awaitsTxn(stored.intent, txn.txnRef)) {
    // The intent stopped waiting for this attempt: keep any money VNPay took, then forget it.
    if (stored && found.state === 'succeeded') {
      if (await keepUnappliedPayment(txn, stored.intent, paidAtVnpay(found), false, now))
        result.latePayments += 1;
    }
    if (found.state === 'succeeded' || found.state === 'failed' || givenUp || !stored) {
      await transact([deleteMarker(txn)]);
      result.cleared += 1;
    } else {
      result.stillPending += 1;
    }
    return;
  }

  let outcome: PaymentOutcome | null = outcomeOf(found, txn.amount);
  if (!outcome && givenUp) {
    outcome = {
      status: 'requires_payment_method',
      last_payment_error: vnpayFailure('11'),
      metadata: { vnp_transaction_status: '01' },
    };
  }
  if (found.state === 'succeeded' && found.amount !== txn.amount) {
    // Paid, but not what was asked: keep it as a late payment (refunded) and let the intent time out.
    if (await keepUnappliedPayment(txn, stored.intent, paidAtVnpay(found), true, now))
      result.latePayments += 1;
    outcome = {
      status: 'requires_payment_method',
      last_payment_error: vnpayFailure('04'),
      metadata: found.metadata,
    };
  }
  if (!outcome || (outcome.status === 'processing' && stored.intent.status === 'processing')) {
    result.stillPending += 1;
    return;
  }
  const settles = outcome.status !== 'processing';
  const from =
    outcome.status === 'processing'
      ? (['requires_action'] as const)
      : (['requires_action', 'processing'] as const);
  const applied = await payments.applyOutcome(txn.intentId, from, {
    ...outcome,
    ...(settles ? { items: [deleteMarker(txn)] } : {}),
  });
  if (!applied.applied) {
    // An IPN (or a cancel) got there first; a payment the intent could not take is kept.
    if (found.state === 'succeeded') {
      if (await keepUnappliedPayment(txn, applied.intent, paidAtVnpay(found), false, now))
        result.latePayments += 1;
    }
    result.stillPending += 1;
    return;
  }
  if (outcome.status === 'succeeded') result.succeeded += 1;
  else if (outcome.status === 'processing') result.processing += 1;
  else result.failed += 1;
}

/** A querydr success in the shape the late-payment record takes. */
function paidAtVnpay(found: QueriedPayment) {
  const metadata = 'metadata' in found ? found.metadata : {};
  return {
    success: found.state === 'succeeded',
    amountVnd: found.state === 'succeeded' ? found.amount : undefined,
    transactionNo: metadata.vnp_transaction_no ?? '0',
    bankCode: metadata.vnp_bank_code ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// Late payments

export async function listVnpayLatePayments(
  filter: { payment_intent?: string } = {},
): Promise<VnpayLatePayment[]> {
  const all = await listLatePayments();
  return filter.payment_intent ? all.filter((p) => p.payment_intent === filter.payment_intent) : all;
}

async function refundLatePayments(
  settings: VnpaySettings,
  now: Date,
  result: ReconcileResult,
): Promise<void> {
  for (const late of await listVnpayLatePayments()) {
    if (late.state !== 'received') continue;
    // Claimed first, so two runs never both ask VNPay for the same refund.
    const claimed: VnpayLatePayment = { ...late, state: 'refunding', updated_at: now.toISOString() };
    if (!(await moveLate(late.txn_ref, ['received'], claimed))) continue;
    const refund = await refundVnpayPayment(settings, {
      txnRef: late.txn_ref,
      createDate: late.create_date,
      transactionNo: late.transaction_no,
      amount: late.amount,
      full: true,
      createBy: 'reconcile',
      orderInfo: `Hoan tien thanh toan muon ${late.txn_ref}`,
      now,
    });
    const state =
      refund.status === 'succeeded'
        ? 'refunded'
        : refund.status === 'failed'
          ? 'refund_failed'
          : 'refund_pending';
    await moveLate(late.txn_ref, ['refunding'], {
      ...claimed,
      state,
      ...(refund.failure_reason ? { refund_failure_reason: refund.failure_reason } : {}),
      ...(refund.metadata ? { refund_metadata: refund.metadata } : {}),
    });
    if (state === 'refund_failed') result.lateRefundFailed += 1;
    else result.lateRefunded += 1;
  }
}

/** A manager gave a late payment back by hand (VNPay refused, or its answer never came). */
export async function resolveVnpayLatePayment(
  txnRef: string,
  params: { recorded_by: string; now?: Date },
): Promise<VnpayLatePayment> {
  const current = await getLatePayment(txnRef);
  if (!current) throw new Error(`No late VNPay payment ${txnRef}`);
  const next: VnpayLatePayment = {
    ...current,
    state: 'refunded_manually',
    resolved_by: params.recorded_by,
    updated_at: (params.now ?? new Date()).toISOString(),
  };
  if (!(await moveLate(txnRef, ['received', 'refunding', 'refund_pending', 'refund_failed'], next))) {
    throw new Error(`Late VNPay payment ${txnRef} is already ${current.state}`);
  }
  return next;
}
