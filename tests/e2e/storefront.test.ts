import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { catalogCache } from '../../functions/catalog/app.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { db } from '../../shared/db/client.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import { createMockProduct, createMockVariant } from '../fixtures.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const VND = /\d{1,3}(?:\.\d{3})+\s?₫/;
let exchange: RunningExchange;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  exchange = await startSiteExchange();
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
    // Tea from the latest harvest (the demo lots are from spring and summer 2026).
    expect(await page.locator('#season-title').innerText()).toBe('Chè vụ mới');
    expect(await page.locator('section[aria-labelledby="season-title"] .card').count()).toBeGreaterThan(0);
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

  it('before its largest paint a page fetches its one preloaded photo, the rendition its <img> shows, and no script', async () => {
    // What Lighthouse's slow-4G LCP counts (README "Auditing the storefront"): at 360 × 740, DPR 2.
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    const phone = await context.newPage();
    try {
      const photoPages = {
        '/': 'main .card img',
        '/en/': 'main .card img',
        '/san-pham/che-dinh-tan-cuong-thuong-hang/': '.gallery__main img',
        '/nha-san-xuat/ho-nguyen-van-thanh/': 'main .card img',
      };
      for (const [path, firstPhoto] of Object.entries(photoPages)) {
        // A first visit: nothing in the browser's caches from the pages before.
        await context.clearCookies();
        await phone.goto('about:blank');
        const cdp = await context.newCDPSession(phone);
        await cdp.send('Network.clearBrowserCache');
        await cdp.detach();
        await phone.goto(`${exchange.url}${path}`, { waitUntil: 'load' });
        const preloads = await phone.locator('head link[rel="preload"][as="image"]').evaluateAll((links) =>
          links.map((l) => ({
            srcset: l.getAttribute('imagesrcset'),
            sizes: l.getAttribute('imagesizes'),
            priority: l.getAttribute('fetchpriority'),
          })),
        );
        expect(preloads, path).toHaveLength(1);
        const img = phone.locator(firstPhoto).first();
        const shown = await img.evaluate((el: HTMLImageElement) => ({
          src: new URL(el.currentSrc).pathname,
          sizes: el.sizes,
          avif: el.parentElement!.querySelector('source[type="image/avif"]')!.getAttribute('srcset'),
          loading: el.loading,
          priority: el.getAttribute('fetchpriority'),
        }));
        expect(preloads[0], path).toEqual({ srcset: shown.avif, sizes: shown.sizes, priority: 'high' });
        expect(shown, path).toMatchObject({ loading: 'eager', priority: 'high' });
        // The preload and the <img> agree: the preload fetched the very rendition the page shows.
        expect(shown.src, path).toMatch(/\.avif$/);
        const preloaded = await phone.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'link')
            .map((e) => new URL(e.name).pathname),
        );
        expect(preloaded, path).toEqual([shown.src]);
      }

      // No script is fetched before the largest paint: the layout's one script is inline (allowed by
      // its hash), and the catalog's and product page's islands wait as templates until the largest
      // photo is in and painted (site/src/shop/after-paint.ts), then run.
      const { lots } = (await (
        await fetch(`${exchange.url}/api/catalog/products/che-dinh-tan-cuong-thuong-hang`)
      ).json()) as { lots: { traceCode: string }[] };
      const product = '/san-pham/che-dinh-tan-cuong-thuong-hang/';
      for (const path of ['/', '/san-pham/', product, '/en/san-pham/', `/truy-xuat/${lots[0]!.traceCode}/`]) {
        await phone.goto(`${exchange.url}${path}`);
        expect(await phone.locator('head script[src]').count(), path).toBe(0);
        const inline = await phone
          .locator('script:not([src]):not([type="application/ld+json"])')
          .evaluateAll((s) => s.map((el) => el.textContent ?? ''));
        expect(inline, path).toHaveLength(1);
        expect(inline[0], path).not.toMatch(/\bimport\b|\bfrom\s*["']/);
        // The islands ran (their templates became scripts) once the page was painted.
        await phone.waitForFunction(() => !document.querySelector('template[data-module-src]'));
        const timing = await phone.evaluate(async () => {
          const lcp = await new Promise<number>((done) =>
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              done(entries[entries.length - 1]!.startTime);
            }).observe({ type: 'largest-contentful-paint', buffered: true }),
          );
          const scripts = performance
            .getEntriesByType('resource')
            .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script')
            .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime }));
          return { lcp, scripts };
        });
        expect(
          timing.scripts.filter((s) => s.start < timing.lcp),
          `${path}: scripts fetched before the largest paint at ${timing.lcp.toFixed(0)} ms`,
        ).toEqual([]);
        if (path.includes('san-pham'))
          expect(timing.scripts.length, `${path}: its islands' scripts`).toBeGreaterThan(0);
      }
      // The product page's buttons are enabled once its islands are wired.
      await phone.goto(`${exchange.url}${product}`);
      const buy = phone.getByRole('button', { name: 'Thêm vào giỏ' });
      await buy.click();
      expect(await phone.locator('[data-status]').first().textContent()).toMatch(/Đã thêm 1 ×/);
      await phone.evaluate(() => localStorage.clear());
      // The badge still counts the cart kept on the device.
      await phone.evaluate(() =>
        localStorage.setItem(
          'tn.cart.v1',
          JSON.stringify({
            lines: [
              {
                variantId: 'v',
                quantity: 3,
                productSlug: 's',
                productName: 'n',
                pack: '100 g',
                producerName: 'p',
                price: 1000,
              },
            ],
          }),
        ),
      );
      await phone.reload();
      expect(await phone.locator('[data-cart-count]').first().textContent()).toBe('3');
      expect(await phone.locator('[data-cart-sr]').first().textContent()).toBe(', 3 gói');
    } finally {
      await context.close();
    }
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
    // A sitemap index: its files hold the pages.
    const index = await (await fetch(`${exchange.url}/sitemap.xml`)).text();
    expect(index).toContain('<sitemapindex');
    const files = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(files[0]).toBe('/sitemap-1.xml');
    let xml = '';
    for (const file of files) {
      const res = await fetch(`${exchange.url}${file}`);
      expect(res.status, file).toBe(200);
      xml += await res.text();
    }
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs).toContain('/san-pham/che-dinh-tan-cuong-thuong-hang/');
    expect(locs).toContain('/en/san-pham/che-dinh-tan-cuong-thuong-hang/');
    // Each page names its twin in the other language.
    expect(xml).toMatch(
      /<loc>[^<]*\/en\/san-pham\/che-dinh-tan-cuong-thuong-hang\/<\/loc>[^\n]*hreflang="vi" href="[^"]*\/san-pham\/che-dinh-tan-cuong-thuong-hang\/"/,
    );
    // Lot pages are linked from their product page, not listed (the sitemap is rendered on request).
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
      const lang = path.startsWith('/en/') ? 'en' : 'vi';
      if (!new RegExp(`<html[^>]* lang="${lang}"`).test(html)) problems.push(`${path}: no lang="${lang}"`);
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
    expect(seen.size).toBeGreaterThan(120);
    for (const page of [
      '/gioi-thieu/',
      '/giao-hang/',
      '/doi-tra/',
      '/quyen-rieng-tu/',
      '/don-hang/',
      '/tim-kiem/',
    ]) {
      expect(seen.has(page), page).toBe(true);
      expect(seen.has(`/en${page}`), `/en${page}`).toBe(true);
    }
    // Sorted and paged listings are reachable by plain links.
    expect(seen.has('/san-pham/trang/2/')).toBe(true);
    expect(seen.has('/en/san-pham/sap-xep/gia-tang/')).toBe(true);
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

