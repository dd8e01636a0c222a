/**
 * /quan-tri/: producers to verify (grouped by kind), listings of independents to approve,
 * OCOP certificates to verify.
 */
import { api, apiItems, enc, errorMessage } from './api.ts';
import { byId, fill, h, notice, show } from './dom.ts';
import { KIND } from './labels.ts';
import { loadAdmin } from './me.ts';
import { producerIdentityLine } from '../identity/identity.ts';
import { loadTransfers } from './transfers.ts';
import { certificateCard, fillQueue, listingCard, producerCard, setCount } from './queue.ts';
import { reviewOf, type OcopCertificate, type Producer, type SellerProduct } from './types.ts';

let queue: SellerProduct[] = [];
let listingsLeft = 0;

export async function startAdmin(): Promise<void> {
  try {
    if (!(await loadAdmin())) return;
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(byId('admin'));
  byId<HTMLInputElement>('show-all-listings').addEventListener('change', renderListings);
  await Promise.all([loadProducers(), loadReviewQueue(), loadTransfers()]);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

async function loadProducers(): Promise<void> {
  const box = byId('producer-groups');
  fill(box, h('p', { class: 'loading' }, 'Đang tải…'));
  let items: Producer[];
  try {
    items = await apiItems<Producer>('/api/admin/pending-producers');
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error' }, errorMessage(error)));
    return;
  }
  let left = items.length;
  setCount('count-producers', left);
  if (items.length === 0) {
    fill(box, h('p', { class: 'empty' }, 'Không có nhà sản xuất nào chờ xác minh.'));
    return;
  }
  const order = ['cooperative', 'enterprise', 'household'] as const;
  fill(
    box,
    order
      .map((kind) => ({ kind, list: items.filter((p) => p.kind === kind) }))
      .filter((g) => g.list.length > 0)
      .map((g) =>
        h(
          'div',
          null,
          h('h3', null, `${KIND[g.kind]!.vi} (${g.list.length})`),
          h(
            'ul',
            { class: 'queue' },
            g.list.map((producer) =>
              producerCard(
                producer,
                (body) =>
                  api(`/api/producers/${enc(producer.id)}/verification`, { method: 'POST', body }).then(
                    () => undefined,
                  ),
                () => setCount('count-producers', (left -= 1)),
                h(
                  'div',
                  null,
                  producerIdentityLine(producer.id),
                  h('p', null, h('a', { href: `/ban-hang/nhat-ky/?id=${enc(producer.id)}` }, 'Nhật ký')),
                ),
              ),
            ),
          ),
        ),
      ),
  );
}

async function loadReviewQueue(): Promise<void> {
  try {
    queue = await apiItems<SellerProduct>('/api/seller/products', { query: { scope: 'review' } });
  } catch (error) {
    fill(byId('listing-queue'), h('li', { class: 'notice notice--error' }, errorMessage(error)));
    fill(byId('cert-queue'), h('li', { class: 'notice notice--error' }, errorMessage(error)));
    return;
  }
  renderListings();
  await loadCertificates();
}

/**
 * Certificates to verify: those on listings in the review queue, and the admin's certificate
 * queue (`toVerify` of GET /api/seller/ocop/expiring), whose listings may be on sale already.
 */
async function loadCertificates(): Promise<void> {
  const pairs = new Map<string, { p: SellerProduct; c: OcopCertificate }>();
  for (const p of queue) for (const c of p.certificates ?? []) if (!c.verified) pairs.set(c.id, { p, c });
  try {
    const { toVerify = [] } = await api<{ toVerify?: OcopCertificate[] }>('/api/seller/ocop/expiring');
    const missing = [...new Set(toVerify.filter((c) => !pairs.has(c.id)).map((c) => c.productId))];
    const products = new Map(
      await Promise.all(
        missing.map(async (id) => [id, await api<SellerProduct>(`/api/seller/products/${enc(id)}`)] as const),
      ),
    );
    for (const c of toVerify) {
      const p = products.get(c.productId) ?? queue.find((q) => q.id === c.productId);
      if (p && !c.verified && !pairs.has(c.id)) pairs.set(c.id, { p, c });
    }
  } catch {
    // the review queue's certificates are still shown
  }
  renderCertificates([...pairs.values()]);
}

function renderListings(): void {
  const all = byId<HTMLInputElement>('show-all-listings').checked;
  const shown = queue.filter(
    (p) => p.status === 'in_review' && (all || reviewOf(p).reviewer !== 'cooperative'),
  );
  listingsLeft = shown.length;
  setCount('count-listings', listingsLeft);
  fillQueue(
    byId('listing-queue'),
    shown.map((p) =>
      listingCard(p, () => {
        listingsLeft -= 1;
        setCount('count-listings', listingsLeft);
        p.status = 'draft'; // decided: not shown again when the filter changes
      }),
    ),
    'Không có sản phẩm nào chờ duyệt.',
  );
}

function renderCertificates(pairs: { p: SellerProduct; c: OcopCertificate }[]): void {
  let left = pairs.length;
  setCount('count-certs', left);
  fillQueue(
    byId('cert-queue'),
    pairs.map(({ p, c }) => certificateCard(p, c, () => setCount('count-certs', (left -= 1)))),
    'Không có chứng nhận nào chờ xác minh.',
  );
}
