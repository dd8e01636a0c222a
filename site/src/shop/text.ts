/**
 * Wording and formats the shop pages share (pure). Labels come in both languages: the helpers take
 * the page's language (`pageLang()` in the islands), Vietnamese by default.
 */
import { formatVnd } from '../../../shared/domain/money.ts';
import { toE164, toLocalDisplay } from '../../../shared/domain/phone.ts';
import type { OrderStatus } from './api.ts';
import type { PageLang } from './lang.ts';

export { formatVnd, toE164, toLocalDisplay };

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'Chờ thanh toán',
  placed: 'Đã đặt hàng',
  confirmed: 'Hợp tác xã đã xác nhận',
  packed: 'Đã đóng gói',
  shipped: 'Đã giao cho đơn vị vận chuyển',
  delivered: 'Đã giao hàng',
  completed: 'Hoàn tất',
  cancelled: 'Đã hủy',
  refunded: 'Đã hoàn tiền',
  expired: 'Hết hạn thanh toán',
};

export const STATUS_LABELS_EN: Record<OrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  placed: 'Order placed',
  confirmed: 'Confirmed by the cooperative',
  packed: 'Packed',
  shipped: 'Handed to the carrier',
  delivered: 'Delivered',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  expired: 'Payment time ran out',
};

/** A COD order waits for the buyer's confirmation code, not for a payment. */
const COD_LABELS: Partial<Record<OrderStatus, { vi: string; en: string }>> = {
  pending_payment: { vi: 'Chờ bạn xác nhận bằng mã SMS', en: 'Waiting for your SMS code' },
  expired: { vi: 'Hết hạn xác nhận', en: 'Not confirmed in time' },
};

/** An online order is `placed` once its payment succeeded: the shopper reads "paid". */
const ONLINE_LABELS: Partial<Record<OrderStatus, { vi: string; en: string }>> = {
  placed: { vi: 'Đã thanh toán', en: 'Paid' },
};

export const statusLabel = (status: string, lang: PageLang = 'vi', paymentMethod?: string) => {
  const special =
    paymentMethod === 'cod'
      ? COD_LABELS[status as OrderStatus]
      : paymentMethod === 'vnpay' || paymentMethod === 'vietqr'
        ? ONLINE_LABELS[status as OrderStatus]
        : undefined;
  if (special) return special[lang];
  return (lang === 'en' ? STATUS_LABELS_EN : STATUS_LABELS)[status as OrderStatus] ?? status;
};

export type PaymentMethod = 'vnpay' | 'vietqr' | 'cod';

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  vnpay: 'VNPay (thẻ ATM, thẻ quốc tế, ví)',
  vietqr: 'Chuyển khoản VietQR',
  cod: 'Thanh toán khi nhận hàng (COD)',
};

export const PAYMENT_LABELS_EN: Record<PaymentMethod, string> = {
  vnpay: 'VNPay (Vietnamese bank card, international card or e-wallet)',
  vietqr: 'Bank transfer with VietQR',
  cod: 'Cash on delivery (COD)',
};

export const paymentLabel = (method: string, lang: PageLang = 'vi') =>
  (lang === 'en' ? PAYMENT_LABELS_EN : PAYMENT_LABELS)[method as PaymentMethod] ?? method;

export const BY_LABELS: Record<string, string> = {
  shopper: 'bạn',
  system: 'hệ thống',
  manager: 'hợp tác xã',
};

export const BY_LABELS_EN: Record<string, string> = {
  shopper: 'you',
  system: 'the system',
  manager: 'the cooperative',
};

/** Who took a step ("bạn", "you"…), or undefined for an actor the shop does not name. */
export const byLabel = (by: string, lang: PageLang = 'vi'): string | undefined =>
  (lang === 'en' ? BY_LABELS_EN : BY_LABELS)[by];

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "14:05 12/04/2025" in Vietnamese, "12 Apr 2025, 14:05" in English (no day/month ambiguity for
 * shoppers abroad), in the viewer's time zone.
 */
export function formatDateTime(iso: string, lang: PageLang = 'vi'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  if (lang === 'en') return `${date.getDate()} ${MONTHS_EN[date.getMonth()]} ${date.getFullYear()}, ${time}`;
  return `${time} ${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}`;
}

/** Order codes as the shopper may type them: "tn 7k3q9" → "TN-7K3Q9". */
export function normalizeOrderCode(raw: string): string {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.startsWith('TN') ? `TN-${compact.slice(2)}` : compact;
}

export const ORDER_CODE = /^TN-[2-9A-HJKMNP-Z]{5}$/;

/**
 * Whether the shopper may still cancel: no live part confirmed yet (model.ts TRANSITIONS; parts a
 * cooperative already cancelled do not count, as in lifecycle.ts cancelByShopper).
 */
export function shopperCanCancel(statuses: readonly string[]): boolean {
  const live = statuses.filter((s) => s !== 'cancelled' && s !== 'expired' && s !== 'refunded');
  return live.length > 0 && live.every((s) => s === 'pending_payment' || s === 'placed');
}
