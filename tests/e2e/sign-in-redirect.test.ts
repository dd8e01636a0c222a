/**
 * After sign-in the seller center follows `?next=` only to a path on its own origin, in Chromium:
 * each hostile value below, sent as a real sign-in page address, ends on the seller center of
 * this origin with no request to any other host and no script run from the address.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

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

let phoneSerial = 0;
/** A fresh phone per sign-in, so no per-phone limit is reached. */
const nextPhone = () => `098${String(7_000_000 + phoneSerial++).padStart(7, '0')}`;

async function latestCode(phone: string): Promise<string | null> {
  const e164 = `+84${phone.slice(1)}`;
  const inbox = (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
  const message = inbox.find((m) => m.to === e164 && m.kind === 'sign_in_code');
  return message ? /(\d{6})/.exec(message.text)![1]! : null;
}

/** Signs in on `/ban-hang/?next=<rawNext>`; returns where the page ended and what left the origin. */
async function signInWithNext(
  rawNext: string,
): Promise<{ page: Page; offsite: string[]; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  const origin = new URL(exchange.url).origin;
  const offsite: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const phone = nextPhone();
  await page.goto(`${exchange.url}/ban-hang/?next=${rawNext}`);
  await page.fill('#signin-phone', phone);
  await page.click('#phone-form button[type=submit]');
  await page.waitForSelector('#code-form:not([hidden])');
  await expect.poll(() => latestCode(phone)).toBeTruthy();
  await page.fill('#signin-code', (await latestCode(phone))!);
  await page.click('#code-form button[type=submit]');
  return { page, offsite, dialogs };
}

describe('the page after sign-in', () => {
  it.each([
    ['%2F%5Cevil.example', '/\\evil.example'],
    ['/%5Cevil.example', '/\\evil.example'],
    ['%2F%5C%5Cevil.example', '/\\\\evil.example'],
    ['/%09/evil.example', 'tab'],
    ['%2F%0A%2Fevil.example', 'newline'],
    ['//evil.example', '//'],
    ['%2F%2Fevil.example%2Fban-hang%2F', 'encoded //'],
    ['/%5C/evil.example', '/\\/'],
    ['https:evil.example', 'https: without slashes'],
    ['https%3A%2F%2Fevil.example', 'encoded https://'],
    ['javascript:alert(document.domain)', 'javascript:'],
    ['%6A%61%76%61%73%63%72%69%70%74%3Aalert(1)', 'encoded javascript:'],
    ['%252F%252Fevil.example', 'double-encoded //'],
  ])('stays on this origin for next=%s (%s)', async (rawNext) => {
    const { page, offsite, dialogs } = await signInWithNext(rawNext);
    await page.waitForSelector('#signed-in:not([hidden])');
    const url = new URL(page.url());
    expect(url.origin).toBe(new URL(exchange.url).origin);
    expect(url.pathname).toBe('/ban-hang/');
    expect(offsite).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('follows a path on this origin', async () => {
    const { page, offsite } = await signInWithNext(encodeURIComponent('/ban-hang/san-pham/?trang=1'));
    await page.waitForURL((url) => url.pathname === '/ban-hang/san-pham/');
    expect(new URL(page.url()).search).toBe('?trang=1');
    expect(offsite).toEqual([]);
    await page.context().close();
  });
});
