/**
 * /quan-tri/chuong-trinh/: the programme report (GET /api/admin/programme-report) as tables with
 * captions and column headers, an empty state per table, the targets form (PUT
 * /api/admin/programme-targets) and the CSV download.
 */
import { api, ApiError, apiBlob, errorMessage } from './api.ts';
import { byId, fill, formatDate, h, notice, show } from './dom.ts';
import { loadAdmin } from './me.ts';

interface Report {
  targets: { monthlyHouseholds: number; communes: { code: string; monthlyHouseholds: number }[] } | null;
  onboarding: {
    month: string;
    communeCode: string;
    communeName: string;
    onboarded: number;
    target: number | null;
  }[];
  listingsAwaitingReview: {
    productId: string;
    name: string;
    producerName: string;
    since: string;
    ageDays: number;
  }[];
  expiringCertificates: {
    productName: string;
    stars: number;
    decisionNumber: string;
    expiresOn: string;
    daysLeft: number;
  }[];
  householdsWithoutSale: {
    name: string;
    phone: string;
    communeName: string;
    lastSaleAt: string | null;
    daysSinceSale: number | null;
  }[];
}

type Cell = string | number | HTMLElement;

function table(caption: string, headers: string[], rows: Cell[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    null,
    h('caption', null, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((row) =>
        h(
          'tr',
          null,
          row.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', null, cell))),
        ),
      ),
    ),
  );
}

const monthLabel = (month: string) => `${month.slice(5)}/${month.slice(0, 4)}`;

function render(report: Report): void {
  fill(
    byId('onboarding'),
    table(
      'Hộ đã xác minh, theo tháng xác minh',
      ['Xã', 'Tháng', 'Hộ tham gia', 'Chỉ tiêu'],
      report.onboarding.map((r) => [
        r.communeName,
        monthLabel(r.month),
        r.onboarded,
        r.target === null ? 'Chưa đặt' : `${r.target}${r.onboarded >= r.target ? ' (đạt)' : ' (chưa đạt)'}`,
      ]),
      'Chưa có hộ nào được xác minh.',
    ),
  );
  fill(
    byId('reviews'),
    table(
      `${report.listingsAwaitingReview.length} sản phẩm chờ duyệt, lâu nhất trước`,
      ['Sản phẩm', 'Người bán', 'Gửi duyệt', 'Số ngày chờ'],
      report.listingsAwaitingReview.map((r) => [r.name, r.producerName, formatDate(r.since), r.ageDays]),
      'Không có sản phẩm nào chờ duyệt.',
    ),
  );
  fill(
    byId('certificates'),
    table(
      'Chứng nhận sắp hết hạn, gần nhất trước',
      ['Sản phẩm', 'Hạng sao', 'Số quyết định', 'Hết hạn', 'Còn (ngày)'],
      report.expiringCertificates.map((c) => [
        c.productName,
        `${c.stars} sao`,
        c.decisionNumber,
        formatDate(c.expiresOn),
        c.daysLeft,
      ]),
      'Không có chứng nhận nào hết hạn trong 60 ngày tới.',
    ),
  );
  fill(
    byId('no-sale'),
    table(
      `${report.householdsWithoutSale.length} hộ chưa có đơn trong 90 ngày`,
      ['Hộ', 'Điện thoại', 'Xã', 'Đơn gần nhất'],
      report.householdsWithoutSale.map((r) => [
        r.name,
        h('a', { href: `tel:${r.phone}` }, r.phone),
        r.communeName,
        r.lastSaleAt ? `${formatDate(r.lastSaleAt)} (${r.daysSinceSale} ngày)` : 'Chưa bán lần nào',
      ]),
      'Mọi hộ đều có đơn trong 90 ngày qua.',
    ),
  );
  const targets = report.targets;
  byId<HTMLInputElement>('target-default').value = targets ? String(targets.monthlyHouseholds) : '';
  byId<HTMLTextAreaElement>('target-communes').value = (targets?.communes ?? [])
    .map((c) => `${c.code}, ${c.monthlyHouseholds}`)
    .join('\n');
}

async function load(): Promise<void> {
  render(await api<Report>('/api/admin/programme-report'));
}

async function saveTargets(event: Event): Promise<void> {
  event.preventDefault();
  const status = byId('targets-status');
  const communes = byId<HTMLTextAreaElement>('target-communes')
    .value.split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [code = '', count = ''] = line.split(/[,;\s]+/);
      return { code, monthlyHouseholds: Number(count) };
    });
  try {
    await api('/api/admin/programme-targets', {
      method: 'PUT',
      body: { monthlyHouseholds: Number(byId<HTMLInputElement>('target-default').value), communes },
    });
    notice(status, 'Đã lưu chỉ tiêu.', 'ok');
    await load();
  } catch (error) {
    // The form has no field per commune line: the API's own words say which line is wrong.
    const issues = error instanceof ApiError ? error.issues.map((i) => i.message) : [];
    notice(status, [errorMessage(error), ...issues].join(' '), 'error');
  }
}

async function downloadCsv(): Promise<void> {
  const status = byId('csv-status');
  try {
    const blob = await apiBlob('/api/admin/programme-report', { query: { format: 'csv' } });
    const link = h('a', { href: URL.createObjectURL(blob), download: 'bao-cao-chuong-trinh.csv' });
    link.click();
    URL.revokeObjectURL(link.href);
    notice(status, 'Đã tải tệp CSV.', 'ok');
  } catch (error) {
    notice(status, errorMessage(error), 'error');
  }
}

export async function startProgramme(): Promise<void> {
  try {
    if (!(await loadAdmin())) return;
    show(byId('programme'));
    byId('targets-form').addEventListener('submit', (e) => void saveTargets(e));
    byId('download-csv').addEventListener('click', () => void downloadCsv());
    await load();
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
  }
}
