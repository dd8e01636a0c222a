/**
 * /ban-hang/san-pham/: the product list (status filter, quick price and stock edits), the
 * create form (#moi) and one listing's editor (#sp/<id>/<tab>).
 */
import { findCategory } from '../../../shared/domain/categories.ts';
import { messageForCode } from '../../../shared/domain/seller-messages.ts';
import { api, apiItems, ApiError, enc, errorMessage, type FieldIssue } from './api.ts';
import { byId, fill, formatDateTime, h, notice, show, uid } from './dom.ts';
import { runSubmit, setBusy } from './forms.ts';
import { chip, formatCount, formatDelta, formatVnd, mediaUrl, PRODUCT_STATUS } from './labels.ts';
import { initLotForm, renderLots } from './lots.ts';
import { loadMe } from './me.ts';
import { initOcopForm, renderCertificates } from './ocop.ts';
import { isOfflineError, queueChange, SYNCED_EVENT } from './offline/panel.ts';
import { uploadPhoto } from './photos.ts';
import { initProductForm, type ProductFormHandle } from './product-form.ts';
import { renderReviews } from './reviews.ts';
import { reviewOf, type Me, type ProductStatus, type SellerProduct, type StockChange } from './types.ts';
import { Checker, parsePriceInput, parseWhole } from './validate.ts';

const TABS = [
  { key: 'thong-tin', vi: 'Thông tin' },
  { key: 'anh', vi: 'Ảnh' },
  { key: 'lo-hang', vi: 'Lô hàng, nhãn QR' },
  { key: 'ocop', vi: 'OCOP' },
  { key: 'kho', vi: 'Lịch sử kho' },
  { key: 'danh-gia', vi: 'Đánh giá' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

let me: Me;
let products: SellerProduct[] = [];
let filter: 'all' | ProductStatus = 'all';
let newForm: ProductFormHandle;
let editForm: ProductFormHandle;
let currentProduct: SellerProduct | null = null;

export async function startProducts(): Promise<void> {
  try {
    me = await loadMe();
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(byId('boot'), false);
  if (!me.producer && !me.manages) {
    const box = byId('page-error');
    fill(
      box,
      'Bạn chưa đăng ký nhà sản xuất. ',
      h('a', { href: '/ban-hang/' }, 'Đăng ký ở trang Tổng quan'),
      ' rồi quay lại.',
    );
    box.className = 'notice notice--info';
    show(box);
    return;
  }
  newForm = initProductForm(
    byId<HTMLFormElement>('new-form'),
    (product) => {
      flash(`Đã lưu nháp “${product.name.vi}”. Bước tiếp: thêm ảnh, rồi gửi duyệt.`, true);
      location.hash = `#sp/${product.id}/anh`;
    },
    {
      onQueued: (name) => {
        flash(
          `Đã lưu nháp “${name}” trên máy; sẽ gửi lên sàn khi có mạng. Thêm ảnh ở mục “thay đổi đang chờ gửi”.`,
        );
        location.hash = '';
      },
    },
  );
  editForm = initProductForm(byId<HTMLFormElement>('edit-form'), (product) => {
    renderProduct(product, 'thong-tin');
    flash('Đã lưu thay đổi.');
  });
  initFilters();
  initPhotoInputs();
  // Queued changes reached the exchange: show its numbers.
  document.addEventListener(SYNCED_EVENT, () => {
    if (!location.hash || location.hash === '#') void loadList();
  });
  window.addEventListener('hashchange', () => void route());
  await route();
}

let pendingFlash = '';
/** The flash also offers the next steps of a new draft ("Thêm ảnh", "Gửi duyệt"). */
let pendingNextSteps = false;
function flash(text: string, nextSteps = false): void {
  pendingFlash = text;
  pendingNextSteps = nextSteps;
}

async function route(): Promise<void> {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  const views = ['view-list', 'view-new', 'view-product'];
  const showView = (id: string) => views.forEach((v) => show(byId(v), v === id));
  if (hash === 'moi') {
    showView('view-new');
    newForm.create();
    byId('new-title').focus();
    return;
  }
  const match = /^sp\/([^/]+)(?:\/([a-z-]+))?$/.exec(hash);
  if (match) {
    showView('view-product');
    const tab = (TABS.find((t) => t.key === match[2])?.key ?? 'thong-tin') as TabKey;
    if (currentProduct?.id !== match[1]) {
      fill(byId('product-head'), h('p', { class: 'loading', role: 'status' }, 'Đang tải sản phẩm…'));
      for (const t of TABS) show(byId(`tab-${t.key}`), false);
      try {
        currentProduct = await api<SellerProduct>(`/api/seller/products/${enc(match[1]!)}`);
      } catch (error) {
        fill(
          byId('product-head'),
          h('p', { class: 'notice notice--error', role: 'alert' }, errorMessage(error)),
        );
        return;
      }
      show(byId('label-preview'), false);
      fill(byId('upload-list'));
    }
    renderProduct(currentProduct!, tab);
    return;
  }
  showView('view-list');
  currentProduct = null;
  await loadList();
}

/* ---------- list ---------- */

function initFilters(): void {
  byId('filters').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-filter]');
    if (!button) return;
    filter = button.dataset.filter as typeof filter;
    for (const b of byId('filters').querySelectorAll('[data-filter]')) {
      b.setAttribute('aria-pressed', String(b === button));
    }
    renderList();
  });
}

