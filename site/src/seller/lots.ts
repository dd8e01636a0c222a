/**
 * Lots and their QR labels: the lot form, the list, and the label (SVG preview; print; PNG and
 * SVG downloads). The label route needs the token, so labels are fetched as blobs and shown
 * through object URLs.
 */
import { api, apiBlob, apiItems, ApiError, enc } from './api.ts';
import { byId, fill, formatDate, h, show } from './dom.ts';
import { runSubmit, value } from './forms.ts';
import type { Lot, Me, Producer, SellerProduct } from './types.ts';
import { Checker } from './validate.ts';

const CERT_LABEL: Record<string, string> = {
  organic: 'Hữu cơ',
  VietGAP: 'VietGAP',
  GlobalGAP: 'GlobalGAP',
  OCOP: 'OCOP',
};

const objectUrls: string[] = [];
function keepUrl(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  objectUrls.push(url);
  while (objectUrls.length > 6) URL.revokeObjectURL(objectUrls.shift()!);
  return url;
}

function labelPath(traceCode: string, format: 'svg' | 'png') {
  return `/api/seller/lots/${enc(traceCode)}/label?format=${format}`;
}

async function download(traceCode: string, format: 'svg' | 'png', button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const url = keepUrl(await apiBlob(labelPath(traceCode, format)));
    const a = h('a', { href: url, download: `nhan-${traceCode}.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    button.disabled = false;
  }
}

/** Prints the label alone, from a hidden frame (the page's chrome stays out of the print). */
function printLabel(url: string): void {
  const frame = h('iframe', {
    title: 'In nhãn',
    style: 'position:fixed;width:0;height:0;border:0;right:0;bottom:0',
  });
  frame.srcdoc = `<!doctype html><html><head><style>@page{margin:8mm}body{margin:0;display:flex;justify-content:center}img{width:70mm;height:auto}</style></head><body><img src="${url}" alt=""></body></html>`;
  frame.addEventListener('load', () => {
    const img = frame.contentDocument?.querySelector('img');
    const go = () => {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
      setTimeout(() => frame.remove(), 1000);
    };
    if (img && !img.complete) img.addEventListener('load', go, { once: true });
    else go();
  });
  document.body.append(frame);
}

/** Shows a lot's label (SVG) with print and download buttons in #label-preview. */
export async function showLabel(traceCode: string): Promise<void> {
  const box = byId('label-preview');
  show(box);
  fill(box, h('p', { role: 'status' }, `Đang tải nhãn ${traceCode}…`));
  let url: string;
  try {
    url = keepUrl(await apiBlob(labelPath(traceCode, 'svg')));
  } catch (error) {
    fill(
      box,
      h(
        'p',
        { class: 'notice notice--error', role: 'alert' },
        error instanceof ApiError ? error.message : String(error),
      ),
    );
    return;
  }
  const status = h('p', { class: 'hint', role: 'status' });
  const pngButton = h('button', { type: 'button', class: 'btn' }, 'Tải PNG');
  const svgButton = h('button', { type: 'button', class: 'btn' }, 'Tải SVG');
  const onFail = (error: unknown) => fill(status, error instanceof ApiError ? error.message : String(error));
  pngButton.addEventListener('click', () => void download(traceCode, 'png', pngButton).catch(onFail));
  svgButton.addEventListener('click', () => void download(traceCode, 'svg', svgButton).catch(onFail));
  fill(
    box,
    h('h4', { id: 'label-title', tabindex: '-1' }, `Nhãn QR lô ${traceCode}`),
    h('img', { src: url, alt: `Nhãn QR của lô ${traceCode}, dẫn tới trang truy xuất` }),
    h(
      'div',
      { class: 'btn-row' },
      h('button', { type: 'button', class: 'btn btn--primary', onclick: () => printLabel(url) }, 'In nhãn'),
      pngButton,
      svgButton,
    ),
    h(
      'p',
      { class: 'hint' },
      'Trang truy xuất công khai: ',
      h('a', { href: `/truy-xuat/${enc(traceCode)}/` }, `/truy-xuat/${traceCode}/`),
      ' (có sau lần cập nhật trang kế tiếp).',
    ),
    status,
  );
  byId('label-title').focus();
}

export function renderLots(product: SellerProduct): void {
  const lots = [...(product.lots ?? [])].sort((a, b) => b.harvestDate.localeCompare(a.harvestDate));
  const list = byId('lot-list');
  if (lots.length === 0) {
    fill(
      list,
      h(
        'li',
        { class: 'empty' },
        h('strong', null, 'Chưa có lô nào'),
        'Thêm lô đầu tiên bên dưới để in nhãn QR.',
      ),
    );
    return;
  }
  fill(
    list,
    lots.map((lot: Lot) =>
      h(
        'li',
        null,
        h('p', null, h('span', { class: 'code' }, lot.traceCode)),
        h(
          'p',
          { class: 'pcard__meta' },
          `Hái ngày ${formatDate(lot.harvestDate)} · ${lot.season} · vùng trồng ${lot.growingAreaCode}`,
          lot.certifications.length
            ? ` · ${lot.certifications.map((c) => CERT_LABEL[c] ?? c).join(', ')}`
            : '',
        ),
        h(
          'div',
          { class: 'btn-row' },
          h(
            'button',
            { type: 'button', class: 'btn btn--small', onclick: () => void showLabel(lot.traceCode) },
            'Xem và in nhãn QR',
          ),
        ),
      ),
    ),
  );
}

let current: SellerProduct | null = null;
let wired = false;

/** The lot form for this product; `onCreated` reloads the listing. */
export async function initLotForm(
  product: SellerProduct,
  me: Me,
  onCreated: () => Promise<void>,
): Promise<void> {
  current = product;
  const form = byId<HTMLFormElement>('lot-form');
  const wrap = byId('lot-household-wrap');
  const select = byId<HTMLSelectElement>('lot-household');
  const coopOwned = product.producer.kind === 'cooperative' && me.manages !== null;
  show(wrap, coopOwned);
  if (coopOwned && select.options.length <= 1) {
    try {
      const items = await apiItems<Producer>(`/api/cooperatives/${enc(me.manages!.cooperativeId)}/members`, {
        query: { status: 'approved' },
      });
      for (const m of items) select.append(h('option', { value: m.id }, m.name));
    } catch {
      show(wrap, false);
    }
  }
  if (wired) return;
  wired = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = current;
    if (!target) return;
    const c = new Checker();
    const harvestDate = c.date('harvestDate', value(form, 'harvestDate'), true);
    const season = c.text('season', value(form, 'season'), 60);
    const growingAreaCode = c.text('growingAreaCode', value(form, 'growingAreaCode'), 40);
    const certifications = [
      ...form.querySelectorAll<HTMLInputElement>('input[name=certifications]:checked'),
    ].map((i) => i.value);
    const householdId = wrap.hidden ? '' : select.value;
    let traceCode = '';
    const ok = await runSubmit(
      form,
      form.querySelector<HTMLButtonElement>('button[type=submit]')!,
      () => c.issues,
      async () => {
        const lot = await api<{ traceCode: string }>(`/api/seller/products/${enc(target.id)}/lots`, {
          method: 'POST',
          body: {
            harvestDate,
            season,
            growingAreaCode,
            certifications,
            ...(householdId ? { householdId } : {}),
          },
        });
        traceCode = lot.traceCode;
      },
      'Đang tạo lô…',
    );
    if (!ok) return;
    form.reset();
    await onCreated();
    if (traceCode) await showLabel(traceCode);
  });
}
