/**
 * A parcel with GHN end to end in Chromium at 360×740, on the whole local exchange (`npm start`'s
 * runtime with the GHN emulator): the shopper's checkout shows GHN's fee and estimated delivery
 * for a pack of HTX Chè Tân Cương Xanh (which ships with GHN) before "Đặt hàng", and the COD
 * order is confirmed with the code from the SMS; the manager packs it and taps "Giao cho vận chuyển" on the board; the
 * emulator's page picks it up and delivers it (its webhooks move the order); the shopper's
 * tracking shows the carrier's events and "Đã giao hàng"; the manager imports the emulator's COD
 * statement and the order shows settled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_GHN_SHOP_ID } from '../../infra/local/carrier-emulators/index.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const MANAGER_PHONE = '0912 000 101';
const COOPERATIVE = 'htx-che-tan-cuong-xanh';
const SHOPPER = { name: 'Đỗ Thị Mai', phone: '0977 135 791' };
const WAIT = { timeout: 20_000, interval: 250 };

let exchange: RunningExchange;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let code = '';

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

/** The order as the shopper's tracking API answers it. */
async function shopperView(): Promise<{ status: string; subOrders: { shipment?: { stage: string } }[] }> {
  const res = await fetch(`${exchange.url}/api/orders/${code}?phone=${encodeURIComponent(SHOPPER.phone)}`);
  return (await res.json()) as { status: string; subOrders: { shipment?: { stage: string } }[] };
}

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  page = await context.newPage();
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', MANAGER_PHONE);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  // Before the tests run (expect.poll is for tests): the code reaches the dev inbox at once.
  for (let i = 0; !(await latestCode(MANAGER_PHONE).catch(() => null)); i++) {
    if (i >= 40) throw new Error('no sign-in code for the manager');
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.fill('#signin-code', await latestCode(MANAGER_PHONE));
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#signed-in:not([hidden])');

  // The cooperative ships with GHN (its shipping settings, as the manager saves them).
  const saved = await page.evaluate(async (shopId) => {
    const session = JSON.parse(localStorage.getItem('tn-seller-session')!) as { token: string };
    const headers = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
    const me = (await (await fetch('/api/me', { headers })).json()) as { manages: { cooperativeId: string } };
    const path = `/api/board/${me.manages.cooperativeId}/shipping`;
    const current = (await (await fetch(path, { headers })).json()) as { rules: Record<string, unknown> };
    const res = await fetch(path, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ...current.rules, carrier: { id: 'ghn', shopId } }),
    });
    return `${res.status} ${await res.text()}`;
  }, EMULATOR_GHN_SHOP_ID);
  expect(saved).toMatch(/^200 /);
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

const vnd = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

