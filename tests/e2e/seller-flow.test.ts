/**
 * The producers' path end to end in Chromium at a 360×740 phone viewport: a new household signs
 * up (code from the dev inbox), asks to join a demo cooperative, the manager approves, the
 * household lists a product with a photo, the manager approves it, and it is on sale.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const HOUSEHOLD_PHONE = '0981 234 567';
const MANAGER_PHONE = '0912 000 101';
const PRODUCT = 'Chè nõn Tân Cương của hộ Lan';

let exchange: RunningExchange;
let browser: Browser;
let photo: string;

beforeAll(async () => {
  exchange = await startSiteExchange();
  browser = await launchChromium();
  photo = join(mkdtempSync(join(tmpdir(), 'photo-')), 'che.jpg');
  writeFileSync(
    photo,
    await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#5b8f4e' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="2000" height="1500"><ellipse cx="1000" cy="750" rx="600" ry="300" fill="#2f6b3a"/></svg>',
          ),
        },
      ])
      .jpeg()
      .toBuffer(),
  );
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  return context.newPage();
}

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

describe('a household gets onto the exchange, on a phone', () => {
  let household: Page;
  let manager: Page;

  it('signs up as a household in Xã Tân Cương and asks to join the cooperative', async () => {
    household = await phonePage();
    await signIn(household, HOUSEHOLD_PHONE);
    await household.waitForSelector('#onboarding:not([hidden])');
    await household.fill('#signup-name', 'Hộ Đặng Thị Lan');
    await household.click('#signup-commune');
    await household.type('#signup-commune', 'tan cuong', { delay: 10 });
    await household.keyboard.press('ArrowDown');
    await household.keyboard.press('Enter');
    await household.fill('#signup-street', 'Xóm Hồng Thái 2');
    await household.click('#signup-form button[type=submit]');
    await household.waitForSelector('#profile:not([hidden])');
    expect(await household.locator('#profile').innerText()).toContain('Xã Tân Cương');
    await household.selectOption('#join-coop', 'htx-che-tan-cuong-xanh');
    await household.click('#join-form button[type=submit]');
    await expect.poll(() => household.locator('#membership-status').innerText()).toMatch(/Chờ|chờ/);
  });

  it('is approved by the cooperative manager on the board', async () => {
    manager = await phonePage();
    await signIn(manager, MANAGER_PHONE);
    await manager.goto(`${exchange.url}/hop-tac-xa/`);
    const card = manager.locator('#member-queue .qcard', { hasText: 'Hộ Đặng Thị Lan' });
    await card.waitFor();
    await card.locator('.decide__buttons button.btn--primary').first().click();
    await expect.poll(() => card.innerText()).toContain('Đã duyệt');
  });

  it('lists a product with a photo and sends it for review', async () => {
    await household.goto(`${exchange.url}/ban-hang/san-pham/`);
    await household.click('a[href="#moi"]');
    await household.waitForSelector('#view-new:not([hidden])');
    await household.selectOption('#new-category', 'che-non');
    await household.fill('#new-name-vi', PRODUCT);
    await household.fill('#new-desc-vi', 'Chè nõn hái tay, sao chảo gang.');
    const pack = household.locator('#new-form .pack-editor').first();
    await pack.locator('[data-part=grams]').fill('200');
    await pack.locator('[data-part=price]').fill('180.000');
    await pack.locator('[data-part=stock]').fill('12');
    await household.click('#new-form [data-submit]');
    await household.waitForSelector('#view-product:not([hidden]) #tab-anh:not([hidden])');
    await household.setInputFiles('#photo-library', photo);
    await expect
      .poll(() => household.locator('#upload-list').innerText(), { timeout: 30_000 })
      .toContain('Xong');
    await household.click('#product-head button:has-text("Gửi duyệt")');
    // The submit is one API call; on a busy machine it may take a few seconds.
    await expect
      .poll(() => household.locator('#product-head').innerText(), { timeout: 15_000 })
      .toMatch(/Chờ duyệt/);
  });

  it('is approved by the manager and goes on sale, in the API and on the storefront', async () => {
    await manager.goto(`${exchange.url}/hop-tac-xa/`);
    const card = manager.locator('#listing-queue .qcard', { hasText: PRODUCT });
    await card.waitFor();
    await card.locator('.decide__buttons button.btn--primary').first().click();
    await expect.poll(() => card.innerText()).toContain('Đã duyệt');

    type Found = {
      items: { slug: string; name: { vi: string }; images: unknown[]; producer: { name: string } }[];
    };
    const search = async () =>
      (
        (await (
          await fetch(
            `${exchange.url}/api/catalog/products?q=${encodeURIComponent('che non tan cuong ho lan')}`,
          )
        ).json()) as Found
      ).items.find((i) => i.name.vi === PRODUCT);
    await expect.poll(search, { timeout: 60_000 }).toBeTruthy();
    const listed = await search();
    expect(listed).toMatchObject({ producer: { name: 'Hộ Đặng Thị Lan' } });
    expect(listed!.images).toHaveLength(1);

    // No rebuild: its page is rendered on request.
    const shopper = await phonePage();
    const res = await shopper.goto(`${exchange.url}/san-pham/${listed!.slug}/`);
    expect(res?.status()).toBe(200);
    expect(await shopper.locator('h1').innerText()).toBe(PRODUCT);
    expect(await shopper.locator('main').innerText()).toContain('180.000');
  });
});
