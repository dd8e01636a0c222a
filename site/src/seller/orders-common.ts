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
import { paymentState } from '../../../shared/orders/payment-state.ts';
import { apiRange, inDays, stepActor, vnDay, type BoardListItem } from '../../../shared/orders/reports.ts';
import { api, enc, errorMessage } from './api.ts';
import { byId, fill, h, notice, show } from './dom.ts';
import { loadMe } from './me.ts';
import type { Me } from './types.ts';

export type { BoardListItem, Order, OrderStatus, SubOrder };

export interface BoardOrder extends Omit<Order, 'lines'> {
  subOrders: SubOrder[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ORDER_STATUS: Record<OrderStatus, { vi: string; hint: string; tone: string }> = {
  pending_payment: { vi: 'Chờ người mua', hint: 'Chờ người mua thanh toán hoặc xác nhận', tone: 'review' },
  placed: { vi: 'Đơn mới', hint: 'Đơn mới, chờ hợp tác xã xác nhận', tone: 'review' },
  confirmed: { vi: 'Đã xác nhận', hint: 'Đã xác nhận, chờ đóng gói', tone: 'draft' },
  packed: { vi: 'Đã đóng gói', hint: 'Đã đóng gói, chờ giao cho vận chuyển', tone: 'draft' },
  shipped: { vi: 'Đang giao', hint: 'Đơn vị vận chuyển đang giao', tone: 'draft' },
  delivered: { vi: 'Đã giao', hint: 'Người mua đã nhận hàng', tone: 'ok' },
  completed: { vi: 'Hoàn tất', hint: 'Đơn đã hoàn tất', tone: 'ok' },
  cancelled: { vi: 'Đã hủy', hint: 'Đơn đã hủy', tone: 'bad' },
  refunded: { vi: 'Đã hoàn tiền', hint: 'Đã trả lại tiền cho người mua', tone: 'bad' },
  expired: { vi: 'Hết hạn', hint: 'Người mua không thanh toán hoặc xác nhận kịp', tone: 'muted' },
};

export const PAYMENT_METHOD: Record<PaymentMethod, string> = {
  cod: 'Thanh toán khi nhận hàng (COD)',
  vnpay: 'VNPay (thẻ, ví, QR)',
  vietqr: 'Chuyển khoản VietQR',
};

/** Who took a step (shared/orders/reports.ts `stepActor`): a payment is the system's, not the manager's. */
export function stepBy(step: StatusStep): string {
  return stepActor(step.by);
}

/** How the part is paid and whether it is paid, as a pill: "Đã thanh toán VNPay", "COD — thu 460.000 ₫". */
export function paymentChip(method: PaymentMethod | undefined, sub: SubOrder): HTMLElement | null {
  if (!method) return null;
  const state = paymentState(method, sub);
  return h(
    'span',
    { class: `chip-pay chip-pay--${state.tone}`, 'data-paid': String(state.paid) },
    state.text,
  );
}

export function statusChip(status: OrderStatus): HTMLElement {
  const label = ORDER_STATUS[status];
  return h(
    'span',
    { class: `chip-status chip-status--${label?.tone ?? 'muted'}`, title: label?.hint ?? status },
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
): Promise<BoardListItem[]> {
  const range = apiRange(from, to);
  const all: BoardListItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await api<Page<BoardListItem>>(boardPath(coopId), {
      query: { from: range.from, to: range.to, limit: '100', cursor },
    });
    all.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return all.filter((s) => inDays(s, from, to));
}

/** Every sub-order in one of `statuses`, whatever the day it was placed (each status page after page). */
export async function fetchByStatus(
  coopId: string,
  statuses: readonly OrderStatus[],
  maxPages = 50,
): Promise<BoardListItem[]> {
  const all: BoardListItem[] = [];
  for (const status of statuses) {
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await api<Page<BoardListItem>>(boardPath(coopId), {
        query: { status, limit: '100', cursor },
      });
      all.push(...answer.items);
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
  }
  return all;
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
