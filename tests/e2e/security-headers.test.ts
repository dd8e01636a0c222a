/**
 * Content-Security-Policy in Chromium: every kind of page (home, product, cart, checkout, seller
 * center, cooperative board, admin) loads and runs its scripts under the local server's policy
 * with no violation: its files from this origin and the layout's one inline script, allowed by
 * the hash the build recorded; a script injected into the page is refused. The other security
 * headers are on pages, assets, API answers and media alike.
 */
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { SITE_DIST } from '../../infra/local/site-build.ts';
import { builtScriptHashes, contentSecurityPolicy, SECURITY_HEADERS } from '../../infra/security-headers.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

let exchange: RunningExchange;
let browser: Browser;
let context: BrowserContext;
/** The policy the local server sends for this build: `script-src 'self'` and the inline script's hash. */
let policy: string;

beforeAll(async () => {
  exchange = await startSiteExchange();
  policy = contentSecurityPolicy({ scriptHashes: builtScriptHashes(SITE_DIST) });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  // Every violation the page reports, recorded before any of its own scripts run.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

const PAGES = {
  home: '/',
  product: '/san-pham/che-dinh-tan-cuong-thuong-hang/',
  catalog: '/san-pham/',
  cart: '/gio-hang/',
  checkout: '/thanh-toan/',
  sellerCenter: '/ban-hang/',
  board: '/hop-tac-xa/',
  orderBoard: '/hop-tac-xa/don-hang/',
  admin: '/quan-tri/',
  english: '/en/',
};

describe('Content-Security-Policy in Chromium', () => {
  for (const [name, path] of Object.entries(PAGES)) {
    it(`${name} (${path}) runs its scripts with no violation`, async () => {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
      });
      const response = await page.goto(`${exchange.url}${path}`, { waitUntil: 'load' });
      expect(response?.status(), path).toBeLessThan(400);
      expect(response?.headers()['content-security-policy']).toBe(policy);
      // The page's own scripts are files of this origin, but for the layout's one inline script,
      // which the policy allows by its hash; and they ran.
      const scripts = await page.$$eval('script:not([type="application/ld+json"])', (all) =>
        all.map((s) => ({
          src: s.getAttribute('src'),
          text: s.getAttribute('src') ? '' : (s.textContent ?? ''),
        })),
      );
      const inline = scripts.filter((s) => !s.src);
      const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
      expect(inline, 'the layout script, inlined once').toHaveLength(1);
      expect(inline[0]!.text, 'the layout script').toContain('data-cart-link');
      expect(policy, 'its hash in the policy').toContain(` ${hash(inline[0]!.text)};`);
      expect(scripts.length, 'page scripts').toBeGreaterThan(0);
      await page.waitForLoadState('networkidle');
      const violations = await page.evaluate(
        () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
      );
      expect(violations, path).toEqual([]);
      expect(consoleErrors, path).toEqual([]);

      // An injected inline script and an injected handler are refused.
      const ran = await page.evaluate(async () => {
        const w = window as unknown as { __injected?: number };
        const script = document.createElement('script');
        script.textContent = 'window.__injected = 1';
        document.body.append(script);
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.__injected = 2');
        img.src = 'data:,not-an-image';
        document.body.append(img);
        await new Promise((r) => setTimeout(r, 200));
        return w.__injected ?? 0;
      });
      expect(ran).toBe(0);
      const after = await page.evaluate(
        () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
      );
      expect(after.some((v) => v.startsWith('script-src'))).toBe(true);
      await page.close();
    });
  }
});

describe('security headers on every kind of answer', () => {
  it('pages, assets, API answers and 404s carry them', async () => {
    const product = await (await fetch(`${exchange.url}${PAGES.product}`)).text();
    const asset = /src="(\/_astro\/[^"]+\.js)"/.exec(product)?.[1];
    expect(asset).toBeDefined();
    for (const path of [
      '/',
      asset!,
      '/api/health',
      '/api/catalog/products',
      '/khong-co-trang-nay/',
      '/media/none.jpg',
    ]) {
      const res = await fetch(`${exchange.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe(policy);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(res.headers.get(name), `${name} on ${path}`).toBe(value);
      }
    }
  });
});