async function loadList(): Promise<void> {
  const list = byId('product-list');
  fill(list, h('li', { class: 'loading', role: 'status' }, 'Đang tải danh sách…'));
  try {
    products = await apiItems<SellerProduct>('/api/seller/products');
  } catch (error) {
    fill(list);
    notice(byId('list-status'), errorMessage(error), 'error');
    return;
  }
  if (pendingFlash) {
    notice(byId('list-status'), pendingFlash, 'ok');
    pendingFlash = '';
  } else {
    show(byId('list-status'), false);
  }
  renderList();
}

function renderList(): void {
  const counts: Record<string, number> = { all: products.length };
  for (const p of products) counts[p.status] = (counts[p.status] ?? 0) + 1;
  for (const badge of byId('filters').querySelectorAll<HTMLElement>('[data-count]')) {
    const n = counts[badge.dataset.count ?? ''] ?? 0;
    badge.textContent = String(n);
    badge.classList.toggle('count-badge--zero', n === 0);
  }
  const list = byId('product-list');
  if (products.length === 0) {
    fill(
      list,
      h(
        'li',
        { class: 'empty' },
        h('strong', null, 'Chưa có sản phẩm nào — thêm sản phẩm đầu tiên'),
        h('p', null, h('a', { class: 'btn btn--primary', href: '#moi' }, '+ Thêm sản phẩm')),
      ),
    );
    return;
  }
  const shown = products.filter((p) => filter === 'all' || p.status === filter);
  if (shown.length === 0) {
    fill(list, h('li', { class: 'empty' }, 'Không có sản phẩm nào ở trạng thái này.'));
    return;
  }
  fill(list, shown.map(productCard));
}

function thumb(product: SellerProduct): HTMLElement {
  const image = product.images[0];
  return image
    ? h('img', {
        class: 'pcard__thumb',
        src: mediaUrl(image.key, 320),
        alt: '',
        width: 72,
        height: 72,
        loading: 'lazy',
      })
    : h('span', { class: 'pcard__thumb', 'aria-hidden': 'true' }, 'Chưa có ảnh');
}

function reviewNote(product: SellerProduct): HTMLElement | null {
  const { last, reviewer } = reviewOf(product);
  if (product.status === 'in_review') {
    return h(
      'p',
      { class: 'pcard__meta' },
      reviewer === 'admin' ? 'Quản trị viên sàn đang duyệt.' : 'Hợp tác xã đang duyệt.',
    );
  }
  if (last?.decision === 'reject' && product.status === 'draft') {
    return h(
      'div',
      { class: 'notice notice--error' },
      h('strong', null, `Bị từ chối ngày ${formatDateTime(last.at)}. `),
      'Lý do: ',
      h('q', null, last.reason ?? '—'),
      h('br'),
      'Sửa theo góp ý rồi gửi duyệt lại.',
    );
  }
  return null;
}

