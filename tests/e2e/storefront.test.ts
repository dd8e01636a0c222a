import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { catalogCache } from '../../functions/catalog/app.ts';
import { startExchange, type RunningExchange } from '../../infra/local/runtime.ts';
import { db } from '../../shared/db/client.ts';
import { launchChromium } from './browser.ts';

const VND = /\d{1,3}(?:\.\d{3})+\s?₫/;
let exchange: RunningExchange;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  exchange = await startExchange({
    port: 0,
    mediaDir: mkdtempSync(join(tmpdir(), 'media-')),
    site: 'always',
  });
  browser = await launchChromium();
  // A phone-sized viewport: the storefront is mobile-first.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

describe('storefront in Chromium, served by the local runtime', () => {
  it('home page shows Vietnamese content with products and VND prices', async () => {
    const response = await page.goto(`${exchange.url}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/Thái Nguyên/);
    expect(text).toMatch(/OCOP/);
    expect(text).toMatch(VND);
    expect(await page.locator('a[href*="/san-pham/"]').count()).toBeGreaterThan(3);
  });

  it('product page shows the name, pack prices and a photo from /media', async () => {
    const response = await page.goto(`${exchange.url}/san-pham/che-dinh-tan-cuong-thuong-hang/`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').innerText()).resolves.toBe('Chè đinh Tân Cương thượng hạng');
    const text = await page.locator('main').innerText();
    expect(text).toContain('480.000');
    expect(text).toMatch(VND);
    const image = page.locator('main img').first();
    await image.scrollIntoViewIfNeeded();
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
  });

  it('a product reached from the catalog page opens', async () => {
    await page.goto(`${exchange.url}/san-pham/`);
    const first = page.locator('main .card__title a').first();
    const name = (await first.innerText()).trim();
    await first.click();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toMatch(/\/san-pham\/[a-z0-9-]+\/$/);
    expect(await page.locator('h1').innerText()).toBe(name);
  });

  it('robots.txt points at a sitemap whose every page exists', async () => {
    const robots = await (await fetch(`${exchange.url}/robots.txt`)).text();
    expect(robots).toContain('Disallow: /ban-hang/');
    const sitemapUrl = /^Sitemap: (.+)$/m.exec(robots)?.[1];
    expect(sitemapUrl).toMatch(/\/sitemap\.xml$/);
    const xml = await (await fetch(`${exchange.url}/sitemap.xml`)).text();
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs).toContain('/san-pham/che-dinh-tan-cuong-thuong-hang/');
    expect(locs.some((path) => path.startsWith('/truy-xuat/'))).toBe(true);
    expect(locs.some((path) => path.startsWith('/nha-san-xuat/') && path !== '/nha-san-xuat/')).toBe(true);
    for (const path of locs) {
      const res = await fetch(`${exchange.url}${path}`);
      expect(res.status, path).toBe(200);
    }
  });

  it('pages describe themselves to search engines: Organization, Product with VND offers, breadcrumbs', async () => {
    const jsonLd = async (path: string) => {
      await page.goto(`${exchange.url}${path}`);
      const texts = await page.locator('script[type="application/ld+json"]').allTextContents();
      return texts.map((t) => JSON.parse(t) as Record<string, unknown> & { '@type': string });
    };
    const home = await jsonLd('/');
    expect(home.find((d) => d['@type'] === 'Organization')).toMatchObject({ name: 'Sàn OCOP Thái Nguyên' });
    const product = await jsonLd('/san-pham/che-dinh-tan-cuong-thuong-hang/');
    const offer = product.find((d) => d['@type'] === 'Product')?.offers as Record<string, unknown>;
    expect(offer).toMatchObject({ '@type': 'AggregateOffer', priceCurrency: 'VND' });
    expect(Number(offer.lowPrice)).toBeGreaterThan(0);
    const crumbs = product.find((d) => d['@type'] === 'BreadcrumbList')?.itemListElement as {
      position: number;
      name: string;
      item: string;
    }[];
    expect(crumbs.map((c) => c.position)).toEqual([1, 2, 3, 4]);
    expect(crumbs[0]!.name).toBe('Trang chủ');
    expect(new URL(crumbs.at(-1)!.item).pathname).toBe('/san-pham/che-dinh-tan-cuong-thuong-hang/');
  });

  it('a crawl from the home page finds no broken internal link and no page without title, description or lang', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const problems: string[] = [];
    while (queue.length > 0) {
      const path = queue.shift()!;
      const res = await fetch(`${exchange.url}${path}`);
      if (res.status !== 200) {
        problems.push(`${path}: HTTP ${res.status}`);
        continue;
      }
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = await res.text();
      if (!/<html[^>]* lang="vi"/.test(html)) problems.push(`${path}: no lang`);
      if (!/<title>[^<]+<\/title>/.test(html)) problems.push(`${path}: no title`);
      if (!/<meta name="description" content="[^"]+"/.test(html)) problems.push(`${path}: no description`);
      for (const [, raw] of html.matchAll(/<a [^>]*href="([^"]+)"/g)) {
        const url = new URL(raw!.replace(/&amp;/g, '&'), `${exchange.url}${path}`);
        if (
          url.origin !== exchange.url ||
          url.pathname.startsWith('/api/') ||
          url.pathname.startsWith('/dev/')
        )
          continue;
        if (!seen.has(url.pathname)) {
          seen.add(url.pathname);
          queue.push(url.pathname);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(60);
    for (const page of ['/gioi-thieu/', '/giao-hang/', '/doi-tra/', '/quyen-rieng-tu/', '/don-hang/']) {
      expect(seen.has(page), page).toBe(true);
    }
  });

  it('a product’s link preview is a 1200×630 card generated with sharp', async () => {
    await page.goto(`${exchange.url}/san-pham/che-dinh-tan-cuong-thuong-hang/`);
    const og = await page.locator('meta[property="og:image"]').getAttribute('content');
    expect(new URL(og!).pathname).toBe('/og/che-dinh-tan-cuong-thuong-hang.jpg');
    const res = await fetch(`${exchange.url}/og/che-dinh-tan-cuong-thuong-hang.jpg`);
    expect(res.status).toBe(200);
    const card = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(card).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 630]);
  });

  it('a price or stock changed after the build shows on the product page without a rebuild', async () => {
    const slug = 'che-dinh-tan-cuong-thuong-hang';
    const product = (await (await fetch(`${exchange.url}/api/catalog/products/${slug}`)).json()) as {
      id: string;
      variants: { id: string; price: number }[];
    };
    const pack = product.variants[0]!;
    const newPrice = pack.price + 7_000;
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCT#${product.id}`, sk: `VARIANT#${pack.id}` },
        UpdateExpression: 'SET price = :p, stock = :s',
        ExpressionAttributeValues: { ':p': newPrice, ':s': 0 },
      }),
    );
    catalogCache.clear();
    await page.goto(`${exchange.url}/san-pham/${slug}/`);
    const row = page.locator(`tr[data-pack="${pack.id}"]`);
    await expect.poll(() => row.locator('[data-price] data').getAttribute('value')).toBe(String(newPrice));
    await expect.poll(() => row.locator('[data-stock]').innerText()).toBe('Hết hàng');
  });
});
