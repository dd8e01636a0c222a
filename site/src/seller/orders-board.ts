/**
 * /hop-tac-xa/don-hang/: the cooperative's order board. The list (newest first) is filtered by
 * status and Vietnamese days from the address (?trang-thai=&tu=&den=), page by page with
 * "Xem thêm"; ?ma=TN-XXXXX opens one order with its delivery details, how it is paid, lines,
 * every step, and the next steps the manager may take (MANAGER_NEXT, the manager edges of the
 * transition table). After a step the page stays where it was: the next step takes the place of
 * the one just done, with what happened said above it.
 */
import type { OrderStatus } from '../../../shared/orders/model.ts';
import { apiRange, inDays, isDay, MANAGER_NEXT } from '../../../shared/orders/reports.ts';
import {
  cleanTrackingNumber,
  TRACKING_NUMBER,
  TRACKING_NUMBER_MESSAGE,
} from '../../../shared/orders/tracking.ts';
import { api, enc, errorMessage } from './api.ts';
import { wardName } from './communes.ts';
import { byId, fill, formatDateTime, h, notice, show, uid } from './dom.ts';
import { runSubmit, value } from './forms.ts';
import { formatVnd } from './labels.ts';
import {
  boardPath,
  ORDER_STATUS,
  params,
  paymentChip,
  PAYMENT_METHOD,
  requireManager,
  statusChip,
  stepBy,
  table,
  type BoardListItem,
  type BoardOrder,
  type Page,
  type SubOrder,
} from './orders-common.ts';
import type { FieldIssue } from './api.ts';
import { shipmentActions, shipmentFacts, startCodImport } from './orders-shipment.ts';

let coopId = '';

export async function startOrderBoard(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  coopId = coop.cooperativeId;
  fill(byId('orders-coop'), h('strong', null, coop.name));
  show(byId('orders'));
  const code = params().get('ma');
  if (code) await openOrder(code);
  else {
    show(byId('cod-import'));
    startCodImport(coopId);
    await openList();
  }
}

/* ---------- the list ---------- */

interface Filters {
  status: OrderStatus | '';
  from: string;
  to: string;
}

function readFilters(): Filters {
  const q = params();
  const status = q.get('trang-thai') ?? '';
  const from = q.get('tu');
  const to = q.get('den');
  return {
    status: status in ORDER_STATUS ? (status as OrderStatus) : '',
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
  };
}

/** The list's address with these filters (for the way back from an order). */
function listHref(filters: Filters): string {
  const q = new URLSearchParams();
  if (filters.status) q.set('trang-thai', filters.status);
  if (filters.from) q.set('tu', filters.from);
  if (filters.to) q.set('den', filters.to);
  const s = q.toString();
  return s ? `?${s}` : location.pathname;
}

let cursor: string | null = null;
let shown = 0;

async function openList(): Promise<void> {
  const filters = readFilters();
  show(byId('list-view'));
  const form = byId<HTMLFormElement>('filter-form');
  byId<HTMLSelectElement>('filter-status').value = filters.status;
  byId<HTMLInputElement>('filter-from').value = filters.from;
  byId<HTMLInputElement>('filter-to').value = filters.to;
  form.addEventListener('submit', (event) => {
    // Empty fields stay out of the address.
    event.preventDefault();
    const next: Filters = {
      status: value(form, 'trang-thai') as Filters['status'],
      from: value(form, 'tu'),
      to: value(form, 'den'),
    };
    if (next.from && next.to && next.from > next.to) {
      notice(byId('list-status'), 'Ngày bắt đầu phải trước ngày kết thúc.', 'error');
      return;
    }
    location.assign(listHref(next));
  });
  byId('more').addEventListener('click', () => void loadMore(filters));
  await loadMore(filters);
}

