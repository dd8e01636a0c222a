/**
 * An order as the shopper sees it: totals, delivery, payment and every step, per cooperative, in
 * the page's language (names of products, producers and communes as the API gives them).
 */
import { wardName } from '../seller/communes.ts';
import { h } from '../seller/dom.ts';
import type { OrderView, StatusStep, SubOrder } from './api.ts';
import { pageLang, tr } from './lang.ts';
import { deliveryEstimate, DELIVERY_DAYS } from '../../../shared/orders/regions.ts';
import {
  CARRIER_NAMES,
  carrierTrackingUrl,
  STAGE_LABELS,
  STAGE_LABELS_EN,
} from '../../../shared/orders/shipment-events.ts';
import { byLabel, formatDateTime, formatVnd, paymentLabel, statusLabel, toLocalDisplay } from './text.ts';

export const statusPill = (status: string, paymentMethod?: string) =>
  h('span', { class: `status-pill status-pill--${status}` }, statusLabel(status, pageLang(), paymentMethod));

export function stepList(steps: StatusStep[], label: string, paymentMethod?: string): HTMLOListElement {
  const lang = pageLang();
  // "(bởi bạn)", "(by the cooperative)": the system's own steps say nothing.
  const by = (actor: string) => (actor === 'system' ? undefined : byLabel(actor, lang));
  return h(
    'ol',
    { class: 'steps', 'aria-label': label },
    steps.map((step) =>
      h(
        'li',
        { 'data-status': step.status },
        h('strong', null, statusLabel(step.status, lang, paymentMethod)),
        by(step.by) ? tr(` (bởi ${by(step.by)})`, ` (by ${by(step.by)})`) : '',
        step.note ? h('span', null, ` — ${step.note}`) : null,
        h('time', { datetime: step.at }, formatDateTime(step.at, lang)),
      ),
    ),
  );
}

/** Paid online (VNPay, VietQR): the payment made the order `placed`. */
export const paidOnline = (order: OrderView) =>
  order.paymentMethod !== 'cod' && order.history.some((s) => s.status === 'placed');

const dayMonth = (date: Date) =>
  `${String(date.getDate()).padStart(2, '0')}/${String(date.getMonth() + 1).padStart(2, '0')}`;

const REGION_TEXT = {
  pickup: { vi: 'nhận tại hợp tác xã', en: 'pickup at the cooperative' },
  in_province: { vi: 'giao trong tỉnh Thái Nguyên', en: 'delivery within Thái Nguyên' },
  north: { vi: 'giao các tỉnh phía Bắc', en: 'delivery to the northern provinces' },
  elsewhere: { vi: 'giao các tỉnh khác', en: 'delivery to the other provinces' },
} as const;

/**
 * When the order should arrive (or be ready for pickup), and what that is based on: the days the
 * region of the address takes (shared/orders/regions.ts DELIVERY_DAYS), counted from the
 * cooperative's confirmation (from now while it is not confirmed yet). Nothing once delivered,
 * or for an order that ended or is still unpaid.
 */
export function estimateText(order: OrderView, now = new Date()): string | undefined {
  if (!['placed', 'confirmed', 'packed', 'shipped'].includes(order.status)) return undefined;
  const confirmedAt = order.subOrders
    .flatMap((s) => s.history)
    .filter((s) => s.status === 'confirmed')
    .map((s) => Date.parse(s.at))
    .sort((a, b) => a - b)[0];
  const from = confirmedAt ? new Date(confirmedAt) : now;
  const { region, earliest, latest } = deliveryEstimate(order.delivery, from);
  const [min, max] = DELIVERY_DAYS[region];
  const span = min === max ? `${min}` : `${min}–${max}`;
  const when =
    dayMonth(earliest) === dayMonth(latest)
      ? dayMonth(earliest)
      : `${dayMonth(earliest)} – ${dayMonth(latest)}`;
  const basis = confirmedAt
    ? tr('sau khi hợp tác xã xác nhận', 'after the cooperative confirmed')
    : tr(
        'sau khi hợp tác xã xác nhận; tính từ hôm nay',
        'after the cooperative confirms; counted from today',
      );
  return tr(
    `${region === 'pickup' ? 'Sẵn sàng từ' : 'Khoảng'} ${when} (${REGION_TEXT[region].vi}: ${span} ngày ${basis})`,
    `${region === 'pickup' ? 'Ready from' : 'Around'} ${when} (${REGION_TEXT[region].en}: ${span} day${max > 1 ? 's' : ''} ${basis})`,
  );
}

