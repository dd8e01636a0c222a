/**
 * /hop-tac-xa/hoa-don/: the cooperative's e-invoice settings (GET and PUT
 * /api/board/{id}/invoice-settings) and its invoices (GET /api/board/{id}/invoices, newest first,
 * page after page with `before`; the XML of one with GET …/invoices/{code}/{kind}). A failed
 * issuance stays due and the invoice lane retries it by itself (30 s doubling to 1 h): the page
 * says so, with the provider's error in plain words.
 */
import type { Schema } from '../api-contract.ts';
import {
  downloadXml,
  invoiceKindWords,
  INVOICE_SERIES,
  TAX_CODE,
  TEMPLATE_CODE,
  xmlFileName,
} from '../lib/invoice-rules.ts';
import { api, ApiError, enc, errorMessage, type FieldIssue } from './api.ts';
import { byId, fill, formatDateTime, h, notice, show } from './dom.ts';
import { runSubmit } from './forms.ts';
import { formatVnd } from './labels.ts';
import { requireManager } from './orders-common.ts';

type SettingsBody = Schema<'InvoiceSettingsBody'>;
type InvoiceSummary = Schema<'InvoiceSummary'>;

/** When the lane tries the failed invoice again: the time it has set, else the backoff rule. */
function retryWords(invoice: InvoiceSummary): string {
  const tried = `đã thử ${invoice.attempts} lần`;
  return invoice.nextAttemptAt
    ? `Hệ thống sẽ tự thử lại lúc ${formatDateTime(invoice.nextAttemptAt)} (${tried}).`
    : `Hệ thống sẽ tự thử lại (${tried}; lần sau cách lần trước 30 giây, tăng dần đến 1 giờ).`;
}
/** `credentialsSet` comes with the per-seller SInvoice accounts; absent on older servers. */
type StoredSettings = SettingsBody & { updatedAt: string; updatedBy: string; credentialsSet?: boolean };

const STATUS: Record<InvoiceSummary['status'], { vi: string; tone: string }> = {
  pending: { vi: 'Đang lập', tone: 'review' },
  issued: { vi: 'Đã lập', tone: 'ok' },
  failed: { vi: 'Lỗi — đang thử lại', tone: 'bad' },
};

/** The provider's last error (shared/invoices/viettel.ts ProviderError), in plain Vietnamese. */
export function invoiceErrorWords(error: string): string {
  if (/did not answer|timeout/i.test(error)) return 'SInvoice không trả lời kịp.';
  if (/unreachable|network|fetch failed/i.test(error)) return 'Không kết nối được SInvoice.';
  if (/credentials|\b40[13]\b/i.test(error))
    return 'SInvoice từ chối tài khoản của hợp tác xã: kiểm tra tài khoản và mật khẩu SInvoice.';
  if (/SInvoice 5\d\d/.test(error)) return 'SInvoice đang gặp sự cố.';
  return 'SInvoice chưa chấp nhận hóa đơn: kiểm tra mã số thuế, ký hiệu mẫu số và ký hiệu hóa đơn ở trên.';
}

/** Today's series for a seller who has none yet: C, the year, T (sent to the tax office), letters left out. */
const seriesHint = () => `C${String(new Date().getFullYear()).slice(2)}T`;

