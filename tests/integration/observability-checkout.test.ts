/**
 * Checkout observed end to end against DynamoDB Local: the order code becomes the correlation id
 * of the rest of the request, OrdersPlaced and StockRefusals are emitted as EMF where they happen,
 * and nothing a shopper typed (phone, name, address, the COD confirmation code) reaches a log line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, useLogger, type ExchangeLog } from '../../shared/observability/log.ts';
import { configureMetrics, flushMetrics } from '../../shared/observability/metrics.ts';
import { createShop, HANOI, orderBody, place, setStock, SHOPPER, type Shop } from './orders-world.ts';

let shop: Shop;
let previous: ExchangeLog | undefined;
const printed: string[] = [];
const stdout: string[] = [];

beforeAll(async () => {
  shop = await createShop();
  previous = useLogger(
    createLogger({ service: 'orders', output: 'json', level: 'INFO', sink: (t) => printed.push(t) }),
  );
  configureMetrics({ enabled: true, namespace: 'TnExchange/prod', service: 'orders' });
});

afterAll(() => {
  if (previous) useLogger(previous);
  configureMetrics({ enabled: false, namespace: 'TnExchange/local', service: 'local' });
});

/** Runs `fn` and returns the EMF documents flushed at its end (as the Lambda wrapper does). */
async function emfOf(fn: () => Promise<unknown>) {
  stdout.length = 0;
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  try {
    await fn();
    flushMetrics();
  } finally {
    spy.mockRestore();
  }
  return stdout
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('an observed checkout', () => {
  it('logs under the order code once it is minted and counts the order by payment method', async () => {
    let code = '';
    const docs = await emfOf(async () => {
      const res = await place(orderBody([{ variantId: shop.packs.memberTea.id, quantity: 1 }]));
      expect(res.status).toBe(201);
      code = res.body.order.code;
    });
    const entries = printed.map((line) => JSON.parse(line) as Record<string, unknown>);
    const placed = entries.find((e) => e.message === 'order placed');
    expect(placed).toMatchObject({ correlation_id: code, service: 'orders', paymentMethod: 'cod' });
    expect(docs.find((d) => d.PaymentMethod === 'cod')).toMatchObject({ OrdersPlaced: 1, service: 'orders' });
    expect(docs.find((d) => !d.PaymentMethod && 'OrdersPlaced' in d)).toMatchObject({ OrdersPlaced: 1 });

    const all = printed.join('\n');
    const digits = SHOPPER.phone.replace(/\D/g, '');
    expect(all).not.toContain(digits);
    expect(all).not.toContain(digits.slice(1));
    expect(all).not.toContain(SHOPPER.name);
    expect(all).not.toContain(HANOI.street);
  });

  it('counts a checkout refused for stock', async () => {
    await setStock(shop.packs.coopBTea, 1);
    const docs = await emfOf(async () => {
      const res = await place(orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 2 }]));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('order.out_of_stock');
    });
    expect(docs.find((d) => 'StockRefusals' in d)).toMatchObject({ StockRefusals: 1, service: 'orders' });
    expect(docs.some((d) => 'OrdersPlaced' in d)).toBe(false);
  });
});