function productActions(
  product: SellerProduct,
  onChange: (p: SellerProduct, message: string) => void,
  status: HTMLElement,
): HTMLElement[] {
  const actions: HTMLElement[] = [];
  if (product.status === 'draft') {
    const submit = h(
      'button',
      { type: 'button', class: 'btn btn--primary btn--small', 'data-action': 'submit' },
      'Gửi duyệt',
    );
    submit.addEventListener('click', async () => {
      if (product.images.length === 0 && !confirm('Sản phẩm chưa có ảnh. Vẫn gửi duyệt?')) return;
      setBusy(submit, true);
      try {
        const next = await api<SellerProduct>(`/api/seller/products/${enc(product.id)}/submit`, {
          method: 'POST',
        });
        onChange(next, 'Đã gửi duyệt.');
      } catch (error) {
        notice(status, errorMessage(error), 'error');
        setBusy(submit, false);
      }
    });
    actions.push(submit);
  }
  if (product.status !== 'archived') {
    const archive = h('button', { type: 'button', class: 'btn btn--danger btn--small' }, 'Lưu trữ');
    archive.addEventListener('click', async () => {
      if (!confirm(`Lưu trữ “${product.name.vi}”? Sản phẩm sẽ thôi bán.`)) return;
      setBusy(archive, true);
      try {
        const next = await api<SellerProduct>(`/api/seller/products/${enc(product.id)}/archive`, {
          method: 'POST',
        });
        onChange(next, 'Đã lưu trữ.');
      } catch (error) {
        notice(status, errorMessage(error), 'error');
        setBusy(archive, false);
      }
    });
    actions.push(archive);
  }
  if (product.status === 'published') {
    actions.push(h('a', { class: 'btn btn--small', href: `/san-pham/${product.slug}/` }, 'Xem trên sàn'));
  }
  return actions;
}

