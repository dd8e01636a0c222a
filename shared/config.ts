/**
 * The exchange's configuration: every setting read from the environment, in one zod schema,
 * parsed once per process by a composition root (functions/services.ts in Lambda,
 * infra/local/services.ts locally) and handed to the domain as part of its services
 * (shared/services.ts, `config()`).
 *
 * Malformed values are always an error. In Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) the settings a
 * function needs are required too, and there are no dev defaults: a missing or bad one throws at
 * cold start with one message naming every bad variable. Locally the runtime passes its own values
 * (table, origin) and the rest have dev defaults.
 */
import * as z from 'zod';
import { DEFAULT_TABLE_NAME } from './db/table.ts';

/** Table name of the local runtime and tests; in AWS CloudFormation names the table. */
export const LOCAL_TABLE_NAME = DEFAULT_TABLE_NAME;

/**
 * How long a call to the table may take. API Gateway gives up after 29 s and an API function
 * after 10 s (infra/constructs/exchange-function.ts); a stalled table must cost a request a few
 * seconds, then a 503, not the whole timeout. Worst case per call: attempts × request timeout +
 * the SDK's short backoff, ≈ 4.1 s with the defaults (a refused connection fails at once), so a
 * checkout that meets the stall twice (its write, then giving its idempotency key back) still
 * answers in ≈ 8.3 s, inside the function's 10 s. A healthy DynamoDB answers in milliseconds.
 * DynamoDB Local (a JVM sharing a laptop's cores with the seeding, the tests and hundreds of
 * concurrent requests of one process, which wait for one of the client's sockets before their
 * connection starts) gets 10 s for both.
 */
export const DB_TIMEOUT_DEFAULTS = {
  connectTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  localConnectTimeoutMs: 10_000,
  localRequestTimeoutMs: 10_000,
  maxAttempts: 2,
};

/** The dev secret the local runtime signs cursors with; never used in Lambda. */
const DEV_CURSOR_SECRET = 'dev-cursor-secret-thai-nguyen-exchange';

const text = z.string().trim().min(1);
const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/$/, ''));
const httpsUrl = z.url({ protocol: /^https$/ }).transform((value) => value.replace(/\/$/, ''));
const milliseconds = z.coerce.number().int().min(0);

