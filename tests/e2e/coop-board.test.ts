/**
 * The cooperative's order board end to end in Chromium at a 360×740 phone viewport: a shopper
 * places two COD orders of HTX Chè Tân Cương Xanh's products (one of them a member household's);
 * the manager signs in, confirms, packs, ships (carrier + tracking number) and delivers (cash
 * collected) one of them on the board, prints the packing list of the other, downloads the
 * settlement CSV with the household's amounts and sees the weekly sales; the shopper's tracking
 * shows every step, the dev inbox every notice; the household sees its own lines.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVnd } from '../../shared/domain/money.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const MANAGER_PHONE = '0912 000 101';
const HOUSEHOLD_PHONE = '0987 000 201';
const SHOPPER = { name: 'Phạm Thu Trang', phone: '0977 246 810' };
const SHOPPER_E164 = '+84977246810';
const TRACKING = 'GHN-TN2468';

interface CatalogItem {
  name: { vi: string };
  producer: { slug: string; name: string };
  variants: { id: string; label: string; price: number; stock: number }[];
}
interface Pick {
  variantId: string;
  productName: string;
  pack: string;
  price: number;
}

let exchange: RunningExchange;
let browser: Browser;
let household: Pick;
let coopOwn: Pick;
const codes: string[] = [];

const e164 = (phone: string) => `+84${phone.replace(/\D/g, '').slice(1)}`;

async function inbox(): Promise<{ to: string; kind: string; text: string }[]> {
  return (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
}

async function latestCode(phone: string): Promise<string> {
  const message = (await inbox()).find((m) => m.to === e164(phone) && m.kind === 'sign_in_code');
  return /(\d{6})/.exec(message!.text)![1]!;
}

async function phoneContext(): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
    acceptDownloads: true,
  });
}

async function signIn(page: Page, phone: string): Promise<void> {
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', phone);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  await expect.poll(() => latestCode(phone).catch(() => null)).toBeTruthy();
  await page.fill('#signin-code', await latestCode(phone));
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#signed-in:not([hidden])');
}

function pick(items: CatalogItem[], producerSlug: string): Pick {
  const item = items.find((i) => i.producer.slug === producerSlug && i.variants.some((v) => v.stock >= 5))!;
  const variant = item.variants.find((v) => v.stock >= 5)!;
  return { variantId: variant.id, productName: item.name.vi, pack: variant.label, price: variant.price };
}

async function placeOrder(lines: { variantId: string; quantity: number }[]): Promise<string> {
  const response = await fetch(`${exchange.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${randomUUID()}` },
    body: JSON.stringify({
      lines,
      contact: SHOPPER,
      delivery: {
        method: 'shipping',
        address: { provinceCode: '19', wardCode: '05503', street: 'Số 8 đường Tân Cương' },
      },
      paymentMethod: 'cod',
    }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { order: { code: string; status: string }; confirmation?: object };
  const code = body.order.code;
  // COD waits for the buyer's code (SMS, the dev inbox here) before the cooperative sees it to pack.
  expect(body.order.status).toBe('pending_payment');
  expect(body.confirmation).toBeDefined();
  const sms = (await inbox()).find((m) => m.text.includes(`Mã xác nhận đơn ${code}`))!;
  const confirmed = await fetch(`${exchange.url}/api/orders/${code}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: SHOPPER.phone, code: /: (\d{6})\./.exec(sms.text)![1] }),
  });
  expect(((await confirmed.json()) as { status: string }).status).toBe('placed');
  return code;
}

beforeAll(async () => {
  exchange = await startSiteExchange();
  browser = await launchChromium();
  const catalog = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
    items: CatalogItem[];
  };
  household = pick(catalog.items, 'ho-nguyen-van-thanh');
  coopOwn = pick(catalog.items, 'htx-che-tan-cuong-xanh');
  codes.push(
    await placeOrder([
      { variantId: household.variantId, quantity: 2 },
      { variantId: coopOwn.variantId, quantity: 1 },
    ]),
  );
  codes.push(await placeOrder([{ variantId: household.variantId, quantity: 3 }]));
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

describe('a cooperative manager runs the day’s orders on a phone', () => {
  let context: BrowserContext;
  let page: Page;

  it('signs in and sees both new orders on the board, newest first', async () => {
    context = await phoneContext();
    page = await context.newPage();
    await signIn(page, MANAGER_PHONE);
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/`);
    await page.waitForSelector(`#order-list [data-code="${codes[1]}"]`);
    const shown = await page
      .locator('#order-list [data-code]')
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.code));
    expect(shown.indexOf(codes[1])).toBeLessThan(shown.indexOf(codes[0]));
    expect(await page.locator(`[data-code="${codes[0]}"]`).innerText()).toContain('Đơn mới');
    // The layout holds at 360 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('opens an order: contact, address with commune and province names, payment, lines', async () => {
    await page.click(`[data-code="${codes[0]}"] h3 a`);
    await page.waitForSelector('#detail-title');
    const detail = await page.locator('#detail').innerText();
    expect(detail).toContain(SHOPPER.name);
    expect(detail).toContain('0977 246 810');
    expect(detail).toContain('Xã Tân Cương');
    expect(detail).toContain('Tỉnh Thái Nguyên');
    expect(detail).toContain('Thanh toán khi nhận hàng (COD)');
    expect(detail).toContain(household.productName);
    expect(detail).toContain(coopOwn.productName);
    expect(detail).toContain(formatVnd(household.price * 2 + coopOwn.price));
  });

  it('shows the API’s refusal in place when the order moved on in another tab', async () => {
    const other = await context.newPage();
    await other.goto(page.url());
    await other.waitForSelector('[data-action="confirmed"]');
    await page.click('[data-action="confirmed"]');
    await expect.poll(() => page.locator('#detail-title').innerText()).toContain('Đã xác nhận');
    expect(await page.locator('#detail-done').innerText()).toContain('Đã xác nhận đơn');
    await other.click('[data-action="confirmed"]');
    const summary = other.locator('form[data-to="confirmed"] .form-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/confirmed|xác nhận|chuyển/i);
    await other.close();
  });

  it('packs, ships with a carrier and tracking number, and delivers with the cash collected', async () => {
    await page.click('[data-action="packed"]');
    await expect.poll(() => page.locator('#detail-title').innerText()).toContain('Đã đóng gói');

    // Shipping needs both fields: the form says so beside them.
    await page.click('[data-action="shipped"]');
    await page.locator('form[data-to="shipped"] .field-error:not([hidden])').first().waitFor();
    await page.fill('form[data-to="shipped"] input[name="carrier"]', 'Giao Hàng Nhanh (GHN)');
    await page.fill('form[data-to="shipped"] input[name="trackingNumber"]', TRACKING);
    await page.click('[data-action="shipped"]');
    await expect.poll(() => page.locator('#detail-title').innerText()).toContain('Đang giao');
    expect(await page.locator('#detail').innerText()).toContain(TRACKING);

    // COD: the cash must be ticked first.
    await page.click('[data-action="delivered"]');
    await page.locator('form[data-to="delivered"] .field-error:not([hidden])').first().waitFor();
    await page.check('form[data-to="delivered"] input[name="cashCollected"]');
    await page.click('[data-action="delivered"]');
    await expect.poll(() => page.locator('#detail-title').innerText()).toContain('Đã giao');
    const steps = await page.locator('#detail-steps > li strong').allInnerTexts();
    // The COD order waited for the buyer's code first (placeOrder above confirms it).
    expect(steps).toEqual(['Chờ người mua', 'Đơn mới', 'Đã xác nhận', 'Đã đóng gói', 'Đang giao', 'Đã giao']);
    expect(await page.locator('#detail-steps time').count()).toBe(6);
    expect(await page.locator('[data-action="completed"]').count()).toBe(1);
  });

  it('filters the list by status, in the address', async () => {
    await page.click('#back-link');
    await page.waitForSelector('#filter-form');
    await page.selectOption('#filter-status', 'delivered');
    await page.click('#filter-form button[type=submit]');
    await page.waitForURL(/trang-thai=delivered/);
    await page.waitForSelector(`#order-list [data-code="${codes[0]}"]`);
    expect(await page.locator(`#order-list [data-code="${codes[1]}"]`).count()).toBe(0);
    await page.selectOption('#filter-status', 'cancelled');
    await page.click('#filter-form button[type=submit]');
    await page.waitForURL(/trang-thai=cancelled/);
    await expect.poll(() => page.locator('#list-status').innerText()).toContain('Không có đơn nào khớp');
  });

  it('prints the day’s packing list with the products still to pack, by product and by household', async () => {
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/phieu-soan-hang/`);
    await expect.poll(() => page.locator('#packing-status').innerText()).toContain('1 đơn, 3 gói');
    const body = await page.locator('#packing-body').innerText();
    expect(body).toContain(household.productName);
    expect(body).toContain('Hộ Nguyễn Văn Thành — 3 gói');
    expect(body).toContain(codes[1]);
    expect(body).not.toContain(codes[0]);
    expect(body).not.toContain(coopOwn.productName);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.seller-nav').isVisible()).toBe(false);
    expect(await page.locator('#packing-body').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('downloads the settlement CSV with the household’s amounts', async () => {
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/doi-soat/`);
    await page.waitForSelector('#settle-csv:not([hidden])');
    const owed = household.price * 2;
    expect(await page.locator(`[data-producer="ho-nguyen-van-thanh"]`).innerText()).toContain(
      owed.toLocaleString('vi-VN'),
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#settle-csv')]);
    expect(download.suggestedFilename()).toMatch(/^doi-soat-.+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows[0]).toContain('HTX trả hộ (đồng)');
    const total = rows.find((r) => r.includes('ho-nguyen-van-thanh') && r.includes('Tổng của hộ'))!;
    // quantity, amount, cash collected, paid online, commission, owed
    expect(total.split(',').slice(-6)).toEqual(['2', String(owed), String(owed), '0', '0', String(owed)]);
    expect(rows.some((r) => r.includes('htx-tan-cuong-xanh') && r.endsWith(`,1,${coopOwn.price}`))).toBe(
      true,
    );
  });

  it('draws the weekly sales on the cooperative dashboard, with a table', async () => {
    await page.goto(`${exchange.url}/hop-tac-xa/`);
    await page.waitForSelector('#sales-chart svg[role="img"]');
    const revenue = formatVnd(household.price * 2 + coopOwn.price);
    expect(await page.locator('#sales-summary').innerText()).toContain(revenue);
    expect(await page.locator('#sales-chart rect').count()).toBe(8);
    expect(await page.locator('#sales-chart table tbody tr').count()).toBe(8);
  });
});

describe('the shopper and the household see the same order', () => {
  it('tracks every step by code and phone', async () => {
    const response = await fetch(
      `${exchange.url}/api/orders/${codes[0]}?phone=${encodeURIComponent(SHOPPER.phone)}`,
    );
    expect(response.status).toBe(200);
    const order = (await response.json()) as {
      status: string;
      subOrders: { history: { status: string }[]; carrier: string; trackingNumber: string }[];
    };
    expect(order.status).toBe('delivered');
    expect(order.subOrders[0]!.history.map((s) => s.status)).toEqual([
      'pending_payment',
      'placed',
      'confirmed',
      'packed',
      'shipped',
      'delivered',
    ]);
    expect(order.subOrders[0]).toMatchObject({ trackingNumber: TRACKING });
  });

  it('was told of each step in the dev inbox', async () => {
    const notices = (await inbox())
      .filter((m) => m.to === SHOPPER_E164 && m.text.includes(codes[0]!))
      .map((m) => m.text);
    expect(notices.some((t) => t.includes('đã được đặt'))).toBe(true);
    expect(notices.some((t) => t.includes('đã xác nhận'))).toBe(true);
    expect(notices.some((t) => t.includes('đã đóng gói'))).toBe(true);
    expect(notices.some((t) => t.includes(TRACKING))).toBe(true);
    expect(notices.some((t) => t.includes('đã giao thành công'))).toBe(true);
  });

  it('shows the household its own lines of both orders, not the cooperative’s', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await signIn(page, HOUSEHOLD_PHONE);
    await page.goto(`${exchange.url}/ban-hang/don-hang/`);
    await page.waitForSelector('#lines-list li');
    const text = await page.locator('#lines-list').innerText();
    expect(text).toContain(codes[0]);
    expect(text).toContain(codes[1]);
    expect(text).toContain(household.productName);
    expect(text).not.toContain(coopOwn.productName);
    expect(text).toContain('Đã giao');
    await context.close();
  });
});
