/** The pre-order operations of the orders function (route table + schemas). */
import * as z from 'zod';
import {
  AllocatePreorderBody,
  CreatePreorderWindowBody,
  ReservePreorderBody,
  SettlePreorderWeightBody,
} from '../../shared/preorders/model.ts';
import { PhoneNumber } from '../../shared/domain/common.ts';
import { defineOperation, errorResponse, jsonResponse } from '../http.ts';

const WindowId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'Mã đợt đặt trước không hợp lệ / Invalid window id');
export const WindowParam = z.strictObject({ windowId: WindowId });
const FulfillerParam = z.strictObject({ fulfillerId: z.string().min(1).max(64) });
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

const PreorderWindowView = z
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
const OrderView = z.looseObject({ code: z.string(), status: z.string(), total: z.int() });

export const preorderOperations = {
  listPreorderWindows: defineOperation('listPreorderWindows', {
    summary: 'Open pre-order windows (and those opening soon), with what is left of each pack',
    request: { query: ListWindowsQuery },
    responses: {
      200: jsonResponse(
        z.object({ items: z.array(PreorderWindowView) }),
        'The windows, soonest closing first',
      ),
      400: errorResponse('Invalid query'),
    },
  }),
  reservePreorder: defineOperation('reservePreorder', {
    summary:
      'Reserve packs in an open window and pay the deposit online (VNPay or VietQR); send an Idempotency-Key',
    request: { param: WindowParam, json: ReservePreorderBody },
    responses: {
      201: jsonResponse(
        z.object({ order: OrderView, payment: z.looseObject({ id: z.string(), status: z.string() }) }),
        'The reservation (an order waiting for its deposit) and the deposit’s payment',
      ),
      400: errorResponse('Invalid body or Idempotency-Key'),
      404: errorResponse('No such window'),
      409: errorResponse('The window is not open, or not enough is left'),
      422: errorResponse('COD offered for the deposit, a pack the window does not have, or a key reused'),
    },
  }),
  payPreorderBalance: defineOperation('payPreorderBalance', {
    summary: 'Pay the balance of a weighed pre-order online (the order’s phone is the proof): a new payment',
    request: { param: OrderCodeOnly, json: PayBalanceBody },
    responses: {
      200: jsonResponse(
        z.object({ order: OrderView, payment: z.looseObject({ id: z.string(), status: z.string() }) }),
        'The balance payment: follow payment.next_action',
      ),
      400: errorResponse('Invalid body'),
      404: errorResponse('No such order for this phone'),
      409: errorResponse('No balance due online, paid already, or past its grace period'),
    },
  }),
  createPreorderWindow: defineOperation('createPreorderWindow', {
    summary: 'Open a pre-order window for a product this cooperative (or independent producer) fulfils',
    request: { param: FulfillerParam, json: CreatePreorderWindowBody },
    responses: {
      201: jsonResponse(PreorderWindowView, 'The window'),
      400: errorResponse('Invalid body (dates, packs, quotas, deposit, grace period)'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such product among those you fulfil'),
    },
  }),
  getPreorderBoard: defineOperation('getPreorderBoard', {
    summary:
      'The board’s pre-orders view: each window with reserved, allocated, short and paid, per household',
    request: { param: FulfillerParam },
    responses: {
      200: jsonResponse(z.object({ items: z.array(z.looseObject({ id: z.string() })) }), 'The windows'),
      403: errorResponse('Not your pre-orders'),
    },
  }),
  allocatePreorder: defineOperation('allocatePreorder', {
    summary:
      'After closing: allocate each household’s actual picking, first reserved first served; the deposit share of what is short is refunded',
    request: { param: BoardWindowParam, json: AllocatePreorderBody },
    responses: {
      200: jsonResponse(z.looseObject({ windowId: z.string() }), 'The allocation (the same when sent again)'),
      400: errorResponse('Invalid body, or a household that does not pick for this window'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such window'),
      409: errorResponse('The window is still open'),
    },
  }),
  settlePreorderWeight: defineOperation('settlePreorderWeight', {
    summary:
      'At packing: the final weight of each line; the price is adjusted within the tolerance and the shopper told the balance',
    request: { param: BoardPreorderParam, json: SettlePreorderWeightBody },
    responses: {
      200: jsonResponse(OrderView, 'The reservation with its settlement'),
      400: errorResponse('Invalid body'),
      403: errorResponse('Not your pre-orders'),
      404: errorResponse('No such reservation'),
      409: errorResponse('Not allocated yet, or settled already'),
    },
  }),
};
