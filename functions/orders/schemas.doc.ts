/**
 * What the order functions answer, for the OpenAPI document (an order's view, a payment's
 * status): imported by the operations' documentation, never by a handler.
 */
import * as z from 'zod';

export const OrderView = z
  .looseObject({ code: z.string(), status: z.string(), total: z.int() })
  .meta({ id: 'Order' });

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
