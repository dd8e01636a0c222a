/**
 * The shopper's path end to end in Chromium at a 360×740 phone viewport, on the local runtime
 * with its demo data: packs from two cooperatives into the cart, checkout with cash on delivery
 * → the code from the SMS entered → confirmation → tracking with every step (and cancel); VietQR → the QR, a signed bank
 * notification, the page turns to paid; VNPay through the sandbox emulator → the result page →
 * tracking shows the order placed. The dev inbox holds the order notices.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangePayments } from '../../functions/orders/payments.ts';
import { type RunningExchange } from '../../infra/local/runtime.ts';
import { signBankNotification } from '../../shared/payments/providers/bank-notification.ts';
import { launchChromium, startSiteExchange } from './browser.ts';

const PHONE = '0987 654 321';
const E164 = '+84987654321';

interface Pack {
  id: string;
  label: string;
  price: number;
  stock: number;
}
interface Product {
  slug: string;
  name: { vi: string };
  producer: { slug: string; name: string; kind: string };
  variants: Pack[];
}

let exchange: RunningExchange;
let browser: Browser;
/** Two in-stock packs of two different cooperatives (each fulfils its own sub-order). */
let picks: { product: Product; pack: Pack }[];

beforeAll(async () => {
  process.env.VNPAY_IPN_RETRY_MS = '200';
  exchange = await startSiteExchange({
    site: 'always',
    paymentJobsIntervalMs: 0,
  });
  browser = await launchChromium();
  const list = (await (await fetch(`${exchange.url}/api/catalog/products?limit=50`)).json()) as {
    items: Product[];
  };
  const byProducer = new Map<string, { product: Product; pack: Pack }>();
  for (const product of list.items) {
    if (product.producer.kind !== 'cooperative' || byProducer.has(product.producer.slug)) continue;
    const pack = product.variants.find((v) => v.stock >= 10);
    if (pack) byProducer.set(product.producer.slug, { product, pack });
  }
  picks = [...byProducer.values()].slice(0, 2);
  expect(picks).toHaveLength(2);
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

async function addToCart(page: Page, pick: { product: Product; pack: Pack }, quantity: number) {
  await page.goto(`${exchange.url}/san-pham/${pick.product.slug}/`);
  const form = page.locator('form[data-add-to-cart]');
  await form.locator(`input[name=variant][value="${pick.pack.id}"]`).check();
  for (let i = 1; i < quantity; i++) await form.getByRole('button', { name: 'Thêm 1' }).click();
  await expect.poll(() => form.locator('input[name=quantity]').inputValue()).toBe(String(quantity));
  await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await expect.poll(() => form.locator('[data-status]').textContent()).toContain('Đã thêm');
}

const cartCount = (page: Page) => page.locator('[data-cart-count]').first().textContent();

async function fillCheckout(page: Page, payment: 'cod' | 'vietqr' | 'vnpay') {
  await page.fill('#co-name', 'Nguyễn Thị Mai');
  await page.fill('#co-phone', PHONE);
  await page.fill('#co-commune', 'tan cuong');
  await page.getByRole('option', { name: 'Xã Tân Cương' }).click();
  await expect.poll(() => page.locator('[data-commune-code]').inputValue()).toMatch(/^\d{5}$/);
  await page.fill('#co-street', 'Xóm Soi Vàng');
  await page.locator(`input[name=payment][value=${payment}]`).check();
}

async function checkout(page: Page, payment: 'cod' | 'vietqr' | 'vnpay') {
  await page.goto(`${exchange.url}/thanh-toan/`);
  await page.waitForSelector('#checkout:not([hidden])');
  await fillCheckout(page, payment);
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
}

async function placedCode(page: Page): Promise<string> {
  await page.waitForURL(/\/thanh-toan\/da-dat\/\?ma=TN-/);
  return new URL(page.url()).searchParams.get('ma')!;
}

async function inbox(): Promise<{ to: string; kind: string; text: string }[]> {
  return (await (await fetch(`${exchange.url}/dev/inbox`)).json()) as {
    to: string;
    kind: string;
    text: string;
  }[];
}

const codes: string[] = [];

describe('a shopper buys on a phone', () => {
  it('cart with packs of two cooperatives, cash on delivery, tracking with every step, cancel', async () => {
    const page = await phonePage();
    const [a, b] = picks as [(typeof picks)[0], (typeof picks)[0]];
    await addToCart(page, a, 2);
    await addToCart(page, b, 1);
    await expect.poll(() => cartCount(page)).toBe('3');

    await page.goto(`${exchange.url}/gio-hang/`);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(2);
    const subtotal = a.pack.price * 2 + b.pack.price;
    await expect
      .poll(() => page.locator('#cart-subtotal').textContent())
      .toBe(new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(subtotal));
    await page.getByRole('link', { name: 'Tiến hành đặt hàng' }).click();
    await page.waitForURL(/\/thanh-toan\/$/);
    await page.waitForSelector('#checkout:not([hidden])');

    // Nothing filled in: the errors sit next to their fields, the first one has the focus.
    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await expect.poll(() => page.locator('#co-name-error').textContent()).toContain('họ tên');
    expect(await page.locator('#co-phone-error').isVisible()).toBe(true);
    expect(await page.locator('#co-commune-error').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-name');

    await fillCheckout(page, 'cod');
    // A double tap sends the same Idempotency-Key: one order.
    await page.getByRole('button', { name: 'Đặt hàng' }).dblclick();
    const code = await placedCode(page);
    codes.push(code);
    // COD is held only once confirmed from the phone: the code the SMS (dev inbox) carries.
    await expect.poll(() => page.locator('#placed-status').textContent()).toContain('Còn một bước');
    const sms = (await inbox()).find((m) => m.to === E164 && m.text.includes(`Mã xác nhận đơn ${code}`));
    expect(sms?.text).toMatch(/\/thanh-toan\/da-dat\/\?ma=TN-.+&sdt=.+&xn=\d{6}/);
    const otp = /: (\d{6})\./.exec(sms!.text)![1]!;
    // A wrong code is refused next to the field, in Vietnamese.
    await page.fill('#confirm-code', otp === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Xác nhận đơn hàng' }).click();
    await expect
      .poll(() => page.locator('#confirm-code-error').textContent())
      .toContain('Mã xác nhận không đúng');
    // No notice of a placed order before it is confirmed.
    expect((await inbox()).filter((m) => m.to === E164 && m.text.includes('đã được đặt'))).toHaveLength(0);
    await page.fill('#confirm-code', otp);
    await page.getByRole('button', { name: 'Xác nhận đơn hàng' }).click();
    // Confirming, then reading the order again: more than the default second on a busy machine.
    await expect
      .poll(() => page.locator('#placed-status').textContent(), { timeout: 15_000 })
      .toContain('Đặt hàng thành công');
    expect(await page.locator('#confirm-form').count()).toBe(0);
    await expect.poll(() => page.locator('.sub-order').count()).toBe(2);
    expect(await cartCount(page)).toBe('0');

    await page.locator('#placed-track').click();
    await page.waitForURL(/\/don-hang\/\?ma=/);
    await expect.poll(() => page.locator('#track-title').textContent()).toBe(`Đơn ${code}`);
    expect(await page.locator('#track-phone').inputValue()).toBe(PHONE);
    const subs = page.locator('#track-details .sub-order');
    // The title shows before the details render: wait for them.
    await expect.poll(() => subs.count()).toBe(2);
    const names = await subs.locator('h3').allTextContents();
    expect(names.some((n) => n.includes(a.product.producer.name))).toBe(true);
    expect(names.some((n) => n.includes(b.product.producer.name))).toBe(true);
    // The timeline once: each part's own steps (no order-level copy of them).
    expect(await page.locator('#track-details .steps li[data-status=placed]').count()).toBe(2);
    expect(await page.locator('#track-details .steps time').first().textContent()).toMatch(
      /^\d\d:\d\d \d\d\/\d\d\/\d{4}$/,
    );

    // Only one order was made for the double tap.
    const notices = (await inbox()).filter((m) => m.to === E164 && m.text.includes('đã được đặt'));
    expect(notices).toHaveLength(1);

    await page.getByRole('button', { name: 'Hủy đơn hàng' }).click();
    await page.getByRole('button', { name: 'Xác nhận hủy đơn' }).click();
    await expect.poll(() => page.locator('#track-status').textContent()).toContain(`Đã hủy đơn ${code}`);
    expect(await page.locator('#track-pill').textContent()).toBe('Đã hủy');
    expect(await page.locator('#track-cancel').isHidden()).toBe(true);
    await page.context().close();
  });

  it('VietQR: the QR and transfer details, then the page turns to paid when the bank notifies', async () => {
    const page = await phonePage();
    await addToCart(page, picks[0]!, 1);
    await checkout(page, 'vietqr');
    const code = await placedCode(page);
    codes.push(code);
    await page.waitForSelector('#vietqr:not([hidden]) #qr-image svg');
    const memo = (await page.locator('#qr-memo').textContent())!;
    expect(memo).toContain(code.replace('-', ''));
    const amountText = await page.locator('#qr-amount').textContent();
    const { payments, settings } = await exchangePayments();
    const local = await page.evaluate(
      () => JSON.parse(localStorage.getItem('tn.orders.v1')!) as { paymentId: string }[],
    );
    const intent = await payments.paymentIntents.retrieve(local[0]!.paymentId);
    expect(amountText).toBe(
      new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(intent.amount),
    );

    const raw = JSON.stringify({
      id: `FT${Date.now()}`,
      amount: intent.amount,
      description: `MBVCB.123456 ${memo} CHUYEN TIEN`,
      account_number: settings.vietqr.accountNumber,
      transacted_at: new Date().toISOString(),
    });
    const res = await fetch(`${exchange.url}/api/payments/vietqr/notifications`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signBankNotification(raw, settings.vietqr.notificationSecret),
      },
      body: raw,
    });
    expect(await res.json()).toEqual({ result: 'matched' });
    await expect
      .poll(() => page.locator('#placed-status').textContent(), { timeout: 15_000 })
      .toContain('Đã nhận thanh toán');
    expect(await page.locator('#vietqr').isHidden()).toBe(true);
    await page.context().close();
  });

  it('VNPay, packs of two cooperatives: the emulator, the result page, then tracking shows the order placed', async () => {
    const page = await phonePage();
    await addToCart(page, picks[0]!, 1);
    await addToCart(page, picks[1]!, 1);
    await checkout(page, 'vnpay');
    await page.waitForURL((url) => url.href.startsWith(exchange.vnpay.url));
    await page.getByRole('button', { name: /Thanh toán thành công/ }).click();
    await page.waitForURL(/\/thanh-toan\/ket-qua\/\?/);
    await expect.poll(() => page.locator('#payment-result').textContent()).toContain('thành công');
    const track = page.locator('#payment-track a');
    await expect.poll(() => track.textContent()).toMatch(/^Theo dõi đơn TN-/);
    const code = (await track.textContent())!.replace('Theo dõi đơn ', '');
    codes.push(code);
    await track.click();
    await page.waitForURL(/\/don-hang\/\?ma=/);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.waitForSelector('#track-pill .status-pill');
          return page.locator('#track-pill').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('Đã thanh toán');
    expect(
      await page.locator('#track-details .steps li[data-status=pending_payment]').count(),
    ).toBeGreaterThan(0);
    // One payment, one sub-order per cooperative, both placed once VNPay's IPN arrived.
    const order = (await (
      await fetch(`${exchange.url}/api/orders/${code}?phone=${encodeURIComponent(PHONE)}`)
    ).json()) as { paymentMethod: string; subOrders: { fulfillerId: string; status: string }[] };
    expect(order.paymentMethod).toBe('vnpay');
    expect(new Set(order.subOrders.map((s) => s.fulfillerId)).size).toBe(2);
    expect(order.subOrders.every((s) => s.status === 'placed')).toBe(true);
    await page.context().close();
  });

  it('refusals land where the shopper can fix them: short stock, packs gone, field issues', async () => {
    const page = await phonePage();
    const [a, b] = picks as [(typeof picks)[0], (typeof picks)[0]];
    await addToCart(page, a, 3);
    await addToCart(page, b, 1);
    const answers = [
      {
        status: 409,
        body: {
          error: { code: 'order.out_of_stock', message: 'Không đủ hàng' },
          details: { lines: [{ variantId: a.pack.id, requested: 3, available: 2 }] },
        },
      },
      {
        status: 422,
        body: {
          error: { code: 'order.unavailable', message: 'Không còn bán' },
          details: { variantIds: [b.pack.id] },
        },
      },
      {
        status: 400,
        body: {
          error: {
            code: 'request.invalid',
            message: 'Dữ liệu không hợp lệ',
            issues: [{ path: 'delivery.address.street', message: 'Tối đa 200 ký tự' }],
          },
        },
      },
    ];
    const keys: string[] = [];
    await page.route('**/api/orders', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const answer = answers.shift()!;
      await route.fulfill({ status: answer.status, json: answer.body });
    });
    await checkout(page, 'cod');
    const lineA = page.locator(`.cart-line[data-variant="${a.pack.id}"]`);
    await expect.poll(() => lineA.locator('.cart-line__problem').textContent()).toContain('Chỉ còn 2 gói');
    await page.getByRole('button', { name: 'Lấy theo số lượng còn lại' }).click();
    await expect.poll(() => lineA.locator('input').inputValue()).toBe('2');

    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    const lineB = page.locator(`.cart-line[data-variant="${b.pack.id}"]`);
    await expect
      .poll(() => lineB.locator('.cart-line__problem').textContent())
      .toContain('không còn được bán');
    await lineB.getByRole('button', { name: /Xoá/ }).click();
    await expect.poll(() => page.locator('#co-lines .cart-line').count()).toBe(1);

    await page.getByRole('button', { name: 'Đặt hàng' }).click();
    await expect.poll(() => page.locator('#co-street-error').textContent()).toContain('Tối đa 200 ký tự');
    expect(await page.locator('#co-street').getAttribute('aria-invalid')).toBe('true');
    // The cart changed between attempts: each attempt had its own key; none was sent twice.
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    await page.context().close();
  });

  it('the dev inbox got the order notices, for the shopper and the cooperatives', async () => {
    expect(codes).toHaveLength(3);
    const messages = await inbox();
    for (const code of codes) {
      expect(messages.some((m) => m.to === E164 && m.text.includes(`đơn ${code} đã được đặt`))).toBe(true);
      expect(messages.some((m) => m.to !== E164 && m.text.includes(`đơn mới ${code}`))).toBe(true);
    }
    expect(messages.some((m) => m.to === E164 && m.text.includes(`đơn ${codes[0]} đã bị hủy`))).toBe(true);
  });
});