describe('a parcel with GHN, from checkout to the shopper’s door and the COD statement', () => {
  it('checkout shows GHN’s fee and date before “Đặt hàng”; the COD order is confirmed from the SMS', async () => {
    const catalog = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
      items: { slug: string; producer: { slug: string }; variants: { id: string; stock: number }[] }[];
    };
    const item = catalog.items.find(
      (i) => i.producer.slug === COOPERATIVE && i.variants.some((v) => v.stock >= 2),
    )!;
    const variant = item.variants.find((v) => v.stock >= 2)!;
    const shopperContext = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'vi-VN',
    });
    const shop = await shopperContext.newPage();
    await shop.goto(`${exchange.url}/san-pham/${item.slug}/`);
    const form = shop.locator('form[data-add-to-cart]');
    await form.locator(`input[name=variant][value="${variant.id}"]`).check();
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').textContent(), WAIT).toContain('Đã thêm');

    await shop.goto(`${exchange.url}/thanh-toan/`);
    await shop.waitForSelector('#checkout:not([hidden])');
    await shop.fill('#co-name', SHOPPER.name);
    await shop.fill('#co-phone', SHOPPER.phone);
    await shop.locator('#co-province').selectOption('01');
    await shop.fill('#co-commune', 'ba dinh');
    await shop.getByRole('option', { name: 'Phường Ba Đình' }).click();
    await shop.fill('#co-street', '12 phố Đội Cấn');
    const part = shop.locator('#co-parts li');
    await expect.poll(() => part.count(), WAIT).toBe(1);
    const shown = (await part.textContent())!;
    expect(shown).toContain('GHN (Giao Hàng Nhanh)');
    expect(shown).toMatch(/Dự kiến giao: (thứ \S+|Chủ nhật), \d{2}\/\d{2}/);
    const fee = vnd(await part.locator('.co-part__fee').textContent());
    expect(fee).toBeGreaterThan(0);
    const total = vnd(await shop.locator('#co-total').textContent());

    await shop.locator('input[name=payment][value=cod]').check();
    await shop.getByRole('button', { name: 'Đặt hàng' }).click();
    await shop.waitForURL(/\/thanh-toan\/da-dat\/\?ma=TN-/, WAIT);
    code = new URL(shop.url()).searchParams.get('ma')!;
    await expect.poll(() => shop.locator('#placed-status').textContent(), WAIT).toContain('Còn một bước');
    const sms = (await inbox()).find((m) => m.text.includes(`Mã xác nhận đơn ${code}`))!;
    await shop.fill('#confirm-code', /: (\d{6})\./.exec(sms.text)![1]!);
    await shop.getByRole('button', { name: 'Xác nhận đơn hàng' }).click();
    await expect
      .poll(() => shop.locator('#placed-status').textContent(), WAIT)
      .toContain('Đặt hàng thành công');
    // The order charges what checkout showed: GHN's fee for this parcel, the total to the đồng.
    const order = (await (
      await fetch(`${exchange.url}/api/orders/${code}?phone=${encodeURIComponent(SHOPPER.phone)}`)
    ).json()) as { total: number; shippingTotal: number; status: string };
    expect(order).toMatchObject({ total, shippingTotal: fee, status: 'placed' });
    await shopperContext.close();
  });

  it('the manager packs the order and hands it to GHN from the board', async () => {
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/?ma=${code}`);
    await page.click('[data-action="confirmed"]');
    await expect.poll(() => page.locator('#detail-title').innerText(), WAIT).toContain('Đã xác nhận');
    await page.click('[data-action="packed"]');
    await page.waitForSelector('#ship-create');
    expect(await page.locator('#ship-create').innerText()).toContain('Giao cho vận chuyển (GHN)');
    await page.click('#ship-create');
    await page.waitForSelector('#shipment-code', WAIT);
    expect(await page.locator('#shipment-stage').innerText()).toContain('chờ lấy hàng');
    expect(await page.locator('#detail-done').innerText()).toContain('Đã tạo vận đơn với GHN');
    await page.waitForSelector('#ship-cancel');
    // "In nhãn" opens GHN's label in a tab of its own.
    const carrierCode = await page.locator('#shipment-code').innerText();
    const [label] = await Promise.all([context.waitForEvent('page'), page.click('#ship-label')]);
    await expect.poll(() => label.url(), WAIT).toMatch(/^blob:/);
    await expect
      .poll(
        () =>
          label
            .locator('body')
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain(carrierCode);
    await label.close();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('the emulator’s page picks the parcel up and delivers it; its webhooks move the order', async () => {
    const emulator = await context.newPage();
    await emulator.goto(exchange.carriers.url);
    const parcel = emulator.locator('article.parcel', { hasText: `${code}-1` });
    for (const step of ['Đã lấy hàng', 'Đang giao', 'Giao thành công']) {
      await parcel.getByRole('button', { name: step }).click();
      await emulator.waitForLoadState('load');
    }
    await expect.poll(async () => (await shopperView()).status, WAIT).toBe('delivered');
    await emulator.close();
  });

  it('the shopper’s tracking shows GHN’s events and the delivery', async () => {
    const shopper = await context.newPage();
    await shopper.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await shopper.fill('#track-phone', SHOPPER.phone);
    await shopper.click('#track-form button[type=submit]');
    await shopper.waitForSelector('[data-carrier-events]', WAIT);
    const events = await shopper.locator('[data-carrier-events]').innerText();
    expect(events).toContain('GHN');
    expect(events).toContain('Đã giao hàng');
    expect(events).toContain('Đơn vị vận chuyển đã lấy hàng');
    expect(await shopper.locator('[data-carrier-events] a').getAttribute('href')).toContain('ghn.vn');
    expect(await shopper.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shopper.close();
  });

  it('the manager imports GHN’s COD statement and the order shows settled', async () => {
    const csv = await (await fetch(`${exchange.carriers.hosts.ghn}/cod-statement.csv`)).text();
    const file = join(mkdtempSync(join(tmpdir(), 'cod-')), 'ghn-doi-soat-cod.csv');
    writeFileSync(file, csv);
    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/`);
    await page.click('#cod-import summary');
    await page.selectOption('#cod-carrier', 'ghn');
    await page.setInputFiles('#cod-file', file);
    await page.click('#cod-form button[type=submit]');
    await expect.poll(() => page.locator('#cod-status').innerText(), WAIT).toContain('Đã khớp');
    expect(await page.locator('#cod-status').innerText()).toContain('Không có chênh lệch');

    await page.goto(`${exchange.url}/hop-tac-xa/don-hang/?ma=${code}`);
    await page.waitForSelector('#shipment-remitted', WAIT);
    expect(await page.locator('#shipment-stage').innerText()).toBe('Đã giao hàng');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
