/**
 * The listing form (components/seller/ProductForm.astro): the packs repeater, plain checks that
 * mirror CreateProductBody / UpdateProductBody, and the request. In edit mode only what changed
 * is sent — a content edit of a listing on sale sends it back to review, a price edit does not.
 */
import { api, enc, type FieldIssue } from './api.ts';
import { fill, h, show } from './dom.ts';
import { isOfflineError, queueChange } from './offline/panel.ts';
import type { DraftItem } from './offline/queue.ts';
import { runSubmit, showFormError, value } from './forms.ts';
import { formatVnd } from './labels.ts';
import type { SellerPack, SellerProduct } from './types.ts';
import { Checker, normalize, parsePriceInput } from './validate.ts';

export interface ProxyProof {
  householdId: string;
  consentId: string;
  code: string;
  householdName: string;
}

export interface ProductFormHandle {
  /** An empty form for a new listing (optionally on behalf of a member household). */
  create(proxy?: ProxyProof): void;
  /** The form filled with a listing to edit. */
  edit(product: SellerProduct): void;
  /** A new consent proof for the same household (after a wrong code), keeping what was typed. */
  setProxy(proxy: ProxyProof): void;
}

interface PackRow {
  key: number;
  existing?: SellerPack;
  el: HTMLFieldSetElement;
}

let packKeys = 0;
type DraftBody = DraftItem['body'];

