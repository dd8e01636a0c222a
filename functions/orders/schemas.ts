/**
 * Schemas both order functions use: the shopper-facing orders function and the signed-in board
 * function (an order's code and view, a carrier, a payment's id and status).
 */
import * as z from 'zod';
import { ORDER_CODE } from '../../shared/orders/model.ts';

export const OrderCodeParam = z.strictObject({
  code: z.string().regex(ORDER_CODE, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9'),
});
export const OrderView = z
  .looseObject({ code: z.string(), status: z.string(), total: z.int() })
  .meta({ id: 'Order' });

export const CarrierParam = z.strictObject({
  carrier: z.enum(['ghn', 'ghtk', 'viettelpost'], {
    error: 'Đơn vị vận chuyển: ghn, ghtk hoặc viettelpost / carrier: ghn, ghtk or viettelpost',
  }),
});
export const IntentId = z
  .string()
  .regex(/^pi_[A-Za-z0-9]{8,64}$/, 'Mã thanh toán không hợp lệ / Not a payment id');

export const PaymentIdParam = z.strictObject({ paymentIntentId: IntentId });
export const PaymentStatus = z
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
