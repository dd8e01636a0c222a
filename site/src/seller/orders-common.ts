/**
 * What the order pages share: the words for order statuses and payment methods, the signed-in
 * manager's cooperative, fetching every sub-order of a range (page after page), money and
 * downloads.
 */
import type {
  Order,
  OrderStatus,
  PaymentMethod,
  StatusStep,
  SubOrder,
} from '../../../shared/orders/model.ts';
import { apiRange, inDays, vnDay } from '../../../shared/orders/reports.ts';
import { api, enc, errorMessage } from './api.ts';
import { byId, fill, h, notice, show } from './dom.ts';
import { loadMe } from './me.ts';
import type { Me } from './types.ts';

export type { Order, OrderStatus, SubOrder };

export interface BoardOrder extends Omit<Order, 'lines'> {
  subOrders: SubOrder[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ORDER_STATUS: Record<OrderStatus, { vi: string; en: string; tone: string }> = {
  pending_payment: { vi: 'Chờ người mua', en: 'Waiting for the buyer to pay or confirm', tone: 'review' },
  placed: { vi: 'Đơn mới', en: 'New', tone: 'review' },
  confirmed: { vi: 'Đã xác nhận', en: 'Confirmed', tone: 'draft' },
  packed: { vi: 'Đã đóng gói', en: 'Packed', tone: 'draft' },
  shipped: { vi: 'Đang giao', en: 'Shipped', tone: 'draft' },
  delivered: { vi: 'Đã giao', en: 'Delivered', tone: 'ok' },
  completed: { vi: 'Hoàn tất', en: 'Completed', tone: 'ok' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled', tone: 'bad' },
  refunded: { vi: 'Đã hoàn tiền', en: 'Refunded', tone: 'bad' },
  expired: { vi: 'Hết hạn', en: 'Not paid or confirmed in time', tone: 'muted' },
};

export const PAYMENT_METHOD: Record<PaymentMethod, string> = {
  cod: 'Thanh toán khi nhận hàng (COD)',
  vnpay: 'VNPay (thẻ, ví, QR)',
  vietqr: 'Chuyển khoản VietQR',
};

/** Who took a step, as the history stores it (an account id for people). */
export function stepBy(step: StatusStep): string {
  if (step.by === 'shopper') return 'Người mua';
  if (step.by === 'system') return 'Hệ thống';
  return 'Quản lý HTX';
}

export function statusChip(status: OrderStatus): HTMLElement {
  const label = ORDER_STATUS[status];
  return h(
    'span',
    { class: `chip-status chip-status--${label?.tone ?? 'muted'}`, title: label?.en ?? status },
    label?.vi ?? status,
  );
}

/** The manager's cooperative, or a message on the page saying the page is not for this account. */
export async function requireManager(): Promise<Me['manages'] & object> {
  let me: Me;
  try {
    me = await loadMe();
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    throw error;
  }
  show(byId('boot'), false);
  if (!me.manages) {
    const box = byId('page-error');
    fill(
      box,
      'Trang này dành cho quản lý hợp tác xã đã được xác minh. ',
      h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
      ' / For verified cooperative managers.',
    );
    box.className = 'notice notice--info';
    show(box);
    throw new Error('not a manager');
  }
  return me.manages;
}

export const boardPath = (coopId: string) => `/api/board/${enc(coopId)}/orders`;

/** Every sub-order created on the Vietnamese days `from`…`to` (at most `maxPages` pages of 100). */
export async function fetchRange(
  coopId: string,
  from: string,
  to: string,
  maxPages = 50,
): Promise<SubOrder[]> {
  const range = apiRange(from, to);
  const all: SubOrder[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await api<Page<SubOrder>>(boardPath(coopId), {
      query: { from: range.from, to: range.to, limit: '100', cursor },
    });
    all.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return all.filter((s) => inDays(s, from, to));
}

export const today = () => vnDay(new Date());

/** The filters in the page's address, read once. */
export const params = () => new URLSearchParams(location.search);

/** "1.250.000" without the currency sign, for tables whose heading says "đồng". */
export function formatAmount(n: number): string {
  return n.toLocaleString('vi-VN');
}

/** Saves text as a file in the browser. */
export function download(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table with a caption, header row and body rows; cells are text or nodes. */
export function table(
  caption: string | null,
  head: string[],
  rows: (string | number | Node)[][],
  options: { numeric?: number[]; foot?: (string | number)[] } = {},
): HTMLTableElement {
  const numeric = new Set(options.numeric ?? []);
  const cell = (tag: 'td' | 'th', value: string | number | Node, i: number) =>
    h(tag, { class: numeric.has(i) ? 'num' : null, scope: tag === 'th' ? 'col' : null }, value);
  return h(
    'table',
    { class: 'data-table' },
    caption ? h('caption', null, caption) : null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((text, i) => cell('th', text, i)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((row) =>
        h(
          'tr',
          null,
          row.map((value, i) => cell('td', value, i)),
        ),
      ),
    ),
    options.foot
      ? h(
          'tfoot',
          null,
          h(
            'tr',
            null,
            options.foot.map((value, i) => cell('td', value, i)),
          ),
        )
      : null,
  );
}
