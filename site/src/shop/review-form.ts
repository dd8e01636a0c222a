/**
 * "Viết đánh giá" on the tracking page: for each delivered line of the order, a form with 1–5
 * stars, text and up to 3 photos. The order code and the phone the shopper just tracked with are
 * the proof (the API checks both); photos are uploaded to the slot the API hands out and
 * processed by the exchange's image pipeline before the review is sent.
 */
import { fill, h, uid } from '../seller/dom.ts';
import { api, ApiFailure, networkMessage, type OrderView } from './api.ts';
import { localHref, tr } from './lang.ts';

const MAX_PHOTOS = 3;
const MAX_TEXT = 1000;
const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'];

interface Slot {
  photoId: string;
  upload: { method: 'PUT'; url: string; headers: Record<string, string> };
}
interface PhotoState {
  status: 'pending' | 'ready' | 'failed';
  error?: { message: string };
}

const proofQuery = (code: string, phone: string) =>
  `orderCode=${encodeURIComponent(code)}&phone=${encodeURIComponent(phone)}`;

async function uploadOne(file: File, code: string, phone: string, variantId: string): Promise<string> {
  const slot = await api<Slot>('/api/review-photos', {
    method: 'POST',
    body: { orderCode: code, phone, variantId, contentType: file.type, bytes: file.size },
  });
  const headers = Object.fromEntries(
    Object.entries(slot.upload.headers).filter(([name]) => !/^(content-length|host)$/i.test(name)),
  );
  let put: Response;
  try {
    put = await fetch(slot.upload.url, { method: 'PUT', headers, body: file });
  } catch {
    throw new ApiFailure(0, 'network', networkMessage());
  }
  if (!put.ok)
    throw new ApiFailure(put.status, 'upload.failed', tr('Không tải ảnh lên được.', 'The upload failed.'));
  // Processing takes a second or two: poll until the photo is ready or refused.
  for (let i = 0; i < 60; i++) {
    const state = await api<PhotoState>(
      `/api/review-photos/${encodeURIComponent(slot.photoId)}?${proofQuery(code, phone)}`,
    );
    if (state.status === 'ready') return slot.photoId;
    if (state.status === 'failed')
      throw new ApiFailure(
        422,
        'photo.refused',
        state.error?.message ?? tr('Ảnh không dùng được.', 'Unusable photo.'),
      );
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
  throw new ApiFailure(
    0,
    'photo.slow',
    tr('Ảnh xử lý quá lâu; hãy thử lại.', 'The photo took too long; try again.'),
  );
}

function reviewForm(
  code: string,
  phone: string,
  line: OrderView['lines'][number],
  onSent: () => void,
): HTMLElement {
  const id = uid('rv');
  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  const say = (tone: 'info' | 'ok' | 'error', text: string) => {
    status.className = `notice notice--${tone}`;
    status.setAttribute('role', tone === 'error' ? 'alert' : 'status');
    status.textContent = text;
    status.hidden = false;
  };
  const stars = h(
    'fieldset',
    { class: 'stars' },
    h('legend', null, tr('Số sao', 'Stars')),
    ...[1, 2, 3, 4, 5].map((n) =>
      h(
        'label',
        { class: 'stars__option' },
        h('input', { type: 'radio', name: `${id}-stars`, value: String(n), required: true }),
        ` ${'★'.repeat(n)}`,
        h('span', { class: 'sr-only' }, tr(` ${n} sao`, ` ${n} star${n > 1 ? 's' : ''}`)),
      ),
    ),
  );
  const text = h('textarea', { id: `${id}-text`, rows: 4, maxlength: MAX_TEXT, required: true });
  const photos = h('input', {
    id: `${id}-photos`,
    type: 'file',
    accept: TYPES.join(','),
    multiple: true,
    'aria-describedby': `${id}-photos-hint`,
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, tr('Gửi đánh giá', 'Send review'));
  const form = h(
    'form',
    { class: 'review-form', novalidate: true, 'data-review-form': line.variantId },
    stars,
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-text` }, tr('Nhận xét của bạn', 'Your review')),
      text,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${id}-photos` }, tr('Ảnh (không bắt buộc)', 'Photos (optional)')),
      h(
        'p',
        { class: 'hint', id: `${id}-photos-hint` },
        tr(
          `Tối đa ${MAX_PHOTOS} ảnh JPEG, PNG, WebP hoặc AVIF.`,
          `Up to ${MAX_PHOTOS} JPEG, PNG, WebP or AVIF photos.`,
        ),
      ),
      photos,
    ),
    submit,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const chosen = form.querySelector<HTMLInputElement>(`input[name="${id}-stars"]:checked`);
      const files = [...(photos.files ?? [])];
      if (!chosen) return say('error', tr('Hãy chọn số sao.', 'Choose a number of stars.'));
      if (!text.value.trim()) return say('error', tr('Hãy viết vài dòng nhận xét.', 'Write a few words.'));
      if (files.length > MAX_PHOTOS)
        return say('error', tr(`Tối đa ${MAX_PHOTOS} ảnh.`, `At most ${MAX_PHOTOS} photos.`));
      submit.disabled = true;
      try {
        const photoIds: string[] = [];
        for (const [i, file] of files.entries()) {
          say(
            'info',
            tr(`Đang tải ảnh ${i + 1}/${files.length}…`, `Uploading photo ${i + 1} of ${files.length}…`),
          );
          photoIds.push(await uploadOne(file, code, phone, line.variantId));
        }
        say('info', tr('Đang gửi đánh giá…', 'Sending your review…'));
        await api('/api/reviews', {
          method: 'POST',
          body: {
            orderCode: code,
            phone,
            variantId: line.variantId,
            stars: Number(chosen.value),
            text: text.value,
            photoIds,
          },
        });
        onSent();
        fill(
          form,
          h(
            'p',
            { class: 'notice notice--ok', role: 'status' },
            tr(
              'Cảm ơn bạn! Đánh giá đã được đăng trên trang sản phẩm. ',
              'Thank you! Your review is on the product page. ',
            ),
            h(
              'a',
              { href: localHref(`/san-pham/${encodeURIComponent(line.productSlug)}/`) },
              tr('Xem sản phẩm', 'See the product'),
            ),
          ),
        );
      } catch (error) {
        submit.disabled = false;
        say('error', error instanceof ApiFailure ? error.message : networkMessage());
        // Reviewed already (another tab or device): the line says so instead of offering the form.
        if (error instanceof ApiFailure && error.code === 'review.exists') onSent();
      }
    })();
  });
  return form;
}

