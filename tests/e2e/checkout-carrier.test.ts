/**
 * Delivery priced by the cooperative's carrier, in Chromium at 360×740 on the local runtime with
 * its demo data and the GHN emulator (HTX Chè Tân Cương Xanh ships with GHN):
 *  - the product page's estimate: the province chosen shows "Giao đến …: dự kiến …, phí từ …"
 *    from the same quote, and is remembered across reloads (and on the next product page);
 *  - checkout shows the part's carrier (GHN), fee and "Dự kiến giao: thứ …, dd/mm" before
 *    "Đặt hàng", the server's quote; the placed order's total is exactly the total shown.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducers } from '../../infra/local/demo/demo-data.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const PHONE = '0987 654 321';

interface Pack {
  id: string;
  price: number;
  stock: number;
}
interface Product {
  slug: string;
  producer: { slug: string };
  variants: Pack[];
}

let exchange: RunningExchange;
let browser: Browser;
let products: Product[];

const GHN_COOP = demoProducers.find((p) => p.id === 'htx-tan-cuong-xanh')!;
const vnd = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));
const WEEKDAYS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
const vnDate = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]}, ${iso.slice(8, 10)}/${iso.slice(5, 7)}`;
};

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'auto', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  const list = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
    items: Product[];
  };
  products = list.items.filter(
    (p) => p.producer.slug === GHN_COOP.slug && p.variants[0] && p.variants[0].price < 400_000,
  );
  expect(products.length).toBeGreaterThanOrEqual(2);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  return context.newPage();
}

/** The exchange's own quote, as the page asks it. */
async function apiQuote(variantId: string, quantity: number, provinceCode: string, wardCode: string) {
  const res = await fetch(`${exchange.url}/api/orders/quote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lines: [{ variantId, quantity }], address: { provinceCode, wardCode } }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    total: number;
    parts: { carrier: string; fee: number; estimatedDelivery: string }[];
  };
}

describe('delivery by the cooperative’s carrier', () => {
  it('the product page’s estimate for the province chosen, remembered across reloads', async () => {
    const page = await phonePage();
    const [first, second] = products as [Product, Product];
    await page.goto(`${exchange.url}/san-pham/${first.slug}/`);
    const box = page.locator('[data-delivery-estimate]');
    const result = box.locator('[data-estimate]');
    expect(await result.textContent()).toContain('Chọn nơi nhận');
    await box.getByLabel('Giao đến').selectOption({ label: 'Thành phố Hà Nội' });
    const hanoiFirstWard = await box.locator('option[value="01"]').getAttribute('data-ward');
    const expected = await apiQuote(first.variants[0]!.id, 1, '01', hanoiFirstWard!);
    const part = expected.parts[0]!;
    expect(part.carrier).toBe('ghn');
    const text = `Giao đến Thành phố Hà Nội: dự kiến ${vnDate(part.estimatedDelivery)}, phí từ`;
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain(text);
    expect(vnd((await result.textContent())!.split('phí từ')[1]!.split('(')[0]!)).toBe(part.fee);
    // Fits the phone's width; no accessibility violation in the estimate.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const estimateAxe = await new AxeBuilder({ page }).include('[data-delivery-estimate]').analyze();
    expect(estimateAxe.violations.map((v) => v.id)).toEqual([]);

    // The province comes back once the page's islands run (after its largest paint).
    await page.reload();
    await expect.poll(() => box.getByLabel('Giao đến').inputValue(), { timeout: 15_000 }).toBe('01');
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain(text);
    // Another product: the same province, asked at once.
    await page.goto(`${exchange.url}/san-pham/${second.slug}/`);
    await expect.poll(() => box.getByLabel('Giao đến').inputValue(), { timeout: 15_000 }).toBe('01');
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('Giao đến Thành phố Hà Nội: dự kiến');
    await page.context().close();
  });

  it('checkout shows GHN’s fee and date before “Đặt hàng”; the placed order’s total is the one shown', async () => {
    const page = await phonePage();
    const product = products[0]!;
    const pack = product.variants[0]!;
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`);
    const form = page.locator('form[data-add-to-cart]');
    await form.locator(`input[name=variant][value="${pack.id}"]`).check();
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').textContent()).toContain('Đã thêm');

    await page.goto(`${exchange.url}/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
    await page.fill('#co-name', 'Lê Thị Lan');
    await page.fill('#co-phone', PHONE);
    // Before a commune is chosen: no fee yet, and the page says what it needs.
    await expect
      .poll(() => page.locator('#co-quote-note').textContent())
      .toContain('Chọn tỉnh/thành và xã/phường');
    await page.locator('#co-province').selectOption('01');
    await page.fill('#co-commune', 'hoan kiem');
    await page.getByRole('option', { name: 'Phường Hoàn Kiếm' }).click();
    await page.fill('#co-street', '5 Hàng Bài');

    const expected = await apiQuote(pack.id, 1, '01', '00070');
    const part = expected.parts[0]!;
    const line = page.locator('#co-parts li');
    await expect.poll(() => line.count(), { timeout: 15_000 }).toBe(1);
    const shown = (await line.textContent())!;
    expect(shown).toContain('GHN (Giao Hàng Nhanh)');
    expect(shown).toContain(`Dự kiến giao: ${vnDate(part.estimatedDelivery)}`);
    expect(vnd(await line.locator('.co-part__fee').textContent())).toBe(part.fee);
    expect(vnd(await page.locator('#co-total').textContent())).toBe(expected.total);
    // Above the button, on screen at 360 px without sideways scrolling.
    const partsBox = (await page.locator('#co-parts').boundingBox())!;
    const buttonBox = (await page.getByRole('button', { name: 'Đặt hàng' }).boundingBox())!;
    expect(partsBox.y).toBeLessThan(buttonBox.y);
    expect(partsBox.x + partsBox.width).toBeLessThanOrEqual(360);
    const { violations } = await new AxeBuilder({ page })
      .include('#co-totals')
      .include('#co-parts')
      .analyze();
    expect(violations.map((v) => v.id)).toEqual([]);

    await page.locator('input[name=payment][value=vietqr]').check();
    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await page.waitForURL(/\/thanh-toan\/da-dat\/\?ma=TN-/);
    const code = new URL(page.url()).searchParams.get('ma')!;
    const order = (await (
      await fetch(`${exchange.url}/api/orders/${code}?phone=${encodeURIComponent(PHONE)}`)
    ).json()) as { total: number; shippingTotal: number };
    expect(order.total).toBe(expected.total);
    expect(order.shippingTotal).toBe(part.fee);
    await page.context().close();
  });

  it('a commune the carrier cannot serve is refused beside the commune field, with no total', async () => {
    const page = await phonePage();
    const product = products[0]!;
    const pack = product.variants[0]!;
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`);
    const form = page.locator('form[data-add-to-cart]');
    await form.locator(`input[name=variant][value="${pack.id}"]`).check();
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').textContent()).toContain('Đã thêm');
    await page.goto(`${exchange.url}/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
    // Xã Ba Chẽ (Quảng Ninh) has no GHN address keys: GHN refuses it at quote time.
    await page.locator('#co-province').selectOption('22');
    await page.fill('#co-commune', 'ba che');
    await page.getByRole('option', { name: 'Xã Ba Chẽ' }).click();
    const error = page.locator('#co-commune-error');
    await expect.poll(() => error.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await error.textContent()).toContain('chưa giao đến Xã Ba Chẽ');
    expect(await page.locator('#co-commune').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#co-total').textContent()).toBe('—');
    // Another commune: priced again, and the field's error goes.
    await page.locator('#co-province').selectOption('01');
    await page.fill('#co-commune', 'hoan kiem');
    await page.getByRole('option', { name: 'Phường Hoàn Kiếm' }).click();
    await expect.poll(() => page.locator('#co-parts li').count(), { timeout: 15_000 }).toBe(1);
    expect(await error.isVisible()).toBe(false);
    await page.context().close();
  });
});
