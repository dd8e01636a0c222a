/**
 * What the callbacks answer (functions/orders/callback-operations.ts), for the OpenAPI document
 * only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { callbackOperations } from './callback-operations.ts';

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
export const callbackOperationsDocs: OperationDocsOf<typeof callbackOperations> = {
  carrierWebhook: {
    summary:
      'A carrier’s status callback (GHN, GHTK, Viettel Post), checked with its token; moves the part it names (duplicates and stale events change nothing)',
    responses: {
      200: jsonResponse(z.object({ applied: z.int(), ignored: z.int() }), 'Received'),
      400: errorResponse('Not the carrier’s shape'),
      401: errorResponse('Bad token or signature'),
      404: errorResponse('No such carrier'),
    },
  },
  vnpayIpn: {
    summary: 'VNPay IPN (server to server): records the payment result',
    description:
      'Checks in VNPay’s order: signature (97), order exists (01), amount (04), still pending (02), then 00. ' +
      'Always answers 200 with `{RspCode, Message}`; duplicates are normal and change nothing.',
    responses: { 200: jsonResponse(IpnAnswer, 'VNPay’s answer format') },
  },
  vnpayReturn: {
    summary: 'Verify the VNPay return query for display (never changes state)',
    responses: { 200: jsonResponse(ReturnView, 'What the result page shows') },
  },
  vietqrNotification: {
    summary: 'Bank transfer notification for VietQR (HMAC-SHA256 of the raw body in X-Signature)',
    responses: {
      200: jsonResponse(z.object({ result: z.enum(['matched', 'unmatched', 'duplicate']) }), 'Recorded'),
      400: errorResponse('Malformed notification'),
      401: errorResponse('Bad signature'),
    },
  },
  paymentWebhook: {
    summary: 'Receives the payment events the outbox delivers (Stripe-Signature checked, deduplicated)',
    responses: {
      200: jsonResponse(z.object({ received: z.literal(true), duplicate: z.boolean() }), 'Accepted'),
      400: errorResponse('Bad signature or payload'),
    },
  },
};
