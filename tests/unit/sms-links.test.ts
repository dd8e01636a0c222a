/**
 * Every link in an SMS the exchange sends is absolute. The texts are built by pure functions
 * (shared/orders/notifications.ts): each is rendered for every order status with a site URL and
 * without one; and the sources are scanned so that no text sent through the messenger carries a
 * storefront path that did not go through `siteLink`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type Order, type SubOrder } from '../../shared/orders/model.ts';
import {
  codConfirmationText,
  fulfillerNotice,
  shopperNotice,
  siteLink,
} from '../../shared/orders/notifications.ts';

const SITE = 'https://cho.example.vn';

const order: Order = {
  code: 'TN-7K3Q9',
  status: 'placed',
  contact: { name: 'Nguyễn Thị Hoa', phone: '+84987654321' },
  delivery: { method: 'pickup' },
  paymentMethod: 'vnpay',
  paymentIntentId: 'pi_abcdefghijklmnopqrstuvwx',
  itemsTotal: 360_000,
  shippingTotal: 30_000,
  total: 390_000,
  lines: [],
  fulfillerIds: ['coop-a'],
  history: [],
  createdAt: '2026-12-01T00:00:00.000Z',
  version: 1,
};
const sub: SubOrder = {
  orderCode: order.code,
  fulfillerId: 'coop-a',
  fulfillerName: 'HTX Chè Tân Cương',
  status: 'shipped',
  lines: [
    {
      variantId: 'v1',
      productId: 'p1',
      productSlug: 'che',
      productName: 'Chè',
      pack: '200 g',
      producerId: 'h1',
      producerName: 'Hộ A',
      unitPrice: 180_000,
      quantity: 2,
      lineTotal: 360_000,
    },
  ],
  subtotal: 360_000,
  shippingFee: 30_000,
  carrier: 'Viettel Post',
  trackingNumber: 'VTP123456789',
  history: [],
  createdAt: order.createdAt,
  version: 1,
};

/** Every text the orders send, for a site URL. */
function everyText(site: string | undefined): string[] {
  const texts: string[] = [];
  for (const method of ['vnpay', 'vietqr', 'cod'] as const) {
    const o = { ...order, paymentMethod: method };
    for (const status of ORDER_STATUSES) {
      const text = shopperNotice(o, status, sub, site);
      if (text) texts.push(text);
    }
    texts.push(fulfillerNotice(o, sub, site), codConfirmationText(o, '123456', site));
  }
  return texts;
}

/** Anything in a text that looks like a link: a scheme, a "www.", or a path starting with "/". */
const LINKISH = /(?:https?:\/\/|www\.)[^\s;,]+|(?<![\w.:/])\/[\w-]+(?:\/[^\s;,]*)?/g;

describe('SMS links', () => {
  it('with the site URL: every link is absolute on the site, and the notices carry one', () => {
    const texts = everyText(SITE);
    expect(texts.length).toBeGreaterThan(20);
    for (const text of texts) {
      const links = text.match(LINKISH) ?? [];
      for (const link of links) expect(link, text).toMatch(/^https:\/\/cho\.example\.vn\/[\w-]/);
    }
    expect(shopperNotice(order, 'placed', undefined, SITE)).toContain(`${SITE}/don-hang/?ma=TN-7K3Q9`);
    expect(fulfillerNotice(order, sub, SITE)).toContain(`${SITE}/hop-tac-xa/don-hang/`);
    expect(codConfirmationText(order, '123456', SITE)).toContain(
      `${SITE}/thanh-toan/da-dat/?ma=TN-7K3Q9&sdt=%2B84987654321&xn=123456`,
    );
  });

  it('without an absolute site URL the text goes without its link, never with a relative one', () => {
    for (const site of [undefined, '', '/', 'cho.example.vn', '//cho.example.vn']) {
      for (const text of everyText(site)) expect(text.match(LINKISH), `${site}: ${text}`).toBeNull();
    }
  });

  it('siteLink joins an origin (with or without a trailing slash) and a path', () => {
    expect(siteLink('https://cho.example.vn/', '/don-hang/')).toBe('https://cho.example.vn/don-hang/');
    expect(siteLink('http://127.0.0.1:4321', 'don-hang/')).toBe('http://127.0.0.1:4321/don-hang/');
    expect(siteLink('javascript:alert(1)', '/x')).toBe('');
  });

  it('no source sends a storefront path except through siteLink', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('shared');
    walk('functions');
    const senders = files.filter((f) => /\.send\(\s*\{[^}]*\bkind:/s.test(readFileSync(f, 'utf8')));
    expect(senders.length).toBeGreaterThan(2);
    // A path of the storefront starting a string literal or following an interpolation
    // (`${site}/don-hang/…`): a link being made.
    const PATH = /[`'"}]\/(?:don-hang|thanh-toan|hop-tac-xa|ban-hang|quan-tri|san-pham|dang-nhap)\b/g;
    for (const file of senders) {
      const source = readFileSync(file, 'utf8');
      for (const found of source.matchAll(PATH)) {
        const before = source.slice(Math.max(0, found.index - 40), found.index);
        expect(before, `${file}: ${source.slice(found.index, found.index + 60)}`).toMatch(/siteLink\(/);
      }
    }
  });
});
