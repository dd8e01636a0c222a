/**
 * The storefront on a cheap phone (360 × 740, real Chromium): a compact header, products on the
 * first screen in two columns, the product page's buy bar and "Mua ngay", cart thumbnails, the
 * commune picker's former names and Tab, English labels, and axe-core on the policy pages and 404.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const PHONE = { width: 360, height: 740 };
const PRODUCT = 'che-dinh-tan-cuong-thuong-hang';
let exchange: RunningExchange;
let browser: Browser;

beforeAll(async () => {
  exchange = await startSiteExchange();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

async function withPhone<T>(
  run: (page: Page, context: BrowserContext) => Promise<T>,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<T> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    ...options,
  });
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Top and bottom of an element relative to the viewport. */
const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    });

describe('the storefront at 360 × 740', () => {
  it('the header is under 120 px and a whole product card shows on the first screen, home and category, both languages', async () => {
    await withPhone(async (page) => {
      for (const path of ['/', '/san-pham/danh-muc/che-dinh/', '/en/', '/en/san-pham/danh-muc/che-dinh/']) {
        await page.goto(`${exchange.url}${path}`);
        const header = await box(page, '.site-header');
        expect(header.height, path).toBeLessThan(120);
        // Logo, search, cart with its count and one menu, all in the header.
        for (const part of ['.brand', '.site-search input', 'a[data-cart-link]', '.site-menu > summary']) {
          const b = await box(page, `.site-header ${part}`);
          expect(b.bottom, `${path} ${part}`).toBeLessThanOrEqual(header.bottom);
        }
        const card = await box(page, 'main .card');
        expect(card.bottom, path).toBeLessThanOrEqual(PHONE.height);
        // Two columns: the second card sits beside the first.
        const cards = await page
          .locator('main .grid')
          .first()
          .locator('.card')
          .evaluateAll((els) => els.slice(0, 2).map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
        expect(cards[1]!.top, path).toBe(cards[0]!.top);
        expect(cards[1]!.left, path).toBeGreaterThan(cards[0]!.right);
        expect(cards[0]!.width, path).toBeGreaterThan(150);
      }
    });
  });

  it('the one menu opens without JavaScript and holds the links and the language switch', async () => {
    await withPhone(
      async (page) => {
        await page.goto(`${exchange.url}/`);
        const products = page.locator('.site-nav').getByRole('link', { name: 'Sản phẩm' });
        await expect.poll(() => products.isVisible()).toBe(false);
        await page.locator('.site-menu > summary').click();
        await expect.poll(() => products.isVisible()).toBe(true);
        expect(await page.locator('.site-nav').getByRole('link', { name: 'English' }).isVisible()).toBe(true);
        await products.click();
        await page.waitForURL(/\/san-pham\/$/);
        expect(await page.locator('main .card').count()).toBeGreaterThan(3);
      },
      { javaScriptEnabled: false },
    );
  });

  it('the product page shows a buy bar without scrolling; "Mua ngay" reaches checkout with the chosen pack', async () => {
    await withPhone(async (page) => {
      await page.goto(`${exchange.url}/san-pham/${PRODUCT}/`);
      const bar = page.locator('[data-buy-bar]');
      const b = await box(page, '[data-buy-bar]');
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.bottom).toBeLessThanOrEqual(PHONE.height);
      for (const name of ['Thêm vào giỏ', 'Mua ngay']) {
        const button = bar.getByRole('button', { name });
        expect(await button.isVisible(), name).toBe(true);
        const r = await button.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        expect(r.bottom, name).toBeLessThanOrEqual(PHONE.height);
        expect(r.height, name).toBeGreaterThanOrEqual(44);
      }
      // The bar shows the chosen pack's price, and follows a new choice.
      await page.getByRole('radio', { name: /^200 g/ }).check();
      await expect.poll(() => bar.locator('[data-bar-price]').innerText()).toMatch(/200 g\s+920\.000\s₫/);
      // Every pack's price is shown whole beside the two buttons, the largest included.
      for (const radio of await page.getByRole('radio').all()) {
        await radio.check();
        const price = bar.locator('[data-bar-price] strong');
        const cut = await price.evaluate((el) => el.scrollWidth > el.clientWidth);
        expect(cut, await price.innerText()).toBe(false);
      }
      await page.getByRole('radio', { name: /^200 g/ }).check();

      await bar.getByRole('button', { name: 'Mua ngay' }).click();
      await page.waitForURL(/\/thanh-toan\/$/);
      await page.waitForSelector('#checkout:not([hidden])');
      const summary = page.locator('main');
      await expect.poll(() => summary.innerText()).toContain('Chè đinh Tân Cương thượng hạng');
      expect(await summary.innerText()).toMatch(/200 g/);
      expect(await page.locator('[data-cart-count]').first().textContent()).toBe('1');
    });
  });

  it('cart lines show a thumbnail of the product', async () => {
    await withPhone(async (page) => {
      await page.goto(`${exchange.url}/san-pham/${PRODUCT}/`);
      await page.locator('[data-buy-bar]').getByRole('button', { name: 'Thêm vào giỏ' }).click();
      await expect.poll(() => page.locator('[data-status]').innerText()).toContain('Đã thêm');
      await page.goto(`${exchange.url}/gio-hang/`);
      const thumb = page.locator('.cart-line img.cart-line__thumb').first();
      await expect.poll(() => thumb.count()).toBe(1);
      await expect
        .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
      expect(await thumb.getAttribute('src')).toMatch(/^\/media\/.+\.webp$/);
      const r = await thumb.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
      expect(r.width).toBeGreaterThan(40);
      // A cart saved before thumbnails existed gets them from the catalog when the cart is rechecked.
      await page.evaluate(() => {
        const cart = JSON.parse(localStorage.getItem('tn.cart.v1')!) as { lines: { image?: string }[] };
        for (const line of cart.lines) delete line.image;
        localStorage.setItem('tn.cart.v1', JSON.stringify(cart));
      });
      await page.reload();
      await expect.poll(() => page.locator('.cart-line img.cart-line__thumb').count()).toBe(1);
    });
  });
});

