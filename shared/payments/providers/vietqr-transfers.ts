/**
 * Settling VietQR intents from the bank's transfer notifications. A transfer whose memo names an
 * intent awaiting payment, for exactly its amount, settles it; anything else (no code, wrong
 * amount, intent no longer waiting, another account) waits in the unmatched list until a manager
 * matches it by hand or sends the money back. A notification delivered twice changes nothing:
 * each bank transaction id is recorded once, in the same transaction as the settlement.
 */
import { transact } from '../../db/payment-intents.ts';
import {
  deleteUnmatched,
  getTransfer,
  intentOfMemo,
  listUnmatchedTransfers,
  listUnmatchedTransfersPage,
  putTransfer,
  putUnmatched,
} from '../../db/vietqr-transfers.ts';
import type { PaymentsConfig } from '../context.ts';
import { PaymentError, invalidRequest, notFound } from '../errors.ts';
import { applyPaymentOutcome, loadIntent } from '../transitions.ts';
import type { PaymentIntent } from '../types.ts';
import {
  memoCandidates,
  parseBankTransfer,
  verifyBankNotification,
  type BankTransfer,
} from './bank-notification.ts';
import { DEFAULT_MEMO_PREFIX, type VietQrConfig } from './vietqr.ts';
import { log } from '../../observability/log.ts';
import { countEvent } from '../../observability/metrics.ts';

export type UnmatchedReason =
  'no_memo_match' | 'amount_mismatch' | 'intent_not_awaiting_payment' | 'other_account';

export interface StoredTransfer extends BankTransfer {
  state: 'matched' | 'unmatched';
  received_at: string;
  payment_intent: string | null;
  reason: UnmatchedReason | null;
  /** For an unmatched transfer whose memo did name an intent: the one it probably meant. */
  suggested_payment_intent: string | null;
  matched_by?: string;
}

export type NotificationResult =
  | { result: 'matched'; transfer: StoredTransfer; payment_intent: PaymentIntent }
  | { result: 'unmatched'; transfer: StoredTransfer }
  | { result: 'duplicate'; transfer: StoredTransfer };

