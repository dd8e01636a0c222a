/**
 * The cooperative's order board end to end in Chromium at a 360×740 phone viewport: shoppers
 * place two COD orders of HTX Chè Tân Cương Xanh's products (one of them a member household's),
 * one paid through the VNPay emulator and one VietQR order still waiting for the transfer; the
 * manager signs in and sees how each is paid, confirms, packs, ships (carrier + tracking number,
 * cleaned of spaces and dots) and delivers (cash collected) on a page that stays where it was,
 * prints the packing list of every order waiting with its address, downloads the settlement CSVs
 * (the Excel one separated by semicolons) and sees the weekly sales; every board screen is in
 * Vietnamese only and passes axe-core; the shopper's tracking shows every step, the dev inbox
 * every notice; the household sees its own lines.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putShippingRules } from '../../shared/db/orders.ts';
import { formatVnd } from '../../shared/domain/money.ts';
import { DEFAULT_SHIPPING_RULES } from '../../shared/orders/shipping.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const MANAGER_PHONE = '0912 000 101';
const COOPERATIVE_ID = 'htx-tan-cuong-xanh';
const HOUSEHOLD_PHONE = '0987 000 201';
const SHOPPER = { name: 'Phạm Thu Trang', phone: '0977 246 810' };
const SHOPPER_E164 = '+84977246810';
/** Another buyer, paying online. */
const ONLINE_SHOPPER = { name: 'Lê Minh Châu', phone: '0977 246 811' };
/** As a manager copies it from a Viettel Post slip, and as it is saved. */
const TRACKING_TYPED = 'vtp 1234 5678.9';
const TRACKING = 'VTP123456789';
const CARRIER = 'Giao Hàng Nhanh (GHN)';
const WAIT = { timeout: 15_000, interval: 200 };

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
interface Placed {
  code: string;
  total: number;
}

let exchange: RunningExchange;
let browser: Browser;
let household: Pick;
let coopOwn: Pick;
/** [0] and [1]: COD, confirmed by the buyer's code; [2]: VNPay, paid; [3]: VietQR, not paid yet. */
const orders: Placed[] = [];
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

interface PlaceAnswer {
  order: { code: string; status: string; total: number };
  confirmation?: object;
  payment: { next_action: { type: string; redirect_to_url?: { url: string } } | null };
}

