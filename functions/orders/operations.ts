/** The orders function's operations (route table + schemas), for validation and the OpenAPI document. */
import * as z from 'zod';
import { defineOperation, errorResponse, jsonResponse } from '../http.ts';

const IntentId = z.string().regex(/^pi_[A-Za-z0-9]{8,64}$/, 'Mã thanh toán không hợp lệ / Not a payment id');

export const PaymentIdParam = z.strictObject({ paymentIntentId: IntentId });
export const TransferIdParam = z.strictObject({
  transferId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Mã giao dịch không hợp lệ / Not a transfer id'),
});
export const PaymentStatusQuery = z.strictObject({
  client_secret: z.string().min(10).max(200).meta({ description: 'The intent’s client_secret' }),
});
export const MatchTransferBody = z.strictObject({ paymentIntentId: IntentId });
export const ManualRefundBody = z.strictObject({
  amount: z.int().positive().max(1_000_000_000).optional().meta({ description: 'Whole VND; default: all' }),
  method: z.enum(['cash', 'bank_transfer']).meta({ description: 'How the money went back' }),
  note: z.string().trim().min(3).max(500).meta({ description: 'Why, and any reference' }),
});

const IpnAnswer = z.object({ RspCode: z.string(), Message: z.string() }).meta({ id: 'VnpayIpnAnswer' });
const ReturnView = z
  .object({
    verified: z.boolean(),
    success: z.boolean(),
    paymentIntentId: z.string().nullable(),
    responseCode: z.string().nullable(),
    amount: z.int().nullable(),
  })
  .meta({ id: 'VnpayReturnView' });
const PaymentStatus = z
  .object({
    id: z.string(),
    status: z.string(),
    amount: z.int(),
    currency: z.literal('vnd'),
    payment_method: z.string().nullable(),
    next_action: z.unknown().nullable(),
    last_payment_error: z.unknown().nullable(),
  })
  .meta({ id: 'PaymentStatus' });
const Transfer = z
  .object({
    id: z.string(),
    amount: z.int(),
    description: z.string(),
    received_at: z.string(),
    reason: z.string().nullable(),
    suggested_payment_intent: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'BankTransfer' });

export const operations = {
  vnpayIpn: defineOperation('vnpayIpn', {
    summary: 'VNPay IPN (server to server): records the payment result',
    description:
      'Checks in VNPay’s order: signature (97), order exists (01), amount (04), still pending (02), then 00. ' +
      'Always answers 200 with `{RspCode, Message}`; duplicates are normal and change nothing.',
    responses: { 200: jsonResponse(IpnAnswer, 'VNPay’s answer format') },
  }),
  vnpayReturn: defineOperation('vnpayReturn', {
    summary: 'Verify the VNPay return query for display (never changes state)',
    responses: { 200: jsonResponse(ReturnView, 'What the result page shows') },
  }),
  vietqrNotification: defineOperation('vietqrNotification', {
    summary: 'Bank transfer notification for VietQR (HMAC-SHA256 of the raw body in X-Signature)',
    responses: {
      200: jsonResponse(z.object({ result: z.enum(['matched', 'unmatched', 'duplicate']) }), 'Recorded'),
      400: errorResponse('Malformed notification'),
      401: errorResponse('Bad signature'),
    },
  }),
  listUnmatchedTransfers: defineOperation('listUnmatchedTransfers', {
    summary: 'Transfers whose memo or amount matched no payment (admin)',
    responses: {
      200: jsonResponse(z.object({ items: z.array(Transfer) }), 'Oldest first'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not an admin'),
    },
  }),
  matchTransfer: defineOperation('matchTransfer', {
    summary: 'Settle a VietQR payment with an unmatched transfer, by hand (admin)',
    request: { param: TransferIdParam, json: MatchTransferBody },
    responses: {
      200: jsonResponse(PaymentStatus, 'The settled payment'),
      400: errorResponse('Already matched, amount too small, or payment not awaiting a transfer'),
      403: errorResponse('Not an admin'),
      404: errorResponse('No such transfer or payment'),
    },
  }),
  paymentWebhook: defineOperation('paymentWebhook', {
    summary: 'Receives the payment events the outbox delivers (Stripe-Signature checked, deduplicated)',
    responses: {
      200: jsonResponse(z.object({ received: z.literal(true), duplicate: z.boolean() }), 'Accepted'),
      400: errorResponse('Bad signature or payload'),
    },
  }),
  getPaymentStatus: defineOperation('getPaymentStatus', {
    summary: 'A payment’s status and next action, for the shopper who holds its client_secret',
    request: { param: PaymentIdParam, query: PaymentStatusQuery },
    responses: {
      200: jsonResponse(PaymentStatus, 'Current status'),
      404: errorResponse('No such payment (or wrong client_secret)'),
    },
  }),
  recordManualRefund: defineOperation('recordManualRefund', {
    summary: 'Record a refund paid back by hand (cash or bank transfer), e.g. when VNPay refuses',
    request: { param: PaymentIdParam, json: ManualRefundBody },
    responses: {
      201: jsonResponse(z.object({ id: z.string(), status: z.string(), amount: z.int() }), 'Recorded'),
      400: errorResponse('Nothing left to refund, or the amount is too large'),
      403: errorResponse('Not the manager of a cooperative in this payment, nor an admin'),
      404: errorResponse('No such payment'),
    },
  }),
};
