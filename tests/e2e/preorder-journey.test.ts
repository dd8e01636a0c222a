/**
 * A spring-tea pre-order in Chromium at 360 px on the local runtime with its demo data: the
 * product page says it is a pre-order (window, what is left, expected dispatch, deposit, the
 * balance rule) and offers “Đặt trước”; the pre-order page takes the packs and the buyer, shows
 * the deposit, and sends the shopper to the VNPay sandbox emulator for the deposit; after paying,
 * tracking shows the reservation with its deposit. The pages pass axe-core.
 */
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

let exchange: RunningExchange;
let browser: Browser;

const PRODUCT = 'che-dinh-tan-cuong-thuong-hang';
const PHONE = '0987 123 456';

beforeAll(async () => {
  process.env.VNPAY_IPN_RETRY_MS = '200';
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  delete process.env.VNPAY_IPN_RETRY_MS;
  await browser?.close();
  await exchange?.stop();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  return context.newPage();
}

describe('reserving spring tea with a VNPay deposit', () => {
  it('product page → pre-order page → VNPay emulator → tracking', async () => {
    const windows = (await (await fetch(`${exchange.url}/api/preorders?product=${PRODUCT}`)).json()) as {
      items: { id: string; season: string; packs: { id: string; deposit: number }[] }[];
    };
    expect(windows.items).toHaveLength(1);
    const window = windows.items[0]!;

    const page = await phonePage();
    // The product page's JavaScript stays in its budget (≤ 15 KB gzipped, README) with the box.
    const scripts: Promise<number>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() === 'script') scripts.push(res.body().then((b) => gzipSync(b).length));
    });
    await page.goto(`${exchange.url}/san-pham/${PRODUCT}/`);
    const box = page.locator('[data-preorder-box]');
    await box.waitFor({ state: 'visible' });
    const inline = await page.evaluate(() =>
      [...document.querySelectorAll('script:not([src])')]
        .filter((s) => !s.getAttribute('type') || s.getAttribute('type') === 'module')
        .map((s) => s.textContent ?? '')
        .join('\n'),
    );
    const jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0) + gzipSync(inline).length;
    console.log(JSON.stringify({ productPageJsGzipBytes: jsBytes }));
    expect(jsBytes).toBeLessThanOrEqual(15 * 1024);
    const text = (await box.textContent()) ?? '';
    expect(text).toContain('Sản phẩm này đang nhận đặt trước');
    expect(text).toContain(window.season);
    expect(text).toMatch(/Nhận đặt trước đến hết ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).toMatch(/Dự kiến gửi hàng từ/);
    expect(text).toMatch(/Còn khoảng 40 kg/);
    expect(text).toContain('giữ tiền cọc nhưng không quá 30%');
    const boxAxe = await new AxeBuilder({ page }).include('[data-preorder-box]').analyze();
    expect(boxAxe.violations).toEqual([]);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await box.getByRole('link', { name: 'Đặt trước' }).click();
    await page.waitForURL(/\/dat-truoc\/\?dot=/);
    const form = page.locator('#preorder');
    await form.waitFor({ state: 'visible' });
    // Sent empty: each problem beside its field, the first one focused.
    await page.getByRole('button', { name: /Đặt trước và trả cọc/ }).click();
    await expect.poll(() => page.locator('#po-name-error').textContent()).toBe('Hãy nhập họ và tên.');
    expect(await page.locator('#po-phone-error').textContent()).toBe('Số điện thoại di động không hợp lệ.');
    expect(await page.locator('#po-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('po-name');
    await page.locator('#po-q-p1').fill('2');
    // 2 × 450.000 ₫ = 900.000 ₫; the deposit 30 % is 270.000 ₫.
    await expect.poll(() => page.locator('#po-deposit').textContent()).toMatch(/270\.000\s₫/);
    await page.locator('#po-name').fill('Nguyễn Thị Lan');
    await page.locator('#po-phone').fill(PHONE);
    await page.locator('input[name=delivery][value=pickup]').check();
    expect(await page.locator('#po-rule').textContent()).toContain('hoàn tự động');
    const pageAxe = await new AxeBuilder({ page }).analyze();
    expect(pageAxe.violations.map((v) => v.id)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.locator('#po-submit').click();
    await page.waitForURL((url) => url.href.startsWith(exchange.vnpay.url));
    await page.getByRole('button', { name: /Thanh toán thành công/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    await expect.poll(() => page.locator('#payment-result').textContent()).toMatch(/270\.000\s₫/);

    const reservations = await fetch(`${exchange.url}/api/preorders?product=${PRODUCT}`).then(
      (r) => r.json() as Promise<{ items: { leftGrams: number }[] }>,
    );
    expect(reservations.items[0]!.leftGrams).toBe(40_000 - 200);

    await page.goto(`${exchange.url}/don-hang/`);
    const code = await page.evaluate(() => {
      const raw = localStorage.getItem('tn.orders.v1') ?? '[]';
      return (JSON.parse(raw) as { code: string }[])[0]?.code ?? '';
    });
    expect(code).toMatch(/^TN-/);
    await page.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await page.locator('#track-phone').fill(PHONE);
    await page.locator('#track-form button[type=submit]').click();
    await expect.poll(() => page.locator('#track-title').textContent()).toBe(`Đơn ${code}`);
    await expect.poll(() => page.locator('#track-pill').textContent()).toBe('Đã thanh toán');
    const panel = page.locator('#track-preorder');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.textContent()).toContain(`Đặt trước · ${window.season}`);
    expect(await panel.textContent()).toMatch(/Tiền cọc270\.000\s₫ \(30%\)/);
    const trackAxe = await new AxeBuilder({ page }).include('#track-result').analyze();
    expect(trackAxe.violations).toEqual([]);
    await page.context().close();
  });

  it('the cooperative’s pre-orders board shows the window with its figures, in Vietnamese, at 360 px', async () => {
    const page = await phonePage();
    const phone = '0912 000 101';
    const e164 = `+84${phone.replace(/\D/g, '').slice(1)}`;
    const latestCode = async () => {
      const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
        to: string;
        kind: string;
        text: string;
      }[];
      const message = inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code');
      return message ? /(\d{6})/.exec(message.text)![1]! : null;
    };
    await page.goto(`${exchange.url}/ban-hang/`);
    await page.fill('#signin-phone', phone);
    await page.click('#phone-form button[type=submit]');
    await page.waitForSelector('#code-form:not([hidden])');
    await expect.poll(latestCode).toBeTruthy();
    await page.fill('#signin-code', (await latestCode())!);
    await page.click('#code-form button[type=submit]');
    await page.waitForSelector('#signed-in:not([hidden])');

    await page.goto(`${exchange.url}/hop-tac-xa/dat-truoc/`);
    const windowBox = page.locator('[data-window]').first();
    await windowBox.waitFor({ state: 'visible' });
    const text = (await windowBox.textContent()) ?? '';
    expect(text).toContain('Chè đinh Tân Cương thượng hạng');
    expect(text).toContain('Đang nhận đặt trước');
    // The reservation paid in the first test: one, 200 g, its 270.000 ₫ deposit.
    expect(text).toMatch(/Cả đợt1\s*0,2 kg/);
    expect(text).toMatch(/270\.000\s₫/);
    expect(await page.locator('#po-product option').count()).toBeGreaterThan(0);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});