/** A product card with its packs' price and stock editable in place. */
function productCard(product: SellerProduct): HTMLElement {
  const titleId = uid('p');
  const status = h('p', { class: 'notice', hidden: true });
  const editable = product.status !== 'archived';
  const reasonId = uid('reason');
  const reasonField = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: reasonId }, h('span', { class: 'vi' }, 'Lý do thay đổi kho')),
    h('input', {
      id: reasonId,
      name: 'reason',
      type: 'text',
      maxlength: '200',
      list: 'stock-reasons',
      autocomplete: 'off',
    }),
  );
  const saveButton = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Lưu thay đổi');
  const cancelButton = h('button', { type: 'button', class: 'btn' }, 'Huỷ');
  const saveRow = h('div', { class: 'btn-row', hidden: true }, saveButton, cancelButton);

  interface PackState {
    priceInput: HTMLInputElement;
    deltaInput: HTMLInputElement;
    after: HTMLOutputElement;
    stock: number;
    price: number;
  }
  const states: PackState[] = [];

  const refreshDirty = () => {
    let anyDelta = false;
    let dirty = false;
    for (const s of states) {
      const delta = parseWhole(s.deltaInput.value) ?? 0;
      if (delta !== 0) anyDelta = true;
      const price = parsePriceInput(s.priceInput.value);
      if (price !== s.price || delta !== 0) dirty = true;
      fill(
        s.after,
        delta === 0
          ? `Còn ${formatCount(s.stock)}`
          : `${formatCount(s.stock)} → ${formatCount(s.stock + delta)} (${formatDelta(delta)})`,
      );
      s.after.className = delta > 0 ? 'delta-plus' : delta < 0 ? 'delta-minus' : '';
    }
    reasonField.hidden = !anyDelta;
    saveRow.hidden = !dirty;
  };

  const packItems = product.packs.map((pack, i) => {
    const priceId = uid('price');
    const deltaId = uid('delta');
    const pricePreview = h('span', { class: 'hint' }, formatVnd(pack.price));
    const priceInput = h('input', {
      id: priceId,
      class: 'price-input',
      name: `packs.${i}.price`,
      type: 'text',
      autocomplete: 'off',
      value: String(pack.price),
      disabled: !editable,
    });
    priceInput.addEventListener('input', () => {
      const n = parsePriceInput(priceInput.value);
      fill(pricePreview, n !== null && n > 0 ? formatVnd(n) : '');
      refreshDirty();
    });
    const deltaInput = h('input', {
      id: deltaId,
      name: `stock.${i}.delta`,
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      value: '0',
      size: 4,
      class: 'delta-input',
      disabled: !editable,
    });
    const after = h('output', { for: deltaId, 'aria-live': 'polite' });
    const step = (by: number) => () => {
      const current = parseWhole(deltaInput.value) ?? 0;
      deltaInput.value = String(Math.max(-pack.stock, current + by));
      refreshDirty();
    };
    deltaInput.addEventListener('input', refreshDirty);
    states.push({ priceInput, deltaInput, after, stock: pack.stock, price: pack.price });
    return h(
      'li',
      { class: 'pack' },
      h('span', { class: 'pack__label' }, pack.label),
      h(
        'div',
        { class: 'pack__row field' },
        h('label', { for: priceId }, 'Giá (đ)'),
        priceInput,
        pricePreview,
      ),
      h(
        'div',
        { class: 'pack__row field' },
        h('label', { for: deltaId }, 'Thêm/bớt kho'),
        h(
          'span',
          { class: 'stepper' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'aria-label': `Bớt 1 gói ${pack.label}`,
              onclick: step(-1),
              disabled: !editable,
            },
            '−',
          ),
          deltaInput,
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'aria-label': `Thêm 1 gói ${pack.label}`,
              onclick: step(1),
              disabled: !editable,
            },
            '+',
          ),
        ),
        after,
      ),
    );
  });

  const form = h(
    'form',
    { class: 'pcard', novalidate: true, 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'pcard__head' },
      thumb(product),
      h(
        'div',
        null,
        h(
          'h3',
          { class: 'pcard__title', id: titleId },
          h('a', { href: `#sp/${product.id}/thong-tin` }, product.name.vi),
        ),
        chip(PRODUCT_STATUS[product.status]),
        h(
          'p',
          { class: 'pcard__meta' },
          findCategory(product.category)?.name.vi ?? product.category,
          me.producer && product.producerId !== me.producer.id ? ` · ${product.producer.name}` : '',
          product.listedBy ? ' · HTX đăng thay (có mã đồng ý)' : '',
        ),
      ),
    ),
    reviewNote(product),
    h('ul', { class: 'packs' }, packItems),
    reasonField,
    saveRow,
    status,
    h(
      'div',
      { class: 'pcard__actions' },
      h('a', { class: 'btn btn--small', href: `#sp/${product.id}/thong-tin` }, 'Sửa'),
      h('a', { class: 'btn btn--small', href: `#sp/${product.id}/anh` }, `Ảnh (${product.images.length})`),
      h('a', { class: 'btn btn--small', href: `#sp/${product.id}/lo-hang` }, 'Lô, nhãn QR'),
      productActions(product, (next, message) => replaceProduct(next, message), status),
    ),
  );
  refreshDirty();

  cancelButton.addEventListener('click', () => {
    states.forEach((s) => {
      s.priceInput.value = String(s.price);
      s.deltaInput.value = '0';
      s.priceInput.dispatchEvent(new Event('input'));
    });
    refreshDirty();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const c = new Checker();
    const prices = states.map((s, i) => c.price(`packs.${i}.price`, s.priceInput.value));
    const deltas = states.map((s, i) => {
      const raw = s.deltaInput.value.trim() || '0';
      const n = parseWhole(raw.replace(/^\+/, ''));
      if (n === null) c.add(`stock.${i}.delta`, 'Số gói thêm/bớt phải là số nguyên');
      else if (s.stock + n < 0) c.add(`stock.${i}.delta`, `Chỉ còn ${s.stock} gói, không bớt quá số đó`);
      return n ?? 0;
    });
    const reasonInput = form.querySelector<HTMLInputElement>('[name=reason]')!;
    if (deltas.some((d) => d !== 0)) {
      if (!reasonInput.value.trim()) {
        c.add('reason', 'Hãy ghi lý do, ví dụ “Nhập thêm mẻ chè mới”');
      } else {
        c.text('reason', reasonInput.value, 200);
      }
    }
    const priceChanged = prices.some((p, i) => p !== undefined && p !== states[i]!.price);
    let queued = 0;
    /** No connection: what is not sent yet waits in the queue on the phone (offline/queue.ts). */
    const queueFrom = async (firstPack: number, withPrice: boolean) => {
      if (withPrice) {
        await queueChange({
          kind: 'price',
          productId: product.id,
          productName: product.name.vi,
          packs: product.packs.map((pack, i) => ({ id: pack.id, price: prices[i]! })),
        });
        states.forEach((s, i) => (s.price = prices[i]!));
        queued++;
      }
      for (const [i, delta] of deltas.entries()) {
        if (i < firstPack || delta === 0) continue;
        await queueChange({
          kind: 'stock',
          productId: product.id,
          productName: product.name.vi,
          variantId: product.packs[i]!.id,
          packLabel: product.packs[i]!.label,
          delta,
          reason: reasonInput.value.trim(),
          baseStock: states[i]!.stock,
        });
        states[i]!.stock += delta;
        states[i]!.deltaInput.value = '0';
        queued++;
      }
    };
    const ok = await runSubmit(
      form,
      saveButton,
      () => c.issues,
      async () => {
        if (!navigator.onLine) return queueFrom(0, priceChanged);
        if (priceChanged) {
          try {
            await api(`/api/seller/products/${enc(product.id)}`, {
              method: 'PATCH',
              body: { packs: product.packs.map((pack, i) => ({ id: pack.id, price: prices[i] })) },
            });
          } catch (error) {
            if (isOfflineError(error)) return queueFrom(0, true);
            throw error;
          }
          states.forEach((s, i) => (s.price = prices[i]!));
        }
        for (const [i, delta] of deltas.entries()) {
          if (delta === 0) continue;
          try {
            const change = await api<StockChange>(`/api/seller/products/${enc(product.id)}/stock`, {
              method: 'POST',
              body: { variantId: product.packs[i]!.id, delta, reason: reasonInput.value.trim() },
            });
            // Applied: never send it twice if a later pack fails.
            states[i]!.stock = change.after ?? states[i]!.stock + delta;
            states[i]!.deltaInput.value = '0';
          } catch (error) {
            if (isOfflineError(error)) return queueFrom(i, false);
            if (!(error instanceof ApiError)) throw error;
            const issues: FieldIssue[] = error.issues.length
              ? error.issues.map((issue) => ({
                  ...issue,
                  path: issue.path === 'reason' ? 'reason' : `stock.${i}.delta`,
                }))
              : [{ path: `stock.${i}.delta`, message: error.message }];
            throw new ApiError(error.status, error.code, error.message, issues);
          }
        }
      },
      'Đang lưu…',
    );
    if (!ok) {
      refreshDirty();
      return;
    }
    if (queued) {
      // Shown as it will be once sent; the exchange's own numbers come back with the sync.
      const local: SellerProduct = {
        ...product,
        packs: product.packs.map((pack, i) => ({
          ...pack,
          price: states[i]!.price,
          stock: states[i]!.stock,
        })),
      };
      replaceProduct(local, `Đã lưu trên máy ${queued} thay đổi; sẽ gửi lên sàn khi có mạng.`);
      return;
    }
    try {
      replaceProduct(
        await api<SellerProduct>(`/api/seller/products/${enc(product.id)}`),
        'Đã lưu giá và kho.',
      );
    } catch {
      refreshDirty();
    }
  });

  return h('li', { 'data-product': product.id }, form);
}

