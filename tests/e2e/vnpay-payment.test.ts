/**
 * A VNPay payment end to end on the local runtime, in Chromium at a phone viewport: the payment
 * URL opens the VNPay emulator's page, the shopper picks an outcome, VNPay's redirect brings the
 * browser back to the storefront's result page (display only), and the emulator's IPN call —
 * not the redirect — records the result.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangePayments } from '../../functions/orders/payments.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

let exchange: RunningExchange;
let browser: Browser;

beforeAll(async () => {
  process.env.VNPAY_IPN_RETRY_MS = '200';
  exchange = await startSiteExchange({
    site: 'auto',
    paymentJobsIntervalMs: 0,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  delete process.env.VNPAY_IPN_RETRY_MS;
  await browser?.close();
  await exchange?.stop();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  return context.newPage();
}

async function vnpayIntent(order: string, amount: number): Promise<PaymentIntent> {
  const { payments } = await exchangePayments();
  return payments.paymentIntents.create({
    amount,
    currency: 'vnd',
    payment_method_types: ['vnpay'],
    metadata: { order_code: order, client_ip: '127.0.0.1' },
    confirm: true,
  });
}

async function settled(id: string): Promise<PaymentIntent> {
  const { payments } = await exchangePayments();
  for (let i = 0; i < 100; i++) {
    const intent = await payments.paymentIntents.retrieve(id);
    if (intent.status !== 'requires_action') return intent;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`payment ${id} was never settled by an IPN`);
}

describe('VNPay through the emulator', () => {
  it('success: the result page says paid, and the IPN marks the payment succeeded', async () => {
    const intent = await vnpayIntent('TN-E2E01', 245_000);
    expect(intent.next_action?.type).toBe('redirect_to_url');
    const url = intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url.url : '';
    expect(url.startsWith(exchange.vnpay.url)).toBe(true);

    const page = await phonePage();
    await page.goto(url);
    await page.getByRole('button', { name: /Thanh toán thành công/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    await expect
      .poll(() => page.locator('#payment-result').textContent())
      // The amount is formatted with a no-break space before ₫.
      .toMatch(/Thanh toán 245\.000\s₫ thành công/);

    const after = await settled(intent.id);
    expect(after.status).toBe('succeeded');
    expect(after.amount_received).toBe(245_000);
    await page.context().close();
  });

  it('cancel (24): the page offers to try again, the payment is recorded as failed', async () => {
    const intent = await vnpayIntent('TN-E2E02', 120_000);
    const url = intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url.url : '';
    const page = await phonePage();
    await page.goto(url);
    await page.getByRole('button', { name: /Hủy giao dịch/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    await expect.poll(() => page.locator('#payment-result').textContent()).toContain('Bạn đã hủy giao dịch');

    const after = await settled(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('vnp_24');
    await page.context().close();
  });

  it('a forged return query shows "not verified" and changes nothing', async () => {
    const intent = await vnpayIntent('TN-E2E03', 99_000);
    const page = await phonePage();
    const txnRef = intent.metadata.vnp_txn_ref!;
    await page.goto(
      `${exchange.url}/thanh-toan/ket-qua/?vnp_TxnRef=${txnRef}&vnp_Amount=9900000&vnp_ResponseCode=00&vnp_TransactionStatus=00&vnp_SecureHash=${'ab'.repeat(64)}`,
    );
    await expect.poll(() => page.locator('#payment-result').textContent()).toContain('Không xác thực được');
    const { payments } = await exchangePayments();
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
    await page.context().close();
  });
});