async function post(
  lines: { variantId: string; quantity: number }[],
  paymentMethod: 'cod' | 'vnpay' | 'vietqr',
  contact = SHOPPER,
): Promise<PlaceAnswer> {
  const response = await fetch(`${exchange.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${randomUUID()}` },
    body: JSON.stringify({
      lines,
      contact,
      delivery: {
        method: 'shipping',
        address: { provinceCode: '19', wardCode: '05503', street: 'Số 8 đường Tân Cương' },
      },
      paymentMethod,
    }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as PlaceAnswer;
  expect(body.order.status).toBe('pending_payment');
  return body;
}

async function placeOrder(lines: { variantId: string; quantity: number }[]): Promise<Placed> {
  const body = await post(lines, 'cod');
  const code = body.order.code;
  // COD waits for the buyer's code (SMS, the dev inbox here) before the cooperative sees it to pack.
  expect(body.confirmation).toBeDefined();
  const sms = (await inbox()).find((m) => m.text.includes(`Mã xác nhận đơn ${code}`))!;
  const confirmed = await fetch(`${exchange.url}/api/orders/${code}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: SHOPPER.phone, code: /: (\d{6})\./.exec(sms.text)![1] }),
  });
  expect(((await confirmed.json()) as { status: string }).status).toBe('placed');
  return { code, total: body.order.total };
}

/** A VNPay order the buyer pays on the emulator's page; placed once the IPN arrived. */
async function placePaidVnpayOrder(lines: { variantId: string; quantity: number }[]): Promise<Placed> {
  const body = await post(lines, 'vnpay', ONLINE_SHOPPER);
  const context = await phoneContext();
  const page = await context.newPage();
  await page.goto(body.payment.next_action!.redirect_to_url!.url);
  await page.getByRole('button', { name: /Thanh toán thành công/ }).click();
  await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
  await context.close();
  const status = async () =>
    (
      (await (
        await fetch(
          `${exchange.url}/api/orders/${body.order.code}?phone=${encodeURIComponent(ONLINE_SHOPPER.phone)}`,
        )
      ).json()) as { status: string }
    ).status;
  // Before the tests run (expect.poll is for tests): the IPN moves the order within seconds.
  for (let i = 0; (await status()) !== 'placed'; i++) {
    if (i >= 80) throw new Error(`${body.order.code} was never placed by VNPay's IPN`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { code: body.order.code, total: body.order.total };
}

/** True when the element is wholly on screen (what Playwright's toBeInViewport checks). */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
}

/** The element that has focus: its name, or its id. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.getAttribute('name') ?? el?.id ?? '';
  });

beforeAll(async () => {
  process.env.VNPAY_IPN_RETRY_MS = '200';
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  // This day is the manual carrier's (the tracking number typed from the slip). The demo's
  // cooperative ships with GHN, whose journey is tests/e2e/carrier-shipment.test.ts.
  await putShippingRules(COOPERATIVE_ID, DEFAULT_SHIPPING_RULES, 'test', new Date().toISOString());
  const catalog = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
    items: CatalogItem[];
  };
  household = pick(catalog.items, 'ho-nguyen-van-thanh');
  coopOwn = pick(catalog.items, 'htx-che-tan-cuong-xanh');
  orders.push(
    await placeOrder([
      { variantId: household.variantId, quantity: 2 },
      { variantId: coopOwn.variantId, quantity: 1 },
    ]),
  );
  orders.push(await placeOrder([{ variantId: household.variantId, quantity: 3 }]));
  orders.push(await placePaidVnpayOrder([{ variantId: household.variantId, quantity: 1 }]));
  const vietqr = await post([{ variantId: coopOwn.variantId, quantity: 1 }], 'vietqr', ONLINE_SHOPPER);
  orders.push({ code: vietqr.order.code, total: vietqr.order.total });
  codes.push(...orders.map((o) => o.code));
});

afterAll(async () => {
  delete process.env.VNPAY_IPN_RETRY_MS;
  await browser?.close();
  await exchange?.stop();
});

describe('a cooperative manager runs the day’s orders on a phone', () => {
  let context: BrowserContext;
  let page: Page;

  it('signs in and sees every order, newest first, each saying how it is paid and whether it is paid', async () => {
    context = await phoneContext();
    page = await context.newPage();
    await signIn(page, MANAGER_PHONE);
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/`);
    await page.waitForSelector(`#order-list [data-code="${codes[3]}"]`);
    const shown = await page
      .locator('#order-list [data-code]')
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.code));
    expect(shown.indexOf(codes[1])).toBeLessThan(shown.indexOf(codes[0]));
    const card = (i: number) => page.locator(`[data-code="${codes[i]}"]`).innerText();
    expect(await card(0)).toContain('Đơn mới');
    expect(await card(0)).toContain(`COD — thu ${formatVnd(orders[0]!.total)}`);
    expect(await card(2)).toContain('Đã thanh toán VNPay');
    expect(await card(3)).toContain('Chờ chuyển khoản');
    expect(await card(3)).toContain('Chờ người mua');
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
    expect(await page.locator('#detail-payment').innerText()).toContain(
      `COD — thu ${formatVnd(orders[0]!.total)}`,
    );
    expect(detail).toContain(household.productName);
    expect(detail).toContain(coopOwn.productName);
    expect(detail).toContain(formatVnd(household.price * 2 + coopOwn.price));
  });

  it('shows the API’s refusal in place when the order moved on in another tab', async () => {
    const other = await context.newPage();
    await other.goto(page.url());
    await other.waitForSelector('[data-action="confirmed"]');
    await page.click('[data-action="confirmed"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã xác nhận');
    expect(await page.locator('#detail-done').innerText()).toContain('Đã xác nhận đơn');
    await other.click('[data-action="confirmed"]');
    const summary = other.locator('form[data-to="confirmed"] .form-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/confirmed|xác nhận|chuyển/i);
    await other.close();
  });

  it('stays where it was after each step, with the next step in view and focus on what to fill next', async () => {
    // The manager scrolled down to the step: the page must not jump back to the top.
    await page.locator('[data-action="packed"]').scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(0);
    const top = await page.locator('#next-step').evaluate((el) => el.getBoundingClientRect().top);
    await page.click('[data-action="packed"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã đóng gói');
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await inViewport(page, '#detail-done')).toBe(true);
    expect(await page.locator('#detail-done').innerText()).toContain('Đã ghi nhận đóng gói');
    expect(await inViewport(page, '[data-action="shipped"]')).toBe(true);
    // The next step took the place of the one done (within a line or two).
    const after = await page.locator('#next-step').evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(after - top)).toBeLessThan(120);
    // Nothing filled in yet on this phone: the carrier is next.
    expect(await focused(page)).toBe('carrier');
    expect(await page.locator('#detail-live').innerText()).toContain('Đã ghi nhận đóng gói');
  });

  it('ships with a tracking number cleaned of spaces and dots, shown back as saved, and delivers with the cash', async () => {
    // Shipping needs both fields: the form says so beside them.
    await page.click('[data-action="shipped"]');
    await page.locator('form[data-to="shipped"] .field-error:not([hidden])').first().waitFor();
    await page.fill('form[data-to="shipped"] input[name="carrier"]', CARRIER);
    const tracking = page.locator('form[data-to="shipped"] input[name="trackingNumber"]');
    await tracking.fill(TRACKING_TYPED);
    await tracking.press('Tab');
    expect(await tracking.inputValue()).toBe(TRACKING);
    await page.click('[data-action="shipped"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đang giao');
    expect(await page.locator('#detail-tracking').innerText()).toBe(TRACKING);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await inViewport(page, '[data-action="delivered"]')).toBe(true);

    // COD: the cash must be ticked first.
    await page.click('[data-action="delivered"]');
    await page.locator('form[data-to="delivered"] .field-error:not([hidden])').first().waitFor();
    const cash = await page.locator('form[data-to="delivered"] label.choice').innerText();
    expect(cash.trim()).toBe(`Đã thu tiền mặt ${formatVnd(orders[0]!.total)}`);
    await page.check('form[data-to="delivered"] input[name="cashCollected"]');
    await page.click('[data-action="delivered"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã giao');
    expect(await page.locator('#detail-payment').innerText()).toContain(
      `COD — đã thu ${formatVnd(orders[0]!.total)}`,
    );
    expect(await inViewport(page, '[data-action="completed"]')).toBe(true);
    const steps = await page.locator('#detail-steps > li strong').allInnerTexts();
    // The COD order waited for the buyer's code first (placeOrder above confirms it).
    expect(steps).toEqual(['Chờ người mua', 'Đơn mới', 'Đã xác nhận', 'Đã đóng gói', 'Đang giao', 'Đã giao']);
    const who = await page.locator('#detail-steps > li .who').allInnerTexts();
    expect(who.slice(0, 2)).toEqual(['Người mua', 'Người mua']);
    expect(who.slice(2)).toEqual(Array(4).fill('Quản lý HTX'));
    expect(await page.locator('#detail-steps time').count()).toBe(6);
    expect(await page.locator('[data-action="completed"]').count()).toBe(1);
  });

  it('takes a paid VNPay order from new to shipped in five taps, the payment credited to the system', async () => {
    let taps = 0;
    const tap = async (selector: string) => {
      taps += 1;
      await page.click(selector);
    };
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/`);
    await page.waitForSelector(`#order-list [data-code="${codes[2]}"]`);
    await tap(`[data-code="${codes[2]}"] h3 a`);
    await page.waitForSelector('#detail-title');
    expect(await page.locator('#detail-payment').innerText()).toContain('Đã thanh toán VNPay');
    const who = await page.locator('#detail-steps > li .who').allInnerTexts();
    // Placed by the buyer, paid through VNPay: neither is the manager's doing.
    expect(who).toEqual(['Người mua', 'Hệ thống (thanh toán trực tuyến)']);
    await tap('[data-action="confirmed"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã xác nhận');
    await tap('[data-action="packed"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã đóng gói');
    // The carrier of the last parcel is filled in; the tracking number has the focus: type it.
    expect(await page.inputValue('form[data-to="shipped"] input[name="carrier"]')).toBe(CARRIER);
    expect(await focused(page)).toBe('trackingNumber');
    await page.keyboard.type('S12345678.BO');
    await tap('[data-action="shipped"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đang giao');
    expect(await page.locator('#detail-tracking').innerText()).toBe('S12345678BO');
    expect(await page.locator('#detail-payment').innerText()).toContain('Đã thanh toán VNPay');
    await tap('#back-link');
    await page.waitForSelector(`#order-list [data-code="${codes[2]}"]`);
    expect(taps).toBe(5);
  });

  it('filters the list by status, in the address', async () => {
    await page.waitForSelector('#filter-form');
    await page.selectOption('#filter-status', 'delivered');
    await page.click('#filter-form button[type=submit]');
    await page.waitForURL(/trang-thai=delivered/);
    await page.waitForSelector(`#order-list [data-code="${codes[0]}"]`);
    expect(await page.locator(`#order-list [data-code="${codes[1]}"]`).count()).toBe(0);
    await page.selectOption('#filter-status', 'cancelled');
    await page.click('#filter-form button[type=submit]');
    await page.waitForURL(/trang-thai=cancelled/);
    await expect
      .poll(() => page.locator('#list-status').innerText(), WAIT)
      .toContain('Không có đơn nào khớp');
  });

  it('prints every order waiting to be packed, whatever its day, with the address it goes to', async () => {
    // Two days later (on this phone's clock; signed in then): the order placed today is still
    // waiting, and still on the list.
    const laterContext = await phoneContext();
    const later = await laterContext.newPage();
    await later.clock.setFixedTime(new Date(Date.now() + 2 * 86_400_000));
    await signIn(later, MANAGER_PHONE);
    await later.goto(`${exchange.url}/hop-tac-xa/don-hang/phieu-soan-hang/`);
    await expect.poll(() => later.locator('#packing-status').innerText(), WAIT).toContain('1 đơn, 3 gói');
    expect(await later.locator('#packing-date').innerText()).toBe('mọi đơn chờ đóng gói');
    const body = await later.locator('#packing-body').innerText();
    expect(body).toContain(household.productName);
    expect(body).toContain('Hộ Nguyễn Văn Thành — 3 gói');
    expect(body).not.toContain(codes[0]);
    expect(body).not.toContain(codes[2]); // shipped
    expect(body).not.toContain(coopOwn.productName);
    const slip = await later.locator(`#packing-orders [data-code="${codes[1]}"]`).innerText();
    expect(slip).toContain(SHOPPER.name);
    expect(slip).toContain('0977 246 810');
    expect(slip).toContain('Số 8 đường Tân Cương, Xã Tân Cương, Tỉnh Thái Nguyên');
    expect(slip).toContain(`${household.productName} — ${household.pack} × 3`);
    await later.emulateMedia({ media: 'print' });
    expect(await later.locator('.seller-nav').isVisible()).toBe(false);
    expect(await later.locator('#packing-orders').isVisible()).toBe(true);
    await later.emulateMedia({ media: 'screen' });

    // One day only (that later day): nothing placed then.
    await later.check('#packing-one-day');
    await later.click('#packing-form button[type=submit]');
    await later.waitForURL(/ngay=\d{4}-\d{2}-\d{2}/);
    await expect
      .poll(() => later.locator('#packing-status').innerText(), WAIT)
      .toContain('Không có đơn nào cần soạn ngày');
    await laterContext.close();
  });

  it('downloads the settlement as an Excel CSV (semicolons) and a comma CSV; only households count as hộ', async () => {
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/doi-soat/`);
    await page.waitForSelector('#settle-csv-excel:not([hidden])');
    const owed = household.price * 2;
    expect(await page.locator(`[data-producer="ho-nguyen-van-thanh"]`).innerText()).toContain(
      owed.toLocaleString('vi-VN'),
    );
    // The household and the cooperative's own tea: one hộ, not two.
    expect(await page.locator('#settle-status').innerText()).toMatch(/^1 hộ và hàng của HTX, tổng /);
    expect(await page.locator('[data-kind="cooperative"] h3').innerText()).toContain('hàng của HTX');

    const [excel] = await Promise.all([page.waitForEvent('download'), page.click('#settle-csv-excel')]);
    expect(excel.suggestedFilename()).toMatch(/^doi-soat-.+-excel\.csv$/);
    const forExcel = readFileSync((await excel.path())!, 'utf8');
    expect(forExcel.charCodeAt(0)).toBe(0xfeff);
    const cells = forExcel
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .map((r) => r.split(';'));
    expect(cells[0]).toHaveLength(12);
    expect(cells[0]![11]).toBe('HTX trả hộ (đồng)');
    const own = cells.find((r) => r[2] === 'ho-nguyen-van-thanh' && r[4] === 'Tổng của hộ')!;
    expect(own.slice(-6)).toEqual(['2', String(owed), String(owed), '0', '0', String(owed)]);

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

  it('speaks only Vietnamese on every board screen, and axe-core finds no violation at 360 px', async () => {
    const screens: [string, string][] = [
      ['/hop-tac-xa/', '#sales-chart svg'],
      ['/hop-tac-xa/don-hang/', `#order-list [data-code="${codes[0]}"]`],
      [`/hop-tac-xa/don-hang/?ma=${codes[2]}`, '#detail-title'],
      [`/hop-tac-xa/don-hang/?ma=${codes[1]}`, '[data-action="confirmed"]'],
      ['/hop-tac-xa/don-hang/phieu-soan-hang/', '#packing-orders'],
      ['/hop-tac-xa/don-hang/doi-soat/', '#settle-csv-excel:not([hidden])'],
    ];
    const found: string[] = [];
    for (const [path, ready] of screens) {
      await page.goto(`${exchange.url}${path}`);
      await page.waitForSelector(ready);
      await page.waitForLoadState('networkidle');
      const main = page.locator('.seller-main');
      expect(await main.locator('[lang="en"]:visible, .en:visible').count(), path).toBe(0);
      // No "vi / en" halves left: a slash between words is followed by a Vietnamese word, if any.
      expect(await main.innerText(), path).not.toMatch(/ \/ [A-Z][a-z]+ [a-z]/);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations)
        found.push(`${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
    }
    expect(found).toEqual([]);
  }, 180_000);
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
    expect(order.subOrders[0]).toMatchObject({ trackingNumber: TRACKING, carrier: CARRIER });
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