function replaceProduct(next: SellerProduct, message?: string): void {
  products = products.map((p) => (p.id === next.id ? next : p));
  const old = byId('product-list').querySelector(`[data-product="${CSS.escape(next.id)}"]`);
  if (!old || (filter !== 'all' && next.status !== filter)) {
    renderList();
    return;
  }
  const card = productCard(next);
  old.replaceWith(card);
  const status = card.querySelector<HTMLElement>('.pcard > .notice');
  if (message && status) notice(status, message, 'ok');
  renderCountsOnly();
}

function renderCountsOnly(): void {
  const counts: Record<string, number> = { all: products.length };
  for (const p of products) counts[p.status] = (counts[p.status] ?? 0) + 1;
  for (const badge of byId('filters').querySelectorAll<HTMLElement>('[data-count]')) {
    badge.textContent = String(counts[badge.dataset.count ?? ''] ?? 0);
  }
}

/* ---------- one listing ---------- */

function renderProduct(product: SellerProduct, tab: TabKey): void {
  currentProduct = product;
  const head = byId('product-head');
  const status = h('p', { class: 'notice', hidden: true });
  fill(
    head,
    h(
      'h2',
      { id: 'product-title', tabindex: '-1' },
      product.name.vi,
      product.name.en ? h('span', { class: 'muted', lang: 'en' }) : null,
    ),
    h(
      'p',
      null,
      chip(PRODUCT_STATUS[product.status]),
      ' ',
      h(
        'span',
        { class: 'pcard__meta' },
        `${findCategory(product.category)?.name.vi ?? product.category} · ${product.producer.name}`,
      ),
    ),
    reviewNote(product),
    h(
      'div',
      { class: 'pcard__actions' },
      productActions(
        product,
        (next, message) => {
          flash(message);
          renderProduct(next, tab);
        },
        status,
      ),
    ),
    status,
  );
  if (pendingFlash) {
    const box = byId('product-flash');
    notice(box, pendingFlash, 'ok');
    if (pendingNextSteps && product.status === 'draft') {
      box.append(
        h(
          'span',
          { class: 'btn-row' },
          // A label for the camera input: one tap opens the camera.
          h('label', { for: 'photo-camera', class: 'btn btn--primary btn--small' }, 'Thêm ảnh'),
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn--small',
              onclick: () =>
                byId('product-head').querySelector<HTMLButtonElement>('[data-action=submit]')?.click(),
            },
            'Gửi duyệt',
          ),
        ),
      );
    }
    pendingFlash = '';
    pendingNextSteps = false;
    // The message and the next step are at the top of the screen, whatever was scrolled before.
    box.scrollIntoView({ block: 'start' });
    box.focus({ preventScroll: true });
  } else {
    show(byId('product-flash'), false);
  }
  const counts: Partial<Record<TabKey, number>> = {
    anh: product.images.length,
    'lo-hang': product.lots?.length ?? 0,
    ocop: product.certificates?.length ?? 0,
  };
  fill(
    byId('product-tabs'),
    TABS.map((t) =>
      h(
        'li',
        null,
        h(
          'a',
          { href: `#sp/${product.id}/${t.key}`, 'aria-current': t.key === tab ? 'true' : null },
          t.vi,
          counts[t.key] !== undefined ? ` (${counts[t.key]})` : '',
        ),
      ),
    ),
  );
  for (const t of TABS) show(byId(`tab-${t.key}`), t.key === tab);
  const archived = product.status === 'archived';
  if (tab === 'thong-tin') {
    editForm.edit(product);
    for (const el of byId('edit-form').querySelectorAll<HTMLInputElement>('input,select,textarea,button')) {
      if (archived) el.disabled = true;
    }
  }
  if (tab === 'anh') renderGallery(product);
  if (tab === 'lo-hang') {
    renderLots(product);
    void initLotForm(product, me, reloadCurrent);
  }
  if (tab === 'ocop') {
    renderCertificates(product);
    initOcopForm(product, reloadCurrent);
  }
  if (tab === 'kho') void renderStockHistory(product);
  if (tab === 'danh-gia') void renderReviews(product, me, () => void reloadCurrent());
}

