/**
 * A small payment SDK shaped like stripe-node, for the exchange's rails (COD, VietQR, VNPay):
 *
 *   const payments = createPayments({ providers: { cod: createCodProvider(), vietqr: … } });
 *   const intent = await payments.paymentIntents.create(
 *     { amount: 150000, currency: 'vnd', payment_method_types: ['cod'], metadata: { order_code } },
 *     { idempotencyKey },
 *   );
 *   await payments.paymentIntents.confirm(intent.id);   // → requires_capture
 *   await payments.paymentIntents.capture(intent.id);   // on delivery, cash collected → succeeded
 *
 * State lives in the shared DynamoDB table, reached through the storage module
 * (`shared/db/payment-intents.ts`, `payment-events.ts`, `outbox.ts`, …); every change is a
 * conditional write and writes its Stripe-shaped events to the webhook outbox in the same
 * transaction (`deliverWebhooks` sends them). Amounts are whole VND.
 */
import type { PaymentsConfig } from './context.ts';
import { listEvents, type EventListParams } from './events.ts';
import { paymentIntentsResource } from './payment-intents.ts';
import type { PaymentOutcome, ProviderMap } from './providers/provider.ts';
import type { VietQrConfig } from './providers/vietqr.ts';
import { vietQrTransfers } from './providers/vietqr-transfers.ts';
import { refundsResource } from './refunds.ts';
import { applyPaymentOutcome } from './transitions.ts';
import type { StoredIntent } from '../db/payment-intents.ts';
import type { PaymentIntentStatus } from './types.ts';
import { webhooksResource } from './webhooks.ts';

/** The Stripe API version our event shapes follow (stripe-node 23.x). */
export const API_VERSION = '2026-10-28.endive';

export interface PaymentsOptions {
  providers: ProviderMap;
  clock?: () => Date;
  apiVersion?: string;
  webhookEndpointCount?: number;
  idempotencyTtlSeconds?: number;
  idempotencyWaitMs?: number;
}

export function createPayments(options: PaymentsOptions) {
  const config: PaymentsConfig = {
    providers: options.providers,
    clock: options.clock ?? (() => new Date()),
    apiVersion: options.apiVersion ?? API_VERSION,
    webhookEndpointCount: options.webhookEndpointCount ?? 1,
    idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? 24 * 3600,
    idempotencyWaitMs: options.idempotencyWaitMs ?? 5_000,
  };
  const vietqr = options.providers.vietqr as { config?: VietQrConfig } | undefined;
  return {
    paymentIntents: paymentIntentsResource(config),
    refunds: refundsResource(config),
    events: { list: (params?: EventListParams) => listEvents(params) },
    webhooks: webhooksResource(config.clock),
    /**
     * For providers' asynchronous results (VietQR transfer, VNPay IPN or querydr): moves the
     * intent only while it is in one of `from`; `applied: false` means a duplicate, no event.
     */
    applyOutcome: (
      intentId: string,
      from: readonly PaymentIntentStatus[],
      outcome: PaymentOutcome,
      loaded?: StoredIntent,
    ) => applyPaymentOutcome(config, intentId, from, outcome, loaded),
    /** VietQR bank notifications and the manager's unmatched list (when VietQR is enabled). */
    vietqr: vietqr?.config ? vietQrTransfers(config, vietqr.config) : undefined,
  };
}

export type Payments = ReturnType<typeof createPayments>;

export { PaymentError, SignatureVerificationError } from './errors.ts';
export { claimEvent, releaseEvent } from './event-dedupe.ts';
export {
  deliverWebhooks,
  exponentialBackoff,
  type DeliverOptions,
  type DeliveryReport,
  type WebhookEndpoint,
} from './outbox.ts';
export { signatureHeader, verifySignatureHeader } from './signature.ts';
export { createCodProvider } from './providers/cod.ts';
export { createVietQrProvider, type VietQrConfig } from './providers/vietqr.ts';
export { signBankNotification } from './providers/bank-notification.ts';
export type { PaymentOutcome, PaymentProvider, ProviderMap, RefundOutcome } from './providers/provider.ts';
export type * from './types.ts';
export { createVnpayProvider, type VnpaySettings } from './vnpay/provider.ts';
export { handleVnpayIpn, readVnpayReturn, type VnpayLatePayment, type VnpayReturn } from './vnpay/ipn.ts';
export {
  listVnpayLatePayments,
  reconcileVnpay,
  resolveVnpayLatePayment,
  type ReconcileOptions,
  type ReconcileResult,
} from './vnpay/reconcile.ts';