export function initProductForm(
  form: HTMLFormElement,
  onSaved: (product: SellerProduct, created: boolean) => void,
  options: {
    onError?: (error: unknown) => boolean;
    /** A new draft saved on the phone without a connection (sent later: offline/queue.ts). */
    onQueued?: (name: string) => void;
  } = {},
): ProductFormHandle {
  const prefix = form.dataset.idPrefix ?? 'product';
  const maxPacks = Number(form.dataset.maxPacks ?? 8);
  const list = form.querySelector<HTMLElement>('[data-pack-list]')!;
  const addButton = form.querySelector<HTMLButtonElement>('[data-add-pack]')!;
  const submit = form.querySelector<HTMLButtonElement>('[data-submit]')!;
  const proxyNote = form.querySelector<HTMLElement>('[data-proxy-note]')!;
  let rows: PackRow[] = [];
  let editing: SellerProduct | null = null;
  let proxy: ProxyProof | undefined;

  const field = (name: string) =>
    form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`)!;

  function renumber(): void {
    rows.forEach((row, index) => {
      const legend = row.el.querySelector('legend')!;
      fill(
        legend,
        h(
          'span',
          { class: 'vi' },
          row.existing ? `Gói ${index + 1}: ${row.existing.label}` : `Gói ${index + 1} (mới)`,
        ),
      );
      row.el.dataset.path = `packs.${index}`;
      for (const el of row.el.querySelectorAll<HTMLInputElement>('[data-part]')) {
        el.name = `packs.${index}.${el.dataset.part}`;
      }
      const remove = row.el.querySelector<HTMLButtonElement>('[data-remove]');
      if (remove) remove.hidden = rows.length <= 1;
    });
    addButton.hidden = rows.length >= maxPacks;
  }

  function addPack(existing?: SellerPack): PackRow {
    packKeys += 1;
    const key = packKeys;
    const id = (part: string) => `${prefix}-pack${key}-${part}`;
    const measure = existing ? (existing.grams !== undefined ? 'grams' : 'unit') : 'grams';
    const pricePreview = h('p', { class: 'price-preview', id: id('price-preview'), 'aria-live': 'polite' });
    const priceInput = h('input', {
      id: id('price'),
      type: 'text',
      autocomplete: 'off',
      'data-part': 'price',
      'aria-describedby': id('price-preview'),
      value: existing ? String(existing.price) : '',
    });
    // "180k", "1tr8", "1,8 triệu" are read back as the amount that will be saved.
    const showPrice = () => {
      const n = parsePriceInput(priceInput.value);
      fill(pricePreview, n !== null && n > 0 ? `= ${formatVnd(n)}` : '');
    };
    priceInput.addEventListener('input', showPrice);

    const gramsField = h(
      'div',
      { class: 'field', 'data-measure': 'grams' },
      h('label', { for: id('grams') }, h('span', { class: 'vi' }, 'Khối lượng (gram)')),
      h('input', {
        id: id('grams'),
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        'data-part': 'grams',
        value: existing?.grams !== undefined ? String(existing.grams) : '',
        disabled: Boolean(existing),
      }),
    );
    const unitField = h(
      'div',
      { class: 'field', 'data-measure': 'unit' },
      h('label', { for: id('unit') }, h('span', { class: 'vi' }, 'Đơn vị')),
      h('input', {
        id: id('unit'),
        type: 'text',
        maxlength: '60',
        'data-part': 'unit',
        value: existing?.unit ?? '',
        disabled: Boolean(existing),
        list: 'unit-suggestions',
      }),
    );
    const measureChoice = (valueName: 'grams' | 'unit', vi: string) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: `measure-${key}`,
          value: valueName,
          checked: measure === valueName,
          disabled: Boolean(existing),
        }),
        h('span', null, vi),
      );
    const stockField = h(
      'div',
      { class: 'field' },
      h('label', { for: id('stock') }, h('span', { class: 'vi' }, 'Số gói đang có')),
      existing
        ? h(
            'p',
            { class: 'hint', id: id('stock-hint') },
            'Sửa kho bằng nút +/− ở danh sách sản phẩm (có ghi lý do).',
          )
        : null,
      h('input', {
        id: id('stock'),
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        'data-part': 'stock',
        value: existing ? String(existing.stock) : '',
        disabled: Boolean(existing),
        'aria-describedby': existing ? id('stock-hint') : null,
      }),
    );
    const remove = existing
      ? null
      : h('button', { type: 'button', class: 'btn btn--small btn--danger', 'data-remove': '' }, 'Bỏ gói này');
    const el = h(
      'fieldset',
      { class: 'pack-editor', id: id('set'), 'data-group-label': '' },
      h('legend', null),
      h(
        'div',
        { class: 'choices choices--inline', role: 'radiogroup', 'aria-label': 'Cách tính gói' },
        measureChoice('grams', 'Theo gram'),
        measureChoice('unit', 'Theo đơn vị'),
      ),
      h(
        'div',
        { class: 'pack-editor__grid' },
        gramsField,
        unitField,
        h(
          'div',
          { class: 'field' },
          h('label', { for: id('price') }, h('span', { class: 'vi' }, 'Giá (đồng)')),
          priceInput,
          pricePreview,
        ),
        stockField,
      ),
      remove,
    );
    const syncMeasure = () => {
      const chosen =
        el.querySelector<HTMLInputElement>(`input[name="measure-${key}"]:checked`)?.value ?? 'grams';
      gramsField.hidden = chosen !== 'grams';
      unitField.hidden = chosen !== 'unit';
    };
    el.addEventListener('change', (event) => {
      if ((event.target as HTMLInputElement).name === `measure-${key}`) syncMeasure();
    });
    syncMeasure();
    showPrice();
    const row: PackRow = { key, el, ...(existing ? { existing } : {}) };
    remove?.addEventListener('click', () => {
      rows = rows.filter((r) => r !== row);
      el.remove();
      renumber();
      addButton.focus();
    });
    rows.push(row);
    list.append(el);
    renumber();
    return row;
  }

  addButton.addEventListener('click', () => {
    const row = addPack();
    row.el.querySelector<HTMLInputElement>('input:not([disabled]):not([type=radio])')?.focus();
  });

  function reset(): void {
    form.reset();
    rows = [];
    list.replaceChildren();
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.hidden = true;
    const summary = form.querySelector<HTMLElement>('.form-summary');
    if (summary) summary.hidden = true;
  }

  /** Reads and checks the form; paths mirror the API's. */
  function read(): { issues: FieldIssue[]; body: Record<string, unknown> } {
    const c = new Checker();
    const category = value(form, 'category');
    if (!category) c.add('category', 'Hãy chọn loại sản phẩm');
    const nameVi = c.text('name.vi', value(form, 'name.vi'), 160);
    const nameEn = c.text('name.en', value(form, 'name.en'), 160, false);
    const descVi = c.text('description.vi', value(form, 'description.vi'), 5000);
    const descEn = c.text('description.en', value(form, 'description.en'), 5000, false);
    const packs = rows.map((row, i) => {
      const part = (name: string) => row.el.querySelector<HTMLInputElement>(`[data-part="${name}"]`)!.value;
      const price = c.price(`packs.${i}.price`, part('price'));
      if (row.existing) return { id: row.existing.id, price };
      const measure = row.el.querySelector<HTMLInputElement>(
        `input[name="measure-${row.key}"]:checked`,
      )?.value;
      const pack: Record<string, unknown> = { price };
      if (measure === 'unit') pack.unit = c.text(`packs.${i}.unit`, part('unit'), 60);
      else pack.grams = c.whole(`packs.${i}.grams`, part('grams'), 1, 100_000, 'Khối lượng');
      pack.stock = c.whole(`packs.${i}.stock`, part('stock'), 0, 1_000_000, 'Số gói');
      return pack;
    });
    if (packs.length === 0) c.add('packs', 'Cần ít nhất một gói');
    const name = nameVi ? { vi: nameVi, ...(nameEn ? { en: nameEn } : {}) } : undefined;
    const description = descVi ? { vi: descVi, ...(descEn ? { en: descEn } : {}) } : undefined;

    if (!editing) {
      return {
        issues: c.issues,
        body: {
          category,
          name,
          description,
          packs,
          ...(proxy
            ? { onBehalfOf: { householdId: proxy.householdId, consentId: proxy.consentId, code: proxy.code } }
            : {}),
        },
      };
    }
    const body: Record<string, unknown> = {};
    if (category !== editing.category) body.category = category;
    const same = (a?: { vi: string; en?: string }, b?: { vi: string; en?: string }) =>
      normalize(a?.vi ?? '') === normalize(b?.vi ?? '') && normalize(a?.en ?? '') === normalize(b?.en ?? '');
    if (!same(name, editing.name)) body.name = name;
    if (!same(description, editing.description)) body.description = description;
    const packsChanged = rows.some(
      (row, i) => !row.existing || row.existing.price !== (packs[i] as { price?: number }).price,
    );
    if (packsChanged) body.packs = packs;
    return { issues: c.issues, body };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { issues, body } = read();
    if (editing && issues.length === 0 && Object.keys(body).length === 0) {
      showFormError(form, 'Chưa có gì thay đổi để lưu.');
      return;
    }
    const target = editing;
    let saved: SellerProduct | undefined;
    const ok = await runSubmit(
      form,
      submit,
      () => issues,
      async () => {
        try {
          saved = target
            ? await api<SellerProduct>(`/api/seller/products/${enc(target.id)}`, { method: 'PATCH', body })
            : await api<SellerProduct>('/api/seller/products', { method: 'POST', body });
        } catch (error) {
          // No connection: a household's own new draft waits on the phone and goes later.
          if (!target && !proxy && options.onQueued && isOfflineError(error)) {
            await queueChange({ kind: 'draft', localId: crypto.randomUUID(), body: body as DraftBody });
            options.onQueued((body as DraftBody).name.vi);
            throw Object.assign(new Error('queued'), { name: 'AbortError' });
          }
          // The caller took care of it (e.g. a wrong consent code goes back to the code step).
          if (options.onError?.(error)) throw Object.assign(new Error('handled'), { name: 'AbortError' });
          throw error;
        }
      },
      'Đang lưu…',
    );
    if (ok && saved) onSaved(saved, !target);
  });

  return {
    setProxy(nextProxy) {
      proxy = nextProxy;
    },
    create(nextProxy) {
      reset();
      editing = null;
      proxy = nextProxy;
      if (proxy) {
        fill(
          proxyNote,
          h('strong', null, `Đăng thay hộ ${proxy.householdName}. `),
          'Sản phẩm sẽ mang tên hộ; sự đồng ý của hộ (mã đã nhập) được ghi vào nhật ký.',
        );
      }
      show(proxyNote, Boolean(proxy));
      fill(submit, 'Lưu nháp');
      addPack();
    },
    edit(product) {
      reset();
      editing = product;
      proxy = undefined;
      show(proxyNote, product.status === 'published' || product.status === 'in_review');
      fill(
        proxyNote,
        'Sửa tên, mô tả hoặc loại của sản phẩm đang bán sẽ gửi lại để duyệt; sửa giá thì không.',
      );
      field('category').value = product.category;
      field('name.vi').value = product.name.vi;
      field('name.en').value = product.name.en ?? '';
      field('description.vi').value = product.description.vi;
      field('description.en').value = product.description.en ?? '';
      for (const pack of product.packs) addPack(pack);
      fill(submit, 'Lưu thay đổi');
    },
  };
}
