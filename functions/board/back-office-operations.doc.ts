/**
 * What the office function's own operations answer (functions/board/back-office-operations.ts),
 * for the OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import { PaymentStatus } from '../orders/schemas.doc.ts';
import type { backOfficeOperations } from './back-office-operations.ts';

const CodDifference = z
  .object({
    orderCode: z.string().optional(),
    carrierCode: z.string().optional(),
    clientCode: z.string().optional(),
    expected: z.int().optional(),
    remitted: z.int().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'CodDifference' });
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

export const backOfficeOperationsDocs: OperationDocsOf<typeof backOfficeOperations> = {
  importCodStatement: {
    summary:
      'Import a carrier’s COD statement (its CSV): marks each part’s COD remitted and lists what is missing, short or extra; the same statement twice changes nothing',
    responses: {
      200: jsonResponse(
        z
          .object({
            statementId: z.string(),
            carrier: z.string(),
            importedAt: z.string(),
            rows: z.int(),
            matched: z.int(),
            remittedTotal: z.int(),
            missing: z.array(CodDifference),
            short: z.array(CodDifference),
            extra: z.array(CodDifference),
            repeated: z.boolean().optional(),
          })
          .meta({ id: 'CodStatementResult' }),
        'What the statement paid and the differences',
      ),
      400: errorResponse('Not a statement in the carrier’s columns'),
      403: errorResponse('Not this cooperative’s manager'),
    },
  },
  listUnmatchedTransfers: {
    summary: 'Transfers whose memo or amount matched no payment (admin), a page at a time',
    responses: {
      200: jsonResponse(
        z.object({ items: z.array(Transfer), nextCursor: z.string().nullable() }),
        'Oldest first',
      ),
      400: errorResponse('Invalid cursor or limit'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Not an admin'),
    },
  },
  matchTransfer: {
    summary: 'Settle a VietQR payment with an unmatched transfer, by hand (admin)',
    responses: {
      200: jsonResponse(PaymentStatus, 'The settled payment'),
      400: errorResponse('Already matched, amount too small, or payment not awaiting a transfer'),
      403: errorResponse('Not an admin'),
      404: errorResponse('No such transfer or payment'),
    },
  },
  recordManualRefund: {
    summary: 'Record a refund paid back by hand (cash or bank transfer), e.g. when VNPay refuses',
    responses: {
      201: jsonResponse(z.object({ id: z.string(), status: z.string(), amount: z.int() }), 'Recorded'),
      400: errorResponse('Nothing left to refund, or the amount is too large'),
      403: errorResponse('Not the manager of a cooperative in this payment, nor an admin'),
      404: errorResponse('No such payment'),
    },
  },
};
