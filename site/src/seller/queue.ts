/**
 * Cards of the review queues (cooperative board and admin): a listing in review, a producer to
 * verify, a certificate to verify — each with the approve / reject-with-reason control.
 */
import { findCategory } from '../../../shared/domain/categories.ts';
import { api, enc } from './api.ts';
import { wardName } from './communes.ts';
import { fill, formatDate, formatDateTime, h } from './dom.ts';
import { chip, formatVnd, KIND, mediaUrl, PRODUCT_STATUS } from './labels.ts';
import { expiresOn } from './ocop.ts';
import { decisionForm, type DecisionBody } from './review.ts';
import type { OcopCertificate, PhotoStatus, Producer, SellerProduct } from './types.ts';

function localPhone(phone: string): string {
  const national = `0${phone.replace(/^\+84/, '')}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

/** A listing awaiting review: what the shopper would see, then the decision. */
export function listingCard(product: SellerProduct, done: (body: DecisionBody) => void): HTMLElement {
  // The status pill follows the decision: the listing's status as the API answered it.
  const pill = h('span', { class: 'status-pill' }, chip(PRODUCT_STATUS[product.status]));
  const description = product.description.vi;
  const short = description.length > 280 ? `${description.slice(0, 280)}…` : description;
  return h(
    'li',
    { class: 'qcard' },
    h('h3', null, product.name.vi, product.name.en ? h('span', { class: 'muted', lang: 'en' }) : null),
    h(
      'p',
      { class: 'pcard__meta' },
      pill,
      ` ${findCategory(product.category)?.name.vi ?? product.category} · ${product.producer.name}, ${product.producer.commune.name}`,
    ),
    product.listedBy
      ? h('p', { class: 'notice notice--info' }, 'HTX đăng thay hộ, có mã đồng ý của hộ.')
      : null,
    product.images.length
      ? h(
          'ul',
          { class: 'gallery-edit' },
          product.images.slice(0, 4).map((img) =>
            h(
              'li',
              null,
              h('img', {
                src: mediaUrl(img.key, 320),
                alt: img.alt,
                loading: 'lazy',
                width: 160,
                height: 160,
              }),
            ),
          ),
        )
      : h('p', { class: 'notice notice--warn' }, 'Chưa có ảnh.'),
    h('p', null, short),
    description.length > 280
      ? h('details', null, h('summary', null, 'Xem toàn bộ mô tả'), h('p', null, description))
      : null,
    h(
      'ul',
      { class: 'plain-list' },
      product.packs.map((p) =>
        h('li', null, h('strong', null, p.label), ` — ${formatVnd(p.price)} · còn ${p.stock} gói`),
      ),
    ),
    decisionForm({
      subject: product.name.vi,
      rejectHint: 'Ví dụ: Ảnh mờ, hãy chụp lại; giá gói 200 g chưa đúng.',
      send: (body) =>
        api<SellerProduct>(`/api/seller/products/${enc(product.id)}/decision`, {
          method: 'POST',
          body,
        }).then((next) => {
          fill(pill, chip(PRODUCT_STATUS[next.status]));
        }),
      done,
    }),
  );
}

const WAITING = { vi: 'Chờ duyệt', tone: 'review' };
const DECIDED = {
  approve: { vi: 'Đã duyệt', tone: 'ok' },
  reject: { vi: 'Bị từ chối', tone: 'bad' },
} as const;

/** A household asking to join, or a producer awaiting an admin's verification. */
export function producerCard(
  producer: Producer,
  send: (body: DecisionBody) => Promise<void>,
  done: (body: DecisionBody) => void,
  extra?: HTMLElement | null,
): HTMLElement {
  const place = h('span', null, producer.address.communeCode);
  void wardName(producer.address.provinceCode, producer.address.communeCode).then((name) => {
    if (name) fill(place, [producer.address.street, name].filter(Boolean).join(', '));
  });
  const pill = h('span', { class: 'status-pill' }, chip(WAITING));
  return h(
    'li',
    { class: 'qcard' },
    h('h3', null, producer.name),
    h(
      'p',
      { class: 'pcard__meta' },
      pill,
      ` ${KIND[producer.kind]?.vi ?? producer.kind} · đăng ký ${formatDateTime(producer.createdAt)}`,
    ),
    h(
      'dl',
      { class: 'facts-list' },
      h('dt', null, 'Địa chỉ'),
      h('dd', null, place),
      h('dt', null, 'Điện thoại'),
      h('dd', null, h('a', { href: `tel:${producer.phone}` }, localPhone(producer.phone))),
    ),
    producer.description ? h('p', null, producer.description.vi) : null,
    extra ?? null,
    decisionForm({
      subject: producer.name,
      send,
      done: (body) => {
        fill(pill, chip(DECIDED[body.decision]));
        done(body);
      },
    }),
  );
}

interface CertificateForReview extends OcopCertificate {
  scan?: { key: string; alt?: string };
  scanPhotoId?: string;
}

const scanLink = (key: string) =>
  h(
    'a',
    { href: mediaUrl(key, 1280), target: '_blank', rel: 'noopener' },
    h('img', { src: mediaUrl(key, 640), alt: 'Ảnh giấy chứng nhận OCOP', class: 'upload__preview' }),
    'Mở ảnh lớn',
  );

/** The certificate's scan (a photo uploaded for the listing), fetched when the card is built. */
function scanView(product: SellerProduct, cert: CertificateForReview): HTMLElement {
  if (cert.scan?.key) return scanLink(cert.scan.key);
  const none = () =>
    h(
      'p',
      { class: 'notice notice--warn' },
      'Không có ảnh giấy chứng nhận; hãy đối chiếu với quyết định gốc.',
    );
  if (!cert.scanPhotoId) return none();
  const box = h('div', null, h('p', { class: 'loading' }, 'Đang tải ảnh giấy chứng nhận…'));
  api<PhotoStatus>(`/api/seller/products/${enc(product.id)}/photos/${enc(cert.scanPhotoId)}`)
    .then((photo) => fill(box, photo.image?.key ? scanLink(photo.image.key) : none()))
    .catch(() => fill(box, none()));
  return box;
}

/** An OCOP certificate to verify, with its listing. */
export function certificateCard(
  product: SellerProduct,
  cert: CertificateForReview,
  done: (body: DecisionBody) => void,
): HTMLElement {
  return h(
    'li',
    { class: 'qcard' },
    h('h3', null, `${'★'.repeat(cert.stars)} OCOP ${cert.stars} sao — ${product.name.vi}`),
    h('p', { class: 'pcard__meta' }, `${product.producer.name}, ${product.producer.commune.name}`),
    h(
      'dl',
      { class: 'facts-list' },
      h('dt', null, 'Số quyết định'),
      h('dd', null, cert.decisionNumber),
      h('dt', null, 'Ngày quyết định'),
      h('dd', null, formatDate(cert.decisionDate)),
      h('dt', null, 'Cơ quan cấp'),
      h('dd', null, cert.issuer),
      h('dt', null, 'Hết hạn'),
      h('dd', null, formatDate(expiresOn(cert.decisionDate))),
    ),
    scanView(product, cert),
    decisionForm({
      subject: `OCOP ${cert.decisionNumber}`,
      approveText: 'Xác minh',
      rejectHint: 'Ví dụ: Số quyết định không khớp danh sách công nhận của tỉnh.',
      send: (body) =>
        api(`/api/seller/products/${enc(product.id)}/ocop/${enc(cert.id)}/verification`, {
          method: 'POST',
          body,
        }).then(() => undefined),
      done,
    }),
  );
}

/** Fills a queue list, or its empty state. */
export function fillQueue(list: HTMLElement, cards: HTMLElement[], empty: string): void {
  fill(list, cards.length ? cards : h('li', { class: 'empty' }, empty));
}

/** Sets a section-nav count badge. */
export function setCount(id: string, n: number): void {
  const badge = document.getElementById(id);
  if (!badge) return;
  badge.textContent = String(n);
  badge.classList.toggle('count-badge--zero', n === 0);
}
