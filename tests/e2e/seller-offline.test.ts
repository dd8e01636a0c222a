/**
 * The offline seller center in Chromium at 360×740 on the demo data, with a browser profile kept
 * on disk so that closing the browser is real. Hộ Nguyễn Văn Thành signs in online (the service
 * worker installs), the browser is closed and opened again without a connection: the seller
 * center and his products open from the phone (cold, then warm). Offline he adds stock to one
 * pack, changes a price, saves a new draft and adds a photo to it (shrunk on the phone); the
 * header says how many changes wait. He closes the browser; meanwhile a shopper orders that pack.
 * Reopened online, the queue is sent in order with its keys: the price, the draft and its photo
 * arrive once, and the stock change is shown as a conflict with both numbers; he chooses his
 * number and the exchange has it, once. Then 20 changes queued offline are sent on a 3G-like
 * throttle (CDP Network.emulateNetworkConditions). Timings are printed; the seller center's
 * installability is read with CDP Page.getInstallabilityErrors (Lighthouse 12 has no PWA
 * category any more).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { startSiteExchange } from './browser.ts';

const HOUSEHOLD_PHONE = '0987 000 201';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let exchange: RunningExchange;
let profile: string;
let photo: string;
let token = '';

interface Pack {
  id: string;
  label: string;
  price: number;
  stock: number;
}
interface Listing {
  id: string;
  status: string;
  name: { vi: string };
  packs: Pack[];
  images: unknown[];
}

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'auto', paymentJobsIntervalMs: 0 });
  profile = mkdtempSync(join(tmpdir(), 'seller-profile-'));
  photo = join(mkdtempSync(join(tmpdir(), 'photo-')), 'IMG_0042.jpg');
  // A camera-sized photo: it is made small on the phone before it is queued.
  writeFileSync(
    photo,
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: '#5b8f4e',
        noise: { type: 'gaussian', mean: 110, sigma: 28 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer(),
  );
}, 600_000);

afterAll(async () => {
  await exchange?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
});

/**
 * The browser, started on the same profile each time (its IndexedDB and service worker stay).
 * Playwright's offline mode cuts the pages' network, not the service worker's: a Background Sync
 * would send the queue while the pages are "offline". So Background Sync is refused here (no
 * permission granted) and the queue goes the way of browsers without it: on `online` and on the
 * next open.
 */
async function openBrowser(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await context.grantPermissions([], { origin: exchange.url });
  return context;
}

async function latestCode(phone: string): Promise<string | null> {
  const e164 = `+84${phone.replace(/\D/g, '').slice(1)}`;
  const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
  const message = inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code');
  return message ? /(\d{6})/.exec(message.text)![1]! : null;
}

