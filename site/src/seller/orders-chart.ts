/**
 * The weekly sales chart on /hop-tac-xa/: revenue of delivered and completed orders in each of
 * the last 8 weeks, as a small SVG bar chart drawn here (no chart library) with the same figures
 * in a table for screen readers and for anyone who prefers numbers.
 */
import { weeklySales, weeklySalesFrom, type WeekSales } from '../../../shared/orders/reports.ts';
import { errorMessage } from './api.ts';
import { fill, formatDate, h } from './dom.ts';
import { formatVnd } from './labels.ts';
import { loadMe } from './me.ts';
import { fetchRange, formatAmount, table, today } from './orders-common.ts';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** "1,2 tr" / "850 N": short amounts for the axis. */
function shortVnd(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} tr`;
  if (n >= 1_000) return `${Math.round(n / 1_000).toLocaleString('vi-VN')} N`;
  return String(n);
}

/** A bar per week, scaled to the best week; the SVG scales to its container's width. */
export function barChart(weeks: WeekSales[], labelledBy: string): SVGSVGElement {
  const width = 320;
  const height = 180;
  const top = 18;
  const bottom = 28;
  const left = 4;
  const plot = height - top - bottom;
  const max = Math.max(1, ...weeks.map((w) => w.revenue));
  const slot = (width - left * 2) / weeks.length;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': labelledBy,
    class: 'sales-chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  chart.append(svg('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'sales-chart__axis' }));
  weeks.forEach((week, i) => {
    const barHeight = Math.round((week.revenue / max) * plot);
    const x = left + i * slot + slot * 0.15;
    const bar = svg('rect', {
      x: x.toFixed(1),
      y: top + plot - barHeight,
      width: (slot * 0.7).toFixed(1),
      height: barHeight,
      rx: 3,
      class: i === weeks.length - 1 ? 'sales-chart__bar sales-chart__bar--now' : 'sales-chart__bar',
    });
    bar.append(svg('title', {}, `Tuần từ ${formatDate(week.weekStart)}: ${formatVnd(week.revenue)}`));
    chart.append(bar);
    const middle = (left + i * slot + slot / 2).toFixed(1);
    if (week.revenue > 0) {
      chart.append(
        svg(
          'text',
          { x: middle, y: top + plot - barHeight - 4, 'text-anchor': 'middle', class: 'sales-chart__value' },
          shortVnd(week.revenue),
        ),
      );
    }
    chart.append(
      svg(
        'text',
        { x: middle, y: height - 10, 'text-anchor': 'middle', class: 'sales-chart__label' },
        week.weekStart.slice(8, 10) + '/' + week.weekStart.slice(5, 7),
      ),
    );
  });
  return chart;
}

export async function startWeeklyChart(): Promise<void> {
  const box = document.getElementById('sales-chart');
  if (!box) return;
  let me;
  try {
    me = await loadMe();
  } catch {
    return; // the board says why
  }
  if (!me.manages) return;
  fill(box, h('p', { class: 'loading', role: 'status' }, 'Đang tính doanh thu…'));
  try {
    const now = today();
    const subs = await fetchRange(me.manages.cooperativeId, weeklySalesFrom(now), now);
    const weeks = weeklySales(subs, now);
    const total = weeks.reduce((n, w) => n + w.revenue, 0);
    const summary = `Doanh thu 8 tuần gần nhất (đơn đã giao và hoàn tất): tổng ${formatVnd(total)}; tuần này ${formatVnd(weeks.at(-1)!.revenue)}.`;
    fill(
      box,
      h('p', { id: 'sales-summary' }, summary),
      barChart(weeks, 'sales-summary'),
      h(
        'details',
        { class: 'sales-table' },
        h('summary', null, 'Xem dạng bảng'),
        h(
          'div',
          { class: 'table-scroll' },
          table(
            'Doanh thu theo tuần (thứ Hai – Chủ nhật)',
            ['Tuần', 'Số đơn đã giao', 'Doanh thu (đồng)'],
            weeks.map((w) => [
              `${formatDate(w.weekStart)} – ${formatDate(w.weekEnd)}`,
              w.orders,
              formatAmount(w.revenue),
            ]),
            { numeric: [1, 2], foot: ['Tổng', weeks.reduce((n, w) => n + w.orders, 0), formatAmount(total)] },
          ),
        ),
      ),
    );
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error', role: 'alert' }, errorMessage(error)));
  }
}