export async function startInvoices(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const base = `/api/board/${enc(coop.cooperativeId)}`;
  const form = byId<HTMLFormElement>('inv-form');
  const status = byId('inv-status');
  const input = (id: string) => byId<HTMLInputElement>(id);

  const fillForm = (settings: StoredSettings | null) => {
    input('inv-enabled').checked = settings?.enabled ?? false;
    input('inv-legal-name').value = settings?.legalName ?? coop.name;
    input('inv-tax-code').value = settings?.taxCode ?? '';
    input('inv-address').value = settings?.address ?? '';
    input('inv-template').value = settings?.templateCode ?? '1';
    input('inv-series').value = settings?.series ?? '';
    input('inv-series').placeholder = `${seriesHint()}AA`;
    const issueOn = settings?.issueOn ?? 'completed';
    form.querySelector<HTMLInputElement>(`input[name=issueOn][value=${issueOn}]`)!.checked = true;
    input('inv-grower').checked = settings?.grower ?? false;
    input('inv-sinvoice-user').value = '';
    input('inv-sinvoice-password').value = '';
    show(byId('inv-account-set'), settings?.credentialsSet === true);
  };

  try {
    fillForm((await api<{ settings: StoredSettings | null }>(`${base}/invoice-settings`)).settings);
  } catch (error) {
    notice(byId('page-error'), errorMessage(error), 'error');
    show(byId('page-error'));
    return;
  }
  show(byId('inv'));

  const read = (): {
    body: SettingsBody & { credentials?: { username: string; password: string } };
    issues: FieldIssue[];
  } => {
    const issues: FieldIssue[] = [];
    const text = (id: string) => input(id).value.normalize('NFC').replace(/\s+/g, ' ').trim();
    const legalName = text('inv-legal-name');
    const taxCode = text('inv-tax-code');
    const address = text('inv-address');
    const templateCode = text('inv-template');
    const series = text('inv-series').toUpperCase();
    if (legalName.length < 2)
      issues.push({ path: 'legalName', message: 'Nhập tên đơn vị như trên đăng ký thuế.' });
    if (!TAX_CODE.test(taxCode))
      issues.push({
        path: 'taxCode',
        message: 'Mã số thuế gồm 10 chữ số hoặc 10 chữ số, dấu gạch và 3 chữ số.',
      });
    if (address.length < 5) issues.push({ path: 'address', message: 'Nhập địa chỉ đăng ký thuế.' });
    if (!TEMPLATE_CODE.test(templateCode))
      issues.push({
        path: 'templateCode',
        message: 'Ký hiệu mẫu số hóa đơn GTGT là 1 (ví dụ 1 hoặc 1/001).',
      });
    if (!INVOICE_SERIES.test(series))
      issues.push({
        path: 'series',
        message: `Ký hiệu hóa đơn gồm 6 ký tự, ví dụ ${seriesHint()}AA (C hoặc K, năm, loại, 2 chữ cái).`,
      });
    const username = input('inv-sinvoice-user').value.trim();
    const password = input('inv-sinvoice-password').value;
    // The account is sent only when typed: an empty pair keeps the one saved (or none).
    if (username && !password)
      issues.push({ path: 'credentials.password', message: 'Nhập mật khẩu SInvoice của tài khoản này.' });
    if (password && !username)
      issues.push({ path: 'credentials.username', message: 'Nhập tài khoản SInvoice của mật khẩu này.' });
    const issueOn =
      form.querySelector<HTMLInputElement>('input[name=issueOn]:checked')?.value === 'paid'
        ? 'paid'
        : 'completed';
    return {
      body: {
        enabled: input('inv-enabled').checked,
        legalName,
        taxCode,
        address,
        templateCode,
        series,
        issueOn,
        grower: input('inv-grower').checked,
        ...(username && password ? { credentials: { username, password } } : {}),
      },
      issues,
    };
  };

  const save = byId<HTMLButtonElement>('inv-save');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show(status, false);
    void runSubmit(
      form,
      save,
      () => read().issues,
      async () => {
        let saved: { settings: StoredSettings };
        try {
          saved = await api<{ settings: StoredSettings }>(`${base}/invoice-settings`, {
            method: 'PUT',
            body: read().body,
          });
        } catch (error) {
          if (error instanceof ApiError && error.code === 'invoice.not_vat_registered') {
            throw new ApiError(
              error.status,
              error.code,
              'Chỉ hợp tác xã hoặc doanh nghiệp đăng ký nộp thuế GTGT mới xuất hóa đơn điện tử trên sàn.',
            );
          }
          throw error;
        }
        fillForm(saved.settings);
        notice(
          status,
          saved.settings.enabled
            ? 'Đã lưu. Hóa đơn điện tử đang bật: sàn lập hóa đơn cho đơn hàng theo cài đặt này.'
            : 'Đã lưu. Hóa đơn điện tử đang tắt: sàn không lập hóa đơn mới.',
          'ok',
        );
        show(status);
      },
      'Đang lưu…',
    );
  });

  // The invoices, newest first, a page at a time.
  const list = byId('inv-list');
  const more = byId<HTMLButtonElement>('inv-more');
  const listStatus = byId('inv-list-status');
  const xmlStatus = byId('inv-xml-status');
  let next: string | undefined;

  const xmlButton = (invoice: InvoiceSummary) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn--small btn--ghost',
        onclick: async (event: Event) => {
          const button = event.currentTarget as HTMLButtonElement;
          button.disabled = true;
          show(xmlStatus, false);
          try {
            const full = await api<InvoiceSummary & { xml: string }>(
              `${base}/invoices/${enc(invoice.orderCode)}/${enc(invoice.kindKey)}`,
            );
            downloadXml(full.xml, xmlFileName(full.orderCode, full.number, full.kindKey));
          } catch (error) {
            notice(xmlStatus, `Chưa tải được tệp XML: ${errorMessage(error)}`, 'error');
            show(xmlStatus);
          } finally {
            button.disabled = false;
          }
        },
      },
      `Tải XML${invoice.number ? ` hóa đơn ${invoice.number}` : ` đơn ${invoice.orderCode}`}`,
    );

  const item = (invoice: InvoiceSummary) => {
    const state = STATUS[invoice.status];
    const retrying = invoice.status !== 'issued' && invoice.attempts > 0;
    const facts: [string, Node | string][] = [
      ['Đơn hàng', h('a', { href: `/hop-tac-xa/don-hang/?ma=${enc(invoice.orderCode)}` }, invoice.orderCode)],
      ['Số hóa đơn', invoice.number ?? 'chưa có'],
      [
        'Ngày lập',
        invoice.issuedAt
          ? formatDateTime(invoice.issuedAt)
          : `chưa lập (tạo lúc ${formatDateTime(invoice.createdAt)})`,
      ],
      ['Tổng tiền', formatVnd(invoice.total)],
    ];
    if (invoice.lookupCode) facts.push(['Mã tra cứu', h('span', { class: 'code' }, invoice.lookupCode)]);
    return h(
      'li',
      { 'data-order': invoice.orderCode, 'data-status': invoice.status },
      h(
        'div',
        { class: 'inv-head' },
        h('strong', null, invoiceKindWords(invoice.kind)),
        h(
          'span',
          { class: `chip-status chip-status--${state.tone}` },
          retrying && invoice.status === 'pending' ? 'Đang thử lại' : state.vi,
        ),
      ),
      h(
        'dl',
        null,
        facts.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]),
      ),
      invoice.lastError && invoice.status !== 'issued'
        ? h('p', { class: 'reason' }, `${invoiceErrorWords(invoice.lastError)} ${retryWords(invoice)}`)
        : null,
      h(
        'p',
        { class: 'btn-row' },
        xmlButton(invoice),
        invoice.lookupUrl
          ? h('a', { href: invoice.lookupUrl, target: '_blank', rel: 'noopener' }, 'Xem trên trang tra cứu')
          : null,
      ),
    );
  };

  const loadPage = async () => {
    more.disabled = true;
    try {
      const page = await api<{ items: InvoiceSummary[]; next?: string }>(`${base}/invoices`, {
        query: { limit: '25', before: next },
      });
      list.append(...page.items.map(item));
      next = page.next;
      show(listStatus, false);
      show(byId('inv-empty'), list.childElementCount === 0);
      show(more, Boolean(next));
    } catch (error) {
      listStatus.className = 'notice notice--error';
      listStatus.setAttribute('role', 'alert');
      fill(listStatus, `Chưa tải được danh sách hóa đơn: ${errorMessage(error)}`);
      show(listStatus);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void loadPage());
  await loadPage();
}
