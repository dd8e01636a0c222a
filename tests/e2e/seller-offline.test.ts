/**
 * The offline seller center in Chromium at 360×740 on the demo data, with a browser profile kept
 * on disk so that closing the browser is real. Hộ Nguyễn Văn Thành signs in online (the service
 * worker installs), the browser is closed and opened again without a connection: the seller
 * center and his products open from the phone (cold, then warm). Offline he adds stock to one
 * pack, changes a price, saves a new draft and adds a photo to it (shrunk on the phone); the
 * header says how many changes wait. He closes the browser; meanwhile a shopper orders that pack.
 * Reopened online, the queue is sent in order with its keys: the price, the draft and its photo
 * arrive once, and the stock change is shown as a conflict with both numbers; he chooses his
 * number and the exchange has it, once. Then Background Sync: changes queued offline (one of them
 * a price change of a listing in review) are sent by the service worker's `sync` handler, fired
 * with CDP ServiceWorker.dispatchSyncEvent while no seller page is open; the price waits, shown
 * as "chờ duyệt", until the admin approves the listing, and is applied once after. Then 20
 * changes queued offline are sent on a 3G-like throttle (CDP Network.emulateNetworkConditions on
 * the page and on the service worker). Timings are printed; the seller center's installability
 * is read with CDP Page.getInstallabilityErrors (Lighthouse 12 has no PWA category any more). The
 * admin pages link no manifest and no service worker controls them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
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
 * Playwright's offline mode cuts the service worker's network as well as the pages'. The
 * permission for Background Sync is refused, so that Chromium (which judges the connection by the
 * machine's, always up here) never fires a `sync` on its own: the tests fire it through CDP when
 * they mean the worker to send, and otherwise the queue goes the way of browsers without
 * Background Sync, on `online` and on the next open.
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

async function apiSignIn(phone: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(`${exchange.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('/api/auth/start', { phone })).status).toBe(202);
  await expect.poll(() => latestCode(phone)).toBeTruthy();
  const verified = await post('/api/auth/verify', { phone, code: await latestCode(phone) });
  expect(verified.status).toBe(200);
  return ((await verified.json()) as { accessToken: string }).accessToken;
}

/** The seller center's service worker registration, as DevTools sees it (page-level CDP). */
async function sellerWorker(page: Page): Promise<{ cdp: CDPSession; registrationId: string }> {
  const cdp = await page.context().newCDPSession(page);
  const registrations = new Map<string, string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const r of event.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  const scope = `${exchange.url}/ban-hang/`;
  await expect.poll(() => registrations.has(scope)).toBe(true);
  return { cdp, registrationId: registrations.get(scope)! };
}

/** Fires the worker's Background Sync (tag `tn-seller-queue`), as Chromium does when the connection returns. */
async function fireBackgroundSync(worker: { cdp: CDPSession; registrationId: string }): Promise<void> {
  await worker.cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin: exchange.url,
    registrationId: worker.registrationId,
    tag: 'tn-seller-queue',
    lastChance: false,
  });
}

/** The queue on the phone (IndexedDB `tn-seller-offline`), read from any page of the origin. */
function queueOnPhone(page: Page): Promise<{ kind: string; state: string; note?: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ kind: string; state: string; note?: string }[]>((resolve, reject) => {
        const open = indexedDB.open('tn-seller-offline');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('changes').objectStore('changes').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as { kind: string; state: string; note?: string }[]).map(
                ({ kind, state, note }) => ({
                  kind,
                  state,
                  note,
                }),
              ),
            );
          };
        };
      }),
  );
}

/** DevTools' "Fast 3G" (Lighthouse's mobile throttle): 562.5 ms RTT, 1.6 Mb/s down, 750 kb/s up. */
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

/**
 * Applies `conditions` to every service worker of the browser, now and as they start: a page's
 * throttle does not reach the requests its worker makes (NetworkFirst reads and navigations, the
 * Background Sync). A browser-level CDP session attaches to each `service_worker` target and
 * sends Network.emulateNetworkConditions there; returns how many workers are throttled so far.
 */
