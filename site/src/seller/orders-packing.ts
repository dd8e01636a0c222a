/**
 * /hop-tac-xa/don-hang/phieu-soan-hang/?ngay=YYYY-MM-DD: the day's packing list — packs to
 * gather per product and size, and who supplies what — ready to print on A4.
 */
import { isDay, packingList, TO_PACK } from '../../../shared/orders/reports.ts';
import type { OrderStatus } from '../../../shared/orders/model.ts';
import { errorMessage } from './api.ts';
import { byId, fill, formatDate, formatDateTime, h, notice, show } from './dom.ts';
import { fetchRange, ORDER_STATUS, params, requireManager, table, today } from './orders-common.ts';

export async function startPackingList(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const asked = params().get('ngay');
  const day = isDay(asked) ? asked : today();
  const withPacked = params().get('ca-da-dong-goi') === '1';
  byId<HTMLInputElement>('packing-day').value = day;
  byId<HTMLInputElement>('packing-packed').checked = withPacked;
  fill(byId('packing-coop'), coop.name);
  fill(byId('packing-date'), formatDate(day));
  fill(
    byId('packing-which'),
    withPacked ? 'Đơn mới, đã xác nhận và đã đóng gói.' : 'Đơn mới và đơn đã xác nhận, chưa đóng gói.',
  );
  show(byId('packing'));
  byId('packing-print').addEventListener('click', () => window.print());

  const status = byId('packing-status');
  notice(status, 'Đang tải đơn của ngày… / Loading…', 'info');
  try {
    const subs = await fetchRange(coop.cooperativeId, day, day);
    const statuses: OrderStatus[] = withPacked ? [...TO_PACK, 'packed'] : [...TO_PACK];
    const list = packingList(subs, statuses);
    fill(byId('packing-made'), `In lúc ${formatDateTime(new Date().toISOString())}`);
    if (list.orders.length === 0) {
      notice(
        status,
        `Không có đơn nào cần soạn ngày ${formatDate(day)}. / Nothing to pack on this day.`,
        'info',
      );
      fill(byId('packing-body'));
      return;
    }
    notice(
      status,
      `${list.orders.length} đơn, ${list.quantity} gói cần soạn. / ${list.orders.length} orders, ${list.quantity} packs.`,
      'ok',
    );
    fill(
      byId('packing-body'),
      h('h2', null, 'Theo sản phẩm ', h('span', { class: 'en', lang: 'en' }, 'By product')),
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
      h('h2', null, 'Theo hộ cung cấp ', h('span', { class: 'en', lang: 'en' }, 'By household')),
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
      h('h2', null, 'Các đơn ', h('span', { class: 'en', lang: 'en' }, 'Orders')),
      table(
        null,
        ['Mã đơn', 'Đặt lúc', 'Trạng thái', 'Số gói'],
        list.orders.map((o) => [
          h('span', { class: 'code' }, o.orderCode),
          formatDateTime(o.createdAt),
          ORDER_STATUS[o.status].vi,
          o.quantity,
        ]),
        { numeric: [3] },
      ),
    );
  } catch (error) {
    notice(status, errorMessage(error), 'error');
  }
}