async function loadMore(filters: Filters): Promise<void> {
  const status = byId('list-status');
  const list = byId('order-list');
  const more = byId<HTMLButtonElement>('more');
  more.disabled = true;
  notice(status, 'Đang tải đơn hàng…', 'info');
  const range = apiRange(filters.from || '2000-01-01', filters.to || '9999-12-31');
  try {
    // The API filters days in UTC and statuses within each page: read on until something shows.
    let added = 0;
    for (let page = 0; page < 10 && added === 0; page++) {
      const answer = await api<Page<BoardListItem>>(boardPath(coopId), {
        query: {
          status: filters.status || undefined,
          from: filters.from ? range.from : undefined,
          to: filters.to ? range.to : undefined,
          cursor: cursor ?? undefined,
          limit: '20',
        },
      });
      const visible = answer.items.filter((s) =>
        inDays(s, filters.from || '2000-01-01', filters.to || '9999-12-31'),
      );
      for (const sub of visible) list.append(orderCard(sub, filters));
      added += visible.length;
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    shown += added;
    show(more, cursor !== null);
    if (shown === 0) {
      fill(list);
      notice(
        status,
        filters.status || filters.from || filters.to
          ? 'Không có đơn nào khớp bộ lọc.'
          : 'Chưa có đơn hàng nào. Khi người mua đặt hàng, đơn sẽ hiện ở đây.',
        'info',
      );
    } else {
      notice(status, `Đang xem ${shown} đơn${cursor ? ' — còn nữa' : ''}.`, 'info');
    }
  } catch (error) {
    notice(status, errorMessage(error), 'error');
    show(more, cursor !== null);
  } finally {
    more.disabled = false;
  }
}

function packsOf(sub: SubOrder): number {
  return sub.lines.reduce((n, l) => n + l.quantity, 0);
}

function orderCard(sub: BoardListItem, filters: Filters): HTMLElement {
  const q = new URLSearchParams(listHref(filters).replace(/^[^?]*\??/, ''));
  q.set('ma', sub.orderCode);
  const households = [...new Set(sub.lines.map((l) => l.producerName))];
  return h(
    'li',
    { class: 'qcard order-card', 'data-code': sub.orderCode },
    h(
      'h3',
      { class: 'order-card__head' },
      h('a', { href: `?${q.toString()}` }, h('span', { class: 'code' }, sub.orderCode)),
      ' ',
      statusChip(sub.status),
    ),
    h('p', { class: 'pcard__meta' }, `Đặt lúc ${formatDateTime(sub.createdAt)}`),
    h('p', { class: 'order-card__pay' }, paymentChip(sub.paymentMethod, sub)),
    h(
      'p',
      null,
      `${packsOf(sub)} gói · ${formatVnd(sub.subtotal + sub.shippingFee)}`,
      h('br'),
      h('span', { class: 'hint' }, households.join(', ')),
    ),
    h(
      'ul',
      { class: 'plain-list order-card__lines' },
      sub.lines.map((l) => h('li', null, `${l.productName} — ${l.pack} × ${l.quantity}`)),
    ),
  );
}

/* ---------- one order ---------- */

async function openOrder(code: string): Promise<void> {
  show(byId('detail-view'));
  byId<HTMLAnchorElement>('back-link').href = listHref(readFilters());
  const box = byId('detail');
  fill(box, h('p', { class: 'loading', role: 'status' }, 'Đang tải đơn…'));
  try {
    const order = await api<BoardOrder>(`${boardPath(coopId)}/${enc(code)}`);
    await renderOrder(order);
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error', role: 'alert' }, errorMessage(error)));
  }
}

/**
 * After a step: the order drawn again, the next step where the one just done was (the page does
 * not jump), what happened said above it and read out, and focus on the next thing to fill in —
 * the first empty field of the next step's form, or the message.
 */
async function reload(code: string, message: string, anchor: number): Promise<void> {
  const order = await api<BoardOrder>(`${boardPath(coopId)}/${enc(code)}`);
  await renderOrder(order);
  const section = byId('next-step');
  window.scrollBy({ top: section.getBoundingClientRect().top - anchor, behavior: 'instant' });
  const done = byId('detail-done');
  notice(done, message, 'ok');
  fill(byId('detail-live'), message);
  const form = section.querySelector<HTMLFormElement>('form[data-to]:not([data-to="cancelled"])');
  const empty = [...(form?.querySelectorAll<HTMLInputElement>('input[type="text"]') ?? [])].find(
    (input) => !input.value,
  );
  if (empty) empty.focus({ preventScroll: true });
  else {
    done.tabIndex = -1;
    done.focus({ preventScroll: true });
  }
  // The next step whole on screen when it fits, its button at least.
  (form ?? done).scrollIntoView({ block: 'nearest', behavior: 'instant' });
  form?.querySelector('button[type="submit"]')?.scrollIntoView({ block: 'nearest', behavior: 'instant' });
}

async function deliveryText(order: BoardOrder): Promise<string> {
  if (order.delivery.method === 'pickup') return 'Người mua đến nhận tại hợp tác xã';
  const a = order.delivery.address;
  const place = await wardName(a.provinceCode, a.wardCode);
  return [a.street, place || `mã xã ${a.wardCode}, mã tỉnh ${a.provinceCode}`].join(', ');
}

function localPhone(phone: string): string {
  const national = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

async function renderOrder(order: BoardOrder): Promise<void> {
  const sub = order.subOrders.find((s) => s.fulfillerId === coopId) ?? order.subOrders[0]!;
  const facts: [string, string | Node][] = [
    ['Đặt lúc', formatDateTime(order.createdAt)],
    ['Người nhận', order.contact.name],
    ['Điện thoại', h('a', { href: `tel:${order.contact.phone}` }, localPhone(order.contact.phone))],
    [order.delivery.method === 'pickup' ? 'Nhận hàng' : 'Địa chỉ giao', await deliveryText(order)],
    [
      'Thanh toán',
      h(
        'span',
        { id: 'detail-payment' },
        PAYMENT_METHOD[order.paymentMethod] ?? order.paymentMethod,
        h('br'),
        paymentChip(order.paymentMethod, sub),
      ),
    ],
  ];
  if (order.note) facts.push(['Ghi chú', order.note]);
  if (sub.carrier)
    facts.push([
      'Vận chuyển',
      h(
        'span',
        null,
        `${sub.carrier} — mã vận đơn `,
        h('span', { class: 'code', id: 'detail-tracking' }, sub.trackingNumber ?? ''),
      ),
    ]);

  const lineRows = sub.lines.map((l) => [
    h(
      'span',
      null,
      h('strong', null, l.productName),
      ` — ${l.pack}`,
      h('br'),
      h('span', { class: 'hint' }, `${l.producerName} · ${formatVnd(l.unitPrice)}/gói`),
    ),
    l.quantity,
    formatVnd(l.lineTotal),
  ]);
  fill(
    byId('detail'),
    h(
      'h2',
      { id: 'detail-title' },
      'Đơn ',
      h('span', { class: 'code' }, order.code),
      ' ',
      statusChip(sub.status),
    ),
    h(
      'dl',
      { class: 'facts-list order-facts' },
      facts.flatMap(([dt, dd]) => [h('dt', null, dt), h('dd', null, dd)]),
    ),
    h('h3', null, 'Hàng trong đơn'),
    h(
      'div',
      { class: 'table-scroll' },
      table(null, ['Sản phẩm', 'SL', 'Thành tiền'], lineRows, { numeric: [1, 2] }),
    ),
    h(
      'dl',
      { class: 'facts-list order-sums' },
      h('dt', null, 'Tiền hàng'),
      h('dd', null, formatVnd(sub.subtotal)),
      h('dt', null, 'Phí vận chuyển'),
      h('dd', null, formatVnd(sub.shippingFee)),
      h('dt', null, h('strong', null, 'Người mua trả phần này')),
      h('dd', null, h('strong', null, formatVnd(sub.subtotal + sub.shippingFee))),
    ),
    shipmentFacts(sub),
    await actions(order, sub),
    h('h3', null, 'Các bước'),
    h(
      'ol',
      { class: 'timeline', id: 'detail-steps' },
      sub.history.map((step) =>
        h(
          'li',
          null,
          h('strong', null, ORDER_STATUS[step.status]?.vi ?? step.status),
          h('time', { datetime: step.at }, formatDateTime(step.at)),
          h('span', { class: 'who' }, stepBy(step)),
          step.note ? h('p', { class: 'reason' }, 'Ghi chú: ', h('q', null, step.note)) : null,
        ),
      ),
    ),
  );
  document.title = `Đơn ${order.code} — Đơn hàng hợp tác xã`;
}

/* ---------- next steps ---------- */

const ACTION_TEXT: Partial<Record<OrderStatus, { button: string; done: string }>> = {
  confirmed: { button: 'Xác nhận đơn', done: 'Đã xác nhận đơn.' },
  packed: { button: 'Đã đóng gói xong', done: 'Đã ghi nhận đóng gói.' },
  shipped: { button: 'Đã giao cho vận chuyển', done: 'Đã ghi nhận giao vận chuyển.' },
  delivered: { button: 'Đã giao tới người mua', done: 'Đã ghi nhận giao hàng.' },
  completed: { button: 'Hoàn tất đơn', done: 'Đơn đã hoàn tất.' },
  cancelled: { button: 'Hủy phần đơn này', done: 'Đã hủy đơn; người mua được báo.' },
};

/** The carrier last used on this phone: most cooperatives ship with one, so it is filled in. */
const CARRIER_KEY = 'board.carrier';

function lastCarrier(): string {
  try {
    return localStorage.getItem(CARRIER_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberCarrier(carrier: string): void {
  try {
    localStorage.setItem(CARRIER_KEY, carrier);
  } catch {
    // private mode: the field is simply empty next time
  }
}

const CARRIERS = [
  'Giao Hàng Nhanh (GHN)',
  'Giao Hàng Tiết Kiệm (GHTK)',
  'Viettel Post',
  'VNPost',
  'J&T Express',
];

function field(label: string, control: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true }),
  );
}

async function actions(order: BoardOrder, sub: SubOrder): Promise<HTMLElement> {
  const next = MANAGER_NEXT[sub.status] ?? [];
  const section = h(
    'section',
    { class: 'order-actions', id: 'next-step', 'aria-labelledby': 'actions-title' },
    h('h3', { id: 'actions-title' }, 'Bước tiếp theo'),
    h('div', { id: 'detail-done', class: 'notice', hidden: true }),
  );
  if (next.length === 0) {
    section.append(
      h('p', null, 'Đơn đã kết thúc, không còn bước nào.'),
      h('p', null, h('a', { href: byId<HTMLAnchorElement>('back-link').href }, '← Về danh sách đơn')),
    );
    return section;
  }
  // A cooperative that ships with a carrier hands the parcel over here; the carrier's pickup
  // then moves the order to "shipped" by itself. Typing a carrier and code stays possible.
  const anchor = () => byId('next-step').getBoundingClientRect().top;
  const carrierStep = await shipmentActions(coopId, order, sub, (message) =>
    reload(order.code, message, anchor()),
  );
  if (carrierStep) section.append(carrierStep);
  const shipping = sub.shipment && sub.shipment.stage !== 'cancelled';
  for (const to of next) {
    if (to === 'shipped' && shipping) continue;
    const form = actionForm(order, sub, to);
    if (to === 'shipped' && carrierStep) {
      section.append(
        h('details', { class: 'order-manual-ship' }, h('summary', null, 'Tự gửi, nhập mã vận đơn…'), form),
      );
    } else section.append(form);
  }
  return section;
}

function actionForm(order: BoardOrder, sub: SubOrder, to: OrderStatus): HTMLElement {
  const text = ACTION_TEXT[to]!;
  const id = uid(`to-${to}`);
  const cancel = to === 'cancelled';
  const button = h(
    'button',
    { type: 'submit', class: `btn btn--block ${cancel ? 'btn--danger' : 'btn--primary'}`, 'data-action': to },
    text.button,
  );
  const form = h('form', { class: 'form', novalidate: true, 'data-to': to });
  const checks: (() => FieldIssue[])[] = [];

  if (to === 'shipped') {
    const carrier = h('input', {
      id: `${id}-carrier`,
      name: 'carrier',
      type: 'text',
      list: `${id}-carriers`,
      autocomplete: 'off',
      maxlength: 60,
      required: true,
      value: lastCarrier(),
    });
    const tracking = h('input', {
      id: `${id}-tracking`,
      name: 'trackingNumber',
      type: 'text',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      maxlength: 80,
      required: true,
    });
    // Shown back as it will be saved: "VTP 1234 5678 9" becomes "VTP123456789".
    tracking.addEventListener('change', () => {
      tracking.value = cleanTrackingNumber(tracking.value);
    });
    form.append(
      field('Đơn vị vận chuyển', carrier, 'Chọn trong danh sách hoặc gõ tên khác.'),
      h(
        'datalist',
        { id: `${id}-carriers` },
        CARRIERS.map((c) => h('option', { value: c })),
      ),
      field(
        'Mã vận đơn',
        tracking,
        'Chép như in trên phiếu; dấu cách và dấu chấm được bỏ khi lưu (VTP 1234 5678 9 → VTP123456789).',
      ),
    );
    checks.push(() => {
      const issues: FieldIssue[] = [];
      if (!value(form, 'carrier')) issues.push({ path: 'carrier', message: 'Hãy nhập đơn vị vận chuyển' });
      tracking.value = cleanTrackingNumber(tracking.value);
      const number = tracking.value;
      if (!number) issues.push({ path: 'trackingNumber', message: 'Hãy nhập mã vận đơn' });
      else if (!TRACKING_NUMBER.test(number))
        issues.push({ path: 'trackingNumber', message: TRACKING_NUMBER_MESSAGE });
      return issues;
    });
  }
  if (to === 'delivered' && order.paymentMethod === 'cod') {
    const amount = formatVnd(sub.subtotal + sub.shippingFee);
    const box = h('input', { type: 'checkbox', id: `${id}-cash`, name: 'cashCollected', value: 'yes' });
    form.append(
      h(
        'div',
        { class: 'field', 'data-path': 'cashCollected' },
        h('label', { class: 'choice', for: box.id }, box, h('span', null, `Đã thu tiền mặt ${amount}`)),
        h('p', { class: 'field-error', id: `${box.id}-error`, hidden: true }),
      ),
    );
    checks.push(() =>
      box.checked ? [] : [{ path: 'cashCollected', message: `Đơn COD: hãy đánh dấu đã thu ${amount}` }],
    );
  }
  if (cancel) {
    const reason = h('textarea', { id: `${id}-note`, name: 'note', rows: 2, maxlength: 300, required: true });
    form.append(field('Lý do hủy', reason, 'Người mua đọc được lý do. Ví dụ: Hết hàng, người mua đổi ý.'));
    checks.push(() =>
      value(form, 'note').length >= 3 ? [] : [{ path: 'note', message: 'Hãy ghi lý do hủy (ít nhất 3 chữ)' }],
    );
  }
  form.append(button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Where the next step sits on the screen now: after the step it stays there.
    const anchor = byId('next-step').getBoundingClientRect().top;
    void runSubmit(
      form,
      button,
      () => checks.flatMap((check) => check()),
      async () => {
        const body: Record<string, unknown> = { to };
        if (to === 'shipped') {
          body.carrier = value(form, 'carrier');
          body.trackingNumber = cleanTrackingNumber(value(form, 'trackingNumber'));
          rememberCarrier(body.carrier as string);
        }
        if (to === 'delivered' && order.paymentMethod === 'cod') body.cashCollected = true;
        if (cancel) body.note = value(form, 'note');
        await api(`${boardPath(coopId)}/${enc(order.code)}/status`, { method: 'POST', body });
        await reload(order.code, text.done, anchor);
      },
    );
  });
  if (!cancel) return form;
  return h('details', { class: 'order-cancel' }, h('summary', null, 'Hủy đơn…'), form);
}
