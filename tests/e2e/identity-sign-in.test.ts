/**
 * Digital identity in Chromium at 360 px, against the local OpenID Connect provider that
 * `npm start` runs: a demo household signs in with its phone code, links its identity from the
 * seller center (choosing the citizen on the provider's page), sees "Đã định danh", signs out,
 * signs in again with the identity alone, and removes the link; a citizen with no linked
 * account is led to the phone sign-in.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

// Hộ Hoàng Văn Dũng, an independent demo household; the demo citizen of the same name.
const PHONE = '0987 000 203';
const CITIZEN = 'Hoàng Văn Dũng';

let exchange: RunningExchange;
let browser: Browser;

beforeAll(async () => {
  exchange = await startSiteExchange();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function latestCode(phone: string): Promise<string> {
  const e164 = `+84${phone.replace(/\D/g, '').slice(1)}`;
  const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
  const message = inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code');
  return /(\d{6})/.exec(message!.text)![1]!;
}

async function chooseCitizen(page: Page, citizen = CITIZEN): Promise<void> {
  await page.waitForURL((url) => url.origin === exchange.identity.issuer);
  expect(await page.locator('h1').innerText()).toContain('Định danh điện tử');
  await page.getByLabel(new RegExp(citizen)).check();
  await page.getByRole('button', { name: 'Xác nhận và quay lại sàn' }).click();
}

describe('a household links its digital identity and signs in with it', () => {
  it('links from the seller center, sees "đã định danh", signs out and signs in by identity', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${exchange.url}/ban-hang/`);
    await page.fill('#signin-phone', PHONE);
    await page.click('#phone-form button[type=submit]');
    await page.waitForSelector('#code-form:not([hidden])');
    await expect.poll(() => latestCode(PHONE).catch(() => null)).toBeTruthy();
    await page.fill('#signin-code', await latestCode(PHONE));
    await page.click('#code-form button[type=submit]');
    await page.waitForSelector('#signed-in:not([hidden])');

    await page.waitForSelector('#identity-status:not([hidden])');
    await page.getByRole('button', { name: 'Liên kết định danh điện tử' }).click();
    await chooseCitizen(page);
    await page.waitForURL(/\/dang-nhap\/dinh-danh\/$/);
    await expect.poll(() => page.locator('#identity-finish').innerText()).toContain('Đã định danh');
    // The single-use code is out of the address bar.
    expect(new URL(page.url()).search).toBe('');
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    await page.getByRole('link', { name: 'Về Kênh người bán' }).click();
    await page.waitForSelector('#identity-status:not([hidden])');
    expect(await page.locator('#identity-status').innerText()).toMatch(/Đã định danh[\s\S]*Hoàng Văn Dũng/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Sign out: the session is gone; the sign-in page offers the identity.
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${exchange.url}/ban-hang/`);
    await page.waitForSelector('#signed-out:not([hidden])');
    await page.getByRole('button', { name: 'Đăng nhập bằng định danh điện tử' }).click();
    await chooseCitizen(page);
    await page.waitForURL(`${exchange.url}/ban-hang/`);
    await page.waitForSelector('#signed-in:not([hidden])');
    await page.waitForSelector('#identity-status:not([hidden])');
    expect(await page.locator('#identity-status').innerText()).toContain('Đã định danh');

    // "Hủy liên kết định danh": confirmed, the account is back to the button to link.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Hủy liên kết định danh' }).click();
    await expect.poll(() => page.locator('#identity-status').innerText()).toContain('Đã hủy liên kết');
    expect(await page.getByRole('button', { name: 'Liên kết định danh điện tử' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Hủy liên kết định danh' }).isVisible()).toBe(false);

    // A return link this browser did not start (someone else's code and state) is refused here.
    await page.goto(`${exchange.url}/dang-nhap/dinh-danh/?code=abc&state=${'x'.repeat(43)}`);
    await expect
      .poll(() => page.locator('#identity-finish').innerText())
      .toContain('không bắt đầu từ trình duyệt này');
    await context.close();
  });

  it('tells a citizen whose identity is not linked to sign in with the phone first, and leads there', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${exchange.url}/ban-hang/`);
    await page.waitForSelector('#signed-out:not([hidden])');
    await page.getByRole('button', { name: 'Đăng nhập bằng định danh điện tử' }).click();
    // A demo citizen with no account on the exchange.
    await chooseCitizen(page, 'Lương Thị Mai');
    await page.waitForURL(/\/dang-nhap\/dinh-danh\/$/);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toContain('chưa liên kết với tài khoản nào');
    expect(await alert.innerText()).toContain('Liên kết định danh điện tử');
    const next = page.getByRole('link', { name: 'Đăng nhập bằng số điện thoại' });
    await next.click();
    await page.waitForURL(`${exchange.url}/ban-hang/`);
    await page.waitForSelector('#phone-form');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });
});
