/**
 * OCOP certificates of a listing: the list (with expiry and verification state) and the form
 * (stars, decision number and date, issuer, an optional photo of the certificate).
 */
import { api, enc } from './api.ts';
import { byId, fill, formatDate, h } from './dom.ts';
import { runSubmit, showFormError, value } from './forms.ts';
import { uploadPhoto } from './photos.ts';
import type { OcopCertificate, SellerProduct } from './types.ts';
import { Checker } from './validate.ts';

/** Decision date + 36 months, clamped to the month's end (ocopExpiresOn in shared/domain/ocop.ts). */
export function expiresOn(decisionDate: string): string {
  const [y, m, d] = decisionDate.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + 36;
  const year = y + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

export function daysUntil(date: string): number {
  const today = new Date(new Date().toISOString().slice(0, 10)).getTime();
  return Math.round((new Date(date).getTime() - today) / 86_400_000);
}

export function certState(cert: Pick<OcopCertificate, 'verified' | 'decisionDate'> & { rejected?: boolean }) {
  const left = daysUntil(expiresOn(cert.decisionDate));
  if (left <= 0) return { vi: 'Hết hạn', tone: 'bad' };
  if (!cert.verified) return { vi: 'Chờ xác minh', tone: 'review' };
  if (left <= 60) return { vi: `Còn ${left} ngày`, tone: 'review' };
  return { vi: 'Còn hiệu lực', tone: 'ok' };
}

export function renderCertificates(product: SellerProduct): void {
  const certs = product.certificates ?? [];
  const list = byId('cert-list');
  if (certs.length === 0) {
    fill(
      list,
      h(
        'li',
        { class: 'empty' },
        h('strong', null, 'Chưa có chứng nhận OCOP'),
        'Thêm chứng nhận nếu sản phẩm đã được công nhận.',
      ),
    );
    return;
  }
  fill(
    list,
    certs.map((cert) => {
      const state = certState(cert);
      return h(
        'li',
        null,
        h(
          'p',
          null,
          h('strong', null, `${'★'.repeat(cert.stars)} OCOP ${cert.stars} sao`),
          ' ',
          h('span', { class: `chip-status chip-status--${state.tone}` }, state.vi),
        ),
        h(
          'p',
          { class: 'pcard__meta' },
          `Quyết định ${cert.decisionNumber}, ngày ${formatDate(cert.decisionDate)} — ${cert.issuer}. Hết hạn ${formatDate(expiresOn(cert.decisionDate))}.`,
        ),
      );
    }),
  );
}

let current: SellerProduct | null = null;
let wired = false;

export function initOcopForm(product: SellerProduct, onAdded: () => Promise<void>): void {
  current = product;
  if (wired) return;
  wired = true;
  const form = byId<HTMLFormElement>('ocop-form');
  const dateInput = byId<HTMLInputElement>('ocop-date');
  const expiry = byId('ocop-expiry');
  dateInput.addEventListener('change', () => {
    fill(
      expiry,
      /^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)
        ? `Hết hạn ngày ${formatDate(expiresOn(dateInput.value))} (36 tháng).`
        : '',
    );
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = current;
    if (!target) return;
    const c = new Checker();
    const stars = Number(form.querySelector<HTMLInputElement>('input[name=stars]:checked')?.value ?? 0);
    if (![3, 4, 5].includes(stars)) c.add('stars', 'Hãy chọn số sao');
    const decisionNumber = c.text('decisionNumber', value(form, 'decisionNumber'), 60);
    const decisionDate = c.date('decisionDate', value(form, 'decisionDate'), true);
    const issuer = c.text('issuer', value(form, 'issuer'), 200);
    if (decisionDate && daysUntil(expiresOn(decisionDate)) <= 0) {
      c.add('decisionDate', 'Chứng nhận này đã quá 36 tháng, đã hết hạn');
    }
    const file = byId<HTMLInputElement>('ocop-scan').files?.[0];
    const ok = await runSubmit(
      form,
      form.querySelector<HTMLButtonElement>('button[type=submit]')!,
      () => c.issues,
      async () => {
        let scanPhotoId: string | undefined;
        if (file) {
          const row = h('li');
          fill(byId('ocop-upload'), row);
          const outcome = await uploadPhoto(
            target.id,
            file,
            `Giấy chứng nhận OCOP ${decisionNumber ?? ''}`.trim(),
            row,
            'certificate_scan',
          );
          if (!outcome || outcome.status.status !== 'ready') {
            showFormError(form, 'Ảnh giấy chứng nhận chưa tải lên được; xem lý do bên dưới.');
            throw Object.assign(new Error('scan'), { name: 'AbortError' });
          }
          scanPhotoId = outcome.photoId;
        }
        await api(`/api/seller/products/${enc(target.id)}/ocop`, {
          method: 'POST',
          body: { stars, decisionNumber, decisionDate, issuer, ...(scanPhotoId ? { scanPhotoId } : {}) },
        });
      },
    );
    if (!ok) return;
    form.reset();
    fill(expiry, '');
    fill(byId('ocop-upload'));
    await onAdded();
  });
}