/** The environment variables the exchange reads, each checked for shape (all optional here). */
const EnvSchema = z.object({
  AWS_LAMBDA_FUNCTION_NAME: text.optional(),
  AWS_REGION: text.optional(),
  TABLE_NAME: text.optional(),
  DYNAMODB_ENDPOINT: url.optional(),
  /** Bounds on every call to the table (DB_TIMEOUT_DEFAULTS). */
  DYNAMODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  DYNAMODB_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  DYNAMODB_MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
  /** Public origin of the storefront: every link in a text message and a QR label starts with it. */
  SITE_URL: url.optional(),
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SELLER_LISTING_CAP: z.coerce.number().int().positive().optional(),
  CATALOG_POLL_MS: milliseconds.optional(),
  CATALOG_OVERLAP_MS: milliseconds.optional(),
  /** The bucket of the catalog's snapshots (shared/db/catalog-snapshot.ts): catalog function and its job. */
  CATALOG_SNAPSHOT_BUCKET: text.optional(),
  /** `off` turns the counting limits off (tests, benchmarks); anything else keeps them. */
  RATE_LIMITS: z.string().optional(),
  ORIGIN_VERIFY_SECRET: text.optional(),
  AUTH_ISSUER: url.optional(),
  AUTH_AUDIENCE: text.optional(),
  AUTH_JWKS_URL: url.optional(),
  COGNITO_USER_POOL_ID: text.optional(),
  COGNITO_CLIENT_ID: text.optional(),
  /**
   * The digital-identity provider (shared/auth/identity-provider.ts). Direct: IDENTITY_ISSUER,
   * _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URI. Through Cognito: IDENTITY_ISSUER, _REDIRECT_URI,
   * IDENTITY_COGNITO_PROVIDER and IDENTITY_COGNITO_DOMAIN (with COGNITO_* and AUTH_ISSUER).
   */
  IDENTITY_ISSUER: httpsUrl.optional(),
  IDENTITY_CLIENT_ID: text.optional(),
  IDENTITY_CLIENT_SECRET: text.optional(),
  IDENTITY_REDIRECT_URI: httpsUrl.optional(),
  /** The provider's name in the user pool (`identity_provider=`, the `identities` claim). */
  IDENTITY_COGNITO_PROVIDER: z
    .string()
    .regex(/^[\w.-]{1,32}$/, 'must be the identity provider name of the user pool')
    .optional(),
  /** The user pool domain's base URL (https://<prefix>.auth.<region>.amazoncognito.com). */
  IDENTITY_COGNITO_DOMAIN: httpsUrl.optional(),
  MEDIA_BUCKET: text.optional(),
  MEDIA_PREFIX: text.optional(),
  DISTRIBUTION_ID: text.optional(),
  PAYMENTS_SSM_PATH: z
    .string()
    .regex(/^\/[\w./-]+$/, 'must be an SSM path such as /tn-exchange/payments')
    .optional(),
  VNPAY_HOST: httpsUrl.optional(),
  /**
   * The carriers (shared/carriers): their tokens and webhook tokens as SecureStrings under this
   * SSM path (`ghn-token`, `ghn-webhook-token`, `ghtk-token`, `ghtk-webhook-token`); a carrier
   * without its token is not offered. Unset: the manual carrier only.
   */
  CARRIERS_SSM_PATH: z
    .string()
    .regex(/^\/[\w./-]+$/, 'must be an SSM path such as /tn-exchange/carriers')
    .optional(),
  /** GHN's host (production https://online-gateway.ghn.vn, sandbox https://dev-online-gateway.ghn.vn). */
  GHN_HOST: url.optional(),
  /** The exchange's own GHN shop, for cooperatives without one. */
  GHN_SHOP_ID: z
    .string()
    .regex(/^\d{1,12}$/, 'must be a GHN shop id (digits)')
    .optional(),
  /** GHTK's host (production https://services.giaohangtietkiem.vn, staging https://services-staging.ghtklab.com). */
  GHTK_HOST: url.optional(),
  /** GHTK's partner code (`X-Client-Source`), when the exchange is a GHTK partner. */
  GHTK_CLIENT_SOURCE: text.optional(),
  /**
   * Zalo ZNS (shared/messaging/zalo.ts): the OA app's id, and under ZALO_SSM_PATH its secrets as
   * SecureStrings (`zalo-secret-key`, `zalo-refresh-token`); the approved template ids as JSON
   * (`{"order_placed":"410001",…}`). All three set: recipients who chose Zalo get ZNS messages.
   */
  ZALO_APP_ID: z
    .string()
    .regex(/^\d{1,24}$/, 'must be a Zalo app id (digits)')
    .optional(),
  ZALO_SSM_PATH: z
    .string()
    .regex(/^\/[\w./-]+$/, 'must be an SSM path such as /tn-exchange/zalo')
    .optional(),
  ZALO_TEMPLATE_IDS: z
    .string()
    .transform((text, ctx) => {
      try {
        const parsed = z.record(z.string(), z.string().regex(/^\d+$/)).parse(JSON.parse(text));
        return parsed;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of template name → numeric id' });
        return z.NEVER;
      }
    })
    .optional(),
  /**
   * E-invoices (shared/invoices): SInvoice's base URL (https://sinvoice.viettel.vn:8443, the
   * sandbox https://demo-sinvoice.viettel.vn:8443) for the invoice lane, and the SSM path under
   * which each seller's own SInvoice account is one SecureString, `<path>/<sellerId>`
   * (functions/adapters/ssm-credential-store.ts): the board writes them, the lane reads them.
   */
  EINVOICE_BASE_URL: url.optional(),
  EINVOICE_SSM_PATH: z
    .string()
    .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'must be an SSM path such as /tn-exchange/prod/einvoice')
    .optional(),
  /** The buyers' lookup page. @default https://vinvoice.viettel.vn/utilities/invoice-search */
  EINVOICE_LOOKUP_URL: url.optional(),
  /** Zalo's hosts (https://business.openapi.zalo.me, https://oauth.zaloapp.com by default). */
  ZALO_API_HOST: url.optional(),
  ZALO_OAUTH_HOST: url.optional(),
  /**
   * The "Notices" SQS queue the API functions put their messages on (shared/messaging/notice-queue.ts);
   * the notices worker sends them.
   */
  NOTICES_QUEUE_URL: httpsUrl.optional(),
  /** Sender id shown on SMS where the destination allows one (alphanumeric, up to 11). */
  // The local runtime's own knobs (infra/local/runtime.ts); nothing in Lambda reads them.
  DEV_INBOX_REMOTE: z.enum(['0', '1']).optional(),
  VNPAY_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  CARRIER_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  ZALO_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Phones the Zalo emulator treats as having no Zalo account (comma-separated). */
  ZALO_EMULATOR_NO_ZALO_PHONES: z.string().optional(),
  CARRIER_WEBHOOK_RETRY_MS: milliseconds.optional(),
  VNPAY_IPN_RETRY_MS: milliseconds.optional(),
  PAYMENT_JOBS_INTERVAL_MS: milliseconds.optional(),
  SMS_SENDER_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1–11 letters or digits')
    .optional(),
});

