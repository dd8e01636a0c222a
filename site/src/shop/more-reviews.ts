/**
 * "Xem thêm đánh giá" on a product page: the next page of listProductReviews, appended as text
 * (never HTML) in the same shape as the reviews rendered with the page. Loaded on its own
 * (a dynamic import from components/reviews/ProductReviews.astro) when the button comes near the
 * viewport or is pressed, so that a product page does not run it before it is needed.
 */
interface ReviewJson {
  stars: number;
  text: string;
  pack: string;
  season: string;
  createdAt: string;
  author: { firstName: string; province: string | null };
  reply: { text: string; name: string } | null;
}

function el(tag: string, className: string, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** Appends the next page of reviews after the list and moves the button's cursor (or removes it). */
export async function showMoreReviews(button: HTMLButtonElement): Promise<void> {
  const list = document.getElementById('reviews-list');
  if (!list || button.disabled) return;
  const en = list.dataset.lang === 'en';
  button.disabled = true;
  const { slug, cursor } = button.dataset;
  try {
    const res = await fetch(
      `/api/catalog/products/${encodeURIComponent(slug ?? '')}/reviews?cursor=${encodeURIComponent(cursor ?? '')}`,
    );
    if (!res.ok) throw new Error(String(res.status));
    const page = (await res.json()) as { items: ReviewJson[]; nextCursor: string | null };
    // Built apart and added at once: one style and layout pass for the whole page of reviews.
    const added = document.createDocumentFragment();
    for (const r of page.items) {
      const stars = el('p', 'review__stars', el('span', '', '★'.repeat(r.stars) + '☆'.repeat(5 - r.stars)));
      stars.setAttribute('role', 'img');
      stars.setAttribute('aria-label', en ? `${r.stars} out of 5 stars` : `${r.stars} trên 5 sao`);
      (stars.firstChild as HTMLElement).setAttribute('aria-hidden', 'true');
      const who = el(
        'p',
        'review__who',
        el('strong', '', r.author.firstName),
        `${r.author.province ? ` · ${r.author.province}` : ''} · ${new Date(r.createdAt).toLocaleDateString(en ? 'en-GB' : 'vi-VN')}`,
      );
      const item = el(
        'li',
        'review',
        stars,
        who,
        el('p', 'review__bought muted', `${en ? 'Verified purchase' : 'Đã mua'}: ${r.pack} · ${r.season}`),
        el('p', 'review__text', r.text),
      );
      if (r.reply)
        item.append(
          el(
            'div',
            'review__reply',
            el('p', '', el('strong', '', `${en ? 'Reply from' : 'Trả lời của'} ${r.reply.name}`)),
            el('p', '', r.reply.text),
          ),
        );
      added.append(item);
    }
    list.append(added);
    if (page.nextCursor) {
      button.dataset.cursor = page.nextCursor;
      button.disabled = false;
    } else button.remove();
  } catch {
    button.disabled = false;
  }
}
