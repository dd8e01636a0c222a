/**
 * Schemas both order functions use: the shopper-facing orders function and the signed-in board
 * function (an order's code, a carrier, a payment's id). What they answer is in schemas.doc.ts.
 */
import * as z from 'zod';
import { ORDER_CODE } from '../../shared/orders/model.ts';

export const OrderCodeParam = z.strictObject({
  code: z.string().regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9'),
});
export const CarrierParam = z.strictObject({
  carrier: z.enum(['ghn', 'ghtk', 'viettelpost'], {
    error: 'Đơn vị vận chuyển: ghn, ghtk hoặc viettelpost / carrier: ghn, ghtk or viettelpost',
  }),
});
export const IntentId = z
  .string()
  .regex(/^pi_[A-Za-z0-9]{8,64}$/, 'Mã thanh toán không hợp lệ / Not a payment id');

export const PaymentIdParam = z.strictObject({ paymentIntentId: IntentId });
