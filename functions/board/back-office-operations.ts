/**
 * The office function's own operations (route and request schemas; functions/office/routes.ts): a
 * cooperative's COD statements, an admin's unmatched transfers, refunds recorded by hand. What
 * they answer is documented in back-office-operations.doc.ts, which only the OpenAPI document
 * imports. The handlers are in back-office.ts.
 */
import * as z from 'zod';
import { Text } from '../../shared/domain/common.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { ORDER_CODE } from '../../shared/orders/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { OFFICE_ROUTES } from '../office/routes.ts';
import { CarrierParam, IntentId, PaymentIdParam } from '../orders/schemas.ts';

const defineOperation = routeOperationDefiner(OFFICE_ROUTES);

/** The board's own parameter (operations.ts), declared again so the board's schemas stay out. */
const BoardParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });

export const CodStatementBody = z
  .strictObject({
    carrier: CarrierParam.shape.carrier,
    csv: z
      .string()
      .min(1, 'Hãy chọn tệp bảng kê COD / Choose the statement file')
      .max(900_000, 'Bảng kê quá lớn (tối đa 900 KB); hãy tách thành nhiều tệp / At most 900 KB'),
  })
  .meta({ id: 'CodStatement' });
export const TransferIdParam = z.strictObject({
  transferId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Mã giao dịch không hợp lệ / Not a transfer id'),
});
export const MatchTransferBody = z
  .strictObject({
    paymentIntentId: IntentId.optional(),
    orderCode: z
      .string()
      .regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9')
      .optional(),
  })
  .refine((b) => (b.paymentIntentId === undefined) !== (b.orderCode === undefined), {
    message: 'Cho biết mã đơn hoặc mã thanh toán (một trong hai) / Give an order code or a payment id',
  });
export const ManualRefundBody = z.strictObject({
  amount: z.int().positive().max(1_000_000_000).optional().meta({ description: 'Whole VND; default: all' }),
  method: z.enum(['cash', 'bank_transfer']).meta({ description: 'How the money went back' }),
  note: Text(500)
    .pipe(z.string().min(3, 'Tối thiểu 3 ký tự / At least 3 characters'))
    .meta({ description: 'Why, and any reference' }),
});

export const backOfficeOperations = {
  importCodStatement: defineOperation('importCodStatement', { param: BoardParam, json: CodStatementBody }),
  listUnmatchedTransfers: defineOperation('listUnmatchedTransfers', {
    query: z.strictObject({ limit: PageLimit(50, 100), cursor: CursorParam.optional() }),
  }),
  matchTransfer: defineOperation('matchTransfer', { param: TransferIdParam, json: MatchTransferBody }),
  recordManualRefund: defineOperation('recordManualRefund', {
    param: PaymentIdParam,
    json: ManualRefundBody,
  }),
};
