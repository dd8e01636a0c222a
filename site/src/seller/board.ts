/**
 * /hop-tac-xa/: the cooperative board — pending members, member listings in review, proxy
 * listing with the household's consent code, OCOP expiry warnings, CSV import.
 */
import { CATEGORY_SLUGS } from '../../../shared/domain/categories.ts';
import { api, apiItems, ApiError, enc, errorMessage } from './api.ts';
import { chunks, CsvError, toImportRows, type ImportRow } from '../../../shared/domain/csv.ts';
import { byId, fill, formatDate, h, notice, show } from './dom.ts';
import { runSubmit, setBusy, setFieldError, showError } from './forms.ts';
import { loadMe } from './me.ts';
import { initProductForm, type ProductFormHandle } from './product-form.ts';
import { fillQueue, listingCard, producerCard, setCount } from './queue.ts';
import type { ExpiringCertificate, ImportResult, ItemsOf, Me, Producer, SellerProduct } from './types.ts';
import { SIX_DIGITS } from './validate.ts';

/** IMPORT_LIMITS.rowsPerRequest in shared/domain/seller.ts. */
const ROWS_PER_REQUEST = 25;
const WARN_DAYS = 60;

let me: Me;
let coopId = '';

export async function startBoard(): Promise<void> {
  try {
    me = await loadMe();
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(byId('boot'), false);
  if (!me.manages) {
    const box = byId('page-error');
    fill(
      box,
      'Trang này dành cho quản lý hợp tác xã đã được xác minh. ',
      h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
    );
    box.className = 'notice notice--info';
    show(box);
    return;
  }
  coopId = me.manages.cooperativeId;
  fill(
    byId('board-coop'),
    h('strong', null, me.manages.name),
    ' — ',
    h('a', { href: `/nha-san-xuat/${me.manages.slug}/` }, 'trang hợp tác xã trên sàn'),
  );
  show(byId('board'));
  await Promise.all([loadMembers(), loadListings(), loadExpiring()]);
  initProxy();
  initImport();
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

/* ---------- members ---------- */

let members: Producer[] = [];

async function loadMembers(): Promise<void> {
  const queue = byId('member-queue');
  fill(queue, h('li', { class: 'loading' }, 'Đang tải…'));
  try {
    const [requested, approved] = await Promise.all([
      apiItems<Producer>(`/api/cooperatives/${enc(coopId)}/members`, { query: { status: 'requested' } }),
      apiItems<Producer>(`/api/cooperatives/${enc(coopId)}/members`, { query: { status: 'approved' } }),
    ]);
    members = approved;
    let pending = requested.length;
    setCount('count-members', pending);
    fillQueue(
      queue,
      requested.map((household) =>
        producerCard(
          household,
          (body) =>
            api(`/api/producers/${enc(household.id)}/membership/decision`, { method: 'POST', body }).then(
              () => undefined,
            ),
          (body) => {
            pending -= 1;
            setCount('count-members', pending);
            if (body.decision === 'approve') {
              members.push(household);
              renderMembers();
            }
          },
          h('p', null, h('a', { href: `/ban-hang/nhat-ky/?id=${enc(household.id)}` }, 'Nhật ký của hộ')),
        ),
      ),
      'Không có hộ nào đang chờ.',
    );
  } catch (error) {
    fill(queue, h('li', { class: 'notice notice--error' }, errorMessage(error)));
  }
  renderMembers();
}

function renderMembers(): void {
  fill(byId('member-count'), `(${members.length})`);
  fillQueue(
    byId('member-list'),
    members.map((m) =>
      h(
        'li',
        null,
        h('strong', null, m.name),
        ' · ',
        h('a', { href: `/ban-hang/nhat-ky/?id=${enc(m.id)}` }, 'nhật ký'),
      ),
    ),
    'Chưa có thành viên.',
  );
  const select = byId<HTMLSelectElement>('proxy-household');
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, '— Chọn hộ —'));
  for (const m of members) select.append(h('option', { value: m.id }, m.name));
  select.value = chosen;
}

/* ---------- listings in review ---------- */