export type Env = Readonly<Record<string, string | undefined>>;

/** Settings a Lambda function may declare as required (functions/services.ts). */
export type Setting =
  | 'TABLE_NAME'
  | 'SITE_URL'
  | 'CURSOR_SECRET'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE'
  | 'COGNITO_USER_POOL_ID'
  | 'COGNITO_CLIENT_ID'
  | 'MEDIA_BUCKET'
  | 'CATALOG_SNAPSHOT_BUCKET'
  | 'MEDIA_PREFIX'
  | 'DISTRIBUTION_ID'
  | 'PAYMENTS_SSM_PATH'
  | 'EINVOICE_BASE_URL'
  | 'EINVOICE_SSM_PATH'
  | 'ORIGIN_VERIFY_SECRET'
  | 'NOTICES_QUEUE_URL';

export interface Config {
  /** True in Lambda: no dev defaults anywhere. */
  inLambda: boolean;
  functionName?: string;
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  dynamodbEndpoint?: string;
  /**
   * `DYNAMODB_CONNECT_TIMEOUT_MS`, `DYNAMODB_REQUEST_TIMEOUT_MS`, `DYNAMODB_MAX_ATTEMPTS`; unset
   * ones take DB_TIMEOUT_DEFAULTS.
   */
  dynamodbTimeouts: { connectTimeoutMs?: number; requestTimeoutMs?: number; maxAttempts?: number };
  /** Without trailing slash. Required in Lambda where links are sent; the local runtime passes its origin. */
  siteUrl?: string;
  cursorSecret?: string;
  sellerListingCap: number;
  catalog: { pollMs: number; overlapMs: number; snapshotBucket?: string };
  rateLimits: boolean;
  originVerifySecret?: string;
  auth?: { issuer: string; audience: string; jwksUrl: string };
  cognito?: { userPoolId: string; clientId: string };
  /**
   * The digital-identity provider: direct when IDENTITY_ISSUER, _CLIENT_ID, _CLIENT_SECRET and
   * _REDIRECT_URI are all set; through the user pool when IDENTITY_ISSUER, _REDIRECT_URI,
   * IDENTITY_COGNITO_PROVIDER and _DOMAIN are (which wins: the pool then holds the secret).
   */
  identity?:
    | { via: 'direct'; issuer: string; clientId: string; clientSecret: string; redirectUri: string }
    | { via: 'cognito'; issuer: string; providerName: string; domain: string; redirectUri: string };
  media?: { bucket: string; prefix?: string };
  distributionId?: string;
  payments: { ssmPath?: string; vnpayHost?: string };
  /** The carriers' hosts and the SSM path of their tokens (CARRIERS_SSM_PATH, GHN_HOST, …). */
  carriers: {
    ssmPath?: string;
    ghnHost?: string;
    ghnShopId?: string;
    ghtkHost?: string;
    ghtkClientSource?: string;
  };
  sms: { senderId?: string };
  /** The notice queue's URL (NOTICES_QUEUE_URL): the functions that send messages queue them there. */
  noticesQueueUrl?: string;
  /** E-invoices in AWS: SInvoice's base URL, the sellers' accounts' SSM path, the lookup page. */
  einvoice: { baseUrl?: string; ssmPath?: string; lookupUrl?: string };
  /** Zalo ZNS, when ZALO_APP_ID, ZALO_SSM_PATH and ZALO_TEMPLATE_IDS are all set. */
  zalo?: {
    appId: string;
    ssmPath: string;
    templateIds: Record<string, string>;
    apiHost?: string;
    oauthHost?: string;
  };
  /** The local runtime only. */
  local: {
    /** The dev inbox answers other devices too (`DEV_INBOX_REMOTE=1`). */
    inboxForAnyAddress: boolean;
    /** The VNPay emulator's port; undefined: the one after the server's. */
    vnpayEmulatorPort?: number;
    vnpayIpnRetryMs: number;
    paymentJobsIntervalMs: number;
    /** The carriers' emulators' port; undefined: two after the server's. */
    carrierEmulatorPort?: number;
    /** The emulators' first webhook retry (doubling). */
    carrierWebhookRetryMs: number;
    /** The Zalo ZNS emulator's port; undefined: three after the server's. */
    zaloEmulatorPort?: number;
    /** Phones without a Zalo account in the emulator. */
    zaloNoAccountPhones: string[];
  };
}

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    functionName?: string,
  ) {
    super(
      `Configuration of ${functionName ? `function ${functionName}` : 'the exchange'} is invalid: ${problems.join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Settings that must be present in Lambda (ignored locally, where defaults stand in). */
  require?: readonly Setting[];
  /** Values the local runtime supplies itself (its table, its origin). */
  overrides?: Partial<Pick<Config, 'tableName' | 'dynamodbEndpoint' | 'siteUrl' | 'region'>>;
}

/**
 * Parses and checks the environment. Every problem is collected, so one error names every bad
 * variable; nothing is silently replaced by a default in Lambda.
 */
export function loadConfig(env: Env, options: LoadOptions = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME?.trim() || undefined;
  if (functionName) {
    // A value that is set but malformed is already reported above.
    for (const name of ['TABLE_NAME', ...(options.require ?? [])] as Setting[]) {
      if (env[name] === undefined) problems.push(`${name} is not set`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)], functionName);
  const values = parsed.data;
  const inLambda = !!values.AWS_LAMBDA_FUNCTION_NAME;

  const o = options.overrides ?? {};
  const issuer = values.AUTH_ISSUER;
  return {
    inLambda,
    ...(values.AWS_LAMBDA_FUNCTION_NAME ? { functionName: values.AWS_LAMBDA_FUNCTION_NAME } : {}),
    tableName: o.tableName ?? values.TABLE_NAME ?? LOCAL_TABLE_NAME,
    region: o.region ?? values.AWS_REGION ?? 'ap-southeast-1',
    ...optional('dynamodbEndpoint', o.dynamodbEndpoint ?? values.DYNAMODB_ENDPOINT),
    dynamodbTimeouts: {
      ...optional('connectTimeoutMs', values.DYNAMODB_CONNECT_TIMEOUT_MS),
      ...optional('requestTimeoutMs', values.DYNAMODB_REQUEST_TIMEOUT_MS),
      ...optional('maxAttempts', values.DYNAMODB_MAX_ATTEMPTS),
    },
    ...optional('siteUrl', (o.siteUrl ?? values.SITE_URL)?.replace(/\/$/, '')),
    ...optional('cursorSecret', values.CURSOR_SECRET ?? (inLambda ? undefined : DEV_CURSOR_SECRET)),
    sellerListingCap: values.SELLER_LISTING_CAP ?? 300,
    catalog: {
      pollMs: values.CATALOG_POLL_MS ?? 5000,
      overlapMs: values.CATALOG_OVERLAP_MS ?? 10_000,
      ...optional('snapshotBucket', values.CATALOG_SNAPSHOT_BUCKET),
    },
    rateLimits: values.RATE_LIMITS !== 'off',
    ...optional('originVerifySecret', values.ORIGIN_VERIFY_SECRET),
    ...(issuer && values.AUTH_AUDIENCE
      ? {
          auth: {
            issuer,
            audience: values.AUTH_AUDIENCE,
            jwksUrl: values.AUTH_JWKS_URL ?? `${issuer}/.well-known/jwks.json`,
          },
        }
      : {}),
    ...(values.COGNITO_USER_POOL_ID && values.COGNITO_CLIENT_ID
      ? { cognito: { userPoolId: values.COGNITO_USER_POOL_ID, clientId: values.COGNITO_CLIENT_ID } }
      : {}),
    ...identityOf(values),
    ...(values.MEDIA_BUCKET
      ? { media: { bucket: values.MEDIA_BUCKET, ...optional('prefix', values.MEDIA_PREFIX) } }
      : {}),
    ...optional('distributionId', values.DISTRIBUTION_ID),
    payments: {
      ...optional('ssmPath', values.PAYMENTS_SSM_PATH),
      ...optional('vnpayHost', values.VNPAY_HOST),
    },
    carriers: {
      ...optional('ssmPath', values.CARRIERS_SSM_PATH),
      ...optional('ghnHost', values.GHN_HOST),
      ...optional('ghnShopId', values.GHN_SHOP_ID),
      ...optional('ghtkHost', values.GHTK_HOST),
      ...optional('ghtkClientSource', values.GHTK_CLIENT_SOURCE),
    },
    sms: { ...optional('senderId', values.SMS_SENDER_ID) },
    ...optional('noticesQueueUrl', values.NOTICES_QUEUE_URL),
    einvoice: {
      ...optional('baseUrl', values.EINVOICE_BASE_URL),
      ...optional('ssmPath', values.EINVOICE_SSM_PATH),
      ...optional('lookupUrl', values.EINVOICE_LOOKUP_URL),
    },
    ...(values.ZALO_APP_ID && values.ZALO_SSM_PATH && values.ZALO_TEMPLATE_IDS
      ? {
          zalo: {
            appId: values.ZALO_APP_ID,
            ssmPath: values.ZALO_SSM_PATH,
            templateIds: values.ZALO_TEMPLATE_IDS,
            ...optional('apiHost', values.ZALO_API_HOST),
            ...optional('oauthHost', values.ZALO_OAUTH_HOST),
          },
        }
      : {}),
    local: {
      inboxForAnyAddress: values.DEV_INBOX_REMOTE === '1',
      ...optional('vnpayEmulatorPort', values.VNPAY_EMULATOR_PORT),
      vnpayIpnRetryMs: values.VNPAY_IPN_RETRY_MS ?? 3_000,
      paymentJobsIntervalMs: values.PAYMENT_JOBS_INTERVAL_MS ?? 5_000,
      ...optional('carrierEmulatorPort', values.CARRIER_EMULATOR_PORT),
      carrierWebhookRetryMs: values.CARRIER_WEBHOOK_RETRY_MS ?? 1_000,
      ...optional('zaloEmulatorPort', values.ZALO_EMULATOR_PORT),
      zaloNoAccountPhones: (values.ZALO_EMULATOR_NO_ZALO_PHONES ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    },
  };
}

function identityOf(values: z.infer<typeof EnvSchema>): Pick<Config, 'identity'> {
  const { IDENTITY_ISSUER: issuer, IDENTITY_REDIRECT_URI: redirectUri } = values;
  if (!issuer || !redirectUri) return {};
  if (values.IDENTITY_COGNITO_PROVIDER && values.IDENTITY_COGNITO_DOMAIN) {
    return {
      identity: {
        via: 'cognito',
        issuer,
        providerName: values.IDENTITY_COGNITO_PROVIDER,
        domain: values.IDENTITY_COGNITO_DOMAIN,
        redirectUri,
      },
    };
  }
  if (values.IDENTITY_CLIENT_ID && values.IDENTITY_CLIENT_SECRET) {
    return {
      identity: {
        via: 'direct',
        issuer,
        clientId: values.IDENTITY_CLIENT_ID,
        clientSecret: values.IDENTITY_CLIENT_SECRET,
        redirectUri,
      },
    };
  }
  return {};
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The secret that seals paging cursors (`CURSOR_SECRET`, at least 32 characters). Locally a dev
 * secret stands in; in Lambda a function that pages lists requires it at cold start.
 */
export function cursorSecretOf(config: Config): string {
  if (!config.cursorSecret) throw new Error('CURSOR_SECRET is not configured (32+ characters)');
  return config.cursorSecret;
}
