/**
 * The payment SDK the orders function and the job workers use. The composition root gives each
 * process one source of it (shared/services.ts `payments`): locally, settings pointing at the
 * VNPay emulator (`paymentsFrom`); in AWS, `paymentsFromSsm`: plain values from the environment
 * (set by the CDK app), secrets from SSM Parameter Store under `PAYMENTS_SSM_PATH` (SecureString,
 * decrypted), loaded on first use and kept for the container.
 */
import type { Env } from '../../shared/config.ts';
import { required, type LoadedPayments } from '../../shared/services.ts';
import {
  createExchangePayments,
  paymentSettings,
  SECRET_PARAMETERS,
  type PaymentSecrets,
  type PaymentSettings,
} from '../../shared/payments/settings.ts';
import { loadedOnce, readParametersByPath, ssmClient, type SsmClient } from '../adapters/ssm-parameters.ts';

/** The process's payment SDK and its settings (from the installed services). */
export function exchangePayments(): Promise<LoadedPayments> {
  return required('payments')();
}

/** A source that always answers the SDK built from these settings (local runtime, tests). */
export function paymentsFrom(settings: PaymentSettings, clock?: () => Date): () => Promise<LoadedPayments> {
  const loaded = Promise.resolve({ settings, payments: createExchangePayments(settings, clock) });
  return () => loaded;
}

export interface SsmPaymentsInput {
  env: Env;
  ssmPath: string;
  /** The storefront's origin (return and IPN URLs). */
  siteUrl: string;
  vnpayHost?: string;
  client?: SsmClient;
}

/** In AWS: the settings with their secrets from SSM, read once per container (a failure is retried). */
export function paymentsFromSsm(input: SsmPaymentsInput): () => Promise<LoadedPayments> {
  return loadedOnce(() => load(input));
}

async function load(input: SsmPaymentsInput): Promise<LoadedPayments> {
  const settings = paymentSettings({
    env: input.env,
    secrets: await readSecrets(input.client ?? ssmClient(), input.ssmPath),
    origin: input.siteUrl,
    ...(input.vnpayHost ? { vnpayHost: input.vnpayHost } : {}),
    requireSecrets: true,
  });
  return { settings, payments: createExchangePayments(settings) };
}

async function readSecrets(client: SsmClient, path: string): Promise<PaymentSecrets> {
  const found = await readParametersByPath(client, path);
  const secrets: PaymentSecrets = {};
  for (const [key, name] of Object.entries(SECRET_PARAMETERS) as [keyof PaymentSecrets, string][]) {
    const value = found.get(name);
    if (value) secrets[key] = value;
  }
  return secrets;
}
