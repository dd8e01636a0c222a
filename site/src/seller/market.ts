/**
 * /ban-hang/thi-truong/: the market page of one of the household's own products (GET
 * /api/seller/products/{id}/market). A product is picked from the household's listings (the one
 * in `?id=`, else the first); the panel shows the reference price beside each pack, the grade's
 * recent prices on the exchange (or why they are withheld), open pre-order demand, and the
 * household's own sales as an SVG bar chart with the same figures in tables.
 */
import type { Schema } from '../api-contract.ts';
import { api, apiItems, enc, errorMessage } from './api.ts';
import { byId, fill, formatDate, formatDateTime, h, notice, show } from './dom.ts';
import { formatVnd } from './labels.ts';
import { scrollRegion } from './scroll-region.ts';
import { loadMe } from './me.ts';
import { barChart } from './orders-chart.ts';
import { formatAmount, table } from './orders-common.ts';
import type { SellerProduct } from './types.ts';

type Panel = Schema<'MarketPanel'>;
type Figure = Panel['recentPrices']['last30Days'];

const perKg = (n: number) => `${formatVnd(n)}/kg`;

export async function startMarket(): Promise<void> {
  let products: SellerProduct[];
  try {
    const me = await loadMe();
    if (!me.producer) {
      show(byId('boot'), false);
      const box = byId('page-error');
      fill(
        box,
        'Bạn chưa đăng ký nhà sản xuất nên chưa có sản phẩm để xem thị trường. ',
        h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
      );
      box.className = 'notice notice--info';
      show(box);
      return;
    }
    products = (await apiItems<SellerProduct>('/api/seller/products')).filter((p) => p.status !== 'archived');
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(byId('boot'), false);
  show(byId('market'));
  if (products.length === 0) {
    show(byId('mk-empty'));
    show(byId('mk-product').closest('.panel')!, false);
    return;
  }
  const select = byId<HTMLSelectElement>('mk-product');
  fill(
    select,
    products.map((p) => h('option', { value: p.id }, p.name.vi)),
  );
  const wanted = new URLSearchParams(location.search).get('id');
  if (wanted && products.some((p) => p.id === wanted)) select.value = wanted;
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?id=${enc(select.value)}`);
    void load(select.value);
  });
  await load(select.value);
}

let current = 0;

async function load(productId: string): Promise<void> {
  const request = ++current;
  const status = byId('mk-status');
  notice(status, 'Đang tải số liệu thị trường…', 'info');
  show(status);
  byId('mk-panel').setAttribute('aria-busy', 'true');
  try {
    const panel = await api<Panel>(`/api/seller/products/${enc(productId)}/market`);
    if (request !== current) return; // another product was picked meanwhile
    render(panel);
    show(status, false);
    show(byId('mk-panel'));
  } catch (error) {
    if (request !== current) return;
    notice(status, errorMessage(error), 'error');
    show(byId('mk-panel'), false);
  } finally {
    byId('mk-panel').removeAttribute('aria-busy');
  }
}

function render(panel: Panel): void {
  renderReference(panel);
  renderRecent(panel);
  renderDemand(panel);
  renderSales(panel);
}

function renderReference(panel: Panel): void {
  const grade = panel.product.categoryName;
  const ref = panel.referencePrice;
  const intro = ref
    ? h(
        'p',
        { id: 'mk-ref-price' },
        `Giá tham chiếu của hợp tác xã cho loại ${grade}: `,
        h('strong', null, perKg(ref.pricePerKg)),
        `, áp dụng từ ngày ${formatDate(ref.effectiveFrom)}.`,
      )
    : h(
        'p',
        { class: 'notice notice--info', id: 'mk-ref-price' },
        panel.cooperative
          ? `Hợp tác xã chưa đặt giá tham chiếu cho loại ${grade}.`
          : 'Bạn chưa là thành viên hợp tác xã nên chưa có giá tham chiếu. Vẫn so được với giá bán gần đây trên sàn ở mục dưới.',
      );
  const difference = (d: { perKg: number; percent: number } | undefined) => {
    if (!d) return '—';
    if (d.perKg === 0) return 'Bằng giá tham chiếu';
    const sign = d.perKg > 0 ? 'Cao hơn' : 'Thấp hơn';
    const percent = Math.abs(d.percent).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
    return `${sign} ${formatVnd(Math.abs(d.perKg))}/kg (${percent} %)`;
  };
  fill(
    byId('mk-ref'),
    intro,
    h(
      'div',
      scrollRegion('Bảng giá từng gói'),
      table(
        'Giá từng gói của bạn, quy ra mỗi kg',
        ['Gói', 'Giá bán', 'Giá mỗi kg', 'So với tham chiếu'],
        panel.packs.map((p) => [
          p.label,
          formatVnd(p.price),
          p.pricePerKg !== undefined ? perKg(p.pricePerKg) : 'Gói tính theo đơn vị',
          difference(p.difference),
        ]),
        { numeric: [1, 2] },
      ),
    ),
  );
}

function figureText(figure: Figure): HTMLElement {
  if (!figure.available) {
    return h(
      'p',
      { class: 'muted' },
      `Chưa đủ số liệu: cần ít nhất ${figure.minimumSellers} hộ khác đã giao hàng loại này.`,
    );
  }
  return h(
    'p',
    null,
    'Giá giữa (trung vị): ',
    h('strong', null, perKg(figure.medianPerKg)),
    ` · từ ${formatVnd(figure.lowPerKg)} đến ${perKg(figure.highPerKg)}`,
    ` · ${figure.sellers} hộ khác, khoảng ${figure.kg.toLocaleString('vi-VN')} kg đã giao`,
  );
}

function renderRecent(panel: Panel): void {
  fill(
    byId('mk-recent'),
    h('h3', null, `${panel.product.categoryName} — 30 ngày qua`),
    figureText(panel.recentPrices.last30Days),
    h('h3', null, `${panel.product.categoryName} — 90 ngày qua`),
    figureText(panel.recentPrices.last90Days),
  );
}

function renderDemand(panel: Panel): void {
  fill(
    byId('mk-demand'),
    panel.demand.length === 0
      ? h('p', { class: 'muted' }, 'Chưa có đợt đặt trước nào đang mở cho sản phẩm này.')
      : h(
          'div',
          scrollRegion('Bảng đặt trước'),
          table(
            'Số gói người mua đã đặt trước trong các đợt đang mở',
            ['Gói', 'Vụ', 'Đã đặt', 'Đợt đóng lúc'],
            panel.demand.map((d) => [
              d.label,
              d.season,
              d.reservedQuantity,
              formatDateTime(d.windowClosesAt),
            ]),
            { numeric: [2] },
          ),
        ),
  );
}

function renderSales(panel: Panel): void {
  const box = byId('mk-sales');
  const { weeks, months } = panel.sales;
  const units = weeks.reduce((n, w) => n + w.units, 0);
  const revenue = weeks.reduce((n, w) => n + w.revenue, 0);
  if (months.every((m) => m.units === 0)) {
    fill(
      box,
      h(
        'p',
        { class: 'notice notice--info', id: 'mk-sales-empty' },
        'Chưa có đơn nào của sản phẩm này được giao trong 12 tháng qua. Khi đơn được giao, doanh số sẽ hiện ở đây.',
      ),
    );
    return;
  }
  const summary = `Doanh số 12 tuần gần nhất (đơn đã giao): ${units.toLocaleString('vi-VN')} gói, ${formatVnd(revenue)}; tuần này ${formatVnd(weeks.at(-1)!.revenue)}.`;
  fill(
    box,
    h('p', { id: 'mk-sales-summary' }, summary),
    barChart(
      weeks.map((w) => ({ weekStart: w.weekStart, weekEnd: w.weekEnd, revenue: w.revenue, orders: w.units })),
      'mk-sales-summary',
    ),
    h(
      'details',
      { class: 'sales-table' },
      h('summary', null, 'Xem dạng bảng'),
      h(
        'div',
        scrollRegion('Bảng doanh số'),
        table(
          'Theo tuần (thứ Hai – Chủ nhật)',
          ['Tuần', 'Số gói', 'Doanh thu (đồng)'],
          weeks.map((w) => [
            `${formatDate(w.weekStart)} – ${formatDate(w.weekEnd)}`,
            w.units,
            formatAmount(w.revenue),
          ]),
          { numeric: [1, 2], foot: ['Tổng', units, formatAmount(revenue)] },
        ),
        table(
          'Theo tháng',
          ['Tháng', 'Số gói', 'Doanh thu (đồng)'],
          months.map((m) => [`${m.month.slice(5)}/${m.month.slice(0, 4)}`, m.units, formatAmount(m.revenue)]),
          { numeric: [1, 2] },
        ),
      ),
    ),
  );
}
