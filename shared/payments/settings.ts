/**
 * The exchange's payment configuration, read from the environment, and the SDK built from it.
 *
 * Secrets (`VNPAY_HASH_SECRET`, `VIETQR_NOTIFICATION_SECRET`, `WEBHOOK_SECRET`) come from the
 * environment locally and from SSM Parameter Store (SecureString) in AWS: the caller passes what
 * it read there as `secrets`, which win over the environment. Without a value, the local runtime
 * uses the dev defaults below; in AWS (`requireSecrets`) a missing secret is an error at start,
 * never a silent dev default.
 *
 * Switching the VNPay secret without downtime: while VNPay may still sign with the old secret,
 * it is kept as `VNPAY_HASH_SECRET_PREVIOUS` (SSM: `vnpay-hash-secret-previous`). IPNs, return
 * URLs and API answers are accepted under either secret; every request we sign uses the current
 * one. Once the switch is over the previous one is deleted.
 */
import type { Payments } from './index.ts';
import { createPayments } from './index.ts';
import type { WebhookEndpoint } from './outbox.ts';
import { createCodProvider } from './providers/cod.ts';
import { createVietQrProvider, type VietQrConfig } from './providers/vietqr.ts';
import { createVnpayProvider, type VnpaySettings } from './vnpay/provider.ts';

export interface PaymentSettings {
  vnpay: VnpaySettings;
  /** The IPN URL configured on the VNPay terminal (the emulator calls it locally). */
  vnpayIpnUrl: string;
  vietqr: VietQrConfig;
  /** Where the outbox delivers events; each endpoint signs with its own secret. */
  webhookEndpoints: WebhookEndpoint[];
  /** The secret our own webhook route verifies `Stripe-Signature` with. */
  webhookSecret: string;
}

export interface PaymentSecrets {
  vnpayHashSecret?: string;
  /** During a switch of the VNPay secret: the old one, still accepted on what VNPay signs. */
  vnpayHashSecretPrevious?: string;
  vietqrNotificationSecret?: string;
  webhookSecret?: string;
}

/** SSM parameter names (under `PAYMENTS_SSM_PATH`) of each secret. */
export const SECRET_PARAMETERS: Record<keyof PaymentSecrets, string> = {
  vnpayHashSecret: 'vnpay-hash-secret',
  vnpayHashSecretPrevious: 'vnpay-hash-secret-previous',
  vietqrNotificationSecret: 'vietqr-notification-secret',
  webhookSecret: 'webhook-secret',
};

/** Dev defaults: a sandbox-shaped terminal served by the local VNPay emulator. Never used in AWS. */
export const DEV_DEFAULTS = {
  VNPAY_TMN_CODE: 'TNOCOP01',
  VNPAY_HASH_SECRET: 'DEVSECRETTHAINGUYENOCOPEXCHANGE1',
  VIETQR_BANK_BIN: '970436',
  VIETQR_ACCOUNT_NUMBER: '0011004999999',
  VIETQR_ACCOUNT_NAME: 'HTX CHE TAN CUONG THAI NGUYEN',
  VIETQR_NOTIFICATION_SECRET: 'dev-bank-notification-secret',
  WEBHOOK_SECRET: 'whsec_dev_thai_nguyen_exchange',
  PAYMENT_WINDOW_MINUTES: '15',
} as const;

export interface SettingsInput {
  env: Readonly<Record<string, string | undefined>>;
  secrets?: PaymentSecrets;
  /** The public origin (e.g. `http://127.0.0.1:8080`): the default return, IPN and webhook URLs. */
  origin: string;
  /** Base URL of the VNPay pay/API host (the emulator locally). */
  vnpayHost?: string;
  /** In AWS: fail when a secret or the merchant code is missing instead of using dev defaults. */
  requireSecrets?: boolean;
}

export function paymentSettings(input: SettingsInput): PaymentSettings {
  const { env, secrets = {}, origin } = input;
  const value = (name: keyof typeof DEV_DEFAULTS, secret?: string): string => {
    const found = secret ?? env[name];
    if (found) return found;
    if (input.requireSecrets) throw new Error(`Payment setting ${name} is not configured`);
    return DEV_DEFAULTS[name];
  };
  const host = (input.vnpayHost ?? 'https://sandbox.vnpayment.vn').replace(/\/$/, '');
  const webhookSecret = value('WEBHOOK_SECRET', secrets.webhookSecret);
  const endpoints = (env.WEBHOOK_ENDPOINTS ?? `${origin}/api/payments/webhook`)
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  return {
    vnpay: {
      tmnCode: value('VNPAY_TMN_CODE'),
      hashSecret: value('VNPAY_HASH_SECRET', secrets.vnpayHashSecret),
      ...previousSecret(secrets.vnpayHashSecretPrevious ?? env.VNPAY_HASH_SECRET_PREVIOUS),
      payUrl: env.VNPAY_PAY_URL ?? `${host}/paymentv2/vpcpay.html`,
      apiUrl: env.VNPAY_API_URL ?? `${host}/merchant_webapi/api/transaction`,
      returnUrl: env.VNPAY_RETURN_URL ?? `${origin}/thanh-toan/ket-qua/`,
      returnUrlEn: env.VNPAY_RETURN_URL_EN ?? `${origin}/en/thanh-toan/ket-qua/`,
      paymentWindowMinutes: paymentWindow(env.PAYMENT_WINDOW_MINUTES),
    },
    vnpayIpnUrl: env.VNPAY_IPN_URL ?? `${origin}/api/payments/vnpay/ipn`,
    vietqr: {
      bankBin: value('VIETQR_BANK_BIN'),
      accountNumber: value('VIETQR_ACCOUNT_NUMBER'),
      accountName: value('VIETQR_ACCOUNT_NAME'),
      notificationSecret: value('VIETQR_NOTIFICATION_SECRET', secrets.vietqrNotificationSecret),
    },
    webhookEndpoints: endpoints.map((url) => ({ url, secret: webhookSecret })),
    webhookSecret,
  };
}

/**
 * How long a shopper has to pay online (`PAYMENT_WINDOW_MINUTES`, 15 by default in AWS too: it is
 * not a secret and the CDK app does not set it).
 */
function paymentWindow(value: string | undefined): number {
  const minutes = Number(value ?? DEV_DEFAULTS.PAYMENT_WINDOW_MINUTES);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    throw new Error(`PAYMENT_WINDOW_MINUTES must be whole minutes from 1 to 1440, got "${value}"`);
  }
  return minutes;
}

/** The previous VNPay secret, optional everywhere: only present while a switch is under way. */
function previousSecret(value: string | undefined): { previousHashSecret?: string } {
  return value ? { previousHashSecret: value } : {};
}

/** The SDK with the three rails the exchange offers. */
export function createExchangePayments(settings: PaymentSettings, clock?: () => Date): Payments {
  return createPayments({
    providers: {
      cod: createCodProvider(),
      vietqr: createVietQrProvider(settings.vietqr),
      vnpay: createVnpayProvider(settings.vnpay),
    },
    webhookEndpointCount: settings.webhookEndpoints.length,
    ...(clock ? { clock } : {}),
  });
}
