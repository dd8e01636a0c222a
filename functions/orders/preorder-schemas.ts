/** Schemas of the pre-order routes, shared by the orders function (shopper) and the board (manager). */
import * as z from 'zod';
import { PhoneNumber } from '../../shared/domain/common.ts';

export const WindowId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'Mã đợt đặt trước không hợp lệ / Invalid window id');
export const WindowParam = z.strictObject({ windowId: WindowId });
export const FulfillerParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
export const BoardWindowParam = FulfillerParam.extend({ windowId: WindowId });
export const BoardPreorderParam = FulfillerParam.extend({
  code: z
    .string()
    .regex(/^TN-[2-9A-HJKMNP-Z]{5}$/, 'Mã đơn có dạng TN-XXXXX / Order codes look like TN-7K3Q9'),
});
export const PayBalanceBody = z
  .strictObject({
    phone: PhoneNumber,
    paymentMethod: z.enum(['vnpay', 'vietqr'], {
      error: 'Phần còn lại trả trực tuyến qua VNPay hoặc VietQR / Pay the balance by VNPay or VietQR',
    }),
    locale: z.enum(['vi', 'en']).optional(),
  })
  .meta({ id: 'PayPreorderBalance' });
export const OrderCodeOnly = z.strictObject({
  code: BoardPreorderParam.shape.code,
});
export const ListWindowsQuery = z.strictObject({
  productId: z.string().min(1).max(64).optional(),
  product: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .max(80)
    .optional()
    .meta({ description: 'The product’s slug' }),
});

export const PreorderWindowView = z
  .looseObject({
    id: z.string(),
    productId: z.string(),
    season: z.string(),
    phase: z.enum(['upcoming', 'open', 'closed', 'allocated']),
    opensOn: z.string(),
    closesOn: z.string(),
    harvestFrom: z.string(),
    harvestTo: z.string(),
    packs: z.array(z.looseObject({ id: z.string(), grams: z.int(), price: z.int(), deposit: z.int() })),
    leftGrams: z.int(),
    depositPercent: z.int(),
    graceDays: z.int(),
    depositRule: z.object({ vi: z.string(), en: z.string() }),
  })
  .meta({ id: 'PreorderWindow' });
export const OrderView = z.looseObject({ code: z.string(), status: z.string(), total: z.int() });
