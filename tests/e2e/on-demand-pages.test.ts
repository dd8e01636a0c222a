/**
 * Pages rendered on demand, in Chromium on the local runtime, driven only through the HTTP API as
 * a seller and a reviewer would: a listing approved after the storefront was built has a product
 * page and is in its category listing within 60 s (no rebuild), a price change shows within 60 s,
 * an archived product's page is gone within 60 s, and the seller center's "Xem trên sàn" link
 * opens the page at once.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

/** The bound: a new or changed listing is live within a minute. */
const FRESH_WITHIN_MS = 60_000;
const MANAGER_PHONE = '0912000101';
const ADMIN_PHONE = '0900000001';
const NAME = 'Chè búp Tân Cương vụ Đông (mới duyệt)';

let exchange: RunningExchange;
let browser: Browser;
let shopper: BrowserContext;

beforeAll(async () => {
  exchange = await startSiteExchange({
    site: 'always',
    paymentJobsIntervalMs: 0,
  });
  browser = await launchChromium();
  shopper = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(`${exchange.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Signs in with the code the dev inbox received, as the seller center does. */
async function signIn(phone: string): Promise<string> {
  await api('/api/auth/start', { method: 'POST', body: { phone } });
  const e164 = `+84${phone.slice(1)}`;
  const inbox = await api<{ to: string; kind: string; text: string }[]>('/dev/inbox');
  const message = inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code');
  const code = /(\d{6})/.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error(`no sign-in code for ${phone} in the dev inbox`);
  const result = await api<{ accessToken: string }>('/api/auth/verify', {
    method: 'POST',
    body: { phone, code },
  });
  return result.accessToken;
}

interface SellerProduct {
  id: string;
  slug: string;
  status: string;
  packs: { id: string; price: number; stock: number }[];
}

/** Polls a page until `check` holds, at most the 60 s; returns how long it took. */
async function liveWithin(page: Page, path: string, check: (status: number, text: string) => boolean) {
  const started = Date.now();
  let last = '';
  for (;;) {
    const response = await page.goto(`${exchange.url}${path}`);
    const status = response?.status() ?? 0;
    const text = await page.locator('main').innerText();
    if (check(status, text)) return Date.now() - started;
    last = `${status}: ${text.slice(0, 200)}`;
    if (Date.now() - started > FRESH_WITHIN_MS) {
      // Say whether the page or the catalog API behind it was behind.
      const slug = /\/san-pham\/([^/]+)\/$/.exec(path)?.[1];
      const apiSays = slug
        ? await fetch(`${exchange.url}/api/catalog/products/${slug}`).then((r) => r.text())
        : '';
      throw new Error(`${path} not live within 60 s; last ${last}; the API: ${apiSays.slice(0, 300)}`);
    }
    await page.waitForTimeout(1_000);
  }
}

describe('pages rendered on demand stay within a minute of the catalog', () => {
  let manager: string;
  let admin: string;
  let product: SellerProduct;
  let page: Page;

  it('a listing approved after the build has its product page and is in its category listing', async () => {
    manager = await signIn(MANAGER_PHONE);
    admin = await signIn(ADMIN_PHONE);
    page = await shopper.newPage();
    const draft = await api<SellerProduct>('/api/seller/products', {
      method: 'POST',
      token: manager,
      body: {
        category: 'che-bup',
        name: { vi: NAME, en: 'Tân Cương bud tea, winter crop (just approved)' },
        description: { vi: 'Búp chè hái tay vụ Đông, sao chảo gang.' },
        packs: [{ grams: 200, price: 234_000, stock: 17 }],
      },
    });
    // Before approval there is no page (and none is cached for long: see render/cache.ts).
    expect((await page.goto(`${exchange.url}/san-pham/${draft.slug}/`))?.status()).toBe(404);
    await api(`/api/seller/products/${draft.id}/submit`, { method: 'POST', token: manager });
    product = await api<SellerProduct>(`/api/seller/products/${draft.id}/decision`, {
      method: 'POST',
      token: admin,
      body: { decision: 'approve' },
    });
    expect(product.status).toBe('published');

    await liveWithin(
      page,
      `/san-pham/${product.slug}/`,
      (status, text) => status === 200 && text.includes('234.000') && text.includes('17'),
    );
    expect(await page.locator('h1').innerText()).toBe(NAME);
    expect(await page.locator('#pack-table, table').first().innerText()).toContain('17');
    // JSON-LD and Open Graph as on every product page.
    const jsonLd = JSON.parse(
      (await page.locator('script[type="application/ld+json"]').first().textContent()) ?? '{}',
    ) as { name?: string; offers?: { lowPrice?: number } };
    expect(jsonLd).toMatchObject({ name: NAME, offers: { lowPrice: 234_000 } });
    expect(await page.getAttribute('meta[property="og:image"]', 'content')).toContain(
      `/og/${product.slug}.jpg`,
    );
    // In English too, English first.
    const english = await page.goto(`${exchange.url}/en/san-pham/${product.slug}/`);
    expect(english?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Its category's first page (newest first) lists it, as a plain link.
    await liveWithin(
      page,
      '/san-pham/danh-muc/che-bup/',
      (status, text) => status === 200 && text.includes(NAME),
    );
    expect(await page.locator(`main a[href="/san-pham/${product.slug}/"]`).count()).toBeGreaterThan(0);
  });

  it("the seller center's 'Xem trên sàn' link opens the product page at once", async () => {
    const seller = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const sellerPage = await seller.newPage();
    await sellerPage.goto(`${exchange.url}/ban-hang/`);
    // The seller center keeps its session in the browser: sign in through its own form.
    await sellerPage.fill('#signin-phone', MANAGER_PHONE);
    await sellerPage.click('#phone-form button[type=submit]');
    await sellerPage.waitForSelector('#code-form:not([hidden])');
    const e164 = `+84${MANAGER_PHONE.slice(1)}`;
    const code = async () => {
      const inbox = await api<{ to: string; kind: string; text: string }[]>('/dev/inbox');
      return /(\d{6})/.exec(inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code')?.text ?? '')?.[1];
    };
    await expect.poll(code).toBeTruthy();
    await sellerPage.fill('#signin-code', (await code())!);
    await sellerPage.click('#code-form button[type=submit]');
    await sellerPage.waitForSelector('#signed-in:not([hidden])');
    await sellerPage.goto(`${exchange.url}/ban-hang/san-pham/`);
    const link = sellerPage.locator(`a[href="/san-pham/${product.slug}/"]`, { hasText: 'Xem trên sàn' });
    await link.first().waitFor();
    const [response] = await Promise.all([
      sellerPage.waitForResponse((r) => r.url().endsWith(`/san-pham/${product.slug}/`)),
      link.first().click(),
    ]);
    expect(response.status()).toBe(200);
    expect(await sellerPage.locator('h1').innerText()).toBe(NAME);
    await seller.close();
  });

  it('a changed price shows within 60 s', async () => {
    const pack = product.packs[0]!;
    await api(`/api/seller/products/${product.id}`, {
      method: 'PATCH',
      token: manager,
      body: { packs: [{ id: pack.id, price: 251_000 }] },
    });
    await liveWithin(
      page,
      `/san-pham/${product.slug}/`,
      (status, text) => status === 200 && text.includes('251.000') && !text.includes('234.000'),
    );
  });

  it("an archived product's page answers 410 Gone within 60 s, English-first under /en/", async () => {
    await api(`/api/seller/products/${product.id}/archive`, { method: 'POST', token: manager });
    await liveWithin(page, `/san-pham/${product.slug}/`, (status) => status === 410);
    const english = await page.goto(`${exchange.url}/en/san-pham/${product.slug}/`);
    expect(english?.status()).toBe(410);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await liveWithin(
      page,
      '/san-pham/danh-muc/che-bup/',
      (status, text) => status === 200 && !text.includes(NAME),
    );
  });
});
