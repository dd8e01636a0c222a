/**
 * The "Đánh giá" tab of a listing in the seller center: the buyers' visible reviews of the
 * product (the storefront's list, newest first), with a reply form on each one not yet answered
 * (the seller or its cooperative's manager replies once); an admin sees "Ẩn đánh giá" with a
 * reason instead. Vietnamese only, like the rest of the seller center.
 */
import { api, enc, errorMessage } from './api.ts';
import { byId, fill, formatDateTime, h, notice, uid } from './dom.ts';
import type { Me, SellerProduct } from './types.ts';

interface ReviewItem {
  id: string;
  stars: number;
  text: string;
  pack: string;
  season: string;
  author: { firstName: string; province: string | null };
  createdAt: string;
  reply: { text: string; at: string; name: string } | null;
}

/** One form: a text area and a button, for a reply or an admin's reason to hide. */
function textForm(
  label: string,
  button: string,
  max: number,
  send: (text: string) => Promise<void>,
): HTMLFormElement {
  const id = uid('rv');
  const input = h('textarea', { id, rows: 3, maxlength: max, required: true });
  const status = h('p', { class: 'notice', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn--small' }, button);
  const form = h('form', { class: 'form-row' }, h('label', { for: id }, label), input, submit, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return notice(status, 'Hãy nhập nội dung.', 'error');
    submit.disabled = true;
    send(input.value).catch((error: unknown) => {
      submit.disabled = false;
      notice(status, errorMessage(error), 'error');
    });
  });
  return form;
}

export async function renderReviews(product: SellerProduct, me: Me, reload: () => void): Promise<void> {
  const box = byId('product-reviews');
  if (product.status !== 'published') {
    fill(box, h('p', { class: 'muted' }, 'Sản phẩm chưa bán trên sàn nên chưa có đánh giá.'));
    return;
  }
  fill(box, h('p', { class: 'muted' }, 'Đang tải đánh giá…'));
  let items: ReviewItem[];
  try {
    items = (
      await api<{ items: ReviewItem[] }>(`/api/catalog/products/${enc(product.slug)}/reviews?limit=30`)
    ).items;
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error' }, errorMessage(error)));
    return;
  }
  if (items.length === 0) {
    fill(box, h('p', { class: 'muted' }, 'Chưa có đánh giá nào từ người mua.'));
    return;
  }
  fill(
    box,
    h(
      'ul',
      { class: 'plain-list' },
      items.map((review) =>
        h(
          'li',
          { class: 'pcard', 'data-review': review.id },
          h(
            'p',
            null,
            h('strong', null, `${review.stars}/5 sao`),
            ` · ${review.author.firstName}`,
            review.author.province ? ` · ${review.author.province}` : '',
            ` · ${formatDateTime(review.createdAt)}`,
          ),
          h('p', { class: 'pcard__meta' }, `Đã mua: ${review.pack} · ${review.season}`),
          h('p', null, review.text),
          review.reply
            ? h('p', { class: 'pcard__meta' }, `Đã trả lời (${review.reply.name}): ${review.reply.text}`)
            : me.isAdmin
              ? null
              : textForm('Trả lời người mua (một lần)', 'Gửi trả lời', 1000, async (text) => {
                  await api(`/api/reviews/${enc(review.id)}/reply`, { method: 'POST', body: { text } });
                  reload();
                }),
          me.isAdmin
            ? textForm('Lý do ẩn đánh giá (ghi vào nhật ký)', 'Ẩn đánh giá', 300, async (reason) => {
                await api(`/api/reviews/${enc(review.id)}/hide`, { method: 'POST', body: { reason } });
                reload();
              })
            : null,
        ),
      ),
    ),
  );
}
