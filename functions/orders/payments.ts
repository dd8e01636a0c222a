/**
 * The payment SDK the orders function uses, built once per container from the payment settings.
 * Locally the runtime installs settings pointing at the VNPay emulator (`setPaymentSettings`);
 * in AWS the first request loads them: plain values from the environment (set by the CDK app),
 * secrets from SSM Parameter Store under `PAYMENTS_SSM_PATH` (SecureString, decrypted).
 */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Payments } from '../../shared/payments/index.ts';
import {
  createExchangePayments,
  paymentSettings,
  SECRET_PARAMETERS,
  type PaymentSecrets,
  type PaymentSettings,
} from '../../shared/payments/settings.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';

interface Loaded {
  settings: PaymentSettings;
  payments: Payments;
}

let loaded: Promise<Loaded> | undefined;

/** Installs settings (local runtime, tests); the next request builds the SDK from them. */
export function setPaymentSettings(settings: PaymentSettings, clock?: () => Date): Payments {
  const payments = createExchangePayments(settings, clock);
  loaded = Promise.resolve({ settings, payments });
  return payments;
}

export async function exchangePayments(): Promise<Loaded> {
  loaded ??= loadFromAws().catch((error: unknown) => {
    loaded = undefined; // a later request retries rather than failing forever
    throw error;
  });
  return loaded;
}

async function loadFromAws(): Promise<Loaded> {
  const path = process.env.PAYMENTS_SSM_PATH;
  const origin = process.env.SITE_URL;
  if (!path || !origin) {
    throw new Error('Payments are not configured: PAYMENTS_SSM_PATH and SITE_URL must be set');
  }
  const settings = paymentSettings({
    env: process.env,
    secrets: await readSecrets(path),
    origin,
    vnpayHost: process.env.VNPAY_HOST,
    requireSecrets: true,
  });
  return { settings, payments: createExchangePayments(settings) };
}

async function readSecrets(path: string): Promise<PaymentSecrets> {
  const client = instrumentClient(new SSMClient({}));
  const found = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new GetParametersByPathCommand({ Path: path, WithDecryption: true, NextToken }),
    );
    for (const p of page.Parameters ?? [])
      if (p.Name && p.Value) found.set(p.Name.split('/').at(-1)!, p.Value);
    NextToken = page.NextToken;
  } while (NextToken);
  const secrets: PaymentSecrets = {};
  for (const [key, name] of Object.entries(SECRET_PARAMETERS) as [keyof PaymentSecrets, string][]) {
    const value = found.get(name);
    if (value) secrets[key] = value;
  }
  return secrets;
}
