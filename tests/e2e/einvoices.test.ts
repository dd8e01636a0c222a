/**
 * E-invoices as people see them, in Chromium at 360×740 on the local runtime (DynamoDB Local, the
 * SInvoice emulator): the manager of HTX Mật ong và Nấm Trại Cau turns e-invoices on in the board
 * page (/hop-tac-xa/hoa-don/); a shopper checks out with "Xuất hóa đơn công ty" (a wrong tax code
 * refused beside its field in Vietnamese, then a right one); tracking says "Đang lập"; the manager
 * takes the part to completed, the delivery lane runs the invoice lane, and tracking shows the
 * invoice with its number, lookup code and XML; the board's list shows it issued. No sideways
 * scrolling, no axe-core violation on the new page and sections.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, tickMessages } from '../../functions/orders/jobs.ts';
import { DEMO_INVOICING_COOP, demoProducers } from '../../infra/local/demo/demo-data.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { invoices } from '../../shared/db/invoices.ts';
import { INVOICE_SERIES, TAX_CODE, TEMPLATE_CODE } from '../../shared/invoices/model.ts';
import * as siteRules from '../../site/src/lib/invoice-rules.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const COOP = demoProducers.find((p) => p.id === 'htx-trai-cau')!;
const MANAGER_PHONE = `0${COOP.phone.slice(3)}`;
const SHOPPER_PHONE = '0987 111 222';
const SHOPPER_E164 = '+84987111222';

interface Product {
  slug: string;
  producer: { slug: string };
  variants: { id: string; stock: number }[];
}

let exchange: RunningExchange;
let browser: Browser;
let manager: BrowserContext;
let shopper: BrowserContext;
let product: Product;
let code: string;

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  browser = await launchChromium();
  const phone = { viewport: { width: 360, height: 740 }, locale: 'vi-VN', acceptDownloads: true };
  manager = await browser.newContext(phone);
  shopper = await browser.newContext(phone);
  const list = (await (await fetch(`${exchange.url}/api/catalog/products?limit=60`)).json()) as {
    items: Product[];
  };
  product = list.items.find((p) => p.producer.slug === COOP.slug && p.variants.some((v) => v.stock >= 2))!;
  expect(product).toBeDefined();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function inbox(): Promise<{ to: string; kind: string; text: string }[]> {
  return (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
}

async function signIn(page: Page): Promise<void> {
  const to = `+84${MANAGER_PHONE.slice(1).replace(/\s/g, '')}`;
  const latest = async () => {
    const m = (await inbox()).find((x) => x.to === to && x.kind === 'sign_in_code');
    return m ? /(\d{6})/.exec(m.text)![1]! : null;
  };
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', MANAGER_PHONE);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  await expect.poll(latest).toBeTruthy();
  await page.fill('#signin-code', (await latest())!);
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#signed-in:not([hidden])');
}

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

const axeViolations = async (page: Page, include?: string) => {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map((v) => `${v.id} ${v.nodes[0]?.target.join(' ')}`);
};

describe('e-invoices from the board to the shopper', () => {
  it('the forms check tax codes, templates and series with the model’s own rules', () => {
    expect(siteRules.TAX_CODE.source).toBe(TAX_CODE.source);
    expect(siteRules.TEMPLATE_CODE.source).toBe(TEMPLATE_CODE.source);
    expect(siteRules.INVOICE_SERIES.source).toBe(INVOICE_SERIES.source);
  });

  it('the demo data has one cooperative issuing e-invoices, and not the one this test turns on', async () => {
    expect((await invoices.getSettings(DEMO_INVOICING_COOP))?.enabled).toBe(true);
    expect(await invoices.getSettings(COOP.id)).toBeUndefined();
  });

  it('the cooperative turns e-invoices on in its board page', async () => {
    const page = await manager.newPage();
    await signIn(page);
    await page.goto(`${exchange.url}/hop-tac-xa/`);
    await page.getByRole('link', { name: 'Hóa đơn', exact: true }).click();
    await page.waitForURL(/\/hop-tac-xa\/hoa-don\/$/);
    await page.waitForSelector('#inv:not([hidden])');
    // Nothing set yet: off, the cooperative's name filled in, no invoices.
    expect(await page.getByLabel('Xuất hóa đơn điện tử cho đơn hàng của hợp tác xã').isChecked()).toBe(false);
    expect(await page.getByLabel('Tên đơn vị (như trên đăng ký thuế)').inputValue()).toBe(COOP.name);
    await expect.poll(() => page.locator('#inv-empty').isVisible()).toBe(true);
    expect(await page.locator('#inv-account-set').isHidden()).toBe(true);
    await noSidewaysScroll(page);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Xuất hóa đơn điện tử cho đơn hàng của hợp tác xã').check();
    await page.getByLabel('Tên đơn vị (như trên đăng ký thuế)').fill('Hợp tác xã Mật ong và Nấm Trại Cau');
    await page.getByLabel('Mã số thuế').fill('46001234');
    await page.getByLabel('Địa chỉ đăng ký thuế').fill('Xóm Trại Cau, tỉnh Thái Nguyên');
    await page.getByLabel('Ký hiệu hóa đơn').fill('C26TTC');
    await page.getByLabel('Đơn hoàn tất (người mua đã nhận hàng)').check();
    await page.getByLabel('Hợp tác xã tự trồng, tự nuôi sản phẩm mình bán').check();
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    // A short tax code: refused beside its field, nothing sent.
    await expect
      .poll(() => page.locator('#inv-tax-code-error').textContent())
      .toContain('Mã số thuế gồm 10 chữ số');
    expect(await page.locator('#inv-tax-code').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Mã số thuế').fill('4600123456');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await expect.poll(() => page.locator('#inv-status').textContent()).toContain('Hóa đơn điện tử đang bật');
    // Read back from the API after a reload.
    await page.reload();
    await page.waitForSelector('#inv:not([hidden])');
    expect(await page.getByLabel('Mã số thuế').inputValue()).toBe('4600123456');
    expect(await page.getByLabel('Ký hiệu hóa đơn').inputValue()).toBe('C26TTC');
    expect(await page.getByLabel('Xuất hóa đơn điện tử cho đơn hàng của hợp tác xã').isChecked()).toBe(true);
    await page.close();
  });

  it('a shopper asks for a company invoice at checkout; a wrong tax code is refused beside its field', async () => {
    const page = await shopper.newPage();
    await page.goto(`${exchange.url}/san-pham/${product.slug}/`);
    const form = page.locator('form[data-add-to-cart]');
    const pack = product.variants.find((v) => v.stock >= 2)!;
    await form.locator(`input[name=variant][value="${pack.id}"]`).check();
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').textContent()).toContain('Đã thêm');

    // The English checkout says the same in English.
    await page.goto(`${exchange.url}/en/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
    expect(await page.locator('#co-invoice-fields').isHidden()).toBe(true);
    await page.getByLabel('Company VAT invoice').check();
    await page.getByLabel('Tax code (mã số thuế)').fill('0101-234');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect
      .poll(() => page.locator('#co-inv-tax-error').textContent())
      .toContain('A tax code is 10 digits');

    await page.goto(`${exchange.url}/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
    // Closed by default.
    expect(await page.locator('#co-invoice-fields').isHidden()).toBe(true);
    await page.fill('#co-name', 'Lê Văn Kế Toán');
    await page.fill('#co-phone', SHOPPER_PHONE);
    await page.fill('#co-commune', 'tan cuong');
    await page.getByRole('option', { name: 'Xã Tân Cương' }).click();
    await expect.poll(() => page.locator('[data-commune-code]').inputValue()).toMatch(/^\d{5}$/);
    await page.fill('#co-street', 'Xóm Soi Vàng');
    await page.locator('input[name=payment][value=cod]').check();

    await page.getByLabel('Xuất hóa đơn công ty').check();
    expect(await page.locator('#co-invoice-fields').isVisible()).toBe(true);
    await page.getByLabel('Tên công ty').fill('Công ty TNHH Trà Việt');
    await page.getByLabel('Mã số thuế').fill('01012345');
    await page.getByLabel('Địa chỉ công ty').fill('12 Phố Đội Cấn, Hà Nội');
    await page.getByLabel('E-mail nhận hóa đơn').fill('ketoan@traviet.vn');
    await noSidewaysScroll(page);
    expect(await axeViolations(page, '#co-invoice')).toEqual([]);
    await page.locator('#co-invoice').screenshot({ path: join(tmpdir(), 'einvoice-checkout-360.png') });

    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await expect
      .poll(() => page.locator('#co-inv-tax-error').textContent())
      .toContain('Mã số thuế gồm 10 chữ số');
    expect(await page.locator('#co-inv-tax').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-inv-tax');
    expect(page.url()).toMatch(/\/thanh-toan\/$/);

    await page.getByLabel('Mã số thuế').fill('0101234567');
    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await page.waitForURL(/\/thanh-toan\/da-dat\/\?ma=TN-/);
    code = new URL(page.url()).searchParams.get('ma')!;
    // COD: the code from the SMS confirms the order.
    await expect
      .poll(async () =>
        (await inbox()).some((m) => m.to === SHOPPER_E164 && m.text.includes(`Mã xác nhận đơn ${code}`)),
      )
      .toBe(true);
    const sms = (await inbox()).find(
      (m) => m.to === SHOPPER_E164 && m.text.includes(`Mã xác nhận đơn ${code}`),
    )!;
    await page.fill('#confirm-code', /: (\d{6})\./.exec(sms.text)![1]!);
    await page.getByRole('button', { name: 'Xác nhận đơn hàng' }).click();
    await expect
      .poll(() => page.locator('#placed-status').textContent(), { timeout: 15_000 })
      .toContain('Đặt hàng thành công');

    // Tracking: asked for, not issued yet.
    await page.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await expect.poll(() => page.locator('#track-title').textContent()).toBe(`Đơn ${code}`);
    const block = page.locator('#track-invoices');
    await expect.poll(() => block.isVisible()).toBe(true);
    expect(await block.textContent()).toContain('Đang lập');
    expect(await block.textContent()).toContain('Công ty TNHH Trà Việt');
    await page.close();
  });

  it('completed and run by the invoice lane: tracking and the board show the invoice with its number', async () => {
    const page = await manager.newPage();
    await page.goto(`${exchange.url}/hop-tac-xa/hoa-don/`);
    await page.waitForSelector('#inv:not([hidden])');
    // The manager takes the part to completed (the board's API, with the page's token).
    const moved = await page.evaluate(
      async ({ coop, code }) => {
        const session = JSON.parse(localStorage.getItem('tn-seller-session') ?? '{}') as { token?: string };
        const answers: number[] = [];
        for (const to of ['confirmed', 'packed', 'shipped', 'delivered', 'completed']) {
          const res = await fetch(`/api/board/${coop}/orders/${code}/status`, {
            method: 'POST',
            headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              to,
              ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP123456' } : {}),
              ...(to === 'delivered' ? { cashCollected: true } : {}),
            }),
          });
          answers.push(res.status);
        }
        return answers;
      },
      { coop: COOP.id, code },
    );
    expect(moved.every((status) => status >= 200 && status < 300)).toBe(true);
    // The delivery lane's messages, as its timer or its queue would send them. SInvoice fails
    // the first time: the board says so in plain words and that it retries by itself.
    const lane = async (now?: Date) => {
      const reports = await Promise.all(
        tickMessages('delivery').map((message) => runJob(message, now ? { now } : {})),
      );
      const sum = (key: 'issued' | 'failed') =>
        reports.reduce((n, r) => n + (r.kind === 'delivery' ? (r.invoices?.[key] ?? 0) : 0), 0);
      return { issued: sum('issued'), failed: sum('failed') };
    };
    exchange.einvoice.emulator.failNext(1, 500);
    expect(await lane()).toEqual({ issued: 0, failed: 1 });
    await page.reload();
    await page.waitForSelector('#inv:not([hidden])');
    const failed = page.locator(`#inv-list li[data-order="${code}"]`);
    await expect.poll(() => failed.getAttribute('data-status')).toBe('failed');
    const failedText = (await failed.textContent())!;
    expect(failedText).toContain('Lỗi — đang thử lại');
    expect(failedText).toContain('SInvoice đang gặp sự cố.');
    // When the lane tries again, as the API has set it (dd/mm/yyyy hh:mm), not the backoff rule.
    expect(failedText).toMatch(/Hệ thống sẽ tự thử lại lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(đã thử 1 lần\)/);
    expect(failedText).not.toContain('ProviderError');
    await noSidewaysScroll(page);
    // The shopper's tracking says it is being retried, without the provider's error.
    const retrying = await shopper.newPage();
    await retrying.goto(`${exchange.url}/don-hang/?ma=${code}`);
    const retryBlock = retrying.locator(`#track-invoices [data-status="failed"]`);
    await expect.poll(() => retryBlock.count()).toBe(1);
    const retryText = (await retryBlock.textContent())!;
    expect(retryText).toContain('Đang thử lại');
    expect(retryText).not.toContain('SInvoice đang gặp sự cố');
    await retrying.close();
    // The retry, once its backoff has passed.
    expect(await lane(new Date(Date.now() + 10 * 60_000))).toEqual({ issued: 1, failed: 0 });

    // The board's list: issued, with its number, and the XML to download.
    await page.reload();
    await page.waitForSelector('#inv:not([hidden])');
    const row = page.locator(`#inv-list li[data-order="${code}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('issued');
    const rowText = (await row.textContent())!;
    expect(rowText).toContain('Đã lập');
    // SInvoice numbers each series from 1 (the emulator too).
    const number = (await row.locator('dt:text-is("Số hóa đơn") + dd').textContent())!;
    expect(number).toMatch(/^\d+$/);
    expect(await page.locator('#inv-empty').isHidden()).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /Tải XML/ }).click(),
    ]);
    const xml = readFileSync((await download.path())!, 'utf8');
    expect(xml).toContain('<HDon');
    expect(xml).toContain('0101234567');
    await noSidewaysScroll(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'einvoice-board-360.png'), fullPage: true });
    await page.close();

    // Tracking: the invoice with its number, date, lookup code and link.
    const track = await shopper.newPage();
    await track.goto(`${exchange.url}/don-hang/?ma=${code}`);
    await expect.poll(() => track.locator('#track-title').textContent()).toBe(`Đơn ${code}`);
    const block = track.locator('#track-invoices');
    await expect.poll(() => block.locator(`[data-invoice="${number}"]`).count()).toBe(1);
    const text = (await block.textContent())!;
    expect(text).toContain('Hóa đơn điện tử');
    expect(text).toContain('Đã lập');
    expect(await block.locator('dt:text-is("Số hóa đơn") + dd').textContent()).toBe(number);
    expect(text).not.toContain('Đang lập');
    expect(text).toMatch(/Mã tra cứu\S+/);
    const lookup = block.getByRole('link', { name: 'Xem hóa đơn trên trang tra cứu' });
    expect(await lookup.getAttribute('href')).toMatch(/\/tra-cuu/);
    const [trackDownload] = await Promise.all([
      track.waitForEvent('download'),
      block.getByRole('button', { name: /Tải tệp XML/ }).click(),
    ]);
    expect(trackDownload.suggestedFilename()).toBe(`hoa-don-${code}-${number}.xml`);
    await noSidewaysScroll(track);
    expect(await axeViolations(track, '#track-invoices')).toEqual([]);
    await block.screenshot({ path: join(tmpdir(), 'einvoice-tracking-360.png') });
    await track.close();
  });
});