describe('English, search, listings and the phone flow', () => {
  it('the English site mirrors the Vietnamese one, and the switch keeps the page', async () => {
    await page.goto(`${exchange.url}/san-pham/che-dinh-tan-cuong-thuong-hang/`);
    const alternates = await page
      .locator('link[rel="alternate"][hreflang]')
      .evaluateAll((links) =>
        links.map((l) => `${l.getAttribute('hreflang')} ${new URL(l.getAttribute('href')!).pathname}`),
      );
    expect(alternates).toEqual([
      'vi /san-pham/che-dinh-tan-cuong-thuong-hang/',
      'en /en/san-pham/che-dinh-tan-cuong-thuong-hang/',
      'x-default /san-pham/che-dinh-tan-cuong-thuong-hang/',
    ]);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/en\/san-pham\/che-dinh-tan-cuong-thuong-hang\/$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Tan Cuong premium dinh tea');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Packs and prices');
    expect(text).toContain('Lots and origin');
    expect(text).toMatch(VND);
    // Links stay in English.
    const hrefs = await page
      .locator('main a[href^="/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(hrefs.filter((h) => !h.startsWith('/en/'))).toEqual([]);
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await page.waitForURL(/\/san-pham\/che-dinh-tan-cuong-thuong-hang\/$/);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
  });

  it('axe-core finds no accessibility violation on any page template, in either language', async () => {
    const trace = (await (
      await fetch(`${exchange.url}/api/catalog/products/che-tom-non-tan-cuong`)
    ).json()) as {
      lots: { traceCode: string }[];
    };
    const templates = [
      '/',
      '/san-pham/',
      '/san-pham/danh-muc/che-dinh/sap-xep/gia-tang/',
      '/san-pham/che-tom-non-tan-cuong/',
      '/nha-san-xuat/htx-che-tan-cuong-xanh/',
      `/truy-xuat/${trace.lots[0]!.traceCode}/`,
      '/tim-kiem/?q=che',
      '/gio-hang/',
      '/thanh-toan/',
      '/don-hang/',
      '/gioi-thieu/',
      '/thong-ke/',
    ];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const tab = await context.newPage();
    const found: string[] = [];
    try {
      for (const path of templates.flatMap((p) => [p, `/en${p}`])) {
        await tab.goto(`${exchange.url}${path}`);
        await tab.waitForLoadState('networkidle');
        const { violations } = await new AxeBuilder({ page: tab }).analyze();
        for (const v of violations)
          found.push(`${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
      }
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
  }, 300_000);

  it('a missing page answers 404 in the language of its path', async () => {
    for (const [path, lang, title] of [
      ['/khong-co-trang-nay/', 'vi', 'Không tìm thấy trang'],
      ['/en/no-such-page/', 'en', 'Page not found'],
    ] as const) {
      const res = await fetch(`${exchange.url}${path}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`<html lang="${lang}"`));
      expect(html).toMatch(new RegExp(`<h1>${title}</h1>`));
      expect(html).toContain('name="robots" content="noindex"');
    }
  });

  it('catalog filters, sort and pages are links that work without JavaScript', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const noJs = await context.newPage();
    try {
      await noJs.goto(`${exchange.url}/san-pham/`);
      const prices = () =>
        noJs
          .locator('main .card [data-card-price] > .price data')
          .evaluateAll((ds) => ds.map((d) => Number((d as HTMLDataElement).value)));
      await noJs.getByRole('link', { name: 'Giá thấp trước' }).click();
      await noJs.waitForURL(/\/san-pham\/sap-xep\/gia-tang\/$/);
      const ascending = await prices();
      expect(ascending.length).toBeGreaterThan(3);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      // A category keeps the chosen sort.
      await noJs.locator('nav.filter a[href*="/danh-muc/"]').first().click();
      await noJs.waitForURL(/\/san-pham\/danh-muc\/[a-z-]+\/sap-xep\/gia-tang\/$/);
      const inCategory = await prices();
      expect(inCategory).toEqual([...inCategory].sort((a, b) => a - b));
      // 33 demo products: two pages of 24.
      await noJs.goto(`${exchange.url}/san-pham/`);
      await noJs.getByRole('link', { name: /Trang sau/ }).click();
      await noJs.waitForURL(/\/san-pham\/trang\/2\/$/);
      expect(await noJs.locator('main .card').count()).toBeGreaterThan(0);
      expect(await noJs.locator('main .card').count()).toBeLessThanOrEqual(24);
      await expect(noJs.locator('.pager [aria-current="page"]').innerText()).resolves.toBe('2');
    } finally {
      await context.close();
    }
  });

  it('a product listed after the build shows in the listing and in search, and listing prices refresh', async () => {
    const producer = (await producers.getBySlug('htx-che-tan-cuong-xanh'))!;
    expect(producer).toBeDefined();
    const now = new Date(Date.now() + 1000).toISOString();
    const product = createMockProduct(producer.id, {
      slug: 'che-bup-moi-sau-khi-dung-trang',
      name: { vi: 'Chè búp Hồng Tiến mới lên', en: 'Hong Tien fresh bud tea' },
      category: 'che-bup',
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await products.create(
      { product, variants: [createMockVariant(product.id, { grams: 200, price: 199_000 })] },
      producer,
    );
    catalogCache.clear();

    await page.goto(`${exchange.url}/san-pham/`);
    const card = page.locator('[data-card="che-bup-moi-sau-khi-dung-trang"]');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain('Chè búp Hồng Tiến mới lên');
    expect(await card.innerText()).toMatch(/199\.000/);

    await page.goto(`${exchange.url}/en/tim-kiem/?q=hong%20tien`);
    const results = page.locator('[data-search-results] .card__title a');
    await expect.poll(() => results.allInnerTexts()).toEqual(['Hong Tien fresh bud tea']);
    expect(await results.getAttribute('href')).toBe('/en/san-pham/che-bup-moi-sau-khi-dung-trang/');

    // A built card follows a price change made after the build.
    const built = (await (await fetch(`${exchange.url}/api/catalog/products/che-non-tan-cuong`)).json()) as {
      id: string;
      variants: { id: string; price: number }[];
    };
    const cheapest = built.variants.reduce((a, b) => (b.price < a.price ? b : a));
    const lower = cheapest.price - 9_000;
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PRODUCT#${built.id}`, sk: `VARIANT#${cheapest.id}` },
        UpdateExpression: 'SET price = :p',
        ExpressionAttributeValues: { ':p': lower },
      }),
    );
    catalogCache.clear();
    await page.goto(`${exchange.url}/san-pham/danh-muc/che-non/`);
    const price = page.locator('[data-card="che-non-tan-cuong"] [data-card-price] > .price data');
    await expect.poll(() => price.getAttribute('value')).toBe(String(lower));
  });

  it('on a phone: search "che tan cuong", pick 200 g, add 2, check out, switch to English with the cart kept, open a lot', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    const phone = await context.newPage();
    try {
      await phone.goto(`${exchange.url}/`);
      const box = phone.getByRole('searchbox', { name: 'Tìm sản phẩm' });
      await box.fill('che tan cuong');
      await box.press('Enter');
      await phone.waitForURL(/\/tim-kiem\/\?q=che\+tan\+cuong$/);
      const results = phone.locator('[data-search-results] .card__title a');
      await expect.poll(() => results.count()).toBeGreaterThan(2);
      // Products named after Tân Cương first; then others from there (by producer or commune).
      const named = (await results.allInnerTexts()).map((name) => /Tân Cương/.test(name));
      expect(named.filter(Boolean).length).toBeGreaterThan(2);
      expect(named).toEqual([...named].sort((a, b) => Number(b) - Number(a)));
      // Typing refines as you type, through the catalog API's search: GETs that CloudFront caches.
      const requests: { method: string; url: URL }[] = [];
      phone.on('request', (r) => requests.push({ method: r.method(), url: new URL(r.url()) }));
      await phone.locator('#search-q').fill('che dinh tan cuong');
      await expect.poll(() => results.allInnerTexts()).toEqual(['Chè đinh Tân Cương thượng hạng']);
      const server = requests.filter((r) => /\/api\/|\.json$|tim-kiem/.test(r.url.pathname));
      for (const r of server) {
        expect(r.method).toBe('GET');
        expect(r.url.pathname).toBe('/api/catalog/products');
      }

      await results.first().click();
      await phone.waitForURL(/\/san-pham\/che-dinh-tan-cuong-thuong-hang\/$/);
      await phone.getByRole('radio', { name: /^200 g/ }).check();
      await phone.getByLabel('Số lượng').fill('2');
      await phone.getByRole('button', { name: 'Thêm vào giỏ' }).click();
      await expect.poll(() => phone.locator('[data-status]').innerText()).toContain('2 × 200 g');

      await phone.locator('a[data-cart-link]').click();
      await phone.waitForURL(/\/gio-hang\/$/);
      await phone.getByRole('link', { name: 'Tiến hành đặt hàng' }).click();
      await phone.waitForURL(/\/thanh-toan\/$/);
      await expect.poll(() => phone.locator('main').innerText()).toContain('Chè đinh Tân Cương thượng hạng');

      await phone.getByRole('link', { name: 'English' }).click();
      await phone.waitForURL(/\/en\/thanh-toan\/$/);
      expect(await phone.getAttribute('html', 'lang')).toBe('en');
      expect(await phone.locator('h1').innerText()).toBe('Checkout');
      const summary = phone.locator('main');
      await expect.poll(() => summary.innerText()).toMatch(/200 g/);
      expect(await summary.innerText()).toMatch(/1\.840\.000/); // 2 × 920.000 ₫ kept from the Vietnamese cart

      await phone.goto(`${exchange.url}/en/san-pham/che-dinh-tan-cuong-thuong-hang/`);
      const lot = phone.locator('main a.trace-code').first();
      const code = (await lot.innerText()).trim();
      await lot.click();
      await phone.waitForURL(new RegExp(`/en/truy-xuat/${code}/$`));
      expect(await phone.locator('h1').innerText()).toContain(code);
      const trace = await phone.locator('main').innerText();
      expect(trace).toContain('Origin');
      expect(trace).toContain('Growing area code');
      expect(trace).toMatch(/Tân Cương/);
    } finally {
      await context.close();
    }
  });
});
