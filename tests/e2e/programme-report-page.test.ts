/**
 * The admin's programme report page (/quan-tri/chuong-trinh/) in Chromium at a 360×740 phone
 * viewport on the local runtime with the demo data: the demo admin signs in, the four tables (or
 * their empty states) fit the phone's width, axe-core finds nothing, targets are saved through the
 * form and the CSV downloads; a household is turned away. The storefront footer links to the
 * statistics page in both languages, and a chart whose every figure is withheld says so.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningExchange } from '../../infra/local/runtime.ts';
import { PROGRAMME_CSV_HEADER } from '../../shared/stats/programme.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const ADMIN_PHONE = '0900 000 001';
const HOUSEHOLD_PHONE = '0987 000 201';

let exchange: RunningExchange;
let browser: Browser;

beforeAll(async () => {
  exchange = await startSiteExchange({ site: 'always', paymentJobsIntervalMs: 0 });
  await exchange.statsStream.poll();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

const e164 = (phone: string) => `+84${phone.replace(/\D/g, '').slice(1)}`;

async function latestCode(phone: string): Promise<string> {
  const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
  const message = inbox.find((m) => m.to === e164(phone) && m.kind === 'sign_in_code');
  return /(\d{6})/.exec(message!.text)![1]!;
}

async function signIn(page: Page, phone: string): Promise<void> {
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', phone);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  await expect.poll(() => latestCode(phone).catch(() => null), { timeout: 15_000 }).toBeTruthy();
  await page.fill('#signin-code', await latestCode(phone));
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#signed-in:not([hidden])');
}

const phone = () =>
  browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', acceptDownloads: true });

describe('/quan-tri/chuong-trinh/ at 360 px', () => {
  it('shows the report to the admin, fits the phone, passes axe, saves targets and downloads the CSV', async () => {
    const context = await phone();
    const page = await context.newPage();
    try {
      await signIn(page, ADMIN_PHONE);
      await page.goto(`${exchange.url}/quan-tri/chuong-trinh/`);
      await page.waitForSelector('#programme:not([hidden])');
      for (const id of ['onboarding', 'reviews', 'certificates', 'no-sale']) {
        await page.waitForSelector(`#${id} table, #${id} .empty`);
      }
      // The demo's verified households were onboarded: a table with a caption and column headers.
      const onboarding = page.locator('#onboarding table');
      await expect(onboarding.locator('caption').textContent()).resolves.toContain('Hộ đã xác minh');
      expect(await onboarding.locator('thead th[scope=col]').count()).toBe(4);
      expect(await onboarding.locator('tbody tr').count()).toBeGreaterThan(0);
      // Demo households have not sold in the last 90 days (or ever): listed with a phone link.
      const noSale = page.locator('#no-sale table tbody tr');
      expect(await noSale.count()).toBeGreaterThan(0);
      expect(await noSale.first().locator('a[href^="tel:+84"]').count()).toBe(1);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

      // Targets: a wrong commune is refused with the API's message; a right one is saved and shown.
      await page.fill('#target-default', '3');
      await page.fill('#target-communes', '99999, 4');
      await page.click('#targets-form button[type=submit]');
      await expect
        .poll(() => page.locator('#targets-status').textContent(), { timeout: 10_000 })
        .toContain('Không có xã với mã này');
      await page.fill('#target-communes', '');
      await page.click('#targets-form button[type=submit]');
      await expect
        .poll(() => page.locator('#targets-status').textContent(), { timeout: 10_000 })
        .toContain('Đã lưu chỉ tiêu');
      await expect
        .poll(() => onboarding.locator('tbody tr').first().textContent(), { timeout: 10_000 })
        .toMatch(/3 \((đạt|chưa đạt)\)/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
      const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
      expect(csv.split('\r\n')[0]).toBe(PROGRAMME_CSV_HEADER.join(','));
      expect(csv).toMatch(/\r\nonboarding,/);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('turns a household away, showing no one’s data', async () => {
    const context = await phone();
    const page = await context.newPage();
    try {
      await signIn(page, HOUSEHOLD_PHONE);
      await page.goto(`${exchange.url}/quan-tri/chuong-trinh/`);
      await page.waitForSelector('#page-error:not([hidden])');
      await expect(page.locator('#page-error').textContent()).resolves.toContain(
        'chỉ dành cho quản trị viên',
      );
      expect(await page.locator('#programme').isHidden()).toBe(true);
      expect(await page.locator('a[href^="tel:"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the statistics page from the storefront', () => {
  it('is linked from the footer in both languages', async () => {
    const context = await phone();
    const page = await context.newPage();
    try {
      await page.goto(`${exchange.url}/`);
      await expect(page.locator('footer a[href="/thong-ke/"]').textContent()).resolves.toBe(
        'Thống kê chương trình',
      );
      await page.goto(`${exchange.url}/en/`);
      await expect(page.locator('footer a[href="/en/thong-ke/"]').textContent()).resolves.toBe(
        'Programme statistics',
      );
    } finally {
      await context.close();
    }
  });

  it('draws a chart only when one of its figures is published, otherwise says there is not enough data', async () => {
    const stats = (await (await fetch(`${exchange.url}/api/stats`)).json()) as {
      months: { orders: number | null; averageDeliveryHours: number | null }[];
    };
    const months = stats.months.slice(-12);
    const context = await phone();
    const page = await context.newPage();
    try {
      for (const [path, empty] of [
        ['/thong-ke/', 'Chưa đủ số liệu để công bố'],
        ['/en/thong-ke/', 'Not enough data to publish'],
      ] as const) {
        await page.goto(`${exchange.url}${path}`);
        if (months.length === 0) continue;
        const figures = page.locator('figure.stats-chart');
        for (const [i, series] of [
          months.map((m) => m.orders),
          months.map((m) => m.averageDeliveryHours),
        ].entries()) {
          const figure = figures.nth(i);
          if (series.every((v) => v === null)) {
            expect(await figure.locator('svg').count()).toBe(0);
            await expect(figure.locator('.stats-chart-empty').textContent()).resolves.toBe(empty);
          } else {
            expect(await figure.locator('svg').count()).toBe(1);
          }
        }
      }
    } finally {
      await context.close();
    }
  });
});
