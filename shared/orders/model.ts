/**
 * Orders: the checkout body, the order and its sub-orders, and the one transition table that
 * governs both. Pure: no database, no clock (callers pass `now`).
 *
 * One order, one sub-order per fulfiller: a member household's lines go to its cooperative, an
 * independent producer (household, cooperative or enterprise) fulfils its own. Each sub-order has
 * its own status; the order's status is derived from them (`aggregateStatus`).
 */
import * as z from 'zod';
import type { CarrierId, ShipmentStage } from '../carriers/types.ts';
import { isCommuneInProvince, isProvinceCode } from '../domain/admin-codes.ts';
import { PhoneNumber, Text } from '../domain/common.ts';
import type { PreorderState } from '../preorders/model.ts';
import { CompanyInvoiceRequest } from '../invoices/model.ts';

/** Caps that keep one checkout a household's shopping, not a wholesale run. */
export const ORDER_LIMITS = { lines: 20, quantityPerLine: 50, noteLength: 500 } as const;

export const PAYMENT_METHODS = ['vnpay', 'cod', 'vietqr'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const DeliveryAddress = /* @__PURE__ */ z
  .strictObject({
    provinceCode: z.string().regex(/^\d{2}$/, 'Mã tỉnh/thành gồm 2 chữ số'),
    wardCode: z.string().regex(/^\d{5}$/, 'Mã xã/phường gồm 5 chữ số'),
    street: Text(200),
  })
  .refine((a) => isCommuneInProvince(a.provinceCode, a.wardCode), {
    message: 'Xã/phường không thuộc tỉnh/thành đã chọn (đơn vị hành chính 2025)',
    path: ['wardCode'],
  });
export type DeliveryAddress = z.infer<typeof DeliveryAddress>;

export const PlaceOrderBody = /* @__PURE__ */ z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          variantId: z.string().min(1).max(64),
          quantity: z
            .int('Số lượng phải là số nguyên')
            .min(1, 'Số lượng ít nhất là 1')
            .max(
              ORDER_LIMITS.quantityPerLine,
              `Mỗi dòng tối đa ${ORDER_LIMITS.quantityPerLine} gói / At most ${ORDER_LIMITS.quantityPerLine} per line`,
            ),
        }),
      )
      .min(1, 'Giỏ hàng trống / The cart is empty')
      .max(
        ORDER_LIMITS.lines,
        `Mỗi đơn tối đa ${ORDER_LIMITS.lines} dòng / At most ${ORDER_LIMITS.lines} lines per order`,
      )
      .refine((lines) => new Set(lines.map((l) => l.variantId)).size === lines.length, {
        message: 'Mỗi gói chỉ xuất hiện một lần; hãy gộp số lượng / List each pack once',
      }),
    contact: z.strictObject({ name: Text(100), phone: PhoneNumber }),
    delivery: z.discriminatedUnion('method', [
      z.strictObject({ method: z.literal('shipping'), address: DeliveryAddress }),
      z.strictObject({ method: z.literal('pickup') }),
    ]),
    paymentMethod: z.enum(PAYMENT_METHODS),
    note: Text(ORDER_LIMITS.noteLength).optional(),
    /** The shopper's language: VNPay's pages and the return page follow it. Default Vietnamese. */
    locale: z.enum(['vi', 'en']).optional(),
    /** "Xuất hóa đơn công ty": the buyer's company on the sellers' e-invoices (shared/invoices). */
    invoiceRequest: CompanyInvoiceRequest.optional(),
  })
  .meta({ id: 'PlaceOrderBody' });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

/**
 * What checkout asks before "Đặt hàng" (`quoteShipping`): the goods and the commune they go to
 * (carriers price from commune to commune; no street is needed yet). The same shapes as
 * `PlaceOrderBody`'s lines and address.
 */
export const QuoteShippingBody = /* @__PURE__ */ z
  .strictObject({
    lines: PlaceOrderBody.shape.lines,
    address: z
      .strictObject({
        provinceCode: z
          .string()
          .regex(/^\d{2}$/, 'Mã tỉnh/thành gồm 2 chữ số / The province code has 2 digits')
          .refine(isProvinceCode, 'Không có tỉnh/thành với mã này / No such province'),
        wardCode: z.string().regex(/^\d{5}$/, 'Mã xã/phường gồm 5 chữ số / The commune code has 5 digits'),
      })
      .refine((a) => isCommuneInProvince(a.provinceCode, a.wardCode), {
        message:
          'Xã/phường không thuộc tỉnh/thành đã chọn (đơn vị hành chính 2025) / The commune is not in that province',
        path: ['wardCode'],
      }),
  })
  .meta({ id: 'QuoteShippingBody' });
export type QuoteShippingBody = z.infer<typeof QuoteShippingBody>;