async function throttleServiceWorkers(context: BrowserContext, conditions: typeof FAST_3G) {
  const session = await context.browser()!.newBrowserCDPSession();
  let id = 0;
  const answers = new Map<number, (message: { error?: { message: string } }) => void>();
  session.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; error?: { message: string } };
    if (message.id !== undefined) answers.get(message.id)?.(message);
  });
  const throttled = new Set<string>();
  const attach = async (targetId: string) => {
    if (throttled.has(targetId)) return;
    throttled.add(targetId);
    // Not flattened: Playwright's CDPSession sends no sessionId, so messages go through this session.
    const { sessionId } = await session.send('Target.attachToTarget', { targetId, flatten: false });
    const send = (method: string, params: object = {}) =>
      new Promise<void>((resolve, reject) => {
        const n = ++id;
        answers.set(n, (message) => (message.error ? reject(new Error(message.error.message)) : resolve()));
        void session.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id: n, method, params }),
        });
      });
    await send('Network.enable');
    await send('Network.emulateNetworkConditions', conditions);
    applied++;
  };
  let applied = 0;
  session.on('Target.targetCreated', ({ targetInfo }) => {
    if (targetInfo.type === 'service_worker') void attach(targetInfo.targetId);
  });
  await session.send('Target.setDiscoverTargets', { discover: true });
  for (const target of (await session.send('Target.getTargets')).targetInfos) {
    if (target.type === 'service_worker') await attach(target.targetId);
  }
  return { applied: () => applied };
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
  let reviewItem: Listing;
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
    // Nor do the admin pages: they are not installed and do not work offline.
    for (const path of ['/quan-tri/', '/quan-tri/chuong-trinh/']) {
      await store.goto(`${exchange.url}${path}`);
      expect(await store.locator('link[rel=manifest]').count(), path).toBe(0);
      expect(await store.locator('link[rel=apple-touch-icon]').count(), path).toBe(0);
      expect(await store.evaluate(() => navigator.serviceWorker.controller), path).toBeNull();
      expect(
        await store.evaluate(async () => Boolean(await navigator.serviceWorker.getRegistration())),
        path,
      ).toBe(false);
    }
    await store.close();

    const mine = await myListings();
    const published = mine.filter((l) => l.status === 'published' && l.packs[0]!.stock > 3);
    stockItem = published[0]!;
    priceItem = published[1]!;
    reviewItem = published[2]!;
    expect(reviewItem).toBeDefined();
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

  it('Background Sync: the worker sends the queue with no seller page open; a price of a listing in review waits', async () => {
    // The third listing goes to review: its description changed (the cooperative or the admin reviews it).
    await api(`/api/seller/products/${reviewItem.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ description: { vi: 'Chè sao tay, nước xanh, vị chát dịu, hậu ngọt.' } }),
    });
    expect((await listing(reviewItem.id)).status).toBe('in_review');
    const stockBefore = (await listing(stockItem.id)).packs[0]!.stock;
    const oldPrice = reviewItem.packs[0]!.price;
    const newPrice = oldPrice + 5_000;

    let context = await openBrowser();
    let page = context.pages()[0] ?? (await context.newPage());
    await openProducts(page);
    await context.setOffline(true);
    await queueStock(page, stockItem.id, 3, 'Gửi bằng Background Sync', 1);
    await card(page, reviewItem.id).locator('[name="packs.0.price"]').fill(String(newPrice));
    await card(page, reviewItem.id).getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => waitingText(page)).toContain('2 thay đổi đang chờ gửi');
    await context.close();

    // The connection is back; no seller page is open (the storefront runs no queue code), so only
    // the worker's `sync` handler can send what waits.
    context = await openBrowser();
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${exchange.url}/`);
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    expect(await queueOnPhone(page)).toHaveLength(2);
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(stockBefore);
    const worker = await sellerWorker(page);
    const synced = Date.now();
    await fireBackgroundSync(worker);
    await expect
      .poll(async () => (await listing(stockItem.id)).packs[0]!.stock, { timeout: 30_000 })
      .toBe(stockBefore + 3);
    // The price waits on the phone, in words; the exchange still has the old price.
    await expect
      .poll(() => queueOnPhone(page), { timeout: 30_000 })
      .toEqual([
        expect.objectContaining({
          kind: 'price',
          state: 'waiting',
          note: expect.stringContaining('chờ duyệt'),
        }),
      ]);
    console.log(
      `[seller-offline] Background Sync (worker, no page open): stock change sent in ${Date.now() - synced} ms`,
    );
    expect((await listing(reviewItem.id)).packs[0]!.price).toBe(oldPrice);
    // A second sync event changes nothing (the stock change went once; the price still waits).
    await fireBackgroundSync(worker);
    await expect.poll(() => queueOnPhone(page)).toEqual([expect.objectContaining({ state: 'waiting' })]);
    const history = await api<{ items: { reason: string }[] }>(
      `/api/seller/products/${stockItem.id}/stock?limit=100`,
    );
    expect(history.items.filter((h) => h.reason === 'Gửi bằng Background Sync')).toHaveLength(1);
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(stockBefore + 3);

    // The household sees why in the seller center.
    const seller = await context.newPage();
    await openProducts(seller);
    await seller.locator('#offline-details summary').click();
    const waitingRow = seller.locator('#offline-list [data-kind=price][data-state=waiting]');
    await expect
      .poll(() => waitingRow.innerText())
      .toContain('Sản phẩm đang chờ duyệt: giá mới sẽ được gửi khi duyệt xong');
    await seller.close();
    expect((await listing(reviewItem.id)).packs[0]!.price).toBe(oldPrice);

    // The admin approves the listing; the next sync sends the price, once.
    const admin = await apiSignIn('0900000001');
    const decided = await fetch(`${exchange.url}/api/seller/products/${reviewItem.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(decided.status, await decided.clone().text()).toBe(200);
    await fireBackgroundSync(worker);
    await expect
      .poll(async () => (await listing(reviewItem.id)).packs[0]!.price, { timeout: 30_000 })
      .toBe(newPrice);
    await expect.poll(() => queueOnPhone(page), { timeout: 30_000 }).toEqual([]);
    await fireBackgroundSync(worker);
    const me = await api<{ producer: { id: string } }>('/api/me');
    const audit = await api<{ items: { action: string; subject: { id: string } }[] }>(
      `/api/producers/${me.producer.id}/audit?limit=100`,
    );
    // The description that sent it to review, and the price: each once.
    expect(
      audit.items.filter((e) => e.action === 'product.updated' && e.subject.id === reviewItem.id),
    ).toHaveLength(2);
    expect(await listing(reviewItem.id)).toMatchObject({ status: 'published' });
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
    // Closed offline, reopened on a slow connection: the queue goes on open. The throttle is
    // applied to the page and to its service worker (started first, so that the page's own
    // navigation through it is slow too).
    await context.close();
    const slow = await openBrowser();
    const next = slow.pages()[0] ?? (await slow.newPage());
    const cdp = await slow.newCDPSession(next);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    const workers = await throttleServiceWorkers(slow, FAST_3G);
    await next.goto(`${exchange.url}/`); // the storefront: no worker, no queue code
    const { cdp: sw } = await sellerWorker(next);
    await sw.send('ServiceWorker.startWorker', { scopeURL: `${exchange.url}/ban-hang/` });
    await expect.poll(() => workers.applied(), { timeout: 30_000 }).toBeGreaterThan(0);
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
    console.log(
      `[seller-offline] 20 queued changes sent on Fast 3G (page and service worker throttled) in ${seconds.toFixed(1)} s`,
    );
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(before + 20);
    // The worker's own requests are slow too: a read it answers (network first) pays the round
    // trip, which the page's throttle alone would not make it do.
    const viaWorker = await next.evaluate(async (bearer) => {
      const start = performance.now();
      await fetch('/api/me', { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
      return performance.now() - start;
    }, token);
    console.log(`[seller-offline] GET /api/me through the throttled worker: ${Math.round(viaWorker)} ms`);
    expect(viaWorker).toBeGreaterThan(FAST_3G.latency * 0.9);

    // The same 20 changes by Background Sync: queued offline, closed, and sent by the worker alone
    // (no seller page open) on Fast 3G.
    await next.goto(`${exchange.url}/ban-hang/san-pham/`);
    await next.waitForSelector('#product-list [data-product]', { timeout: 60_000 });
    await slow.setOffline(true);
    for (let i = 0; i < 20; i++) await queueStock(next, stockItem.id, 1, `Nhập nền lần ${i + 1}`, i + 1);
    await slow.close();
    const back = await openBrowser();
    const store = back.pages()[0] ?? (await back.newPage());
    const backWorkers = await throttleServiceWorkers(back, FAST_3G);
    await store.goto(`${exchange.url}/`);
    const worker = await sellerWorker(store);
    await worker.cdp.send('ServiceWorker.startWorker', { scopeURL: `${exchange.url}/ban-hang/` });
    await expect.poll(() => backWorkers.applied(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await queueOnPhone(store)).toHaveLength(20);
    const syncStarted = Date.now();
    await fireBackgroundSync(worker);
    await expect
      .poll(async () => (await queueOnPhone(store)).length, { timeout: 240_000, interval: 500 })
      .toBe(0);
    const syncSeconds = (Date.now() - syncStarted) / 1000;
    console.log(
      `[seller-offline] 20 queued changes sent by Background Sync (worker alone) on Fast 3G in ${syncSeconds.toFixed(1)} s`,
    );
    expect((await listing(stockItem.id)).packs[0]!.stock).toBe(before + 40);
    await back.close();
  }, 400_000);
});
