/**
 * /hop-tac-xa/don-hang/phieu-soan-hang/: the packing list — packs to gather per product and
 * size, who supplies what, and each order with its recipient and delivery address — ready to
 * print on A4. By default every order still waiting to be packed, whatever the day it was
 * placed; with ?ngay=YYYY-MM-DD only that day's orders.
 */
import { isDay, packingList, TO_PACK, type PackingOrder } from '../../../shared/orders/reports.ts';
import type { OrderStatus } from '../../../shared/orders/model.ts';
import { errorMessage } from './api.ts';
import { wardName } from './communes.ts';
import { byId, fill, formatDate, formatDateTime, h, notice, show } from './dom.ts';
import {
  fetchByStatus,
  fetchRange,
  ORDER_STATUS,
  params,
  requireManager,
  table,
  today,
} from './orders-common.ts';

export async function startPackingList(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const asked = params().get('ngay');
  const day = isDay(asked) ? asked : null;
  const withPacked = params().get('ca-da-dong-goi') === '1';
  const form = byId<HTMLFormElement>('packing-form');
  const dayInput = byId<HTMLInputElement>('packing-day');
  const oneDay = byId<HTMLInputElement>('packing-one-day');
  byId<HTMLInputElement>(day ? 'packing-one-day' : 'packing-all').checked = true;
  dayInput.value = day ?? today();
  dayInput.disabled = !day;
  byId<HTMLInputElement>('packing-packed').checked = withPacked;
  form.addEventListener('change', () => {
    dayInput.disabled = !oneDay.checked;
  });
  form.addEventListener('submit', (event) => {
    // The address says only what was chosen: a day when "one day" is ticked.
    event.preventDefault();
    const q = new URLSearchParams();
    if (oneDay.checked && isDay(dayInput.value)) q.set('ngay', dayInput.value);
    if (byId<HTMLInputElement>('packing-packed').checked) q.set('ca-da-dong-goi', '1');
    const s = q.toString();
    location.assign(s ? `?${s}` : location.pathname);
  });
  fill(byId('packing-coop'), coop.name);
  fill(byId('packing-date'), day ? `ngày ${formatDate(day)}` : 'mọi đơn chờ đóng gói');
  fill(
    byId('packing-which'),
    withPacked ? 'Đơn mới, đã xác nhận và đã đóng gói.' : 'Đơn mới và đơn đã xác nhận, chưa đóng gói.',
  );
  show(byId('packing'));
  byId('packing-print').addEventListener('click', () => window.print());

  const status = byId('packing-status');
  notice(status, 'Đang tải đơn…', 'info');
  try {
    const statuses: OrderStatus[] = withPacked ? [...TO_PACK, 'packed'] : [...TO_PACK];
    const subs = day
      ? await fetchRange(coop.cooperativeId, day, day)
      : await fetchByStatus(coop.cooperativeId, statuses);
    const list = packingList(subs, statuses);
    fill(byId('packing-made'), `In lúc ${formatDateTime(new Date().toISOString())}`);
    if (list.orders.length === 0) {
      notice(
        status,
        day ? `Không có đơn nào cần soạn ngày ${formatDate(day)}.` : 'Không có đơn nào đang chờ đóng gói.',
        'info',
      );
      fill(byId('packing-body'));
      return;
    }
    const linesOf = new Map(subs.map((s) => [s.orderCode, s.lines]));
    const orders = await Promise.all(
      list.orders.map(async (o) => orderBlock(o, await addressOf(o), linesOf.get(o.orderCode) ?? [])),
    );
    fill(
      byId('packing-body'),
      h('h2', null, 'Theo sản phẩm'),
      table(
        null,
        ['Sản phẩm', 'Gói', 'Số lượng', '✓'],
        list.products.flatMap((p) =>
          p.packs.map((pack, i) => [
            i === 0 ? h('strong', null, p.productName) : '',
            pack.pack,
            pack.quantity,
            h('span', { class: 'tick', 'aria-hidden': 'true' }),
          ]),
        ),
        { numeric: [2], foot: ['Tổng số gói', '', list.quantity, ''] },
      ),
      h('h2', null, 'Theo hộ cung cấp'),
      list.households.map((hh) =>
        h(
          'section',
          { class: 'packing-household' },
          h('h3', null, `${hh.producerName} — ${hh.quantity} gói`),
          table(
            null,
            ['Sản phẩm', 'Gói', 'SL', 'Cho đơn'],
            hh.items.map((item) => [item.productName, item.pack, item.quantity, item.orderCodes.join(', ')]),
            { numeric: [2] },
          ),
        ),
      ),
      h('h2', null, 'Các đơn và địa chỉ giao'),
      h('div', { id: 'packing-orders' }, orders),
    );
    // Said once the list is on the page, so what the line counts is there to read.
    notice(status, `${list.orders.length} đơn, ${list.quantity} gói cần soạn.`, 'ok');
  } catch (error) {
    notice(status, errorMessage(error), 'error');
  }
}

/** Where the order goes, in words: street, commune and province (2025 names), or pickup. */
async function addressOf(order: PackingOrder): Promise<string> {
  const delivery = order.delivery;
  if (!delivery) return '';
  if (delivery.method === 'pickup') return 'Người mua đến nhận tại hợp tác xã';
  const a = delivery.address;
  const place = await wardName(a.provinceCode, a.wardCode);
  return [a.street, place || `mã xã ${a.wardCode}, mã tỉnh ${a.provinceCode}`].join(', ');
}

function localPhone(phone: string): string {
  const national = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

function orderBlock(
  order: PackingOrder,
  address: string,
  lines: { productName: string; pack: string; quantity: number }[],
): HTMLElement {
  return h(
    'section',
    { class: 'packing-order', 'data-code': order.orderCode },
    h(
      'h3',
      null,
      h('span', { class: 'code' }, order.orderCode),
      ` — ${order.quantity} gói · ${ORDER_STATUS[order.status].vi}`,
    ),
    h('p', { class: 'hint' }, `Đặt lúc ${formatDateTime(order.createdAt)}`),
    order.contact
      ? h('p', null, h('strong', null, order.contact.name), ` · ${localPhone(order.contact.phone)}`)
      : null,
    address ? h('p', { class: 'packing-order__address' }, address) : null,
    h(
      'ul',
      { class: 'plain-list' },
      lines.map((l) => h('li', null, `☐ ${l.productName} — ${l.pack} × ${l.quantity}`)),
    ),
  );
}
