/**
 * /ban-hang/don-hang/: a household's own lines in its cooperative's orders (GET
 * /api/seller/order-lines) — what it sold, in which order, and how far each order has got.
 */
import type { OrderLine, OrderStatus } from '../../../shared/orders/model.ts';
import { api, errorMessage } from './api.ts';
import { byId, fill, formatDateTime, h, notice, show } from './dom.ts';
import { formatVnd } from './labels.ts';
import { loadMe } from './me.ts';
import { statusChip, type Page } from './orders-common.ts';

interface LineGroup {
  orderCode: string;
  createdAt: string;
  status: OrderStatus;
  fulfillerName: string;
  lines: OrderLine[];
}

let cursor: string | null = null;
let shown = 0;

export async function startOrderLines(): Promise<void> {
  try {
    const me = await loadMe();
    show(byId('boot'), false);
    if (!me.producer) {
      const box = byId('page-error');
      fill(
        box,
        'Bạn chưa đăng ký nhà sản xuất nên chưa có đơn hàng. ',
        h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
      );
      box.className = 'notice notice--info';
      show(box);
      return;
    }
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(byId('lines'));
  byId('lines-more').addEventListener('click', () => void loadMore());
  await loadMore();
}

async function loadMore(): Promise<void> {
  const status = byId('lines-status');
  const more = byId<HTMLButtonElement>('lines-more');
  more.disabled = true;
  notice(status, 'Đang tải…', 'info');
  try {
    const answer = await api<Page<LineGroup>>('/api/seller/order-lines', {
      query: { cursor: cursor ?? undefined },
    });
    cursor = answer.nextCursor;
    for (const group of answer.items) byId('lines-list').append(card(group));
    shown += answer.items.length;
    show(more, cursor !== null);
    if (shown === 0) {
      show(status, false);
      show(byId('lines-empty'));
    } else {
      notice(status, `${shown} đơn có hàng của bạn. / ${shown} orders with your products.`, 'info');
    }
  } catch (error) {
    notice(status, errorMessage(error), 'error');
  } finally {
    more.disabled = false;
  }
}

function card(group: LineGroup): HTMLElement {
  const total = group.lines.reduce((n, l) => n + l.lineTotal, 0);
  return h(
    'li',
    { class: 'qcard order-card' },
    h(
      'h3',
      { class: 'order-card__head' },
      h('span', { class: 'code' }, group.orderCode),
      ' ',
      statusChip(group.status),
    ),
    h('p', { class: 'pcard__meta' }, `${formatDateTime(group.createdAt)} · ${group.fulfillerName} giao hàng`),
    h(
      'ul',
      { class: 'plain-list order-card__lines' },
      group.lines.map((l) =>
        h(
          'li',
          null,
          `${l.productName} — ${l.pack} × ${l.quantity}`,
          h('span', { class: 'hint' }, ` = ${formatVnd(l.lineTotal)}`),
        ),
      ),
    ),
    h('p', null, h('strong', null, `Hàng của bạn: ${formatVnd(total)}`)),
  );
}