async function reloadCurrent(): Promise<void> {
  if (!currentProduct) return;
  const tab = (TABS.find((t) => location.hash.endsWith(`/${t.key}`))?.key ?? 'thong-tin') as TabKey;
  try {
    renderProduct(await api<SellerProduct>(`/api/seller/products/${enc(currentProduct.id)}`), tab);
  } catch (error) {
    notice(byId('product-flash'), errorMessage(error), 'error');
  }
}

/** The photo id of a gallery image: the last part of its key (products/<productId>/<photoId>). */
const photoIdOf = (key: string) => key.slice(key.lastIndexOf('/') + 1);

function renderGallery(product: SellerProduct): void {
  const gallery = byId('photo-gallery');
  const status = byId('photo-status');
  const editable = product.status !== 'archived';
  const ids = product.images.map((image) => photoIdOf(image.key));

  /** Sends a change of the gallery; the answer (the listing as saved) is drawn again. */
  const change = async (button: HTMLButtonElement, request: () => Promise<SellerProduct>, done: string) => {
    setBusy(button, true, 'Đang lưu…');
    try {
      const next = await request();
      currentProduct = next;
      renderGallery(next);
      notice(status, done, 'ok');
      setTabCount('anh', next.images.length);
    } catch (error) {
      setBusy(button, false);
      notice(status, errorMessage(error), 'error');
    }
  };
  const reorder = (button: HTMLButtonElement, order: string[], done: string) =>
    change(
      button,
      () =>
        api<SellerProduct>(`/api/seller/products/${enc(product.id)}/photos/order`, {
          method: 'PUT',
          body: { photoIds: order },
        }),
      done,
    );
  const remove = (button: HTMLButtonElement, photoId: string, what: string) => {
    if (!confirm(`Xoá ${what}? Ảnh sẽ không còn trên sàn.`)) return;
    void change(
      button,
      () =>
        api<SellerProduct>(`/api/seller/products/${enc(product.id)}/photos/${enc(photoId)}`, {
          method: 'DELETE',
        }),
      `Đã xoá ${what}.`,
    );
  };
  const moved = (from: number, to: number) => {
    const order = [...ids];
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id!);
    return order;
  };
  const button = (text: string, label: string, onClick: (b: HTMLButtonElement) => void) => {
    const b = h('button', { type: 'button', class: 'btn btn--small', 'aria-label': label }, text);
    b.addEventListener('click', () => onClick(b));
    return b;
  };

  fill(
    gallery,
    product.images.map((image, i) => {
      const what = `ảnh ${i + 1}`;
      return h(
        'li',
        { 'data-photo': ids[i]! },
        h('img', { src: mediaUrl(image.key, 320), alt: image.alt, width: 160, height: 160, loading: 'lazy' }),
        i === 0 ? h('p', null, chip({ vi: 'Ảnh bìa', tone: 'ok' })) : null,
        editable
          ? h(
              'div',
              { class: 'btn-row' },
              i > 0
                ? button('Làm ảnh bìa', `Chọn ${what} làm ảnh bìa`, (b) =>
                    reorder(b, moved(i, 0), `Đã chọn ${what} làm ảnh bìa.`),
                  )
                : null,
              i > 0
                ? button('←', `Đưa ${what} lên trước`, (b) =>
                    reorder(b, moved(i, i - 1), `Đã đưa ${what} lên trước.`),
                  )
                : null,
              i < ids.length - 1
                ? button('→', `Đưa ${what} ra sau`, (b) =>
                    reorder(b, moved(i, i + 1), `Đã đưa ${what} ra sau.`),
                  )
                : null,
              button('Xoá', `Xoá ${what}`, (b) => remove(b, ids[i]!, what)),
            )
          : null,
      );
    }),
    (product.pendingPhotos ?? []).map((photo) =>
      h(
        'li',
        { class: 'pcard__meta' },
        photo.status === 'failed'
          ? h(
              'span',
              { class: 'result-bad' },
              `Ảnh lỗi: ${photo.error?.code ? messageForCode(photo.error.code, 400) : ''} `,
              editable ? button('Xoá', 'Xoá ảnh lỗi', (b) => remove(b, photo.photoId, 'ảnh lỗi')) : null,
            )
          : 'Ảnh đang xử lý…',
      ),
    ),
  );
  show(byId('photo-empty'), product.images.length === 0 && !(product.pendingPhotos ?? []).length);
}

