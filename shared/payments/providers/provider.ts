/**
 * The provider interface: one implementation per entry of `payment_method_types`. The core owns
 * state, conditions, events and idempotency; a provider only says what confirming (or refunding)
 * means for its rail, and may add items to the same transaction (e.g. the VietQR memo guard).
 *
 * What a `vnpay` provider must implement to plug in (shared/payments/vnpay/, not written here):
 *  - `type: 'vnpay'`, `captureMethod: 'automatic'`.
 *  - `confirm`: build the signed payment URL (2.1.0, amount ×100 on the wire, vnp_CreateDate and
 *    vnp_ExpireDate in GMT+7) and return `{ status: 'requires_action', next_action: { type:
 *    'redirect_to_url', redirect_to_url: { url, return_url } } }`.
 *  - applying the IPN: verify the query, then call `applyPaymentOutcome(payments, intentId,
 *    ['requires_action'], outcome)` (from ../transitions.ts) with `succeeded` (both codes 00),
 *    `requires_payment_method` + `last_payment_error.code = 'vnp_<code>'`, or `processing` (07).
 *    Its conditional write answers the `02` "already confirmed" case: a replayed IPN changes
 *    nothing and emits no event. The return URL never calls it.
 *  - `query`: querydr for intents still pending after their window; return the outcome to
 *    apply (or null when VNPay has nothing final yet). The reconciliation timer applies it the
 *    same way as an IPN.
 *  - `refund`: call VNPay's refund API; return `succeeded` / `pending`, or `failed` with a
 *    `failure_reason` when VNPay refuses. The manager's manual path is then
 *    `refunds.create({ payment_intent, metadata: { manual: 'true', recorded_by } })`, which the
 *    core records without calling the provider.
 */
import type { TransactItem } from '../../db/items.ts';
import type { RequestContext } from '../context.ts';
import type {
  CaptureMethod,
  LastPaymentError,
  Metadata,
  NextAction,
  PaymentIntent,
  PaymentMethodType,
  RefundReason,
  RefundStatus,
} from '../types.ts';

/** Where a confirmation (or a later notification) leaves the intent. */
export type PaymentOutcome = (
  | { status: 'requires_action'; next_action: NextAction }
  | { status: 'requires_capture' }
  | { status: 'processing' }
  | { status: 'succeeded'; amount_received?: number }
  | { status: 'requires_payment_method'; last_payment_error: LastPaymentError }
) & {
  /** Extra writes that must commit with the transition (guards, transfer records). */
  items?: TransactItem[];
  /** Merged into the intent's metadata (e.g. the bank's transaction number). */
  metadata?: Metadata;
};

export interface RefundRequest {
  refundId: string;
  amount: number;
  reason: RefundReason | null;
  metadata: Metadata;
}

export interface RefundOutcome {
  status: RefundStatus;
  failure_reason?: string;
  metadata?: Metadata;
}

export interface PaymentProvider {
  readonly type: PaymentMethodType;
  /** COD is `manual` (captured on delivery); online rails are `automatic`. */
  readonly captureMethod: CaptureMethod;
  confirm(intent: PaymentIntent, ctx: RequestContext): Promise<PaymentOutcome>;
  refund(intent: PaymentIntent, request: RefundRequest, ctx: RequestContext): Promise<RefundOutcome>;
  /** Ask the rail for the final state of a pending intent (VNPay querydr); null if none yet. */
  query?(intent: PaymentIntent, ctx: RequestContext): Promise<PaymentOutcome | null>;
}

export type ProviderMap = Partial<Record<PaymentMethodType, PaymentProvider>>;

/** Recorded by a manager by hand: the money went back in cash or by bank transfer. */
export function manualRefund(request: RefundRequest): RefundOutcome {
  return { status: 'succeeded', metadata: { ...request.metadata, manual: 'true' } };
}