async function loadListings(): Promise<void> {
  const queue = byId('listing-queue');
  fill(queue, h('li', { class: 'loading' }, 'Đang tải…'));
  try {
    const items = await apiItems<SellerProduct>('/api/seller/products', { query: { scope: 'review' } });
    const mine = items.filter((p) => p.status === 'in_review');
    let pending = mine.length;
    setCount('count-listings', pending);
    fillQueue(
      queue,
      mine.map((p) =>
        listingCard(p, () => {
          pending -= 1;
          setCount('count-listings', pending);
        }),
      ),
      'Không có sản phẩm nào chờ duyệt.',
    );
  } catch (error) {
    fill(queue, h('li', { class: 'notice notice--error' }, errorMessage(error)));
  }
}

/* ---------- certificate expiry ---------- */

async function loadExpiring(): Promise<void> {
  const list = byId('expiring-list');
  try {
    const { items } = await api<ItemsOf<ExpiringCertificate>>('/api/seller/ocop/expiring');
    const soon = items.filter((c) => c.daysLeft <= WARN_DAYS).sort((a, b) => a.daysLeft - b.daysLeft);
    setCount('count-expiring', soon.length);
    fillQueue(
      list,
      soon.map((c) =>
        h(
          'li',
          { class: c.daysLeft < 0 ? 'expiry--past' : 'expiry--soon' },
          h('p', null, h('strong', null, `${'★'.repeat(c.stars)} ${c.productName}`)),
          c.producer ? h('p', { class: 'pcard__meta' }, c.producer.name) : null,
          h(
            'p',
            null,
            `Quyết định ${c.decisionNumber} — hết hạn ${formatDate(c.expiresOn)}: `,
            h(
              'strong',
              null,
              c.daysLeft < 0
                ? `đã hết hạn ${-c.daysLeft} ngày`
                : c.daysLeft === 0
                  ? 'hết hạn hôm nay'
                  : `còn ${c.daysLeft} ngày`,
            ),
          ),
          h('a', { href: `/ban-hang/san-pham/#sp/${enc(c.productId)}/ocop` }, 'Thêm chứng nhận mới'),
        ),
      ),
      'Không có chứng nhận nào hết hạn trong 60 ngày tới.',
    );
  } catch (error) {
    fill(list, h('li', { class: 'notice notice--error' }, errorMessage(error)));
  }
}

/* ---------- proxy listing ---------- */

