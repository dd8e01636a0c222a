/**
 * `/thong-ke/` and `/en/thong-ke/` in Chromium at 360 px on the local runtime with the demo data:
 * the counters come from DynamoDB Local's stream (read by the runtime as Lambda reads it), the
 * page shows the API's figures (small ones as "ít hơn 5" / "fewer than 5"), its SVG charts and
 * commune table fit the phone's width, it runs no script of its own, and axe-core finds nothing.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

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

interface Overview {
  producers: Record<'total' | 'household' | 'cooperative' | 'enterprise', number | null>;
  communes: { name: string; producers: number | null }[];
  months: { month: string }[];
}

describe('/thong-ke/ at 360 px', () => {
  for (const [path, fewer, heading, intl] of [
    ['/thong-ke/', 'ít hơn 5', 'Thống kê chương trình', 'vi-VN'],
    ['/en/thong-ke/', 'fewer than 5', 'Programme statistics', 'en-US'],
  ] as const) {
    it(`${path} shows the programme's figures, withheld below 5, and fits the phone`, async () => {
      const stats = (await (await fetch(`${exchange.url}/api/stats`)).json()) as Overview;
      // The demo's 4 cooperatives and 4 verified households: the co-ops shown, the single enterprise withheld.
      expect(stats.producers.enterprise).toBeNull();
      expect(stats.producers.total).toBeGreaterThanOrEqual(5);

      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: intl });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });
      try {
        const response = await page.goto(`${exchange.url}${path}`);
        expect(response?.status()).toBe(200);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
        const figures = page.locator('.stats-figures dd');
        const texts = await figures.allTextContents();
        expect(texts[0]).toBe(stats.producers.total!.toLocaleString(intl));
        expect(texts[3]).toBe(fewer);
        // Every commune with producers is a row; withheld counts read as such, never as a number below 5.
        const rows = await page.locator('table').nth(1).locator('tbody tr').allTextContents();
        expect(rows.length).toBe(stats.communes.length);
        for (const cell of await page.locator('td').allTextContents())
          expect(cell.trim()).not.toMatch(/^[1-4]$/);
        if (stats.months.length > 0) {
          // Each chart is an SVG image within the screen, or, when every figure it would draw is
          // withheld, says so instead of drawing an empty box.
          const charts = await page.locator('figure.stats-chart').all();
          expect(charts.length).toBeGreaterThan(0);
          for (const chart of charts) {
            const svg = chart.locator('svg');
            if ((await svg.count()) > 0) {
              expect(await svg.first().getAttribute('role')).toBe('img');
              expect((await svg.first().boundingBox())!.width).toBeLessThanOrEqual(360);
            } else {
              await expect(chart.textContent()).resolves.toContain(
                intl === 'en-US' ? 'Not enough data to publish' : 'Chưa đủ số liệu để công bố',
              );
            }
          }
        }
        // Nothing wider than the screen (the tables scroll inside their own region).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(overflow).toBeLessThanOrEqual(360);
        // Open data links for each month, stable URLs.
        for (const { month } of stats.months)
          await expect(page.locator(`a[href="/api/stats/${month}.csv"]`).count()).resolves.toBe(1);
        const { violations } = await new AxeBuilder({ page }).analyze();
        expect(violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
        expect(scripts.filter((s) => s.includes('thong-ke'))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
