/**
 * The whole API in-process for the route-table tests (guards, ownership matrix, fuzzing): the
 * seller world's people plus a signed-in shopper with no producer, payments configured as the
 * local runtime configures them, and a request helper that sends to the function a route names.
 */
import { paymentsFrom } from '../../functions/orders/payments.ts';
import { recompose } from '../../infra/local/services.ts';
import type { RouteDefinition } from '../../functions/routes.ts';
import { FUNCTION_APPS } from '../../infra/local/function-apps.ts';
import { accounts } from '../../shared/db/accounts.ts';
import { paymentSettings } from '../../shared/payments/settings.ts';
import { createSellerWorld, type Actor, type SellerWorld } from './seller-world.ts';

export interface ApiWorld extends SellerWorld {
  shopper: Actor;
}

export async function createApiWorld(): Promise<ApiWorld> {
  const world = await createSellerWorld();
  recompose({
    payments: paymentsFrom(
      paymentSettings({ env: {}, origin: 'http://127.0.0.1:9', vnpayHost: 'http://127.0.0.1:9' }),
    ),
  });
  const account = await accounts.create({
    sub: `shopper-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
    phone: `+8498${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`,
    groups: [],
    createdAt: new Date().toISOString(),
  });
  const shopper = { name: 'shopper', account, token: (await world.issuer.sign(account)).accessToken };
  return { ...world, shopper };
}

export interface Sent {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are probed by each test's assertions
  body: any;
}

/** Sends one request to the function that serves `route`. */
export async function sendTo(
  route: Pick<RouteDefinition, 'function' | 'method'>,
  path: string,
  init: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const res = await FUNCTION_APPS[route.function].fetch(
    new Request(`http://127.0.0.1${path}`, {
      method: route.method,
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    }),
  );
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (labels, photos, the docs page)
  }
  return { status: res.status, text, body };
}