describe('the commune picker at checkout', () => {
  async function checkoutWithCart(page: Page) {
    await page.goto(`${exchange.url}/san-pham/${PRODUCT}/`);
    const form = page.locator('form[data-add-to-cart]');
    await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await expect.poll(() => form.locator('[data-status]').innerText()).toContain('Đã thêm');
    await page.goto(`${exchange.url}/thanh-toan/`);
    await page.waitForSelector('#checkout:not([hidden])');
  }

  it('a former ward name finds the 2025 ward it became; a name that is neither says names changed in 2025', async () => {
    await withPhone(async (page) => {
      await checkoutWithCart(page);
      await page.selectOption('#co-province', { label: 'Thành phố Hà Nội' });
      await page.fill('#co-commune', 'Dịch Vọng');
      // The list first shows the province's communes, then the matches for what was typed.
      const option = page
        .locator('#co-commune-list')
        .getByRole('option', { name: 'Phường Cầu Giấy — trước đây Phường Dịch Vọng, Quận Cầu Giấy' });
      await expect.poll(() => option.count()).toBe(1);
      await option.click();
      await expect.poll(() => page.locator('[data-commune-code]').inputValue()).toBe('00166');
      expect(await page.inputValue('#co-commune')).toBe('Phường Cầu Giấy');

      // In Thái Nguyên: a commune of the former Bắc Kạn province, then a former district.
      await page.selectOption('#co-province', { label: 'Tỉnh Thái Nguyên' });
      await page.fill('#co-commune', 'nguyen thi minh khai');
      const options = page.locator('#co-commune-list').getByRole('option');
      await expect
        .poll(() => options.allInnerTexts())
        .toEqual(['Phường Đức Xuân — trước đây Phường Nguyễn Thị Minh Khai, Thành Phố Bắc Kạn']);
      await page.fill('#co-commune', 'Huyện Đại Từ');
      await expect
        .poll(() => options.allInnerTexts())
        .toContain('Xã La Bằng — trước đây Huyện Đại Từ, Tỉnh Thái Nguyên');

      await page.fill('#co-commune', 'Xã Không Có Thật');
      await expect
        .poll(() => page.locator('#co-commune-list').innerText())
        .toContain('Tên xã, phường đã thay đổi từ 1/7/2025');
    });
  });

  it('Tab from the empty commune field moves to the next field', async () => {
    await withPhone(async (page) => {
      await checkoutWithCart(page);
      await page.focus('#co-commune');
      await expect.poll(() => page.locator('#co-commune-list').isVisible()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-street');
      // And back again, then forward once more: still the street field.
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-commune');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-street');
    });
  });
});

describe('English pages', () => {
  it('categories and seasons are in English, the unit price reads well, the search placeholder fits', async () => {
    await withPhone(async (page) => {
      await page.goto(`${exchange.url}/en/san-pham/`);
      const categories = await page.locator('nav.filter a').allInnerTexts();
      expect(categories.join(' | ')).toContain('Young shoot tea');
      for (const word of ['Non tea', 'Dinh', 'Tom non', 'Moc cau', 'Bup']) {
        expect(categories.join(' | ')).not.toContain(word);
      }

      await page.goto(`${exchange.url}/en/`);
      const season = await page.locator('section[aria-labelledby="season-title"] .section-head').innerText();
      expect(season).toMatch(/Lots from (Spring|Summer|Autumn) 2026 harvest/);
      expect(season).not.toMatch(/Vụ/);

      await page.goto(`${exchange.url}/en/san-pham/${PRODUCT}/`);
      const main = await page.locator('main').innerText();
      expect(main).not.toContain('Works out at');
      expect(main).toMatch(/Unit price: from [\d.]+\s₫\/100 g/);
      expect(main).toMatch(/(Spring|Summer|Autumn) 2026 harvest/);

      for (const path of ['/', '/en/']) {
        await page.goto(`${exchange.url}${path}`);
        const fits = await page.locator('#site-q').evaluate((input: HTMLInputElement) => {
          const style = getComputedStyle(input);
          const context = document.createElement('canvas').getContext('2d')!;
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return { text: context.measureText(input.placeholder).width, room };
        });
        expect(fits.text, path).toBeLessThanOrEqual(fits.room);
      }
    });
  });
});

describe('axe-core at 360 px', () => {
  it('finds no violation on the shipping, returns, privacy and 404 pages, in either language', async () => {
    const found: string[] = [];
    await withPhone(async (page) => {
      for (const path of ['/giao-hang/', '/doi-tra/', '/quyen-rieng-tu/', '/khong-co-trang-nay/']) {
        for (const url of [path, `/en${path}`]) {
          const res = await page.goto(`${exchange.url}${url}`);
          expect(res?.status(), url).toBe(path.startsWith('/khong') ? 404 : 200);
          await page.waitForLoadState('networkidle');
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const v of violations)
            found.push(`${url}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
        }
      }
    });
    expect(found).toEqual([]);
  }, 180_000);
});
