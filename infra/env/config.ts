/**
 * One committed file per deployment environment (`infra/env/<name>.json`), validated here: the
 * CDK app reads everything a deploy needs from it (`-c env=staging|prod`), so a redeploy of one
 * stack can never drop a setting that was once passed on the command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { fromRepoRoot } from '../paths.ts';

/** The environments with a committed file. */
export const ENVIRONMENTS = ['staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

const httpsOrigin = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .refine((value) => new URL(value).pathname === '/' && !value.endsWith('/'), {
    error: 'must be an origin only (https://host, no path and no trailing slash)',
  });

const domainName = z
  .string()
  .regex(/^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/, 'must be a lower-case DNS name, e.g. example.vn');

export const CustomDomain = z.strictObject({
  /** The storefront's host (e.g. `chothainguyen.vn`); `siteUrl` must be `https://<domainName>`. */
  domainName,
  /** The Route 53 public hosted zone that holds `domainName` (its id and its name). */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id (Z…)'),
  hostedZoneName: domainName,
  /**
   * The API's own host under the zone (CloudFront's origin for `/api/*`); with it the API's
   * default execute-api endpoint is disabled. @default `api.<domainName>`
   */
  apiDomainName: domainName.optional(),
});
export type CustomDomain = z.infer<typeof CustomDomain>;

export const EnvironmentConfig = z.strictObject({
  /** AWS region of the table, API and site stacks (the WAF and the CloudFront certificate live in us-east-1). */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region, e.g. ap-southeast-1'),
  /** AWS account id; @default the account of the credentials `cdk` runs with */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  /** Public origin of the storefront: canonical URLs, VNPay return URLs, QR labels, SMS links. */
  siteUrl: httpsOrigin,
  /** Where the alarms' SNS topic sends e-mail (the subscription is confirmed from the inbox). */
  alarmEmail: z.email({ error: 'must be an e-mail address' }),
  payments: z.strictObject({
    /** SSM path of the payment secrets (SecureString parameters put by the operator). */
    ssmPath: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'must be an SSM path like /tn-exchange/prod/payments'),
    /** VNPay's host for pay and API calls: the sandbox for staging, https://pay.vnpay.vn for prod. */
    vnpayHost: httpsOrigin,
    vnpayTmnCode: z.string().regex(/^[A-Z0-9]{8}$/, 'must be the 8-character VNPay terminal code'),
    vietqr: z.strictObject({
      bankBin: z.string().regex(/^\d{6}$/, 'must be the 6-digit NAPAS bank BIN'),
      accountNumber: z.string().regex(/^\d{6,19}$/, 'must be the account number (digits)'),
      accountName: z
        .string()
        .regex(
          /^[A-Z0-9 ]{2,50}$/,
          'must be the account holder as the bank shows it (upper case, no accents)',
        ),
    }),
  }),
  /**
   * The carriers (shared/carriers): the SSM path of their tokens (`ghn-token`, `ghn-webhook-token`,
   * `ghtk-token`, `ghtk-webhook-token`, SecureStrings put by the operator) and their hosts (the
   * sandboxes for staging; @default the production hosts). Absent: the manual carrier only.
   */
  carriers: z
    .strictObject({
      ssmPath: z
        .string()
        .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'must be an SSM path like /tn-exchange/prod/carriers'),
      ghnHost: httpsOrigin.optional(),
      /** The exchange's own GHN shop, for cooperatives without one. */
      ghnShopId: z
        .string()
        .regex(/^\d{1,12}$/, 'must be a GHN shop id (digits)')
        .optional(),
      ghtkHost: httpsOrigin.optional(),
      /** GHTK partner code (X-Client-Source), when the exchange is a GHTK partner. */
      ghtkClientSource: z.string().min(1).optional(),
    })
    .optional(),
  /**
   * E-invoices (README "E-invoices"): SInvoice's base URL for the invoice lane (@default Viettel's
   * service host https://sinvoice.viettel.vn:8443; its sandbox https://demo-sinvoice.viettel.vn:8443
   * for staging) and the SSM path of the sellers' own SInvoice accounts, one SecureString per
   * seller under it (@default /tn-exchange/<env>/einvoice). Absent: both defaults.
   */
  einvoice: z
    .strictObject({
      baseUrl: z
        .url({ protocol: /^https$/, error: 'must be an https:// URL' })
        .refine((value) => !value.endsWith('/'), { error: 'must not end with a slash' })
        .optional(),
      ssmPath: z
        .string()
        .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'must be an SSM path like /tn-exchange/prod/einvoice')
        .optional(),
    })
    .optional(),
  sms: z.strictObject({
    /** Monthly SMS spend limit (USD) of the account's SNS SMS settings in this region. */
    monthlySpendLimitUsd: z.int().min(1).max(100_000),
    /** Sender id shown where the destination allows one (SMS_SENDER_ID). */
    senderId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1–11 letters or digits')
      .optional(),
    /** Zalo ZNS beside SMS (README, "Notices by SMS or Zalo"); unset: SMS only. */
    zalo: z
      .strictObject({
        appId: z.string().regex(/^\d{1,24}$/, 'must be a Zalo app id (digits)'),
        ssmPath: z.string().regex(/^\/[\w./-]+$/, 'must be an SSM path such as /tn-exchange/zalo'),
        templateIds: z.record(z.string(), z.string().regex(/^\d+$/, 'must be a numeric template id')),
        apiHost: z.url({ protocol: /^https$/ }).optional(),
        oauthHost: z.url({ protocol: /^https$/ }).optional(),
      })
      .optional(),
  }),
  /**
   * A table restored from point-in-time recovery that the functions, the storefront invalidation
   * and the alarms use instead of the data stack's own (OPERATIONS.md, infra/table-in-use.ts).
   */
  restoredTable: z
    .strictObject({ name: z.string().min(3), streamArn: z.string().startsWith('arn:') })
    .optional(),
  /** How often the prebuilt pages are rebuilt (0: only on deploys). */
  siteRebuildHours: z
    .int()
    .min(0)
    .max(24 * 7),
  customDomain: CustomDomain.optional(),
});
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;

