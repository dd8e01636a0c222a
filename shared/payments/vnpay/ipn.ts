/**
 * VNPay's IPN (server-to-server, the only thing that settles a payment besides querydr) and the
 * return URL (display only).
 *
 * IPN: `decideIpn` (protocol.ts) checks signature → 97, our terminal and a known txnRef → 01,
 * amount → 04, still pending → 02, in VNPay's order. "Pending" means the intent is waiting for
 * exactly this txnRef (its `vnp_txn_ref`) in `requires_action` (or `processing` after a 07).
 * The result is applied with `payments.applyOutcome` — a conditional write of the intent with
 * its events and the deletion of the pending marker — so a replayed or concurrent IPN changes
 * nothing, emits nothing, and is answered 02. Anything unexpected answers 99 (VNPay retries).
 *
 * Late payments. A verified successful payment that cannot settle its intent — the intent was
 * cancelled first (order expired), was already paid by another attempt, or the amount differs
 * (PAYMENTS.md: "answering 04 does not reverse a payment") — is never dropped: it is recorded
 * once per txnRef (db/vnpay-transactions.ts), before answering (02, or 04 for the amount), and
 * the intent is left as it is. A cancelled intent never becomes `succeeded`: the order is "paid"
 * or "expired and refunded", never both. reconcile.ts refunds late payments through VNPay's
 * refund API and keeps the ones VNPay refuses for a manager (`resolveVnpayLatePayment`). If
 * recording fails the IPN answers 99, so VNPay calls again: nothing is lost either way.
 */
import type { Payments } from '../index.ts';
import type { PaymentOutcome } from '../providers/provider.ts';
import { getIntent, type StoredIntent } from '../../db/payment-intents.ts';
import { getTxn, putLatePayment } from '../../db/vnpay-transactions.ts';
import type { PaymentIntent, PaymentIntentStatus } from '../types.ts';
import {
  IPN_RESPONSES,
  decideIpn,
  paymentResult,
  readReturnUrl,
  toParams,
  type IpnResponse,
  type PaymentResult,
} from './protocol.ts';
import {
  currentTxn,
  deleteMarker,
  intentIdOfTxnRef,
  paymentMetadata,
  vnpayFailure,
  type VnpaySettings,
  type VnpayTxn,
} from './provider.ts';
import { log } from '../../observability/log.ts';
import { countEvent } from '../../observability/metrics.ts';
import { correlateWith } from '../../observability/scope.ts';

export { getTxn };

export type LatePaymentReason =
  'intent_canceled' | 'paid_by_another_attempt' | 'superseded_attempt' | 'amount_mismatch';

export interface VnpayLatePayment {
  txn_ref: string;
  payment_intent: string;
  /** What VNPay says was paid, whole VND. */
  amount: number;
  /** What the intent asked for. */
  expected_amount: number;
  transaction_no: string;
  /** The payment's vnp_CreateDate (refund's TransactionDate). */
  create_date: string;
  bank_code: string;
  pay_date: string | null;
  reason: LatePaymentReason;
  /**
   * `received` → `refunding` (a reconcile run is asking VNPay) → `refunded` / `refund_pending`
   * (VNPay took the refund; pending = processing, or its answer never came) or `refund_failed`
   * (VNPay refused). A manager who gives the money back by hand records `refunded_manually`
   * (from any state but `refunded`; for `refunding`/`refund_pending`, after checking VNPay's
   * merchant admin that VNPay did not refund it already).
   */
  state: 'received' | 'refunding' | 'refunded' | 'refund_pending' | 'refund_failed' | 'refunded_manually';
  received_at: string;
  refund_failure_reason?: string;
  refund_metadata?: Record<string, string>;
  resolved_by?: string;
  updated_at?: string;
}

/**
 * The attempt a txnRef names and its intent. One read when it is the intent's current attempt
 * (the usual IPN: the txnRef starts with the intent id); the mapping item otherwise.
 */
export async function findTxn(
  txnRef: string,
): Promise<{ txn: VnpayTxn; intent: PaymentIntent; stored: StoredIntent } | undefined> {
  const intentId = intentIdOfTxnRef(txnRef);
  const direct = intentId ? await getIntent(intentId) : undefined;
  const current =
    direct && direct.intent.metadata.vnp_txn_ref === txnRef ? currentTxn(direct.intent) : undefined;
  if (direct && current) {
    correlateWith(direct.intent.metadata.order_code);
    return { txn: current, intent: direct.intent, stored: direct };
  }
  const txn = await getTxn(txnRef);
  const stored = txn && (txn.intentId === direct?.intent.id ? direct : await getIntent(txn.intentId));
  correlateWith(stored?.intent.metadata.order_code);
  return txn && stored ? { txn, intent: stored.intent, stored } : undefined;
}

/** The intent is waiting for VNPay's answer about this very attempt. */
export function awaitsTxn(intent: PaymentIntent, txnRef: string): boolean {
  return (
    (intent.status === 'requires_action' || intent.status === 'processing') &&
    intent.metadata.vnp_txn_ref === txnRef
  );
}

const SETTLEABLE: PaymentIntentStatus[] = ['requires_action', 'processing'];

/**
 * Records a successful payment that did not settle its intent (see the header); a no-op for a
 * duplicate of the payment that did settle it, or when already recorded.
 */
