/**
 * VietQR bank transfer (NAPAS 247). Confirming shows a dynamic QR with the amount and a memo
 * that carries the order code; the bank's notification of the transfer (see
 * vietqr-transfers.ts) then settles the intent. Refunds are transfers back, recorded by hand.
 */
import { putMemo } from '../../db/vietqr-transfers.ts';
import type { PaymentIntent, VietQrDisplay } from '../types.ts';
import { memoCode } from './bank-notification.ts';
import { manualRefund, type PaymentProvider } from './provider.ts';
import { vietQrPayload } from './vietqr-payload.ts';

export interface VietQrConfig {
  /** NAPAS BIN of the receiving bank, e.g. 970436 (Vietcombank). */
  bankBin: string;
  accountNumber: string;
  /** Account holder as the bank shows it (upper case, no diacritics). */
  accountName: string;
  /** Secret the bank (or its aggregator) signs notifications with. */
  notificationSecret: string;
  /** Starts every memo so our codes stand out among the bank's own references. */
  memoPrefix?: string;
}

export const DEFAULT_MEMO_PREFIX = 'TN';

/** The code put in the memo: the order's code when the caller gave one, else the intent's id. */
export function intentMemoCode(intent: PaymentIntent): string {
  const source = intent.metadata.order_code ?? intent.metadata.order_id ?? intent.id.slice(3, 15);
  return memoCode(source).slice(0, 20);
}

export function vietQrDisplay(config: VietQrConfig, intent: PaymentIntent): VietQrDisplay {
  const memo = `${config.memoPrefix ?? DEFAULT_MEMO_PREFIX} ${intentMemoCode(intent)}`;
  return {
    payload: vietQrPayload({
      bankBin: config.bankBin,
      accountNumber: config.accountNumber,
      amount: String(intent.amount),
      purpose: memo,
    }),
    bank_bin: config.bankBin,
    account_number: config.accountNumber,
    account_name: config.accountName,
    amount: intent.amount,
    memo,
  };
}

export function createVietQrProvider(config: VietQrConfig): PaymentProvider & { config: VietQrConfig } {
  // NAPAS bank identification numbers are six digits (970xxx for most Vietnamese banks).
  if (!/^\d{6}$/.test(config.bankBin)) {
    throw new Error(`VietQR: a bank BIN is six digits, got "${config.bankBin}"`);
  }
  return {
    type: 'vietqr',
    captureMethod: 'automatic',
    config,
    async confirm(intent) {
      const display = vietQrDisplay(config, intent);
      return {
        status: 'requires_action',
        next_action: { type: 'display_vietqr', vietqr: display },
        // The memo's code points at this intent: the latest intent of an order receives its
        // transfers (an order paid again after a cancelled attempt keeps its code).
        items: [putMemo(intentMemoCode(intent), intent.id)],
      };
    },
    async refund(_intent, request) {
      return manualRefund(request);
    },
  };
}
