/**
 * The seller center's "Nhận thông báo qua Zalo / SMS" in Chromium, over the local runtime with
 * its Zalo ZNS emulator: a household switches to Zalo and its next code arrives by Zalo (the dev
 * inbox shows the channel); a household whose phone has no Zalo account gets it by SMS instead.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const WITH_ZALO = '0987000201';
const NO_ZALO = '0987000203';
const e164 = (phone: string) => `+84${phone.slice(1)}`;

let exchange: RunningExchange;
let browser: Browser;

beforeAll(async () => {
  process.env.ZALO_EMULATOR_NO_ZALO_PHONES = NO_ZALO;
  try {
    exchange = await startSiteExchange();
  } finally {
    delete process.env.ZALO_EMULATOR_NO_ZALO_PHONES;
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await exchange?.stop();
});

interface InboxMessage {
  to: string;
  kind: string;
  text: string;
  channel: 'sms' | 'zalo';
}
const inbox = async () => (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as InboxMessage[];
const codesTo = async (phone: string) =>
  (await inbox()).filter((m) => m.to === e164(phone) && m.kind === 'sign_in_code');

/** Signs in through the API with the code from the dev inbox; the session the seller center keeps. */
async function signIn(phone: string) {
  const post = (path: string, body: unknown) =>
    fetch(`${exchange.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('/api/auth/start', { phone })).status).toBe(202);
  const code = /(\d{6})/.exec((await codesTo(phone))[0]!.text)![1]!;
  const result = (await (await post('/api/auth/verify', { phone, code })).json()) as {
    accessToken: string;
    expiresIn: number;
    account: unknown;
  };
  return {
    token: result.accessToken,
    expiresAt: Date.now() + result.expiresIn * 1000,
    account: result.account,
  };
}

async function chooseZalo(phone: string): Promise<string> {
  const session = await signIn(phone);
  const page = await browser.newPage({ viewport: { width: 390, height: 760 }, locale: 'vi-VN' });
  await page.goto(`${exchange.url}/ban-hang/`);
  await page.evaluate((s) => localStorage.setItem('tn-seller-session', JSON.stringify(s)), session);
  await page.goto(`${exchange.url}/ban-hang/thong-bao/`);
  await page.getByRole('heading', { name: 'Nhận thông báo qua Zalo / SMS' }).waitFor();
  expect(await page.isChecked('input[value="sms"]')).toBe(true);
  await page.check('input[value="zalo"]');
  await page.click('#channel-form button[type="submit"]');
  await page.locator('#channel-status').waitFor();
  const status = (await page.locator('#channel-status').textContent())?.trim() ?? '';
  await page.close();
  return status;
}

describe('choosing Zalo in the seller center', () => {
  it('sends the next code by Zalo, and the dev inbox says so', async () => {
    expect(await chooseZalo(WITH_ZALO)).toBe('Đã lưu: bạn sẽ nhận thông báo qua Zalo.');
    const before = (await codesTo(WITH_ZALO)).length;
    await signIn(WITH_ZALO);
    const codes = await codesTo(WITH_ZALO);
    expect(codes).toHaveLength(before + 1);
    expect(codes[0]!.channel).toBe('zalo');
    expect(codes.slice(1).every((m) => m.channel === 'sms')).toBe(true);
    const page = await browser.newPage();
    await page.goto(`${exchange.url}/dev/inbox/`);
    expect(await page.locator('[data-channel="zalo"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('falls back to one SMS for a phone without a Zalo account', async () => {
    expect(await chooseZalo(NO_ZALO)).toContain('Zalo');
    const before = (await codesTo(NO_ZALO)).length;
    await signIn(NO_ZALO);
    const codes = await codesTo(NO_ZALO);
    expect(codes).toHaveLength(before + 1);
    expect(codes.every((m) => m.channel === 'sms')).toBe(true);
  });
});