export async function keepUnappliedPayment(
  txn: VnpayTxn,
  intent: PaymentIntent,
  payment: {
    success: boolean;
    amountVnd: number | undefined;
    transactionNo: string;
    bankCode: string;
    paidAt?: Date;
  },
  amountMismatch: boolean,
  now: Date,
): Promise<boolean> {
  if (!payment.success || payment.amountVnd === undefined) return false;
  if (!amountMismatch && intent.status === 'succeeded' && intent.metadata.vnp_txn_ref === txn.txnRef)
    return false;
  const reason: LatePaymentReason = amountMismatch
    ? 'amount_mismatch'
    : intent.status === 'canceled'
      ? 'intent_canceled'
      : intent.status === 'succeeded'
        ? 'paid_by_another_attempt'
        : 'superseded_attempt';
  const late: VnpayLatePayment = {
    txn_ref: txn.txnRef,
    payment_intent: txn.intentId,
    amount: payment.amountVnd,
    expected_amount: txn.amount,
    transaction_no: payment.transactionNo,
    create_date: txn.createDate,
    bank_code: payment.bankCode,
    pay_date: payment.paidAt?.toISOString() ?? null,
    reason,
    state: 'received',
    received_at: now.toISOString(),
  };
  return putLatePayment(late);
}

/** The outcome an IPN result calls for, with what VNPay said kept in the metadata. */
function ipnOutcome(
  action:
    | { type: 'succeed' | 'review'; payment: PaymentResult }
    | { type: 'fail'; code: string; payment: PaymentResult },
  txn: VnpayTxn,
): { from: PaymentIntentStatus[]; outcome: PaymentOutcome } {
  const metadata = paymentMetadata(action.payment);
  switch (action.type) {
    case 'succeed':
      return {
        from: SETTLEABLE,
        outcome: {
          status: 'succeeded',
          amount_received: action.payment.amountVnd,
          metadata,
          items: [deleteMarker(txn)],
        },
      };
    case 'review':
      // 07: debited but held for review; the marker stays so querydr learns the final answer.
      return { from: ['requires_action'], outcome: { status: 'processing', metadata } };
    case 'fail':
      return {
        from: SETTLEABLE,
        outcome: {
          status: 'requires_payment_method',
          last_payment_error: vnpayFailure(action.code.replace(/^vnp_/, '')),
          metadata,
          items: [deleteMarker(txn)],
        },
      };
  }
}

/** Answers one IPN call (the JSON body VNPay expects). Never throws: 99 on unexpected errors. */
export async function handleVnpayIpn(
  payments: Payments,
  settings: VnpaySettings,
  query: string | URLSearchParams,
): Promise<IpnResponse> {
  let response: IpnResponse;
  let threw = false;
  try {
    response = await handleIpn(payments, settings, query);
  } catch (error) {
    threw = true;
    log().error('VNPay IPN failed', { error });
    response = IPN_RESPONSES.unknownError;
  }
  countEvent('IpnAnswered', 1, { dimension: 'RspCode', value: response.RspCode });
  if (response.RspCode !== '00' && response.RspCode !== '02') {
    countEvent('IpnFailed');
    // A throw was logged above with its error; a refusal (bad signature, amount, …) is logged here.
    if (!threw) log().warn('VNPay IPN refused', { rspCode: response.RspCode, reason: response.Message });
  } else {
    log().info('VNPay IPN answered', { rspCode: response.RspCode });
  }
  return response;
}

async function handleIpn(payments: Payments, settings: VnpaySettings, query: string | URLSearchParams) {
  const seen: { txn?: VnpayTxn; intent?: PaymentIntent; stored?: StoredIntent } = {};
  const decision = await decideIpn(query, settings, async (txnRef) => {
    const found = await findTxn(txnRef);
    if (!found) return undefined;
    Object.assign(seen, found);
    return { amountVnd: found.txn.amount, pending: awaitsTxn(found.intent, txnRef) };
  });
  const { action } = decision;
  const { txn, intent, stored } = seen;
  if (action.type === 'none') {
    // Verified, ours and known, but not applicable: keep a real payment that would be lost.
    if (txn && intent && (decision.reason === 'already_confirmed' || decision.reason === 'amount_mismatch')) {
      const payment = paymentResult(toParams(query) ?? {});
      await keepUnappliedPayment(txn, intent, payment, decision.reason === 'amount_mismatch', new Date());
    }
    return decision.response;
  }
  if (!txn) return IPN_RESPONSES.unknownError;
  const { from, outcome } = ipnOutcome(action, txn);
  const result = await payments.applyOutcome(txn.intentId, from, outcome, stored);
  if (result.applied) return decision.response;
  // Someone else moved the intent first (a concurrent duplicate, a cancel): 02, and keep the money.
  await keepUnappliedPayment(txn, result.intent, action.payment, false, new Date());
  return IPN_RESPONSES.alreadyConfirmed;
}

export interface VnpayReturn {
  /** Signed by VNPay for our terminal. */
  verified: boolean;
  /** Verified and both codes 00. For display only: the IPN decides. */
  success: boolean;
  paymentIntentId: string | null;
  responseCode: string | null;
  amount: number | null;
}

/**
 * Reads the return URL for the result page. Never changes state (PAYMENTS.md: a shopper can
 * forge or replay it); an unverified query tells nothing, not even which intent it names.
 */
export async function readVnpayReturn(
  settings: VnpaySettings,
  query: string | URLSearchParams,
): Promise<VnpayReturn> {
  const nothing: VnpayReturn = {
    verified: false,
    success: false,
    paymentIntentId: null,
    responseCode: null,
    amount: null,
  };
  let read: ReturnType<typeof readReturnUrl>;
  try {
    read = readReturnUrl(query, settings);
  } catch {
    return nothing;
  }
  if (!read.verified) return nothing;
  const found = read.result.txnRef ? await findTxn(read.result.txnRef) : undefined;
  return {
    verified: true,
    success: read.success,
    paymentIntentId: found?.txn.intentId ?? null,
    responseCode: read.result.responseCode || null,
    amount: read.result.amountVnd ?? null,
  };
}