async function signIn(page: Page, phone: string): Promise<void> {
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', phone);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  await expect.poll(() => latestCode(phone)).toBeTruthy();
  await page.fill('#signin-code', (await latestCode(phone))!);
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#signed-in:not([hidden])');
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${exchange.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const myListings = async () => (await api<{ items: Listing[] }>('/api/seller/products?limit=100')).items;
const listing = (id: string) => api<Listing>(`/api/seller/products/${id}`);

/** Opens the product list and waits for its cards; milliseconds from navigation to cards. */
async function openProducts(page: Page): Promise<number> {
  const started = Date.now();
  await page.goto(`${exchange.url}/ban-hang/san-pham/`);
  await page.waitForSelector('#product-list [data-product]');
  return Date.now() - started;
}

const card = (page: Page, id: string) => page.locator(`#product-list [data-product="${id}"]`);
const waitingText = (page: Page) => page.locator('#offline-count').innerText();

/** Queues a stock change from the product's card; `waiting` is the queue's length after it. */
async function queueStock(page: Page, id: string, delta: number, reason: string, waiting: number) {
  const c = card(page, id);
  await c.locator('[name="stock.0.delta"]').fill(String(delta));
  await c.locator('[name=reason]').fill(reason);
  await c.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await expect.poll(() => waitingText(page)).toContain(`${waiting} thay đổi đang chờ gửi`);
  await expect.poll(() => card(page, id).locator('.notice').innerText()).toContain('Đã lưu trên máy');
}

describe('the seller center offline', () => {
  let stockItem: Listing;
  let priceItem: Listing;
  const DRAFT = 'Chè móc câu hộ Thành (nháp ngoại tuyến)';

  it('installs, opens offline after the browser is closed, and queues edits that survive it', async () => {
    let context = await openBrowser();
    let page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, HOUSEHOLD_PHONE);
    token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('tn-seller-session')!) as { token: string }).token,
    );
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Opened with the worker in control: its answers are kept for offline.
    await openProducts(page);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const cdp = await context.newCDPSession(page);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    console.log(
      `[seller-offline] installability of /ban-hang/san-pham/ (CDP Page.getInstallabilityErrors): ${
        installability.installabilityErrors.map((e) => e.errorId).join(', ') || 'installable, no errors'
      }`,
    );
    expect(installability.installabilityErrors).toEqual([]);
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!;
      return (await (await fetch(link.href)).json()) as Record<string, unknown>;
    });
    expect(manifest).toMatchObject({ lang: 'vi', start_url: '/ban-hang/', display: 'standalone' });
    // The storefront has no service worker and no manifest.
    const store = await context.newPage();
    await store.goto(`${exchange.url}/`);
    expect(await store.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    expect(await store.locator('link[rel=manifest]').count()).toBe(0);
    await store.close();

    const mine = await myListings();
    const published = mine.filter((l) => l.status === 'published' && l.packs[0]!.stock > 3);
    stockItem = published[0]!;
    priceItem = published[1]!;
    expect(priceItem).toBeDefined();
    await context.close();

    // Closed, then opened again with no connection at all.
    context = await openBrowser();
    await context.setOffline(true);
    page = context.pages()[0] ?? (await context.newPage());
    const cold = await openProducts(page);
    const warm = await openProducts(page);
    console.log(`[seller-offline] open /ban-hang/san-pham/ offline: cold ${cold} ms, warm ${warm} ms`);
    await expect.poll(() => page.locator('#offline-state').innerText()).toContain('không có mạng');

    await queueStock(page, stockItem.id, 5, 'Nhập mẻ chè mới', 1);
    const price = card(page, priceItem.id).locator('[name="packs.0.price"]');
    await price.fill(String(priceItem.packs[0]!.price + 10_000));
    await card(page, priceItem.id).getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => card(page, priceItem.id).locator('.notice').innerText()).toContain('trên máy');

    await page.click('a[href="#moi"]');
    await page.waitForSelector('#view-new:not([hidden])');
    await page.selectOption('#new-category', 'che-moc-cau');
    await page.fill('#new-name-vi', DRAFT);
    await page.fill('#new-desc-vi', 'Chè móc câu hái sáng, sao tay trên chảo gang.');
    const pack = page.locator('#new-form .pack-editor').first();
    await pack.locator('[data-part=grams]').fill('200');
    await pack.locator('[data-part=price]').fill('150k');
    await pack.locator('[data-part=stock]').fill('8');
    await page.click('#new-form [data-submit]');
    await page.waitForSelector('#view-list:not([hidden])');
    await page.locator('#offline-details summary').click();
    await page.locator('#offline-list [data-kind=draft] input[type=file]').setInputFiles(photo);
    // Decoded and shrunk on the phone before it is queued: allow a slow machine some seconds.
    await expect.poll(() => waitingText(page), { timeout: 30_000 }).toContain('4 thay đổi đang chờ gửi');
    const queuedBytes = await page.locator('#offline-list [data-kind=photo]').innerText();
    expect(queuedBytes).toContain('ảnh gốc');
    await context.close();
  }, 300_000);

  it('reopened online: sent once in order; the stock conflict is shown with both numbers and resolved', async () => {
    // Meanwhile a shopper orders 2 packs of the pack whose stock was changed offline.
    const order = await fetch(`${exchange.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `k_${Date.now()}_order` },
      body: JSON.stringify({
        lines: [{ variantId: stockItem.packs[0]!.id, quantity: 2 }],
        contact: { name: 'Người mua', phone: '0912345678' },
        delivery: { method: 'pickup' },
        paymentMethod: 'cod',
      }),
    });
    expect(order.status, await order.clone().text()).toBe(201);
    const base = stockItem.packs[0]!.stock;
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(base - 2);

    const context = await openBrowser();
    const page = context.pages()[0] ?? (await context.newPage());
    await openProducts(page);
    const conflict = page.locator('#offline-list [data-conflict]');
    await conflict.waitFor({ timeout: 60_000 });
    const words = await conflict.innerText();
    expect(words).toContain(`Trên máy bạn: ${base} gói`);
    expect(words).toContain(`Trên sàn bây giờ: ${base - 2} gói`);
    // Everything else went through; only the conflict waits.
    await expect.poll(() => waitingText(page), { timeout: 60_000 }).toContain('1 thay đổi đang chờ gửi');
    await conflict.getByRole('button', { name: `Đặt thành ${base + 5} gói (số của tôi)` }).click();
    await expect
      .poll(async () => (await listing(stockItem.id)).packs[0]!.stock, { timeout: 30_000 })
      .toBe(base + 5);
    await expect.poll(() => page.locator('#offline-bar').isHidden()).toBe(true);

    // Applied once each.
    const history = await api<{ items: { delta: number; reason: string }[] }>(
      `/api/seller/products/${stockItem.id}/stock?limit=100`,
    );
    expect(history.items.filter((h) => h.reason === 'Nhập mẻ chè mới')).toEqual([
      expect.objectContaining({ delta: 7 }),
    ]);
    expect((await listing(priceItem.id)).packs[0]!.price).toBe(priceItem.packs[0]!.price + 10_000);
    const drafts = (await myListings()).filter((l) => l.name.vi === DRAFT);
    expect(drafts).toHaveLength(1);
    await expect.poll(async () => (await listing(drafts[0]!.id)).images.length, { timeout: 60_000 }).toBe(1);
    await context.close();
  }, 300_000);

  it('sends 20 queued changes on a 3G-like connection', async () => {
    const context = await openBrowser();
    const page = context.pages()[0] ?? (await context.newPage());
    await openProducts(page);
    const before = (await listing(stockItem.id)).packs[0]!.stock;
    await context.setOffline(true);
    for (let i = 0; i < 20; i++) await queueStock(page, stockItem.id, 1, `Nhập thêm lần ${i + 1}`, i + 1);
    await expect.poll(() => waitingText(page), { timeout: 10_000 }).toContain('20 thay đổi đang chờ gửi');
    // Closed offline, reopened on a slow connection: the queue goes on open.
    await context.close();
    const slow = await openBrowser();
    const next = slow.pages()[0] ?? (await slow.newPage());
    const cdp = await slow.newCDPSession(next);
    await cdp.send('Network.enable');
    // DevTools' "Fast 3G" (Lighthouse's mobile throttle): 562.5 ms RTT, 1.6 Mb/s down, 750 kb/s up.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 562.5,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    const started = Date.now();
    await next.goto(`${exchange.url}/ban-hang/san-pham/`);
    await expect
      .poll(
        async () =>
          (await listing(stockItem.id)).packs[0]!.stock === before + 20 &&
          (await next.locator('#offline-bar').isHidden())
            ? 'sent'
            : await waitingText(next),
        { timeout: 240_000, interval: 1000 },
      )
      .toBe('sent');
    const seconds = (Date.now() - started) / 1000;
    console.log(`[seller-offline] 20 queued changes sent on Fast 3G in ${seconds.toFixed(1)} s`);
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(before + 20);
    await slow.close();
  }, 300_000);
});
