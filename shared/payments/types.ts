/**
 * Object shapes of the payment SDK. They mirror stripe-node's (same names, same snake_case
 * fields, same status values) so that code written against this SDK reads like Stripe code, and
 * a type-level test (tests/unit/payments-stripe-types.test.ts) keeps them assignable to the
 * matching fields of the `stripe` package's types.
 */

/** Whole đồng: VND is a zero-decimal currency, ×100 happens only on the VNPay wire. */
export type Currency = 'vnd';

export type PaymentMethodType = 'cod' | 'vietqr' | 'vnpay';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type CaptureMethod = 'automatic' | 'manual';

export type CancellationReason =
  'abandoned' | 'duplicate' | 'fraudulent' | 'requested_by_customer' | 'expired';

/** Stripe limits metadata to 50 keys of ≤ 40 characters with string values of ≤ 500. */
export type Metadata = Record<string, string>;

export interface VietQrDisplay {
  /** The NAPAS 247 EMVCo string to render as a QR code. */
  payload: string;
  bank_bin: string;
  account_number: string;
  account_name: string;
  amount: number;
  /** Transfer memo (nội dung chuyển khoản): carries the order code the notification is matched by. */
  memo: string;
}

export type NextAction =
  | { type: 'display_vietqr'; vietqr: VietQrDisplay }
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } };

export type PaymentErrorType = 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'api_error';

export interface LastPaymentError {
  type: PaymentErrorType;
  code?: string;
  message?: string;
  payment_method_type?: string;
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: Currency;
  status: PaymentIntentStatus;
  capture_method: CaptureMethod;
  payment_method_types: PaymentMethodType[];
  /** The method chosen at confirmation (Stripe keeps a PaymentMethod id here; we keep the type). */
  payment_method: string | null;
  next_action: NextAction | null;
  metadata: Metadata;
  description: string | null;
  created: number;
  canceled_at: number | null;
  cancellation_reason: CancellationReason | null;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  client_secret: string | null;
  livemode: false;
}

export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  currency: Currency;
  charge: string | null;
  payment_intent: string;
  reason: RefundReason | null;
  status: RefundStatus;
  failure_reason?: string;
  metadata: Metadata;
  created: number;
}

/** The slice of a Stripe Charge that `charge.refunded` carries (we keep no separate charges). */
export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: Currency;
  captured: boolean;
  paid: boolean;
  refunded: boolean;
  status: 'succeeded';
  payment_intent: string;
  payment_method_details: { type: string } | null;
  metadata: Metadata;
  created: number;
  livemode: false;
}

export type PaymentEventType =
  | 'payment_intent.created'
  | 'payment_intent.requires_action'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.processing'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.refunded'
  | 'refund.created'
  | 'refund.updated';

export interface PaymentEvent {
  id: string;
  object: 'event';
  type: PaymentEventType;
  api_version: string;
  created: number;
  data: { object: PaymentIntent | Refund | Charge; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** Per-request options, as stripe-node takes them in the last argument. */
export interface RequestOptions {
  idempotencyKey?: string;
}