/** "Đã đánh giá": what a reviewed line shows instead of the button that opens its form. */
function reviewedNote(): HTMLElement {
  return h(
    'p',
    { class: 'review-line__done' },
    h('span', { 'aria-hidden': 'true' }, '✓ '),
    tr('Đã đánh giá', 'Reviewed'),
  );
}

/**
 * The review forms of an order's delivered lines (nothing when no line is delivered yet). A line
 * the order view lists as reviewed, or reviewed just now, says "Đã đánh giá" instead: the API
 * takes one review per line.
 */
export function reviewPanel(order: OrderView, phone: string): HTMLElement[] {
  const delivered = order.subOrders.filter((s) => s.status === 'delivered' || s.status === 'completed');
  const reviewed = new Set(order.reviewedVariantIds ?? []);
  return delivered.flatMap((sub) =>
    sub.lines.map((line) => {
      const title = h('p', null, h('strong', null, line.productName), ` · ${line.pack}`);
      if (reviewed.has(line.variantId)) return h('div', { class: 'review-line' }, title, reviewedNote());
      const body = h('div', { hidden: true });
      const open = h(
        'button',
        { type: 'button', class: 'btn btn--ghost', 'aria-expanded': 'false' },
        tr('Viết đánh giá', 'Write a review'),
      );
      open.addEventListener('click', () => {
        if (!body.firstChild)
          fill(
            body,
            reviewForm(order.code, phone, line, () => open.replaceWith(reviewedNote())),
          );
        body.hidden = !body.hidden;
        open.setAttribute('aria-expanded', String(!body.hidden));
      });
      return h('div', { class: 'review-line' }, title, open, body);
    }),
  );
}
