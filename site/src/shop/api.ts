/**
 * The shop's calls to the API (same origin), with one error shape: `ApiFailure` carries the
 * status, the stable code, the message, field issues and details; a network failure is status 0.
 * Messages are in the page's language: the API writes Vietnamese, often followed by " / " and an
 * English version, which English pages show instead (`serverText`).
 */
import type { ShipmentRecord } from '../../../shared/orders/model.ts';
import { pageLang, tr } from './lang.ts';
import type { CurrentPack } from './store.ts';
import type { RequestBody, Schema } from '../api-contract.ts';
import type { PreorderView } from './preorder-track.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const networkMessage = () =>
  tr(
    'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
    'Could not reach the server. Check your connection and try again.',
  );

/** Letters only Vietnamese uses (ă, đ, ơ, ư and the tone-marked vowels): a message with no English. */
const VIETNAMESE = /[ĂăĐđƠơƯư\u1EA0-\u1EF9àáâãèéêìíòóôõùúý]/iu;

/**
 * A message written by the API, as the page's language wants it: unchanged on Vietnamese pages;
 * on English pages the English half of "Tiếng Việt / English", an English-only message as is,
 * else `fallback`.
 */
export function serverText(message: string, fallback: string, lang = pageLang()): string {
  if (lang !== 'en') return message;
  const cut = message.indexOf(' / ');
  const english = cut >= 0 ? message.slice(cut + 3).trim() : message;
  return english && !VIETNAMESE.test(english) ? english : fallback;
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiFailure(0, 'network', networkMessage());
  }
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const error = (data?.error ?? {}) as { code?: string; message?: string; issues?: FieldIssue[] };
    const code = error.code ?? `http.${res.status}`;
    const fallback = tr(
      `Máy chủ trả lỗi ${res.status}. Hãy thử lại sau.`,
      `The server answered with error ${res.status}. Please try again later.`,
    );
    throw new ApiFailure(
      res.status,
      code,
      error.message ? serverText(error.message, fallback) : fallback,
      (error.issues ?? []).map((issue) => ({
        ...issue,
        message: serverText(issue.message, 'This value was not accepted.'),
      })),
      (data?.details ?? {}) as Record<string, unknown>,
    );
  }
  return data as T;
}

/**
 * Current name (in the page's language when the seller wrote one), packs, prices and stock of a
 * product; undefined when it is no longer sold.
 */
export async function currentProduct(
  slug: string,
): Promise<{ name: string; packs: CurrentPack[]; image?: string | undefined } | undefined> {
  try {
    const product = await api<{
      name: { vi: string; en?: string | undefined };
      variants: CurrentPack[];
      images?: { srcset: { webp: string } }[];
    }>(`/api/catalog/products/${encodeURIComponent(slug)}`);
    const name = pageLang() === 'en' && product.name.en?.trim() ? product.name.en : product.name.vi;
    // The smallest WebP rendition of the first photo: the cart's thumbnail.
    const image = product.images?.[0]?.srcset.webp.split(',')[0]?.trim().split(' ')[0];
    return { name, packs: product.variants, image };
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return undefined;
    throw error;
  }
}

export type OrderStatus =
  | 'pending_payment'
  | 'placed'
  | 'confirmed'
  | 'packed'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'refunded'
  | 'expired';

export interface StatusStep {
  status: OrderStatus;
  at: string;
  by: string;
  note?: string;
}

export interface OrderLine {
  variantId: string;
  productSlug: string;
  productName: string;
  pack: string;
  producerName: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface SubOrder {
  fulfillerId: string;
  fulfillerName: string;
  status: OrderStatus;
  lines: OrderLine[];
  subtotal: number;
  shippingFee: number;
  carrier?: string;
  trackingNumber?: string;
  history: StatusStep[];
  /** The carrier's shipment and its events (a cooperative that ships with GHN, GHTK …). */
  shipment?: ShipmentRecord;
}

export interface OrderView {
  code: string;
  status: OrderStatus;
  contact: { name: string; phone: string };
  delivery:
    | { method: 'shipping'; address: { provinceCode: string; wardCode: string; street: string } }
    | { method: 'pickup' };
  note?: string;
  paymentMethod: 'vnpay' | 'vietqr' | 'cod';
  paymentIntentId: string;
  itemsTotal: number;
  shippingTotal: number;
  total: number;
  lines: OrderLine[];
  subOrders: SubOrder[];
  history: StatusStep[];
  createdAt: string;
  payBy?: string;
  replacedIntentIds?: string[];
  /** A pre-order reservation (site/src/shop/preorder-track.ts). */
  preorder?: PreorderView;
  /** The delivered lines already reviewed (variant ids): "Đã đánh giá" instead of "Viết đánh giá". */
  reviewedVariantIds?: string[];
  /** The company asked for under "Xuất hóa đơn công ty" at checkout. */
  invoiceRequest?: Schema<'CompanyInvoiceRequest'>;
}

export interface VietQrDisplay {
  payload: string;
  bank_bin: string;
  account_number: string;
  account_name: string;
  amount: number;
  memo: string;
}

export type NextAction =
  | { type: 'display_vietqr'; vietqr: VietQrDisplay }
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } }
  | null;

export interface PaymentView {
  id: string;
  status: string;
  client_secret?: string | null;
  next_action: NextAction;
}

export interface PlacedOrder {
  order: OrderView;
  payment: PaymentView & { client_secret: string | null };
  confirmation?: { required: true; confirmBy: string };
}

export type OrderQuote = Schema<'OrderQuote'>;

/** What the order would cost now (the server's rules); placing re-reads and its answer counts. */
export const quoteShipping = (body: RequestBody<'quoteShipping'>) =>
  api<OrderQuote>('/api/orders/quote', { method: 'POST', body });

/**
 * Pay again with VNPay, or pay another way (VietQR, COD), while the order is still held: a new
 * payment replaces `replaces` (the order's payment as last seen); the same request twice gives
 * the same payment.
 */
export const repayOrder = (code: string, body: RequestBody<'repayOrder'>) =>
  api<PlacedOrder>(`/api/orders/${encodeURIComponent(code)}/payment`, { method: 'POST', body });

export const getOrder = (code: string, phone: string) =>
  api<OrderView>(`/api/orders/${encodeURIComponent(code)}?phone=${encodeURIComponent(phone)}`);

/** COD: the code sent by SMS to the order's phone; the order is then held for delivery. */
export const confirmOrder = (code: string, phone: string, otp: string) =>
  api<OrderView>(`/api/orders/${encodeURIComponent(code)}/confirm`, {
    method: 'POST',
    body: { phone, code: otp },
  });

export const cancelOrder = (code: string, phone: string) =>
  api<OrderView>(`/api/orders/${encodeURIComponent(code)}/cancel`, {
    method: 'POST',
    body: { phone } satisfies RequestBody<'cancelOrder'>,
  });

export const paymentStatus = (id: string, clientSecret: string) =>
  api<PaymentView & { amount: number }>(
    `/api/payments/${encodeURIComponent(id)}?client_secret=${encodeURIComponent(clientSecret)}`,
  );
