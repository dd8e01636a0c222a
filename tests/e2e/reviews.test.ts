/**
 * A verified buyer's review, in Chromium at 360 × 740 on the local runtime: a COD order of a
 * cooperative's tea is delivered (the manager moves it on the board API), the shopper opens the
 * tracking page, "Viết đánh giá", gives stars, text and a photo (processed by the image
 * pipeline), and sees the review on the product page, with the rating in the page's JSON-LD. The
 * line then says "Đã đánh giá" instead of offering a second review (which the API refuses). An
 * admin hides it: it leaves the page and the JSON-LD. axe-core audits the tracking page with the
 * form open and the product page with its reviews.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducers, demoShippingRules } from '../../infra/local/demo/demo-data.ts';
import { DEMO_REVIEWED_PRODUCT_IDS } from '../../infra/local/demo/demo-reviews.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const SHOPPER = { name: 'Phạm Thị Mai', phone: '0912 876 543' };
const TEXT = `Chè thơm, nước xanh, đúng như mô tả <b>không in đậm</b> ${randomUUID().slice(0, 6)}`;
const FRESH_WITHIN_MS = 60_000;

interface Product {
  id: string;
  slug: string;
  producer: { kind: string; slug: string };
  variants: { id: string; stock: number }[];
}

let exchange: RunningExchange;
let browser: Browser;
let phone: BrowserContext;
let product: Product;
let code: string;
let variantId: string;
let photo: string;

async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(`${exchange.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(path === '/api/orders' ? { 'idempotency-key': `e2e-${randomUUID()}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type Message = { to: string; kind: string; text: string };

interface SignIn {
  accessToken: string;
  expiresIn: number;
  account: unknown;
}

async function signInResult(phoneNumber: string): Promise<SignIn> {
  await api('/api/auth/start', { method: 'POST', body: { phone: phoneNumber } });
  const e164 = `+84${phoneNumber.replace(/^\+84|^0/, '')}`;
  const message = (await api<Message[]>('/dev/inbox')).find(
    (m) => m.to === e164 && m.kind === 'sign_in_code',
  );
  const otp = /(\d{6})/.exec(message?.text ?? '')?.[1];
  if (!otp) throw new Error(`no sign-in code for ${phoneNumber}`);
  return api<SignIn>('/api/auth/verify', { method: 'POST', body: { phone: phoneNumber, code: otp } });
}

const signIn = async (phoneNumber: string) => (await signInResult(phoneNumber)).accessToken;

let managerPhone: string;
let sellerName: string;

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  const carrierCoops = new Set(
    demoProducers.filter((p) => demoShippingRules[p.id]?.carrier).map((p) => p.id),
  );
  const list = await api<{ items: Product[] }>('/api/catalog/products?limit=60');
  const coops = new Map(demoProducers.map((p) => [p.slug, p]));
  product = list.items.find((p) => {
    const seller = coops.get(p.producer.slug);
    return (
      seller?.kind === 'cooperative' &&
      !carrierCoops.has(seller.id) &&
      !DEMO_REVIEWED_PRODUCT_IDS.includes(p.id) &&
      p.variants.some((v) => v.stock >= 3)
    );
  })!;
  expect(product).toBeDefined();
  const seller = coops.get(product.producer.slug)!;
  variantId = product.variants.find((v) => v.stock >= 3)!.id;

  // A COD order, confirmed with the SMS code, then confirmed → packed → shipped → delivered.
  const placed = await api<{ order: { code: string } }>('/api/orders', {
    method: 'POST',
    body: {
      lines: [{ variantId, quantity: 1 }],
      contact: SHOPPER,
      delivery: {
        method: 'shipping',
        address: { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' },
      },
      paymentMethod: 'cod',
    },
  });
  code = placed.order.code;
  const sms = (await api<Message[]>('/dev/inbox')).find((m) => m.text.includes(`Mã xác nhận đơn ${code}`));
  if (sms) {
    await api(`/api/orders/${code}/confirm`, {
      method: 'POST',
      body: { phone: SHOPPER.phone, code: /: (\d{6})\./.exec(sms.text)![1] },
    });
  }
  managerPhone = `0${seller.phone.slice(3)}`;
  sellerName = seller.name;
  const token = await signIn(managerPhone);
  for (const to of ['confirmed', 'packed', 'shipped', 'delivered']) {
    await api(`/api/board/${seller.id}/orders/${code}/status`, {
      method: 'POST',
      token,
      body: {
        to,
        ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP123456' } : {}),
        ...(to === 'delivered' ? { cashCollected: true } : {}),
      },
    });
  }
  photo = join(mkdtempSync(join(tmpdir(), 'review-')), 'che.jpg');
  writeFileSync(
    photo,
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#5d8a3c' } })
      .jpeg()
      .toBuffer(),
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

const jsonLd = async (page: Page) =>
  JSON.parse((await page.locator('script[type="application/ld+json"]').first().textContent()) ?? '{}') as {
    aggregateRating?: { ratingValue: number; reviewCount: number };
    review?: { reviewBody: string }[];
  };

/** Reloads the product page until `check` holds (the catalog's read model polls its changes). */
async function productPageUntil(page: Page, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  for (;;) {
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`);
    if (await check()) return;
    if (Date.now() - started > FRESH_WITHIN_MS) throw new Error('the product page never showed the change');
    await page.waitForTimeout(1000);
  }
}

describe('a review from the tracking page to the product page', () => {
  it('writes a review with a photo after delivery and sees it on the product page and in its JSON-LD', async () => {
    const page = await phone.newPage();
    await page.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await page.getByLabel('Số điện thoại đặt hàng').fill(SHOPPER.phone);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByRole('button', { name: 'Viết đánh giá' }).click();
    await page.getByText('★★★★★').click();
    await page.getByLabel('Nhận xét của bạn').fill(TEXT);
    await page.getByLabel('Ảnh (không bắt buộc)').setInputFiles(photo);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect.poll(() => page.getByText('Cảm ơn bạn!').isVisible(), { timeout: 30_000 }).toBe(true);
    // The line is reviewed: "Đã đánh giá" instead of the button that opened the form.
    const line = page.locator('.review-line');
    await expect.poll(() => line.getByText('Đã đánh giá').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Viết đánh giá' }).count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'review-tracking-360.png'), fullPage: true });

    await productPageUntil(page, async () => (await jsonLd(page)).aggregateRating !== undefined);
    const review = page.locator('.review', { hasText: TEXT });
    await expect.poll(() => review.isVisible()).toBe(true);
    // Text shown as typed, never as markup; the buyer's first name and province only.
    expect(await review.locator('b').count()).toBe(0);
    expect(await review.textContent()).toContain('Mai');
    expect(await review.textContent()).toContain('Hà Nội');
    expect(await review.textContent()).not.toContain('876');
    expect(await review.locator('.review__photos img').count()).toBe(1);
    const ld = await jsonLd(page);
    expect(ld.aggregateRating).toMatchObject({ ratingValue: 5, reviewCount: 1 });
    expect(ld.review?.[0]?.reviewBody).toBe(TEXT);
    const axeProduct = await new AxeBuilder({ page }).include('#danh-gia').analyze();
    expect(axeProduct.violations.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
    // Tracked again later: the order view lists the line as reviewed, so no second form is offered.
    await page.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await page.getByLabel('Số điện thoại đặt hàng').fill(SHOPPER.phone);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect.poll(() => line.getByText('Đã đánh giá').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Viết đánh giá' }).count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'review-tracking-reviewed-360.png'), fullPage: true });
    // And the API still refuses a second review of the same line.
    const second = await fetch(`${exchange.url}/api/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        orderCode: code,
        phone: SHOPPER.phone,
        variantId,
        stars: 2,
        text: 'Lần hai',
        photoIds: [],
      }),
    });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('đã đánh giá gói hàng này');
    await page.close();
  });

  it("the cooperative's manager replies once from the seller center; the reply shows on the product page", async () => {
    const session = await signInResult(managerPhone);
    const page = await phone.newPage();
    await page.goto(`${exchange.url}/ban-hang/`);
    await page.evaluate((s) => {
      localStorage.setItem(
        'tn-seller-session',
        JSON.stringify({
          token: s.accessToken,
          expiresAt: Date.now() + s.expiresIn * 1000,
          account: s.account,
        }),
      );
    }, session);
    await page.goto(`${exchange.url}/ban-hang/san-pham/#sp/${product.id}/danh-gia`);
    const card = page.locator('[data-review]', { hasText: TEXT });
    await expect.poll(() => card.isVisible(), { timeout: 30_000 }).toBe(true);
    await card.getByLabel('Trả lời người mua (một lần)').fill('Cảm ơn chị Mai đã ủng hộ hợp tác xã!');
    await card.getByRole('button', { name: 'Gửi trả lời' }).click();
    await expect.poll(() => card.getByText('Đã trả lời').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await card.getByRole('button', { name: 'Gửi trả lời' }).count()).toBe(0);
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`);
    const review = page.locator('.review', { hasText: TEXT });
    expect(await review.locator('.review__reply').textContent()).toContain(`Trả lời của ${sellerName}`);
    await page.close();
  });

  it('a hidden review leaves the product page and its JSON-LD', async () => {
    const reviews = await api<{ items: { id: string; text: string }[] }>(
      `/api/catalog/products/${product.slug}/reviews`,
    );
    const mine = reviews.items.find((r) => r.text === TEXT)!;
    const admin = await signIn('0900000001');
    await api(`/api/reviews/${mine.id}/hide`, {
      method: 'POST',
      token: admin,
      body: { reason: 'Kiểm thử: chứa nội dung quảng cáo' },
    });
    const page = await phone.newPage();
    await productPageUntil(page, async () => (await jsonLd(page)).aggregateRating === undefined);
    expect(await page.getByText(TEXT).count()).toBe(0);
    expect((await jsonLd(page)).review).toBeUndefined();
    await page.close();
  });
});

describe('"Xem thêm đánh giá" on the product page', () => {
  it('fetches its code only when the button comes near, then appends the next page as text', async () => {
    const page = await phone.newPage();
    // The demo products have one review each, so the page is given a second one to show: the
    // button the page renders when listProductReviews has a next cursor, and that next page.
    await page.route(`${exchange.url}/san-pham/${product.slug}/`, async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(
        /(id="reviews-list"[\s\S]*?<\/ol>)/,
        `$1<p><button type="button" class="btn btn--ghost" id="reviews-more" data-slug="${product.slug}" data-cursor="c2">Xem thêm đánh giá</button></p>`,
      );
      await route.fulfill({ response: res, body: html });
    });
    await page.route(`${exchange.url}/api/catalog/products/${product.slug}/reviews?cursor=c2`, (route) =>
      route.fulfill({
        json: {
          items: [
            {
              stars: 4,
              text: 'Trang hai <i>không nghiêng</i>',
              pack: '100 g',
              season: 'Vụ xuân 2026',
              createdAt: '2026-03-10T08:00:00.000Z',
              author: { firstName: 'Hoa', province: 'Hà Nội' },
              reply: null,
            },
          ],
          nextCursor: null,
        },
      }),
    );
    const scripts: string[] = [];
    page.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.push(req.url());
    });
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`, { waitUntil: 'load' });
    const more = page.getByRole('button', { name: 'Xem thêm đánh giá' });
    expect(await more.count()).toBe(1);
    await page.waitForTimeout(500);
    // Far below the first screen at 360 × 740: nothing of "more" is fetched yet.
    expect(scripts.filter((u) => u.includes('more-reviews'))).toEqual([]);
    await more.scrollIntoViewIfNeeded();
    await expect.poll(() => scripts.some((u) => u.includes('more-reviews'))).toBe(true);
    await more.click();
    const added = page.locator('#reviews-list .review', { hasText: 'Trang hai' });
    await expect.poll(() => added.isVisible()).toBe(true);
    expect(await added.locator('i').count()).toBe(0);
    expect(await added.textContent()).toContain('Hoa · Hà Nội');
    expect(await added.locator('.review__stars').getAttribute('aria-label')).toBe('4 trên 5 sao');
    // The last page: the button goes.
    expect(await more.count()).toBe(0);
    await page.close();
  });
});
