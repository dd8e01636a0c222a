/**
 * /hop-tac-xa/don-hang/doi-soat/?tu=&den=&hoa-hong=: what the cooperative owes each household
 * for the orders of a range of days (shared/orders/reports.ts `settlement`), as a table and as
 * CSV files made in the browser, UTF-8 with BOM so Excel shows the diacritics: one separated by
 * `;` (what Excel expects under Vietnamese regional settings, where the comma is the decimal
 * mark) and the RFC 4180 comma one for other programs. Only member households count as "hộ".
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
    notice(status, 'Ngày bắt đầu phải trước ngày kết thúc.', 'error');
    return;
  }
  notice(status, 'Đang tính…', 'info');
  let result: Settlement;
  try {
    result = settlement(await fetchRange(coop.cooperativeId, from, to), {
      commissionPercent: percent,
      fulfillerId: coop.cooperativeId,
    });
  } catch (error) {
    notice(status, errorMessage(error), 'error');
    return;
  }
  const range = `${formatDate(from)} – ${formatDate(to)}`;
  if (result.households.length === 0) {
    notice(status, `Chưa có đơn đã giao nào từ ${range}.`, 'info');
  } else {
    const own = result.households.some((hh) => hh.kind === 'cooperative') ? ' và hàng của HTX' : '';
    notice(
      status,
      `${result.householdCount} hộ${own}, tổng ${formatAmount(result.totals.owed)} đồng (${range}).`,
      'ok',
    );
  }
  render(result);
  const excelButton = byId<HTMLButtonElement>('settle-csv-excel');
  show(csvButton, result.households.length > 0);
  show(excelButton, result.households.length > 0);
  const name = `doi-soat-${coop.slug}-${from}-${to}`;
  excelButton.addEventListener('click', () => {
    download(settlementCsv(result, { from, to }, ';'), `${name}-excel.csv`);
    notice(status, 'Đã tải tệp CSV cho Excel.', 'ok');
  });
  csvButton.addEventListener('click', () => {
    download(settlementCsv(result, { from, to }), `${name}.csv`);
    notice(status, 'Đã tải tệp CSV.', 'ok');
  });
}

/** The carriers' COD (collected, paid out by their statements) and their fees above the quotes. */
function carrierBlock(result: Settlement): HTMLElement | null {
  const c = result.carriers;
  if (c.shipments === 0) return null;
  return h(
    'section',
    { class: 'settle-carriers', id: 'settle-carriers' },
    h('h3', null, 'Đơn vị vận chuyển'),
    h(
      'dl',
      { class: 'facts-list order-sums' },
      h('dt', null, 'COD đơn vị vận chuyển đã thu'),
      h('dd', null, `${formatAmount(c.codExpected)} đồng`),
      h('dt', null, 'Đã trả theo bảng kê'),
      h('dd', { id: 'settle-cod-remitted' }, `${formatAmount(c.codRemitted)} đồng`),
      h('dt', null, `Còn chờ trả (${c.codOutstanding} đơn)`),
      h('dd', null, `${formatAmount(c.codExpected - c.codRemitted)} đồng`),
      h('dt', null, 'Cước HTX chịu thêm'),
      h('dd', null, `${formatAmount(c.extraCost)} đồng`),
    ),
  );
}

function render(result: Settlement): void {
  fill(
    byId('settle-body'),
    carrierBlock(result),
    result.households.map((hh) =>
      h(
        'section',
        { class: 'settle-household', 'data-producer': hh.producerId, 'data-kind': hh.kind },
        h('h3', null, hh.kind === 'cooperative' ? `${hh.producerName} — hàng của HTX` : hh.producerName),
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
          h('dt', null, h('strong', null, hh.kind === 'cooperative' ? 'Phần của HTX' : 'HTX trả hộ')),
          h('dd', null, h('strong', { class: 'settle-owed' }, `${formatAmount(hh.owed)} đồng`)),
        ),
      ),
    ),
  );
}
