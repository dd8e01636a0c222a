/**
 * Errors shaped like stripe-node's: `type` says which family (`card_error`,
 * `invalid_request_error`, `idempotency_error`, `api_error`), `code` is stable, `message` is for
 * people. `PaymentError` plays the part of `StripeError`; callers branch on `type`/`code`.
 */
import type { PaymentErrorType } from './types.ts';

export interface PaymentErrorFields {
  type: PaymentErrorType;
  code: string;
  message: string;
  param?: string;
  /** The HTTP status stripe-node would report for this error. */
  statusCode?: number;
}

const DEFAULT_STATUS: Record<PaymentErrorType, number> = {
  card_error: 402,
  invalid_request_error: 400,
  idempotency_error: 400,
  api_error: 500,
};

export class PaymentError extends Error {
  readonly type: PaymentErrorType;
  readonly code: string;
  readonly param?: string;
  readonly statusCode: number;
  /** The fields as a plain object: stored with an idempotency key and replayed as the same error. */
  readonly raw: PaymentErrorFields;

  constructor(fields: PaymentErrorFields) {
    super(fields.message);
    this.name = 'PaymentError';
    this.type = fields.type;
    this.code = fields.code;
    this.param = fields.param;
    this.statusCode = fields.statusCode ?? DEFAULT_STATUS[fields.type];
    this.raw = { ...fields, statusCode: this.statusCode };
  }
}

/** Thrown by `webhooks.constructEvent` (stripe-node: StripeSignatureVerificationError). */
export class SignatureVerificationError extends Error {
  readonly type = 'signature_verification_error';
  constructor(message: string) {
    super(message);
    this.name = 'SignatureVerificationError';
  }
}

export const invalidRequest = (code: string, message: string, param?: string) =>
  new PaymentError({ type: 'invalid_request_error', code, message, param });

export const idempotencyError = (code: string, message: string, statusCode?: number) =>
  new PaymentError({ type: 'idempotency_error', code, message, statusCode });

export const apiError = (code: string, message: string) =>
  new PaymentError({ type: 'api_error', code, message });

export const notFound = (kind: string, id: string, param = 'id') =>
  new PaymentError({
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param,
    statusCode: 404,
  });

/** Stripe's answer to an operation the intent's current status does not allow. */
export const unexpectedState = (action: string, id: string, status: string, allowed: readonly string[]) =>
  invalidRequest(
    'payment_intent_unexpected_state',
    `You cannot ${action} this PaymentIntent (${id}) because it has a status of ${status}. ` +
      `Only a PaymentIntent with one of the following statuses may be ${action}d: ${allowed.join(', ')}.`,
  );
