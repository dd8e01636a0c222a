/** Wording and formats the shop pages share (pure). */
import { formatVnd } from '../../../shared/domain/money.ts';
import { toE164, toLocalDisplay } from '../../../shared/domain/phone.ts';
import type { OrderStatus } from './api.ts';

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

export const statusLabel = (status: string) => STATUS_LABELS[status as OrderStatus] ?? status;

export const PAYMENT_LABELS: Record<'vnpay' | 'vietqr' | 'cod', string> = {
  vnpay: 'VNPay (thẻ ATM, thẻ quốc tế, ví)',
  vietqr: 'Chuyển khoản VietQR',
  cod: 'Thanh toán khi nhận hàng (COD)',
};

export const BY_LABELS: Record<string, string> = {
  shopper: 'bạn',
  system: 'hệ thống',
  manager: 'hợp tác xã',
};

/** "12/04/2025 14:05" in the viewer's time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())} ${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}`;
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
