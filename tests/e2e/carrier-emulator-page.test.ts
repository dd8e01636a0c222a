/**
 * The carriers' emulator control page in Chromium at 360 px: a parcel made through the GHN
 * provider is listed with buttons for its next events, nothing overflows the screen, and a
 * press moves the parcel and sends its webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createCarriers } from '../../shared/carriers/index.ts';
import {
  startCarrierEmulators,
  type RunningCarrierEmulators,
} from '../../infra/local/carrier-emulators/index.ts';
import { findProvince } from '../../shared/domain/admin-units.ts';
import { launchChromium } from './browser.ts';

let emulators: RunningCarrierEmulators;
let browser: Browser;

beforeAll(async () => {
  // No exchange behind it: webhooks go to a closed port and are retried, as the page shows.
  emulators = await startCarrierEmulators({
    siteUrl: 'http://127.0.0.1:9',
    webhookRetryMs: 50,
    webhookAttempts: 2,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await emulators?.stop();
});

const ward = (province: string, name: string) =>
  findProvince(province)!.wards.find((w) => w.name === name)!.code;

describe('carrier emulator control page', () => {
  it('lists the parcel at 360 px and moves it with a button', async () => {
    const carriers = createCarriers(emulators.settings());
    const shipment = await carriers.ghn!.createShipment({
      clientCode: 'TN-E2E01-1',
      from: {
        provinceCode: '19',
        wardCode: ward('19', 'Phường Phan Đình Phùng'),
        street: 'Tổ 5',
        name: 'HTX Chè Tân Cương',
        phone: '0912345678',
      },
      to: {
        provinceCode: '01',
        wardCode: ward('01', 'Phường Ba Đình'),
        street: '12 phố Đội Cấn',
        name: 'Nguyễn Thị Lan',
        phone: '0987654321',
      },
      parcel: { weightGrams: 1_100, lengthCm: 30, widthCm: 25, heightCm: 15, insuredValue: 300_000 },
      codAmount: 300_000,
      items: [{ name: 'Chè Tân Cương 200 g', quantity: 5, weightGrams: 200 }],
    });

    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${emulators.url}/`);
    const card = page.locator('article.parcel', { hasText: shipment.carrierCode });
    await expect(card.textContent()).resolves.toContain('TN-E2E01-1');
    await expect(card.textContent()).resolves.toContain('ready_to_pick');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const button = card.getByRole('button', { name: 'Đã lấy hàng' });
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);

    await button.click();
    await page.waitForURL(`${emulators.url}/`);
    const moved = page.locator('article.parcel', { hasText: shipment.carrierCode });
    await expect(moved.textContent()).resolves.toContain('Trạng thái: picked');
    expect(emulators.emulator.parcel('ghn', shipment.carrierCode)!.status).toBe('picked');
    await expect(moved.getByRole('button', { name: 'Đang giao' }).count()).resolves.toBe(1);
    await emulators.emulator.settled();
    await page.reload();
    const hooks = await page
      .locator('article.parcel', { hasText: shipment.carrierCode })
      .locator('details')
      .textContent();
    expect(hooks).toContain('picked: thất bại — 2 lần');
    await page.close();
  });
});