export const ORDER_STATUSES = [
  'pending_payment',
  'placed',
  'confirmed',
  'packed',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
  'expired',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who may move a sub-order along an edge of the table. */
export type Actor = 'system' | 'shopper' | 'manager';

/**
 * The one transition table, for sub-orders and (through `aggregateStatus`) the order. `system`
 * edges are taken by payments, timers and the carriers' events (picked up → shipped, delivered,
 * returned to the cooperative → cancelled); `shopper` may cancel before confirmation; `manager`
 * (the fulfiller's manager, or an admin) runs the rest.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderStatus, readonly Actor[]>>>> = {
  pending_payment: { placed: ['system'], cancelled: ['shopper', 'manager'], expired: ['system'] },
  placed: { confirmed: ['manager'], cancelled: ['shopper', 'manager'] },
  confirmed: { packed: ['manager'], cancelled: ['manager'] },
  packed: { shipped: ['manager', 'system'], cancelled: ['manager', 'system'] },
  shipped: { delivered: ['manager', 'system'], cancelled: ['manager', 'system'] },
  delivered: { completed: ['manager', 'system'], refunded: ['manager'] },
  completed: { refunded: ['manager'] },
  cancelled: {},
  refunded: {},
  expired: {},
};

export function canTransition(from: OrderStatus, to: OrderStatus, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

export const TERMINAL: readonly OrderStatus[] = ['completed', 'cancelled', 'refunded', 'expired'];

/**
 * The order's status from its sub-orders: all equal → that status; otherwise the least advanced
 * live one (an order is "shipped" only when every live part has shipped). Cancelled parts do not
 * hold back the others; an order whose parts all ended cancelled/refunded shows the most telling.
 */
export function aggregateStatus(statuses: readonly OrderStatus[]): OrderStatus {
  if (statuses.length === 0) throw new Error('an order has at least one sub-order');
  if (statuses.every((s) => s === statuses[0])) return statuses[0]!;
  const live = statuses.filter((s) => s !== 'cancelled' && s !== 'refunded' && s !== 'expired');
  if (live.length === 0) return statuses.includes('refunded') ? 'refunded' : 'cancelled';
  const rank = (s: OrderStatus) => ORDER_STATUSES.indexOf(s);
  return live.reduce((least, s) => (rank(s) < rank(least) ? s : least));
}

export interface OrderLine {
  variantId: string;
  productId: string;
  productSlug: string;
  productName: string;
  /** "200 g", "hộp 20 túi". */
  pack: string;
  /** The pack's grams (weighed packs), for the parcel's weight; absent for counted packs. */
  grams?: number;
  producerId: string;
  producerName: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface StatusStep {
  status: OrderStatus;
  at: string;
  by: string;
  note?: string;
}

export interface ShippingQuote {
  carrier: CarrierId;
  fee: number;
  /** YYYY-MM-DD (Vietnam time). */
  estimatedDelivery: string;
  service?: string;
  quotedAt: string;
}

export interface ShipmentRecord {
  carrier: CarrierId;
  /** The carrier's code for the parcel (GHN order_code, GHTK label). */
  carrierCode: string;
  /** Ours, sent as the carrier's client/partner order code (one per part: retries find it). */
  clientCode: string;
  /** What the carrier charges; above `shippingQuote.fee`, the difference is the cooperative's cost. */
  fee: number;
  codAmount: number;
  stage: ShipmentStage;
  /** The carrier's events as applied, oldest first (duplicates and stale ones are dropped). */
  events: { stage: ShipmentStage; carrierStatus: string; at: string; reason?: string }[];
  createdAt: string;
  /** COD the carrier says it collected (on delivery). */
  codCollected?: number;
  /** COD the carrier paid out, from an imported statement. */
  codRemitted?: { amount: number; statementId: string; at: string };
  /** What the carrier charges above the checkout quote, VND: the cooperative's cost (0 or absent: none). */
  extraCost?: number;
  /** The cooperative's account at the carrier the shipment was made with (checked on its events). */
  shopId?: string;
}

export interface SubOrder {
  orderCode: string;
  /** The cooperative (or independent producer) that fulfils these lines. */
  fulfillerId: string;
  fulfillerName: string;
  status: OrderStatus;
  lines: OrderLine[];
  subtotal: number;
  shippingFee: number;
  carrier?: string;
  trackingNumber?: string;
  cashCollected?: boolean;
  /**
   * The delivery quote this part was priced with at checkout: the fulfiller's carrier, what the
   * carrier quoted and its estimated delivery date (`shippingFee` is what the shopper paid, which
   * is less when the cooperative ships free above a threshold). Absent for pickup and for orders
   * placed before carriers.
   */
  shippingQuote?: ShippingQuote;
  /** The shipment made with the carrier from the board, and what the carrier has said since. */
  shipment?: ShipmentRecord;
  /** A pre-order's hold against its window (shared/preorders): given back when the part ends. */
  preorder?: {
    windowId: string;
    householdId: string;
    grams: number;
    packs: Record<string, number>;
    /** Set when the harvest is allocated: only then is the part packed. */
    allocatedAt?: string;
  };
  history: StatusStep[];
  createdAt: string;
  version: number;
}

export interface Order {
  code: string;
  status: OrderStatus;
  contact: { name: string; phone: string };
  delivery: PlaceOrderBody['delivery'];
  note?: string;
  paymentMethod: PaymentMethod;
  paymentIntentId: string;
  /** Earlier payments of this order, cancelled when the shopper paid again or another way (repay.ts). */
  replacedIntentIds?: string[];
  itemsTotal: number;
  shippingTotal: number;
  total: number;
  lines: OrderLine[];
  fulfillerIds: string[];
  history: StatusStep[];
  createdAt: string;
  /** Unpaid online orders expire at this time (ISO); absent for COD. */
  payBy?: string;
  /** A pre-order reservation: its window, deposit, allocation and balance (shared/preorders). */
  preorder?: PreorderState;
  /** The buyer's company for e-invoices ("Xuất hóa đơn công ty"), when asked at checkout. */
  invoiceRequest?: CompanyInvoiceRequest;
  version: number;
}

/** Order codes: `TN-` and 5 characters without look-alikes (no 0/O, 1/I/L), ~28 million codes. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function orderCode(random: (n: number) => number): string {
  let body = '';
  for (let i = 0; i < 5; i++) body += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return `TN-${body}`;
}

export const ORDER_CODE = /^TN-[2-9A-HJKMNP-Z]{5}$/;

/** How long an online payment may take before the order expires and its stock returns. */
export const PAYMENT_WINDOW_MS = 15 * 60_000;
