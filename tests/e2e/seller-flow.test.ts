/**
 * The producers' path end to end in Chromium at a 360×740 phone viewport: a new household signs
 * up (code from the dev inbox; a reload on the code step keeps it), asks to join a demo
 * cooperative, the manager approves, the household lists a product (price typed "180k") with a
 * camera-sized photo shrunk on the phone before upload, orders its photos, the manager approves
 * it (the card's status pill follows), the household hears it by SMS, and it is on sale. The
 * seller center and admin screens, as built, carry no English and pass axe-core at 360 px.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const HOUSEHOLD_PHONE = '0981 234 567';
const MANAGER_PHONE = '0912 000 101';
const ADMIN_PHONE = '0900 000 001';
const PRODUCT = 'Chè nõn Tân Cương của hộ Lan';

let exchange: RunningExchange;
let browser: Browser;
let photo: string;
/** A camera-sized photo: 4,000 × 3,000 px, several MB. */
let cameraPhoto: string;

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
  cameraPhoto = join(mkdtempSync(join(tmpdir(), 'photo-')), 'IMG_0001.jpg');
  writeFileSync(
    cameraPhoto,
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: '#5b8f4e',
        noise: { type: 'gaussian', mean: 110, sigma: 28 },
      },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg width="4000" height="3000"><rect width="4000" height="3000" fill="#5b8f4e" opacity="0.8"/>' +
              '<ellipse cx="2000" cy="1500" rx="1200" ry="700" fill="#1e4d2b" opacity="0.7"/></svg>',
          ),
        },
      ])
      .jpeg({ quality: 98 })
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

