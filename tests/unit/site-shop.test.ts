/**
 * The storefront shop: the cart rules kept on the device (site/src/shop/store.ts), the wording
 * helpers, the QR drawing, and the "Thêm vào giỏ" component rendered with the Container API.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { describe, expect, it, vi } from 'vitest';
import AddToCart from '../../site/src/components/shop/AddToCart.astro';
import OrderTracking from '../../site/src/pages/[...lang]/don-hang/index.astro';
import CartPage from '../../site/src/pages/[...lang]/gio-hang/index.astro';
import OrderPlaced from '../../site/src/pages/[...lang]/thanh-toan/da-dat/index.astro';
import Checkout from '../../site/src/pages/[...lang]/thanh-toan/index.astro';
import PaymentResult from '../../site/src/pages/[...lang]/thanh-toan/ket-qua/index.astro';
import { fieldFor } from '../../site/src/shop/checkout.ts';
import { qrPath } from '../../site/src/shop/qr.ts';
import {
  addLine,
  attemptKey,
  blockedLines,
  CART_EVENT,
  cartCount,
  cartFingerprint,
  cartSubtotal,
  findOrder,
  findOrderByPayment,
  readCart,
  reconcile,
  rememberOrder,
  setQuantity,
  writeCart,
  type Cart,
  type CartLine,
} from '../../site/src/shop/store.ts';
import { serverText } from '../../site/src/shop/api.ts';
import { CART_CHANGE_EVENT, CART_STORAGE_KEY, countCartPacks } from '../../site/src/shop/cart-count.ts';
import {
  byLabel,
  formatDateTime,
  normalizeOrderCode,
  paymentLabel,
  shopperCanCancel,
  STATUS_LABELS,
  STATUS_LABELS_EN,
  statusLabel,
} from '../../site/src/shop/text.ts';

// The layout needs `Astro.site`, which the Container API does not set: the order pages are
// rendered in a bare stand-in that keeps the title and description (tests/unit/site-components
// covers the layout's language handling).
vi.mock('../../site/src/layouts/Layout.astro', async () => {
  const { createComponent, render, renderSlot } = await import('astro/runtime/server/index.js');
  return {
    default: createComponent(
      (
        result: Parameters<typeof renderSlot>[0],
        props: Record<string, unknown>,
        slots: Record<string, Parameters<typeof renderSlot>[1]>,
      ) =>
        render`<title>${props.title}</title><meta name="description" content="${props.description}"><main>${renderSlot(result, slots.default!)}</main>`,
    ),
  };
});

function memoryStore() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

const line = (overrides: Partial<CartLine> = {}): CartLine => ({
  variantId: 'v1',
  quantity: 1,
  productSlug: 'che-tan-cuong',
  productName: 'Chè Tân Cương',
  pack: '200 g',
  producerName: 'HTX Chè Tân Cương',
  price: 150_000,
  stock: 10,
  ...overrides,
});

describe('cart', () => {
  it('merges the same pack, caps at stock and at 50 per line, 20 lines at most', () => {
    const cart: Cart = { lines: [] };
    expect(addLine(cart, line({ quantity: 3 }))).toEqual({ ok: true, quantity: 3, capped: false });
    expect(addLine(cart, line({ quantity: 9 }))).toEqual({ ok: true, quantity: 10, capped: true });
    expect(cart.lines).toHaveLength(1);
    expect(addLine(cart, line({ variantId: 'v2', quantity: 80, stock: 500 }))).toMatchObject({
      quantity: 50,
    });
    expect(addLine(cart, line({ variantId: 'v3', stock: 0 }))).toEqual({ ok: false, reason: 'out_of_stock' });
    for (let i = 0; i < 18; i++) addLine(cart, line({ variantId: `x${i}` }));
    expect(addLine(cart, line({ variantId: 'one-too-many' }))).toEqual({
      ok: false,
      reason: 'too_many_lines',
    });
    expect(cartCount(cart)).toBe(10 + 50 + 18);
    setQuantity(cart, 'v1', 0);
    expect(cart.lines.some((l) => l.variantId === 'v1')).toBe(false);
  });

  it('survives a round trip through storage and ignores junk', () => {
    const store = memoryStore();
    writeCart(store, { lines: [line({ quantity: 2 }), line({ variantId: 'v2', quantity: 99 })] });
    expect(readCart(store).lines.map((l) => l.quantity)).toEqual([2, 50]);
    store.setItem('tn.cart.v1', '{not json');
    expect(readCart(store)).toEqual({ lines: [] });
    store.setItem('tn.cart.v1', JSON.stringify({ lines: [{ variantId: 'v1', quantity: 'two' }] }));
    expect(readCart(store)).toEqual({ lines: [] });
    writeCart(store, { lines: [] });
    expect(store.data.has('tn.cart.v1')).toBe(false);
  });

  it("counts the header badge's packs as the cart reads them, from the layout's import-free copy", () => {
    // site/src/shop/cart-count.ts is bundled into the layout's one script and must not import
    // store.ts; this keeps both readings of the stored cart the same.
    expect(CART_STORAGE_KEY).toBe('tn.cart.v1');
    expect(CART_CHANGE_EVENT).toBe(CART_EVENT);
    const store = memoryStore();
    const stored: unknown[] = [
      null,
      '',
      '{not json',
      'null',
      '[]',
      JSON.stringify({ lines: 'x' }),
      JSON.stringify({ lines: [line({ quantity: 2 }), line({ variantId: 'v2', quantity: 99 })] }),
      JSON.stringify({ lines: [{ variantId: 'v1', quantity: 'two' }, line({ quantity: 0 }), null, 7] }),
      JSON.stringify({ lines: [line({ quantity: 1.5 }), line({ price: 1.5 }), line({ quantity: 3 })] }),
      JSON.stringify({
        lines: Array.from({ length: 25 }, (_, i) => line({ variantId: `v${i}`, quantity: 2 })),
      }),
    ];
    for (const raw of stored) {
      if (raw === null) store.removeItem('tn.cart.v1');
      else store.setItem('tn.cart.v1', raw as string);
      expect(countCartPacks(raw as string | null), String(raw)).toBe(cartCount(readCart(store)));
    }
    expect(countCartPacks(stored.at(-1) as string)).toBe(40);
  });

  it('reconciles with the catalog: new prices, lower stock, packs no longer sold', () => {
    const cart: Cart = {
      lines: [
        line({ quantity: 2 }),
        line({ variantId: 'v2', quantity: 5, price: 90_000 }),
        line({ variantId: 'gone', productSlug: 'old', quantity: 1 }),
        line({ variantId: 'kept', productSlug: 'unchecked' }),
      ],
    };
    const changes = reconcile(
      cart,
      new Map([
        [
          'che-tan-cuong',
          {
            name: 'Chè Tân Cương',
            packs: [
              { id: 'v1', label: '200 g', price: 160_000, stock: 10 },
              { id: 'v2', label: '500 g', price: 90_000, stock: 3 },
            ],
          },
        ],
        ['old', undefined],
      ]),
    );
    expect(changes.map((c) => [c.variantId, c.kind, c.before, c.after])).toEqual([
      ['v1', 'price', 150_000, 160_000],
      ['v2', 'stock', 5, 3],
      ['gone', 'gone', 1, 0],
    ]);
    expect(cart.lines.map((l) => l.variantId)).toEqual(['v1', 'v2', 'kept']);
    expect(cartSubtotal(cart)).toBe(2 * 160_000 + 3 * 90_000 + 150_000);
    expect(blockedLines(cart)).toEqual([]);
    cart.lines[1]!.stock = 0;
    expect(blockedLines(cart).map((l) => l.variantId)).toEqual(['v2']);
  });

  it('keeps one Idempotency-Key per cart: the same on retries, a new one once the cart changes', () => {
    const store = memoryStore();
    const cart: Cart = { lines: [line({ quantity: 2 })] };
    const first = attemptKey(store, cart);
    expect(first).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(attemptKey(store, cart)).toBe(first);
    expect(attemptKey(store, { lines: [line({ quantity: 2 })] })).toBe(first);
    const more = { lines: [line({ quantity: 3 })] };
    const second = attemptKey(store, more);
    expect(second).not.toBe(first);
    const repriced = { lines: [line({ quantity: 3, price: 1 })] };
    expect(attemptKey(store, repriced)).not.toBe(second);
    const third = attemptKey(store, repriced);
    expect(attemptKey(store, repriced, true)).not.toBe(third);
    expect(cartFingerprint({ lines: [line({ variantId: 'b' }), line({ variantId: 'a' })] })).toBe(
      cartFingerprint({ lines: [line({ variantId: 'a' }), line({ variantId: 'b' })] }),
    );
  });

  it('remembers recent orders, newest first, found by code or payment', () => {
    const store = memoryStore();
    const order = (code: string, paymentId: string) => ({
      code,
      phone: '0987654321',
      paymentMethod: 'cod' as const,
      paymentId,
      clientSecret: null,
      total: 100_000,
      placedAt: '2025-05-01T00:00:00.000Z',
    });
    rememberOrder(store, order('TN-AAAAA', 'pi_1'));
    rememberOrder(store, order('TN-BBBBB', 'pi_2'));
    rememberOrder(store, order('TN-AAAAA', 'pi_1'));
    expect(findOrder(store, ' tn-aaaaa ')?.paymentId).toBe('pi_1');
    expect(findOrderByPayment(store, 'pi_2')?.code).toBe('TN-BBBBB');
  });
});

describe('wording and helpers', () => {
  it('order codes as typed, statuses, who may cancel, where an API issue goes', () => {
    expect(normalizeOrderCode('tn 7k3q9')).toBe('TN-7K3Q9');
    expect(normalizeOrderCode('TN-7K3Q9')).toBe('TN-7K3Q9');
    expect(statusLabel('placed')).toBe('Đã đặt hàng');
    expect(shopperCanCancel(['placed', 'pending_payment'])).toBe(true);
    expect(shopperCanCancel(['placed', 'confirmed'])).toBe(false);
    expect(shopperCanCancel([])).toBe(false);
    expect(shopperCanCancel(['cancelled', 'placed'])).toBe(true);
    expect(shopperCanCancel(['cancelled', 'expired'])).toBe(false);
    expect(fieldFor('contact.phone')).toBe('co-phone');
    expect(fieldFor('delivery.address.wardCode')).toBe('co-commune');
    expect(fieldFor('lines.0.quantity')).toBe('co-lines');
    expect(fieldFor('something.else')).toBe('');
  });

  it('labels statuses, payments, who acted and times in English too, Vietnamese by default', () => {
    expect(statusLabel('cancelled')).toBe('Đã hủy');
    expect(statusLabel('cancelled', 'vi')).toBe('Đã hủy');
    expect(statusLabel('cancelled', 'en')).toBe('Cancelled');
    expect(statusLabel('pending_payment', 'en')).toBe('Awaiting payment');
    expect(statusLabel('pending_payment', 'vi', 'vnpay')).toBe('Chờ thanh toán');
    expect(statusLabel('pending_payment', 'vi', 'cod')).toBe('Chờ bạn xác nhận bằng mã SMS');
    expect(statusLabel('expired', 'en', 'cod')).toBe('Not confirmed in time');
    expect(statusLabel('shipped', 'en')).toBe('Handed to the carrier');
    expect(statusLabel('something_new', 'en')).toBe('something_new');
    expect(Object.keys(STATUS_LABELS_EN).sort()).toEqual(Object.keys(STATUS_LABELS).sort());
    expect(paymentLabel('cod')).toBe('Thanh toán khi nhận hàng (COD)');
    expect(paymentLabel('cod', 'en')).toBe('Cash on delivery (COD)');
    expect(paymentLabel('vietqr', 'en')).toBe('Bank transfer with VietQR');
    expect(byLabel('shopper')).toBe('bạn');
    expect(byLabel('manager', 'en')).toBe('the cooperative');
    expect(byLabel('robot', 'en')).toBeUndefined();
    // Local time: built from the parts so the test passes in any time zone.
    const at = new Date(2025, 3, 2, 9, 5).toISOString();
    expect(formatDateTime(at)).toBe('09:05 02/04/2025');
    expect(formatDateTime(at, 'en')).toBe('2 Apr 2025, 09:05');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
  });

  it('shows the API’s messages in the page’s language', () => {
    const both = 'Đơn hàng đã bị hủy / The order is already cancelled';
    expect(serverText(both, 'fallback', 'vi')).toBe(both);
    expect(serverText(both, 'fallback', 'en')).toBe('The order is already cancelled');
    expect(serverText('VietQR is not enabled', 'fallback', 'en')).toBe('VietQR is not enabled');
    expect(serverText('Xã/phường không thuộc tỉnh/thành đã chọn', 'Not accepted.', 'en')).toBe(
      'Not accepted.',
    );
    expect(serverText('Xã/phường không thuộc tỉnh/thành đã chọn', 'Not accepted.')).toBe(
      'Xã/phường không thuộc tỉnh/thành đã chọn',
    );
  });

  it('draws a QR code with its quiet zone', () => {
    const { size, d } = qrPath('00020101021238570010A000000727');
    expect(size).toBeGreaterThanOrEqual(21 + 8);
    expect(d).toMatch(/^M\d+ \d+h1v1h-1z/);
  });
});

describe('AddToCart', () => {
  const product = {
    slug: 'che-tom-non',
    name: { vi: 'Chè tôm nõn' },
    producer: { name: 'HTX Chè Tân Cương' },
    variants: [
      { id: 'v1', grams: 200, label: '200 g', price: 150_000, pricePer100g: 75_000, stock: 0 },
      { id: 'v2', grams: 500, label: '500 g', price: 350_000, pricePer100g: 70_000, stock: 4 },
    ],
  };

  it('offers the packs, the first in stock chosen, sold-out ones disabled', async () => {
    const container = await AstroContainer.create();
    const html = await container.renderToString(AddToCart, { props: { product } });
    expect(html).toContain('Thêm vào giỏ');
    expect(html).toMatch(/value="v1"[^>]*disabled/);
    expect(html).toMatch(/value="v2"[^>]*checked/);
    expect(html).toContain('Hết hàng');
    expect(html).toContain('<label for="atc-che-tom-non-qty">Số lượng</label>');
  });

  it('says so when nothing is in stock', async () => {
    const container = await AstroContainer.create();
    const html = await container.renderToString(AddToCart, {
      props: { product: { ...product, variants: [product.variants[0]] } },
    });
    expect(html).not.toContain('Thêm vào giỏ');
    expect(html).toContain('tạm hết hàng');
  });
});

describe('order pages in both languages', () => {
  const render = async (page: Parameters<AstroContainer['renderToString']>[0], path: string) => {
    const container = await AstroContainer.create();
    return container.renderToString(page, {
      params: { lang: path.startsWith('/en/') ? 'en' : undefined } as Record<string, string | undefined>,
      request: new Request(`http://localhost${path}`),
    });
  };

  it('are built once per language', async () => {
    for (const page of [
      import('../../site/src/pages/[...lang]/gio-hang/index.astro'),
      import('../../site/src/pages/[...lang]/thanh-toan/index.astro'),
      import('../../site/src/pages/[...lang]/thanh-toan/da-dat/index.astro'),
      import('../../site/src/pages/[...lang]/thanh-toan/ket-qua/index.astro'),
      import('../../site/src/pages/[...lang]/don-hang/index.astro'),
    ]) {
      const { getStaticPaths } = (await page) as unknown as { getStaticPaths: () => unknown };
      expect(getStaticPaths()).toEqual([{ params: { lang: undefined } }, { params: { lang: 'en' } }]);
    }
  });

  it('checkout: Vietnamese unchanged, English wording, same ids and links in the language', async () => {
    const viHtml = await render(Checkout, '/thanh-toan/');
    const enHtml = await render(Checkout, '/en/thanh-toan/');
    expect(viHtml).toContain('Thanh toán khi nhận hàng (COD)');
    expect(viHtml).toContain('href="/gio-hang/"');
    expect(enHtml).toContain('<title>Checkout</title>');
    for (const text of [
      'Place order',
      'Cash on delivery (COD)',
      'Bank transfer with VietQR',
      'Commune or ward',
    ]) {
      expect(enHtml).toContain(text);
    }
    expect(enHtml).toContain('href="/en/gio-hang/"');
    expect(enHtml).toContain('data-count-word');
    expect(enHtml).not.toMatch(/Đặt hàng|Người nhận|Giỏ hàng đang trống/);
    const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(ids(enHtml)).toEqual(ids(viHtml));
  });

  it('cart, order placed, payment result and tracking speak English on /en/', async () => {
    const pages = [
      [CartPage, 'gio-hang/', 'Go to checkout', 'Tiến hành đặt hàng'],
      [OrderPlaced, 'thanh-toan/da-dat/', 'Scan to pay by bank transfer', 'Quét mã để chuyển khoản'],
      [PaymentResult, 'thanh-toan/ket-qua/', 'Checking the result…', 'Đang kiểm tra kết quả…'],
      [OrderTracking, 'don-hang/', 'Cancel order', 'Hủy đơn hàng'],
    ] as const;
    for (const [page, path, english, vietnamese] of pages) {
      const viHtml = await render(page, `/${path}`);
      const enHtml = await render(page, `/en/${path}`);
      expect(viHtml).toContain(vietnamese);
      expect(enHtml).toContain(english);
      expect(enHtml).not.toContain(vietnamese);
      expect(enHtml).not.toMatch(/href="\/(san-pham|don-hang|gio-hang|thanh-toan)\//);
    }
  });
});