function initProxy(): void {
  const startForm = byId<HTMLFormElement>('proxy-start-form');
  const codeForm = byId<HTMLFormElement>('proxy-code-form');
  const productBox = byId('proxy-product');
  const done = byId('proxy-done');
  const codeInput = byId<HTMLInputElement>('proxy-code');
  const select = byId<HTMLSelectElement>('proxy-household');
  let consent: { consentId: string; expiresAt: number; householdId: string; householdName: string } | null =
    null;
  let timer: number | undefined;

  const step = (n: number) => {
    byId('proxy-steps')
      .querySelectorAll('li')
      .forEach((li, i) =>
        i === n ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current'),
      );
    show(startForm, n <= 1);
    show(codeForm, n === 2);
    show(productBox, n === 3);
    show(done, n === 4);
  };

  const tick = () => {
    if (!consent) return;
    const left = Math.max(0, Math.round((consent.expiresAt - Date.now()) / 1000));
    fill(
      byId('proxy-timer'),
      left > 0
        ? `Mã còn hiệu lực ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}.`
        : 'Mã đã hết hạn, hãy gửi lại mã.',
    );
    if (left === 0) window.clearInterval(timer);
  };

  const sendCode = async (householdId: string) => {
    const { consentId, expiresIn } = await api<{ consentId: string; expiresIn: number }>(
      '/api/seller/proxy-consents',
      {
        method: 'POST',
        body: { householdId },
      },
    );
    const householdName = members.find((m) => m.id === householdId)?.name ?? 'hộ';
    consent = { consentId, expiresAt: Date.now() + expiresIn * 1000, householdId, householdName };
    fill(
      byId('proxy-sent'),
      'Đã gửi mã tới điện thoại của ',
      h('strong', null, householdName),
      '. Gọi cho hộ và hỏi mã 6 số vừa nhận.',
    );
    window.clearInterval(timer);
    timer = window.setInterval(tick, 1000);
    tick();
  };

  startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const householdId = select.value;
    const ok = await runSubmit(
      startForm,
      startForm.querySelector<HTMLButtonElement>('button[type=submit]')!,
      () => (householdId ? [] : [{ path: 'householdId', message: 'Hãy chọn một hộ thành viên' }]),
      () => sendCode(householdId),
    );
    if (!ok) return;
    step(2);
    codeInput.value = '';
    codeInput.focus();
  });

  codeInput.addEventListener('input', () => {
    const digits = codeInput.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== codeInput.value) codeInput.value = digits;
  });

  let productForm: ProductFormHandle | null = null;
  /** Whose listing the form holds: a retried code keeps what the manager typed. */
  let formHousehold = '';
  const backToCode = (error: unknown) => {
    if (error instanceof ApiError && error.code.startsWith('consent.')) {
      step(2);
      setFieldError(codeInput, error.message);
      codeInput.focus();
      return true;
    }
    return false;
  };

  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = codeInput.value.trim();
    const ok = await runSubmit(
      codeForm,
      codeForm.querySelector<HTMLButtonElement>('button[type=submit]')!,
      () => {
        if (!SIX_DIGITS.test(code)) return [{ path: 'code', message: 'Mã gồm đúng 6 chữ số / 6 digits' }];
        if (!consent || consent.expiresAt <= Date.now()) {
          return [{ path: 'code', message: 'Mã đã hết hạn, hãy gửi lại mã' }];
        }
        return [];
      },
      async () => undefined,
    );
    if (!ok || !consent) return;
    productForm ??= initProductForm(
      byId<HTMLFormElement>('proxy-form'),
      (product: SellerProduct) => {
        window.clearInterval(timer);
        const name = consent?.householdName ?? '';
        consent = null;
        formHousehold = '';
        fill(
          done,
          h(
            'div',
            { class: 'notice notice--ok', role: 'status' },
            h('p', null, h('strong', null, `Đã tạo nháp “${product.name.vi}” cho ${name}.`)),
            h('p', null, 'Tiếp theo: thêm ảnh, rồi gửi duyệt.'),
          ),
          h(
            'div',
            { class: 'btn-row' },
            h(
              'a',
              { class: 'btn btn--primary', href: `/ban-hang/san-pham/#sp/${enc(product.id)}/anh` },
              'Thêm ảnh cho sản phẩm',
            ),
            h('button', { type: 'button', class: 'btn', onclick: () => step(1) }, 'Đăng thêm cho hộ khác'),
          ),
        );
        step(4);
      },
      { onError: backToCode },
    );
    if (formHousehold === consent.householdId) {
      productForm.setProxy({ ...consent, code });
    } else {
      productForm.create({ ...consent, code });
      formHousehold = consent.householdId;
    }
    step(3);
    byId('proxy-category').focus();
  });

  byId<HTMLButtonElement>('proxy-resend').addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    if (!consent) return;
    setBusy(button, true);
    try {
      await sendCode(consent.householdId);
      notice(byId('proxy-timer'), 'Đã gửi mã mới.', 'ok');
    } catch (error) {
      showError(codeForm, error);
    } finally {
      setBusy(button, false);
    }
  });
  byId('proxy-restart').addEventListener('click', () => {
    window.clearInterval(timer);
    consent = null;
    step(1);
    select.focus();
  });
  step(0);
}

/* ---------- CSV import ---------- */

