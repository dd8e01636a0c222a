/**
 * The shopper from the home page to a paid order, in Chromium at 360 × 740 on the local runtime
 * with the VNPay sandbox emulator: the checkout shows the delivery fee and the total before
 * "Đặt hàng" (and they follow the delivery method), VNPay is cancelled, the result page shows the
 * order and "Thanh toán lại" with the cart still kept, the second payment goes through and the
 * page says "Đã thanh toán" (the cart is emptied then); tracking says "Đã thanh toán", shows the
 * timeline once and the expected delivery. axe-core audits the checkout form with a cart, the
 * order-placed page and the payment-result page in both languages.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducers, demoShippingRules } from '../../infra/local/demo/demo-data.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const PHONE = '0912 345 678';

interface Product {
  slug: string;
  name: { vi: string };
  producer: { kind: string; slug: string };
  variants: { id: string; price: number; stock: number }[];
}

let exchange: RunningExchange;
let browser: Browser;
let pick: { product: Product; pack: Product['variants'][number] };

beforeAll(async () => {
  process.env.VNPAY_IPN_RETRY_MS = '200';
  exchange = await startSiteExchange({ site: 'auto', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  const list = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
    items: Product[];
  };
  for (const product of list.items) {
    const pack = product.variants.find((v) => v.stock >= 5 && v.price < 400_000);
    // A cooperative on the default flat fees (not one that ships with a carrier in the demo data).
    if (product.producer.kind === 'cooperative' && pack && !carrierCoops.has(product.producer.slug)) {
      pick = { product, pack };
      break;
    }
  }
  expect(pick).toBeDefined();
}, 600_000);

afterAll(async () => {
  delete process.env.VNPAY_IPN_RETRY_MS;
  await browser?.close();
  await exchange?.stop();
});

const carrierCoops = new Set(
  demoProducers.filter((p) => demoShippingRules[p.id]?.carrier).map((p) => p.slug),
);
const vnd = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));
const cartCount = (page: Page) => page.locator('[data-cart-count]').first().textContent();

describe('home → paid order, with a cancelled VNPay payment on the way', () => {
  let page: Page;
  let code = '';
  let resultQuery = '';

  it('checkout shows the fee and the total before “Đặt hàng”, following the delivery method', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    page = await context.newPage();
    await page.goto(`${exchange.url}/`);
    await page.goto(`${exchange.url}/san-pham/${pick.product.slug}/`);
    const form = page.locator('form[data-add-to-cart]');
    await form.locator(`input[name=variant][value="${pick.pack.id}"]`).check();
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').textContent()).toContain('Đã thêm');

    await page.goto(`${exchange.url}/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
    await page.fill('#co-name', 'Lê Thị Lan');
    await page.fill('#co-phone', PHONE);
    await page.fill('#co-commune', 'tan cuong');
    await page.getByRole('option', { name: 'Xã Tân Cương' }).click();
    await page.fill('#co-street', 'Xóm Nam Đồng');
    // In Thái Nguyên, under the free threshold: 20.000 ₫ by the default rules.
    await expect.poll(async () => vnd(await page.locator('#co-shipping').textContent())).toBe(20_000);
    expect(vnd(await page.locator('#co-items').textContent())).toBe(pick.pack.price);
    expect(vnd(await page.locator('#co-total').textContent())).toBe(pick.pack.price + 20_000);

    await page.locator('input[name=delivery][value=pickup]').check();
    await expect.poll(() => page.locator('#co-shipping').textContent()).toBe('Miễn phí');
    expect(vnd(await page.locator('#co-total').textContent())).toBe(pick.pack.price);
    await page.locator('input[name=delivery][value=shipping]').check();
    await expect
      .poll(async () => vnd(await page.locator('#co-total').textContent()))
      .toBe(pick.pack.price + 20_000);
    await page.locator('input[name=payment][value=vnpay]').check();
  });

  it('axe: the checkout form with a cart, both languages', async () => {
    const found: string[] = [];
    for (const path of ['/thanh-toan/', '/en/thanh-toan/']) {
      const tab = await page.context().newPage();
      await tab.goto(`${exchange.url}${path}`);
      await tab.waitForSelector('#checkout:not([hidden])');
      await expect.poll(() => tab.locator('#co-items').textContent()).toMatch(/₫/);
      const { violations } = await new AxeBuilder({ page: tab }).analyze();
      for (const v of violations) found.push(`${path}: ${v.id} ${v.nodes[0]?.target.join(' ')}`);
      await tab.close();
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('cancel at VNPay: the result page shows the order, keeps the cart and offers “Thanh toán lại”', async () => {
    const shownTotal = vnd(await page.locator('#co-total').textContent());
    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await page.waitForURL((url) => url.href.startsWith(exchange.vnpay.url));
    await page.getByRole('button', { name: /Hủy giao dịch/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    resultQuery = new URL(page.url()).search;
    await expect.poll(() => page.locator('#payment-result').textContent()).toContain('Bạn đã hủy giao dịch');
    await page.waitForSelector('#payment-order:not([hidden])');
    const details = page.locator('#payment-details');
    expect(await details.textContent()).toContain(pick.product.name.vi);
    expect(await details.textContent()).toContain('Xóm Nam Đồng');
    expect(vnd(await details.locator('[data-total]').textContent())).toBe(shownTotal);
    const track = await page.locator('#payment-track a').textContent();
    code = track!.replace('Theo dõi đơn ', '');
    expect(code).toMatch(/^TN-/);
    // No English on the Vietnamese page.
    expect(await page.locator('main [lang=en]').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/\b(Payment|result|Checking|Track)\b/);
    // The cart is still there until the order is paid.
    expect(Number(await cartCount(page))).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: 'Thanh toán lại' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Đổi cách thanh toán' }).isVisible()).toBe(true);
  });

  it('axe: the payment-result page, both languages', async () => {
    const found: string[] = [];
    for (const path of [`/thanh-toan/ket-qua/${resultQuery}`, `/en/thanh-toan/ket-qua/${resultQuery}`]) {
      const tab = await page.context().newPage();
      await tab.goto(`${exchange.url}${path}`);
      await tab.waitForSelector('#payment-order:not([hidden])');
      await tab.waitForSelector('[data-pay-again]');
      const { violations } = await new AxeBuilder({ page: tab }).analyze();
      for (const v of violations) found.push(`${path}: ${v.id} ${v.nodes[0]?.target.join(' ')}`);
      if (path.startsWith('/en/')) {
        // No Vietnamese on the English page (the shopper's own address and names aside).
        const text = (await tab.locator('#payment-result, #payment-next').allTextContents()).join(' ');
        expect(text).not.toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỷỹ]/iu);
        expect(await tab.getByRole('button', { name: 'Pay again' }).isVisible()).toBe(true);
      }
      await tab.close();
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('“Thanh toán lại” → VNPay → pay → “Đã thanh toán”; the cart is emptied then', async () => {
    await page.getByRole('button', { name: 'Thanh toán lại' }).click();
    await page.waitForURL((url) => url.href.startsWith(exchange.vnpay.url));
    await page.getByRole('button', { name: /Thanh toán thành công/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    await expect.poll(() => page.locator('#payment-result').textContent()).toContain('thành công');
    await expect
      .poll(() => page.locator('#payment-next [data-paid]').textContent(), { timeout: 30_000 })
      .toContain('Đã thanh toán');
    await expect.poll(() => cartCount(page)).toMatch(/^0?$/);
    const order = (await (
      await fetch(`${exchange.url}/api/orders/${code}?phone=${encodeURIComponent(PHONE)}`)
    ).json()) as { status: string; replacedIntentIds: string[]; history: { status: string }[] };
    expect(order.status).toBe('placed');
    expect(order.replacedIntentIds).toHaveLength(1);
    expect(order.history.filter((s) => s.status === 'placed')).toHaveLength(1);
  });

  it('tracking: “Đã thanh toán”, the timeline once, the expected delivery', async () => {
    await page.locator('#payment-track a').click();
    await page.waitForURL(/\/don-hang\/\?ma=/);
    await page.waitForSelector('#track-pill .status-pill');
    expect(await page.locator('#track-pill').textContent()).toBe('Đã thanh toán');
    expect(await page.locator('#track-details .steps').count()).toBe(1);
    expect(await page.locator('#track-details [data-payment=paid]').textContent()).toContain('Đã thanh toán');
    expect(await page.locator('#track-details [data-estimate]').textContent()).toMatch(
      /Khoảng \d\d\/\d\d – \d\d\/\d\d \(giao trong tỉnh Thái Nguyên: 1–2 ngày/,
    );
    expect(await page.locator('[data-pay-again]').count()).toBe(0);
  });

  it('axe: the order-placed page, both languages', async () => {
    const found: string[] = [];
    for (const path of [`/thanh-toan/da-dat/?ma=${code}`, `/en/thanh-toan/da-dat/?ma=${code}`]) {
      const tab = await page.context().newPage();
      await tab.goto(`${exchange.url}${path}`);
      await tab.waitForSelector('#placed-order:not([hidden])');
      const { violations } = await new AxeBuilder({ page: tab }).analyze();
      for (const v of violations) found.push(`${path}: ${v.id} ${v.nodes[0]?.target.join(' ')}`);
      await tab.close();
    }
    expect(found).toEqual([]);
    await page.context().close();
  }, 120_000);
});
