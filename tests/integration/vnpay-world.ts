/**
 * The VNPay integration tests' world: the payment SDK with the vnpay provider over the test
 * file's DynamoDB Local table, the VNPay emulator over HTTP, and our IPN endpoint on its own
 * port (a tiny Hono server calling `handleVnpayIpn`, whose behaviour a test can swap to play a
 * broken merchant). Nothing of ours is mocked.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { expect } from 'vitest';
import {
  startVnpayEmulator,
  type RunningVnpayEmulator,
  type StartVnpayEmulatorOptions,
} from '../../infra/local/vnpay-emulator/index.ts';
import { createPayments, type Payments } from '../../shared/payments/index.ts';
import type { PaymentEvent, PaymentIntent } from '../../shared/payments/types.ts';
import { handleVnpayIpn } from '../../shared/payments/vnpay/ipn.ts';
import { createVnpayProvider, type VnpaySettings } from '../../shared/payments/vnpay/provider.ts';

export const TMN_CODE = 'TNOCOP01';
export const HASH_SECRET = 'VNPAYTESTSECRET0123456789ABCDEFG';
export const RETURN_URL = 'http://shop.test/thanh-toan/ket-qua';

/** What our IPN endpoint does with a call: by default, what production does. */
export type IpnBehaviour = (rawQuery: string) => Promise<Response | undefined>;

export interface VnpayWorld {
  payments: Payments;
  settings: VnpaySettings;
  emulator: RunningVnpayEmulator;
  ipnUrl: string;
  /** Every raw query our IPN endpoint received. */
  ipnCalls: string[];
  /** Replace to play a broken endpoint; return undefined to fall through to the real handler. */
  behaviour: { current: IpnBehaviour | undefined };
  stop(): Promise<void>;
}

export async function startIpnServer(
  handle: (rawQuery: string) => Promise<Response>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new Hono();
  app.get('/ipn', (c) => handle(new URL(c.req.url).search.replace(/^\?/, '')));
  const server = await new Promise<ServerType>((ready, fail) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
    s.once('error', fail);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ipn`,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export async function startVnpayWorld(
  options: {
    /** false: the emulator has no IPN URL (an IPN that never arrives). */
    ipn?: boolean;
    emulator?: Partial<StartVnpayEmulatorOptions>;
    settings?: Partial<VnpaySettings>;
  } = {},
): Promise<VnpayWorld> {
  const behaviour: VnpayWorld['behaviour'] = { current: undefined };
  const ipnCalls: string[] = [];
  // The settings are completed once the emulator's port is known; the handler reads them late.
  const settings = {
    tmnCode: TMN_CODE,
    hashSecret: HASH_SECRET,
    returnUrl: RETURN_URL,
    ...options.settings,
  } as VnpaySettings;
  const payments = createPayments({ providers: { vnpay: createVnpayProvider(settings) } });
  const ipnServer = await startIpnServer(async (raw) => {
    ipnCalls.push(raw);
    const custom = await behaviour.current?.(raw);
    return custom ?? Response.json(await handleVnpayIpn(payments, settings, raw));
  });
  const emulator = await startVnpayEmulator({
    tmnCode: TMN_CODE,
    hashSecret: HASH_SECRET,
    ipnRetryIntervalMs: 20,
    ipnTimeoutMs: 2_000,
    ...(options.ipn === false ? {} : { ipnUrl: ipnServer.url }),
    ...options.emulator,
  });
  settings.payUrl = `${emulator.url}/paymentv2/vpcpay.html`;
  settings.apiUrl = `${emulator.url}/merchant_webapi/api/transaction`;
  return {
    payments,
    settings,
    emulator,
    ipnUrl: ipnServer.url,
    ipnCalls,
    behaviour,
    async stop() {
      await emulator.stop();
      await ipnServer.stop();
    },
  };
}

/** A VNPay intent, created and confirmed: `requires_action` with the signed payment URL. */
export async function confirmedIntent(
  payments: Payments,
  amount = 185_000,
  metadata: Record<string, string> = {},
): Promise<PaymentIntent> {
  const intent = await payments.paymentIntents.create({
    amount,
    currency: 'vnd',
    payment_method_types: ['vnpay'],
    metadata: { order_code: 'DH-TN-0001', ...metadata },
    description: 'Chè Tân Cương — đơn hàng DH-TN-0001',
    confirm: true,
  });
  expect(intent.status).toBe('requires_action');
  return intent;
}

export function redirectUrl(intent: PaymentIntent): string {
  if (intent.next_action?.type !== 'redirect_to_url') throw new Error('no redirect');
  return intent.next_action.redirect_to_url.url;
}

export type ShopperChoice = 'success' | 'cancel' | 'insufficient_balance' | 'timeout';

/**
 * What the shopper's browser does: opens the payment URL at the emulator (the payment page),
 * clicks an outcome, and is sent back to the return URL. Returns that return URL.
 */
export async function payAtEmulator(intent: PaymentIntent, choice: ShopperChoice): Promise<string> {
  const page = await fetch(redirectUrl(intent), { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Thanh toán qua VNPay');
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
  expect(token).toBeTruthy();
  const action = new URL('/paymentv2/emulator/choose', redirectUrl(intent));
  const chosen = await fetch(action, {
    method: 'POST',
    body: new URLSearchParams({ token: token!, outcome: choice }),
    redirect: 'manual',
  });
  expect(chosen.status).toBe(302);
  const location = chosen.headers.get('location')!;
  expect(location.startsWith(RETURN_URL)).toBe(true);
  return location;
}

/** Every stored event about one object, oldest first (pages through `events.list`). */
export async function eventsOf(payments: Payments, objectId: string): Promise<PaymentEvent[]> {
  const all: PaymentEvent[] = [];
  let starting_after: string | undefined;
  for (;;) {
    const page = await payments.events.list({ limit: 100, ...(starting_after ? { starting_after } : {}) });
    all.push(...page.data);
    if (!page.has_more) break;
    starting_after = page.data.at(-1)!.id;
  }
  return all
    .filter((e) => {
      const o = e.data.object as { id: string; payment_intent?: string };
      return o.id === objectId || o.payment_intent === objectId;
    })
    .reverse();
}

export const typesOf = (events: PaymentEvent[]) => events.map((e) => e.type);