async function signIn(page: Page, phone: string, reloadOnCodeStep = false): Promise<void> {
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.fill('#signin-phone', phone);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  if (reloadOnCodeStep) {
    // The code is still valid: a reload stays on the code step, the number filled in.
    await page.reload();
    await page.waitForSelector('#code-form:not([hidden])');
    expect(await page.isHidden('#phone-form')).toBe(true);
    expect(await page.locator('#code-phone').innerText()).toBe(phone);
    expect(await page.inputValue('#signin-phone')).toBe(phone);
  }
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
    await signIn(household, HOUSEHOLD_PHONE, true);
    const e164 = `+84${HOUSEHOLD_PHONE.replace(/\D/g, '').slice(1)}`;
    const sms = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as { to: string; text: string }[];
    const codeText = sms.find((m) => m.to === e164)!.text;
    expect(codeText).toMatch(/^Mã đăng nhập Sàn OCOP Thái Nguyên: \d{6}\./);
    expect(codeText).not.toMatch(/ \/ |Your/);
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
    // Prices as people type them are read back before saving.
    const price = pack.locator('[data-part=price]');
    const preview = pack.locator('.price-preview');
    await price.fill('1tr8');
    expect((await preview.innerText()).replace(/\s/g, ' ')).toBe('= 1.800.000 ₫');
    await price.fill('1,8 triệu');
    expect((await preview.innerText()).replace(/\s/g, ' ')).toBe('= 1.800.000 ₫');
    await price.fill('180k');
    expect((await preview.innerText()).replace(/\s/g, ' ')).toBe('= 180.000 ₫');
    await pack.locator('[data-part=stock]').fill('12');
    await household.click('#new-form [data-submit]');
    await household.waitForSelector('#view-product:not([hidden]) #tab-anh:not([hidden])');

    // After "Lưu nháp": the message and the next steps are on the screen, not above or below it.
    const flash = household.locator('#product-flash');
    await flash.waitFor();
    expect(await flash.innerText()).toContain('Đã lưu nháp');
    for (const next of [
      flash,
      flash.locator('label:has-text("Thêm ảnh")'),
      flash.getByRole('button', { name: 'Gửi duyệt' }),
    ]) {
      const box = (await next.boundingBox())!;
      expect(box.y, 'in view at 360 × 740').toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(740);
    }

    // A camera photo is shrunk on the phone: the upload is a fraction of it, the server still processes it.
    const original = statSync(cameraPhoto).size;
    expect(original).toBeGreaterThan(4 * 1024 * 1024);
    const slots: { contentType: string; bytes: number }[] = [];
    household.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/photos'))
        slots.push(request.postDataJSON());
    });
    await household.setInputFiles('#photo-library', [cameraPhoto, photo]);
    await household.waitForSelector('#upload-list progress');
    await expect
      .poll(() => household.locator('#upload-list').innerText(), { timeout: 60_000 })
      .toMatch(/Xong[\s\S]*Xong/);
    const sent = Number(
      await household.locator('#upload-list [data-sent-bytes]').last().getAttribute('data-sent-bytes'),
    );
    expect(slots[0]).toMatchObject({ contentType: 'image/jpeg', bytes: sent });
    expect(sent).toBeLessThan(original / 5);
    expect(sent).toBeLessThan(1024 * 1024);
    expect(await household.locator('#upload-list').innerText()).toContain('ảnh gốc');

    // Two photos: the second becomes the cover, the first is deleted.
    const gallery = household.locator('#photo-gallery > li[data-photo]');
    await expect.poll(() => gallery.count(), { timeout: 15_000 }).toBe(2);
    const [first, second] = await gallery.evaluateAll((items) =>
      items.map((li) => li.getAttribute('data-photo')),
    );
    await household.getByRole('button', { name: 'Chọn ảnh 2 làm ảnh bìa' }).click();
    await expect.poll(() => gallery.first().getAttribute('data-photo')).toBe(second);
    expect(await gallery.first().innerText()).toContain('Ảnh bìa');
    household.once('dialog', (dialog) => void dialog.accept());
    await household.getByRole('button', { name: 'Xoá ảnh 2' }).click();
    await expect.poll(() => gallery.count()).toBe(1);
    expect(await gallery.first().getAttribute('data-photo')).toBe(second);
    expect(first).not.toBe(second);

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
    expect(await card.locator('.status-pill').innerText()).toBe('Chờ duyệt');
    await card.locator('.decide__buttons button.btn--primary').first().click();
    await expect.poll(() => card.innerText()).toContain('Đã duyệt');
    // The pill says what the listing is now, as the API answered.
    expect(await card.locator('.status-pill').innerText()).toBe('Đang bán');

    // The household is told by SMS, with an absolute link to the listing.
    const e164 = `+84${HOUSEHOLD_PHONE.replace(/\D/g, '').slice(1)}`;
    const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
      to: string;
      kind: string;
      text: string;
    }[];
    const notice = inbox.find((m) => m.to === e164 && m.kind === 'notification' && m.text.includes(PRODUCT));
    expect(notice?.text).toContain('đã được duyệt');
    expect(notice?.text).toContain(`Xem: ${exchange.url}/ban-hang/san-pham/#sp/`);
    expect(notice?.text).toMatch(/\/thong-tin$/);

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

  it('shows the seller center and admin screens in Vietnamese only, and axe-core finds no violation at 360 px', async () => {
    const admin = await phonePage();
    await signIn(admin, ADMIN_PHONE);
    const signedOut = await phonePage();
    const screens: [Page, string, string?][] = [
      [signedOut, '/ban-hang/'],
      [household, '/ban-hang/'],
      [household, '/ban-hang/san-pham/'],
      [household, '/ban-hang/san-pham/#moi'],
      [household, '/ban-hang/don-hang/'],
      [household, '/ban-hang/nhat-ky/'],
      [admin, '/quan-tri/'],
    ];
    const found: string[] = [];
    for (const [page, path, skip] of screens) {
      await page.goto(`${exchange.url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForSelector('#boot', { state: 'hidden' });
      const english = await page.evaluate((skipped) => {
        const shown = (el: Element) =>
          (el as HTMLElement).offsetParent !== null && !(skipped && el.closest(skipped));
        const body = document.body.cloneNode(true) as HTMLElement;
        if (skipped) body.querySelector(skipped)?.remove();
        for (const hidden of body.querySelectorAll('[hidden], script, style')) hidden.remove();
        return [
          ...[...document.querySelectorAll('.en, [lang=en]:not(input):not(textarea)')]
            .filter(shown)
            .map((el) => el.outerHTML.slice(0, 80)),
          ...(body.textContent?.match(/ \/ [A-Z][a-z]+[^\n]*/g) ?? []),
        ];
      }, skip ?? null);
      for (const e of english) found.push(`${path}: ${e}`);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations)
        found.push(`${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
    }
    // The product's photo tab, with its gallery controls.
    const listing = household.locator('#product-list a[href$="/anh"]').first();
    await household.goto(`${exchange.url}/ban-hang/san-pham/`);
    await listing.click();
    await household.waitForSelector('#tab-anh:not([hidden])');
    const { violations } = await new AxeBuilder({ page: household }).analyze();
    for (const v of violations)
      found.push(`#sp/…/anh: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
    expect(found).toEqual([]);
  }, 180_000);
});
