/**
 * /hop-tac-xa/don-hang/doi-soat/?tu=&den=&hoa-hong=: what the cooperative owes each household
 * for the orders of a range of days (shared/orders/reports.ts `settlement`), as a table and as
 * a CSV file made in the browser (UTF-8 with BOM, so Excel shows the diacritics).
 */
import {
  addDays,
  isDay,
  settlement,
  settlementCsv,
  type Settlement,
} from '../../../shared/orders/reports.ts';
import { errorMessage } from './api.ts';
import { byId, fill, formatDate, h, notice, show } from './dom.ts';
import { download, fetchRange, formatAmount, params, requireManager, table, today } from './orders-common.ts';

export async function startSettlement(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const q = params();
  const to = isDay(q.get('den')) ? q.get('den')! : today();
  const from = isDay(q.get('tu')) ? q.get('tu')! : addDays(to, -6);
  const rawPercent = Number((q.get('hoa-hong') ?? '0').replace(',', '.'));
  const percent = Number.isFinite(rawPercent) && rawPercent >= 0 && rawPercent <= 100 ? rawPercent : 0;
  byId<HTMLInputElement>('settle-from').value = from;
  byId<HTMLInputElement>('settle-to').value = to;
  byId<HTMLInputElement>('settle-percent').value = String(percent);
  show(byId('settle'));

  const status = byId('settle-status');
  const csvButton = byId<HTMLButtonElement>('settle-csv');
  if (from > to) {
    notice(status, 'Ngày bắt đầu phải trước ngày kết thúc. / From must be before To.', 'error');
    return;
  }
  notice(status, 'Đang tính… / Computing…', 'info');
  let result: Settlement;
  try {
    result = settlement(await fetchRange(coop.cooperativeId, from, to), { commissionPercent: percent });
  } catch (error) {
    notice(status, errorMessage(error), 'error');
    return;
  }
  const range = `${formatDate(from)} – ${formatDate(to)}`;
  if (result.households.length === 0) {
    notice(status, `Chưa có đơn đã giao nào từ ${range}. / No delivered orders in this range.`, 'info');
  } else {
    notice(
      status,
      `${result.households.length} hộ, tổng HTX trả ${formatAmount(result.totals.owed)} đồng (${range}).`,
      'ok',
    );
  }
  render(result);
  show(csvButton, result.households.length > 0);
  csvButton.addEventListener('click', () => {
    download(settlementCsv(result, { from, to }), `doi-soat-${coop.slug}-${from}-${to}.csv`);
    notice(status, 'Đã tải tệp CSV. / CSV downloaded.', 'ok');
  });
}

function render(result: Settlement): void {
  fill(
    byId('settle-body'),
    result.households.map((hh) =>
      h(
        'section',
        { class: 'settle-household', 'data-producer': hh.producerId },
        h('h3', null, hh.producerName),
        h(
          'div',
          { class: 'table-scroll' },
          table(
            null,
            ['Sản phẩm', 'Gói', 'SL', 'Thành tiền (đồng)'],
            hh.products.map((p) => [p.productName, p.pack, p.quantity, formatAmount(p.amount)]),
            { numeric: [2, 3], foot: ['Tổng', '', hh.quantity, formatAmount(hh.amount)] },
          ),
        ),
        h(
          'dl',
          { class: 'facts-list order-sums' },
          h('dt', null, 'Đã thu tiền mặt (COD)'),
          h('dd', null, `${formatAmount(hh.codCollected)} đồng`),
          h('dt', null, 'Thanh toán trực tuyến'),
          h('dd', null, `${formatAmount(hh.paidOnline)} đồng`),
          h('dt', null, `Hoa hồng HTX (${result.commissionPercent}%)`),
          h('dd', null, `${formatAmount(hh.commission)} đồng`),
          h('dt', null, h('strong', null, 'HTX trả hộ')),
          h('dd', null, h('strong', { class: 'settle-owed' }, `${formatAmount(hh.owed)} đồng`)),
        ),
      ),
    ),
  );
}