/** The count in a tab's name, after a change on that tab. */
function setTabCount(tab: TabKey, count: number): void {
  const link = byId('product-tabs').querySelector(`a[href$="/${tab}"]`);
  const name = TABS.find((t) => t.key === tab)?.vi;
  if (link && name) link.textContent = `${name} (${count})`;
}

function initPhotoInputs(): void {
  const alt = byId<HTMLInputElement>('photo-alt');
  const uploads = byId('upload-list');
  const handle = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    const product = currentProduct;
    if (!product || files.length === 0) return;
    let anyReady = false;
    for (const file of files) {
      const row = h('li', { class: 'panel' });
      uploads.prepend(row);
      const outcome = await uploadPhoto(product.id, file, alt.value.trim() || undefined, row);
      if (outcome?.status.status === 'ready') anyReady = true;
    }
    alt.value = '';
    if (anyReady && currentProduct?.id === product.id) await reloadCurrent();
  };
  for (const id of ['photo-camera', 'photo-library']) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => void handle(input));
  }
  byId('photo-form').addEventListener('submit', (event) => event.preventDefault());
}

async function renderStockHistory(product: SellerProduct): Promise<void> {
  const box = byId('stock-history');
  fill(box, h('p', { class: 'loading', role: 'status' }, 'Đang tải…'));
  let items: StockChange[];
  try {
    items = await apiItems<StockChange>(`/api/seller/products/${enc(product.id)}/stock`);
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error', role: 'alert' }, errorMessage(error)));
    return;
  }
  if (items.length === 0) {
    fill(
      box,
      h(
        'p',
        { class: 'empty' },
        h('strong', null, 'Chưa có thay đổi kho nào'),
        'Thêm/bớt kho ở danh sách sản phẩm.',
      ),
    );
    return;
  }
  const packLabel = new Map(product.packs.map((p) => [p.id, p.label]));
  fill(
    box,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        null,
        h('caption', { class: 'sr-only' }, 'Lịch sử kho'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Khi nào'),
            h('th', { scope: 'col' }, 'Gói'),
            h('th', { scope: 'col' }, 'Thay đổi'),
            h('th', { scope: 'col' }, 'Lý do'),
            h('th', { scope: 'col' }, 'Ai'),
          ),
        ),
        h(
          'tbody',
          null,
          items.map((s) =>
            h(
              'tr',
              null,
              h('td', null, h('time', { datetime: s.at }, formatDateTime(s.at))),
              h('td', null, packLabel.get(s.variantId) ?? s.variantId),
              h(
                'td',
                null,
                h('span', { class: s.delta > 0 ? 'delta-plus' : 'delta-minus' }, formatDelta(s.delta)),
                ` (${formatCount(s.before)} → ${formatCount(s.after)})`,
              ),
              h('td', null, s.reason),
              h('td', null, s.by === me.account.sub ? 'Bạn' : 'Quản lý HTX'),
            ),
          ),
        ),
      ),
    ),
  );
}
