/**
 * The payment SDK the orders function and the job workers use. The composition root gives each
 * process one source of it (shared/services.ts `payments`): locally, settings pointing at the
 * VNPay emulator (`paymentsFrom`); in AWS, `paymentsFromSsm`: plain values from the environment
 * (set by the CDK app), secrets from SSM Parameter Store under `PAYMENTS_SSM_PATH` (SecureString,
 * decrypted), loaded on first use and kept for the container.
 */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Env } from '../../shared/config.ts';
import { required, type LoadedPayments } from '../../shared/services.ts';
import {
  createExchangePayments,
  paymentSettings,
  SECRET_PARAMETERS,
  type PaymentSecrets,
  type PaymentSettings,
} from '../../shared/payments/settings.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';

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
  client?: Pick<SSMClient, 'send'>;
}

/** In AWS: the settings with their secrets from SSM, read once per container (a failure is retried). */
export function paymentsFromSsm(input: SsmPaymentsInput): () => Promise<LoadedPayments> {
  let loaded: Promise<LoadedPayments> | undefined;
  return () => {
    loaded ??= load(input).catch((error: unknown) => {
      loaded = undefined; // a later request retries rather than failing forever
      throw error;
    });
    return loaded;
  };
}

async function load(input: SsmPaymentsInput): Promise<LoadedPayments> {
  const settings = paymentSettings({
    env: input.env,
    secrets: await readSecrets(input.client ?? instrumentClient(new SSMClient({})), input.ssmPath),
    origin: input.siteUrl,
    ...(input.vnpayHost ? { vnpayHost: input.vnpayHost } : {}),
    requireSecrets: true,
  });
  return { settings, payments: createExchangePayments(settings) };
}

async function readSecrets(client: Pick<SSMClient, 'send'>, path: string): Promise<PaymentSecrets> {
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
