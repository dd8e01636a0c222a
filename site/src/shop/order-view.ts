/** An order as the shopper sees it: totals, delivery, payment and every step, per cooperative. */
import { wardName } from '../seller/communes.ts';
import { h } from '../seller/dom.ts';
import type { OrderView, StatusStep, SubOrder } from './api.ts';
import { BY_LABELS, formatDateTime, formatVnd, PAYMENT_LABELS, statusLabel, toLocalDisplay } from './text.ts';

export const statusPill = (status: string) =>
  h('span', { class: `status-pill status-pill--${status}` }, statusLabel(status));

export function stepList(steps: StatusStep[], label: string): HTMLOListElement {
  return h(
    'ol',
    { class: 'steps', 'aria-label': label },
    steps.map((step) =>
      h(
        'li',
        { 'data-status': step.status },
        h('strong', null, statusLabel(step.status)),
        BY_LABELS[step.by] && step.by !== 'system' ? ` (bởi ${BY_LABELS[step.by]})` : '',
        step.note ? h('span', null, ` — ${step.note}`) : null,
        h('time', { datetime: step.at }, formatDateTime(step.at)),
      ),
    ),
  );
}

function subOrderSection(sub: SubOrder, index: number): HTMLElement {
  const titleId = `sub-${index}-title`;
  return h(
    'section',
    { class: 'sub-order box', 'aria-labelledby': titleId, 'data-fulfiller': sub.fulfillerId },
    h('h3', { id: titleId }, sub.fulfillerName, ' ', statusPill(sub.status)),
    h(
      'ul',
      null,
      sub.lines.map((line) =>
        h(
          'li',
          null,
          `${line.quantity} × ${line.productName} (${line.pack}) — ${formatVnd(line.lineTotal)}`,
          line.producerName !== sub.fulfillerName
            ? h('span', { class: 'muted' }, ` · ${line.producerName}`)
            : null,
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      `Tiền hàng ${formatVnd(sub.subtotal)} · phí giao ${sub.shippingFee ? formatVnd(sub.shippingFee) : 'miễn phí'}`,
    ),
    sub.carrier || sub.trackingNumber
      ? h(
          'p',
          { 'data-shipment': '' },
          'Vận chuyển: ',
          h('strong', null, sub.carrier ?? '—'),
          sub.trackingNumber
            ? [' · mã vận đơn ', h('strong', { class: 'trace-code' }, sub.trackingNumber)]
            : null,
        )
      : null,
    stepList(sub.history, `Các bước của phần đơn do ${sub.fulfillerName} giao`),
  );
}

export async function orderDetails(order: OrderView): Promise<HTMLElement> {
  const where =
    order.delivery.method === 'pickup'
      ? 'Nhận tại hợp tác xã'
      : [
          order.delivery.address.street,
          (await wardName(order.delivery.address.provinceCode, order.delivery.address.wardCode)) ||
            `mã xã ${order.delivery.address.wardCode}`,
        ]
          .filter(Boolean)
          .join(', ');
  return h(
    'div',
    { class: 'order-details' },
    h(
      'dl',
      { class: 'totals' },
      h('dt', null, 'Tiền hàng'),
      h('dd', null, formatVnd(order.itemsTotal)),
      h('dt', null, 'Phí giao hàng'),
      h('dd', null, order.shippingTotal ? formatVnd(order.shippingTotal) : 'Miễn phí'),
      h('dt', { class: 'grand' }, 'Tổng cộng'),
      h('dd', { class: 'grand', 'data-total': order.total }, formatVnd(order.total)),
    ),
    h(
      'dl',
      { class: 'bank-facts' },
      h('dt', null, 'Người nhận'),
      h('dd', null, `${order.contact.name} · ${toLocalDisplay(order.contact.phone)}`),
      h('dt', null, 'Nhận hàng'),
      h('dd', null, where),
      h('dt', null, 'Thanh toán'),
      h('dd', null, PAYMENT_LABELS[order.paymentMethod] ?? order.paymentMethod),
      order.note ? [h('dt', null, 'Ghi chú'), h('dd', null, order.note)] : null,
    ),
    h('h3', null, 'Các bước của đơn'),
    stepList(order.history, 'Các bước của đơn hàng'),
    h('h3', null, order.subOrders.length > 1 ? `Giao từ ${order.subOrders.length} nơi` : 'Nơi giao hàng'),
    order.subOrders.map(subOrderSection),
  );
}