/** An environment's name and settings, as the CDK app uses them. */
export interface DeploymentEnvironment {
  readonly name: EnvironmentName;
  readonly config: EnvironmentConfig;
}

/** The file of an environment. */
export function environmentFile(name: string): string {
  return fromRepoRoot(`infra/env/${name}.json`);
}

/**
 * The environment named by `-c env=…` (or the `name` given), read and validated. Throws with the
 * file, the setting and what is expected when anything is missing or wrong.
 */
export function loadEnvironment(
  name: unknown,
  read: (file: string) => string = readText,
): DeploymentEnvironment {
  if (name === undefined || name === null || name === '') {
    throw new Error(
      `No environment given: run cdk with -c env=${ENVIRONMENTS.join('|')} (settings come from infra/env/<env>.json)`,
    );
  }
  if (!ENVIRONMENTS.includes(name as EnvironmentName)) {
    throw new Error(
      `Unknown environment "${String(name)}": expected one of ${ENVIRONMENTS.join(', ')} (a file infra/env/<env>.json)`,
    );
  }
  const file = environmentFile(name as string);
  let raw: unknown;
  try {
    raw = JSON.parse(read(file));
  } catch (error) {
    throw new Error(
      `Cannot read the settings of environment "${String(name)}" (${file}): ${(error as Error).message}`,
    );
  }
  return { name: name as EnvironmentName, config: parseEnvironment(name as EnvironmentName, raw) };
}

/** Validates an environment's settings; the error names every missing or wrong setting. */
export function parseEnvironment(name: EnvironmentName, raw: unknown): EnvironmentConfig {
  const parsed = EnvironmentConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const at = issue.path.join('.') || '(file)';
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      return `  - ${at}: ${missing ? 'missing (required)' : issue.message}`;
    });
    throw new Error(`infra/env/${name}.json has missing or invalid settings:\n${problems.join('\n')}`);
  }
  const config = parsed.data;
  if (config.customDomain && config.siteUrl !== `https://${config.customDomain.domainName}`) {
    throw new Error(
      `infra/env/${name}.json: siteUrl must be https://${config.customDomain.domainName} (the custom domain), got ${config.siteUrl}`,
    );
  }
  if (config.customDomain) {
    const { domainName: host, hostedZoneName: zone } = config.customDomain;
    const api = apiDomainNameOf(config.customDomain);
    for (const [what, value] of [
      ['customDomain.domainName', host],
      ['customDomain.apiDomainName', api],
    ] as const) {
      if (value !== zone && !value.endsWith(`.${zone}`)) {
        throw new Error(`infra/env/${name}.json: ${what} ${value} is not in the hosted zone ${zone}`);
      }
    }
  }
  return config;
}

/** The API's host under a custom domain. */
export function apiDomainNameOf(domain: CustomDomain): string {
  return domain.apiDomainName ?? `api.${domain.domainName}`;
}

/** `TnExchange-<env>-<Part>`: staging and prod side by side in one account. */
export function stackName(environment: EnvironmentName, part: string): string {
  return `TnExchange-${environment}-${part}`;
}

function readText(file: string): string {
  if (!existsSync(file)) throw new Error('file not found');
  return readFileSync(file, 'utf8');
}