function initImport(): void {
  const form = byId<HTMLFormElement>('import-form');
  const fileInput = byId<HTMLInputElement>('import-file');
  const ready = byId('import-ready');
  const start = byId<HTMLButtonElement>('import-start');
  let rows: ImportRow[] = [];

  fileInput.addEventListener('change', async () => {
    rows = [];
    show(ready, false);
    show(start, false);
    fill(byId('import-results'));
    fill(byId('import-summary'));
    show(byId('import-progress'), false);
    const file = fileInput.files?.[0];
    if (!file) return;
    try {
      rows = toImportRows(await file.text());
    } catch (error) {
      setFieldError(fileInput, error instanceof CsvError ? error.message : 'Không đọc được tệp.');
      return;
    }
    fileInput.removeAttribute('aria-invalid');
    const err = document.getElementById('import-file-error');
    if (err) err.hidden = true;
    if (rows.length === 0) {
      setFieldError(fileInput, 'Tệp chỉ có dòng tiêu đề, chưa có sản phẩm nào.');
      return;
    }
    fill(ready, `Đọc được ${rows.length} sản phẩm trong “${file.name}”.`);
    fill(start, `Nhập ${rows.length} sản phẩm`);
    show(ready);
    show(start);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (rows.length === 0) {
      setFieldError(fileInput, 'Hãy chọn tệp CSV trước.');
      fileInput.focus();
      return;
    }
    const progress = byId('import-progress');
    const bar = byId<HTMLProgressElement>('import-bar');
    const label = byId('import-bar-label');
    show(progress);
    bar.max = rows.length;
    bar.value = 0;
    setBusy(start, true, 'Đang nhập…');
    fileInput.disabled = true;
    const results: ImportResult[] = [];
    let processed = 0;
    for (const chunk of chunks(rows, ROWS_PER_REQUEST)) {
      try {
        const answer = await api<{ results: ImportResult[] }>('/api/seller/imports', {
          method: 'POST',
          body: { rows: chunk },
        });
        results.push(...answer.results);
      } catch (error) {
        // The whole request failed: every row of it failed with that reason.
        const message = errorMessage(error);
        results.push(...chunk.map((r) => ({ line: r.line, ok: false, errors: [{ field: '', message }] })));
      }
      processed += chunk.length;
      bar.value = processed;
      fill(label, `Đã xử lý ${processed}/${rows.length} dòng`);
    }
    setBusy(start, false);
    fileInput.disabled = false;
    renderImportResults(rows, results);
  });
}

/** The API's generic enum message, said for people who fill a spreadsheet. */
function kindMessage(error: { field: string; message: string }, row: ImportRow | undefined): string {
  if (error.field === 'category' && /^Invalid option/i.test(error.message)) {
    const given = row?.values.category ?? '';
    return `Loại “${given}” không có. Dùng một trong: ${CATEGORY_SLUGS.join(', ')}.`;
  }
  return error.message;
}

function renderImportResults(rows: ImportRow[], results: ImportResult[]): void {
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const ok = results.filter((r) => r.ok).length;
  const failed = results.length - ok;
  fill(
    byId('import-summary'),
    h(
      'p',
      { class: `notice ${failed ? 'notice--warn' : 'notice--ok'}` },
      h('strong', null, `${ok} sản phẩm đã tạo (nháp)`),
      failed ? `, ${failed} dòng lỗi — sửa trong tệp rồi nhập lại riêng các dòng đó.` : '.',
    ),
    ok ? h('p', null, h('a', { href: '/ban-hang/san-pham/' }, 'Xem sản phẩm vừa tạo')) : null,
  );
  const sorted = [...results].sort((a, b) => Number(a.ok) - Number(b.ok) || a.line - b.line);
  fill(
    byId('import-results'),
    h(
      'table',
      null,
      h('caption', null, 'Kết quả từng dòng'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Dòng'),
          h('th', { scope: 'col' }, 'Sản phẩm'),
          h('th', { scope: 'col' }, 'Kết quả'),
        ),
      ),
      h(
        'tbody',
        null,
        sorted.map((r) =>
          h(
            'tr',
            null,
            h('td', null, String(r.line)),
            h('td', null, byLine.get(r.line)?.values.name_vi ?? '—'),
            h(
              'td',
              null,
              r.ok
                ? h('span', { class: 'result-ok' }, '✓ Đã tạo')
                : h(
                    'ul',
                    { class: 'plain-list result-bad' },
                    (r.errors ?? [{ field: '', message: 'Lỗi' }]).map((e) =>
                      h(
                        'li',
                        null,
                        e.field ? `${e.field}: ${kindMessage(e, byLine.get(r.line))}` : e.message,
                      ),
                    ),
                  ),
            ),
          ),
        ),
      ),
    ),
  );
}