function subOrderSection(
  sub: SubOrder,
  index: number,
  paymentMethod: string,
  withSteps: boolean,
): HTMLElement {
  const titleId = `sub-${index}-title`;
  return h(
    'section',
    { class: 'sub-order box', 'aria-labelledby': titleId, 'data-fulfiller': sub.fulfillerId },
    h('h3', { id: titleId }, sub.fulfillerName, ' ', statusPill(sub.status, paymentMethod)),
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
      tr(
        `Tiền hàng ${formatVnd(sub.subtotal)} · phí giao ${sub.shippingFee ? formatVnd(sub.shippingFee) : 'miễn phí'}`,
        `Items ${formatVnd(sub.subtotal)} · delivery ${sub.shippingFee ? formatVnd(sub.shippingFee) : 'free'}`,
      ),
    ),
    sub.carrier || sub.trackingNumber
      ? h(
          'p',
          { 'data-shipment': '' },
          tr('Vận chuyển: ', 'Carrier: '),
          h('strong', null, sub.carrier ?? '—'),
          sub.trackingNumber
            ? [
                tr(' · mã vận đơn ', ' · tracking number '),
                h('strong', { class: 'trace-code' }, sub.trackingNumber),
              ]
            : null,
        )
      : null,
    carrierEvents(sub),
    withSteps
      ? stepList(
          sub.history,
          tr(
            `Các bước của phần đơn do ${sub.fulfillerName} giao`,
            `Progress of the part sent by ${sub.fulfillerName}`,
          ),
          paymentMethod,
        )
      : null,
  );
}

/** The carrier's own events for the part, newest first, with a link to its tracking page. */
function carrierEvents(sub: SubOrder): HTMLElement | null {
  const shipment = sub.shipment;
  if (!shipment || shipment.stage === 'cancelled') return null;
  const name = CARRIER_NAMES[shipment.carrier];
  const url = carrierTrackingUrl(shipment.carrier, shipment.carrierCode);
  const labels = pageLang() === 'en' ? STAGE_LABELS_EN : STAGE_LABELS;
  return h(
    'div',
    { class: 'carrier-events', 'data-carrier-events': '' },
    h(
      'p',
      null,
      tr(`${name}: `, `${name}: `),
      h('strong', { 'data-stage': shipment.stage }, labels[shipment.stage]),
      url
        ? [
            ' · ',
            h(
              'a',
              { href: url, target: '_blank', rel: 'noopener' },
              tr(`Xem trên trang ${name}`, `Track on ${name}`),
            ),
          ]
        : null,
    ),
    h(
      'ol',
      { class: 'timeline', 'aria-label': tr(`Hành trình của ${name}`, `${name} tracking`) },
      [...shipment.events]
        .reverse()
        .map((event) =>
          h(
            'li',
            null,
            h('strong', null, labels[event.stage] ?? event.stage),
            ' ',
            h('time', { datetime: event.at }, formatDateTime(event.at)),
            event.reason ? h('p', { class: 'muted' }, tr('Lý do: ', 'Reason: '), event.reason) : null,
          ),
        ),
    ),
  );
}

export async function orderDetails(order: OrderView): Promise<HTMLElement> {
  const several = order.subOrders.length > 1;
  const estimate = estimateText(order);
  const where =
    order.delivery.method === 'pickup'
      ? tr('Nhận tại hợp tác xã', 'Pickup at the cooperative')
      : [
          order.delivery.address.street,
          (await wardName(order.delivery.address.provinceCode, order.delivery.address.wardCode)) ||
            tr(`mã xã ${order.delivery.address.wardCode}`, `commune code ${order.delivery.address.wardCode}`),
        ]
          .filter(Boolean)
          .join(', ');
  return h(
    'div',
    { class: 'order-details' },
    h(
      'dl',
      { class: 'totals' },
      h('dt', null, tr('Tiền hàng', 'Items')),
      h('dd', null, formatVnd(order.itemsTotal)),
      h('dt', null, tr('Phí giao hàng', 'Delivery fee')),
      h('dd', null, order.shippingTotal ? formatVnd(order.shippingTotal) : tr('Miễn phí', 'Free')),
      h('dt', { class: 'grand' }, tr('Tổng cộng', 'Total')),
      h('dd', { class: 'grand', 'data-total': order.total }, formatVnd(order.total)),
    ),
    h(
      'dl',
      { class: 'bank-facts' },
      h('dt', null, tr('Người nhận', 'Recipient')),
      h('dd', null, `${order.contact.name} · ${toLocalDisplay(order.contact.phone)}`),
      h('dt', null, tr('Nhận hàng', 'Delivery')),
      h('dd', null, where),
      h('dt', null, tr('Thanh toán', 'Payment')),
      h(
        'dd',
        { 'data-payment': paidOnline(order) ? 'paid' : order.status },
        paymentLabel(order.paymentMethod, pageLang()),
        paidOnline(order) && order.status !== 'refunded'
          ? h('strong', null, tr(' · Đã thanh toán', ' · Paid'))
          : null,
      ),
      estimate
        ? [
            h('dt', null, tr('Dự kiến nhận hàng', 'Expected delivery')),
            h('dd', { 'data-estimate': '' }, estimate),
          ]
        : null,
      order.note ? [h('dt', null, tr('Ghi chú', 'Note')), h('dd', null, order.note)] : null,
    ),
    // The timeline once: the order's own for a one-part order, each part's when there are several.
    several ? null : h('h3', null, tr('Các bước của đơn', 'Order progress')),
    several
      ? null
      : stepList(order.history, tr('Các bước của đơn hàng', 'Order progress'), order.paymentMethod),
    h(
      'h3',
      null,
      order.subOrders.length > 1
        ? tr(`Giao từ ${order.subOrders.length} nơi`, `Sent by ${order.subOrders.length} sellers`)
        : tr('Nơi giao hàng', 'Sent by'),
    ),
    order.subOrders.map((sub, i) => subOrderSection(sub, i, order.paymentMethod, several)),
  );
}