export function vietQrTransfers(config: PaymentsConfig, vietqr: VietQrConfig) {
  const prefix = vietqr.memoPrefix ?? DEFAULT_MEMO_PREFIX;

  async function existing(id: string): Promise<StoredTransfer | undefined> {
    return getTransfer(id);
  }

  /** The intent the memo names, if any, and why the transfer cannot settle it (if it cannot). */
  async function findTarget(transfer: BankTransfer) {
    if (transfer.account_number && transfer.account_number !== vietqr.accountNumber) {
      return { intent: undefined, reason: 'other_account' as const };
    }
    for (const code of memoCandidates(transfer.description, prefix)) {
      const intentId = await intentOfMemo(code);
      if (!intentId) continue;
      const { intent } = await loadIntent(intentId);
      if (intent.status !== 'requires_action')
        return { intent, reason: 'intent_not_awaiting_payment' as const };
      if (intent.amount !== transfer.amount) return { intent, reason: 'amount_mismatch' as const };
      return { intent, reason: null };
    }
    return { intent: undefined, reason: 'no_memo_match' as const };
  }

  return {
    /**
     * Verifies and applies one notification. Throws an `invalid_request_error` (401) on a bad
     * signature before reading the body; the caller answers 2xx otherwise, so the bank stops.
     */
    async applyNotification(rawBody: string, signature: string | undefined): Promise<NotificationResult> {
      if (!verifyBankNotification(rawBody, signature, vietqr.notificationSecret)) {
        throw new PaymentError({
          type: 'invalid_request_error',
          code: 'signature_invalid',
          message: 'The bank notification signature does not match.',
          statusCode: 401,
        });
      }
      const transfer = parseBankTransfer(rawBody);
      const seen = await existing(transfer.id);
      if (seen) return { result: 'duplicate', transfer: seen };
      const receivedAt = config.clock().toISOString();
      const target = await findTarget(transfer);
      if (target.intent && target.reason === null) {
        const stored: StoredTransfer = {
          ...transfer,
          state: 'matched',
          received_at: receivedAt,
          payment_intent: target.intent.id,
          reason: null,
          suggested_payment_intent: null,
        };
        try {
          const { applied, intent } = await applyPaymentOutcome(
            config,
            target.intent.id,
            ['requires_action'],
            {
              status: 'succeeded',
              amount_received: transfer.amount,
              metadata: { vietqr_transaction_id: transfer.id },
              items: [putTransfer(stored)],
            },
          );
          if (applied) return { result: 'matched', transfer: stored, payment_intent: intent };
        } catch (error) {
          const again = await existing(transfer.id);
          if (again) return { result: 'duplicate', transfer: again };
          throw error;
        }
      }
      // Not settled: keep it for a manager.
      const stored: StoredTransfer = {
        ...transfer,
        state: 'unmatched',
        received_at: receivedAt,
        payment_intent: null,
        reason: target.reason ?? 'intent_not_awaiting_payment',
        suggested_payment_intent: target.intent?.id ?? null,
      };
      try {
        await transact([putTransfer(stored), putUnmatched(stored)]);
      } catch (error) {
        const again = await existing(transfer.id);
        if (again) return { result: 'duplicate', transfer: again };
        throw error;
      }
      countEvent('VietQrUnmatched');
      log().warn('bank transfer unmatched', { transferId: stored.id, reason: stored.reason });
      return { result: 'unmatched', transfer: stored };
    },

    /**
     * One page of the transfers waiting for a manager, oldest first, after `after` (the sort key
     * the previous page ended on; the API seals it into a cursor).
     */
    async listUnmatchedPage(page: { limit: number; after?: string }): Promise<{
      items: StoredTransfer[];
      next: string | null;
    }> {
      return listUnmatchedTransfersPage(page);
    },

    /** Every transfer waiting for a manager, oldest first. */
    async listUnmatched(): Promise<StoredTransfer[]> {
      return listUnmatchedTransfers();
    },

    /**
     * A manager settles an intent with an unmatched transfer (the shopper mistyped the memo, or
     * paid from two accounts…). The transfer must cover the amount; a short one is refunded.
     */
    async matchByHand(
      transferId: string,
      paymentIntentId: string,
      by: { matched_by: string },
    ): Promise<PaymentIntent> {
      const transfer = await existing(transferId);
      if (!transfer) throw notFound('transfer', transferId, 'transfer');
      if (transfer.state !== 'unmatched') {
        throw invalidRequest('transfer_already_matched', `Transfer ${transferId} is already matched.`);
      }
      const { intent } = await loadIntent(paymentIntentId);
      if (!intent.payment_method_types.includes('vietqr') || intent.status !== 'requires_action') {
        throw invalidRequest(
          'payment_intent_unexpected_state',
          `PaymentIntent ${intent.id} is not a VietQR payment awaiting a transfer (status ${intent.status}).`,
        );
      }
      if (transfer.amount < intent.amount) {
        throw invalidRequest(
          'amount_too_small',
          `The transfer (${transfer.amount} ₫) does not cover the payment (${intent.amount} ₫): refund it instead.`,
        );
      }
      const matched: StoredTransfer = {
        ...transfer,
        state: 'matched',
        payment_intent: intent.id,
        matched_by: by.matched_by,
      };
      let result: Awaited<ReturnType<typeof applyPaymentOutcome>>;
      try {
        result = await applyPaymentOutcome(config, intent.id, ['requires_action'], {
          status: 'succeeded',
          amount_received: transfer.amount,
          metadata: { vietqr_transaction_id: transfer.id, matched_by: by.matched_by },
          items: [putTransfer(matched, 'unmatched'), deleteUnmatched(transfer)],
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'TransactionCanceledException') {
          throw invalidRequest('transfer_already_matched', `Transfer ${transferId} was matched meanwhile.`);
        }
        throw error;
      }
      if (!result.applied) {
        throw invalidRequest(
          'payment_intent_unexpected_state',
          `PaymentIntent ${intent.id} changed meanwhile.`,
        );
      }
      return result.intent;
    },
  };
}
