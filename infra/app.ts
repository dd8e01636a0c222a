import { readFileSync } from 'node:fs';
import { App, Duration, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fromRepoRoot } from './paths.ts';
import { ApiStack, type FunctionOverrides } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { metricsNamespace, monitoredFunctions, MonitoringStack } from './stacks/monitoring-stack.ts';
import { tableInUse } from './table-in-use.ts';
import { EDGE_REGION, EdgeStack } from './stacks/edge-stack.ts';
import { builtSiteDir, SiteStack } from './stacks/site-stack.ts';
import {
  apiDomainNameOf,
  loadEnvironment,
  stackName,
  type DeploymentEnvironment,
  type EnvironmentName,
} from './env/config.ts';

/** The stacks of one environment: `TnExchange-<env>-Data`, …, so staging and prod share an account. */
export function stackNames(environment: EnvironmentName) {
  return {
    data: stackName(environment, 'Data'),
    auth: stackName(environment, 'Auth'),
    api: stackName(environment, 'Api'),
    edge: stackName(environment, 'Edge'),
    site: stackName(environment, 'Site'),
    monitoring: stackName(environment, 'Monitoring'),
  } as const;
}

/**
 * Context keys that used to carry settings per command (`-c siteUrl=…`): refused, so a deploy
 * cannot quietly differ from the environment's file.
 */
export const RETIRED_CONTEXT_KEYS = [
  'siteUrl',
  'paymentsSsmPath',
  'vnpayTmnCode',
  'vnpayHost',
  'vietqrBankBin',
  'vietqrAccountNumber',
  'vietqrAccountName',
  'siteRebuildHours',
  'tableName',
  'tableStreamArn',
  'smsSenderId',
] as const;

export interface BuildAppOptions {
  /** Passed to App (e.g. outdir). Context defaults to cdk.json's, so tests synth with the CLI's feature flags. */
  readonly appProps?: AppProps;
  /**
   * The environment to build: its name (read from infra/env/<name>.json) or its settings.
   * @default context `env` (`cdk synth -c env=prod`); without it the app refuses to build
   */
  readonly environment?: EnvironmentName | DeploymentEnvironment;
  /**
   * Register cdk-nag's AwsSolutions pack as a validation plugin: synth then fails on any
   * unacknowledged error. @default true
   */
  readonly nag?: boolean;
  /** Built site to upload; `null` uploads nothing. @default site/dist/client if it has been built */
  readonly siteDir?: string | null;
  readonly functionOverrides?: FunctionOverrides;
}

export interface ExchangeApp {
  readonly app: App;
  readonly environment: DeploymentEnvironment;
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly edge: EdgeStack;
  readonly site: SiteStack;
  readonly monitoring: MonitoringStack;
}

/**
 * The whole CDK app for one environment (infra/env/<env>.json). No look-ups, so synth works
 * without AWS credentials; the stacks name their region (the edge stack us-east-1) so the site
 * stack can read the edge stack's outputs across regions.
 */
export function buildApp(options: BuildAppOptions = {}): ExchangeApp {
  refuseRateLimitsOff(process.env);
  const app = new App({
    ...options.appProps,
    context: { ...cdkJsonContext(), ...options.appProps?.context },
  });
  const retired = RETIRED_CONTEXT_KEYS.filter((key) => app.node.tryGetContext(key) !== undefined);
  if (retired.length > 0) {
    throw new Error(
      `Context ${retired.map((k) => `-c ${k}`).join(', ')} is no longer read: set it in infra/env/<env>.json`,
    );
  }
  const environment =
    typeof options.environment === 'object'
      ? options.environment
      : loadEnvironment(options.environment ?? app.node.tryGetContext('env'));
  const { name, config } = environment;
  // The other stacks read these from context (the alarm topic's e-mail, the SMS spend limit).
  app.node.setContext('env', name);
  app.node.setContext('alarmEmail', config.alarmEmail);
  app.node.setContext('smsMonthlySpendLimitUsd', config.sms.monthlySpendLimitUsd);
  const names = stackNames(name);
  const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const env = { ...(account ? { account } : {}), region: config.region };
  const label = `Thái Nguyên exchange (${name})`;

  const data = new DataStack(app, names.data, {
    env,
    description: `${label}: DynamoDB table and media bucket (retained)`,
  });
  const auth = new AuthStack(app, names.auth, {
    env,
    siteUrl: config.siteUrl,
    description: `${label}: Cognito user pool (phone sign-in with a one-time code) and groups`,
  });
  const table = tableInUse(data, {
    tableName: config.restoredTable?.name,
    tableStreamArn: config.restoredTable?.streamArn,
  });
  const domain = config.customDomain;
  const api = new ApiStack(app, names.api, {
    env,
    description: `${label}: HTTP API and its Lambda functions`,
    table,
    sms: config.sms,
    mediaBucket: data.mediaBucket,
    auth: {
      userPoolId: auth.userPool.userPoolId,
      userPoolArn: auth.userPool.userPoolArn,
      clientId: auth.client.userPoolClientId,
      issuer: auth.issuer,
      ...(auth.digitalIdentityWiring ? { digitalIdentity: auth.digitalIdentityWiring } : {}),
    },
    siteUrl: config.siteUrl,
    ...(app.node.tryGetContext('iocEndpoint')
      ? { iocEndpoint: String(app.node.tryGetContext('iocEndpoint')) }
      : {}),
    payments: {
      ssmPath: config.payments.ssmPath,
      vnpayTmnCode: config.payments.vnpayTmnCode,
      vnpayHost: config.payments.vnpayHost,
      vietqrBankBin: config.payments.vietqr.bankBin,
      vietqrAccountNumber: config.payments.vietqr.accountNumber,
      vietqrAccountName: config.payments.vietqr.accountName,
    },
    ...(config.carriers ? { carriers: config.carriers } : {}),
    einvoice: {
      ...(config.einvoice?.baseUrl ? { baseUrl: config.einvoice.baseUrl } : {}),
      ssmPath: config.einvoice?.ssmPath ?? `/tn-exchange/${name}/einvoice`,
    },
    ...(domain
      ? {
          apiDomain: {
            domainName: apiDomainNameOf(domain),
            hostedZoneId: domain.hostedZoneId,
            hostedZoneName: domain.hostedZoneName,
          },
        }
      : {}),
    functionOverrides: options.functionOverrides,
  });
  const edge = new EdgeStack(app, names.edge, {
    env: { ...(account ? { account } : {}), region: EDGE_REGION },
    description: `${label}: WAF web ACL, certificate and 404 page of the CloudFront distribution (us-east-1)`,
    namePrefix: `tn-exchange-${name}`,
    ...(domain ? { customDomain: domain } : {}),
  });
  const site = new SiteStack(app, names.site, {
    env,
    crossRegionReferences: true,
    description: `${label}: storefront bucket and the CloudFront distribution in front of everything`,
    apiDomainName: api.apiDomainName,
    originVerifySecret: api.originVerifySecret,
    mediaBucket: data.mediaBucket,
    siteDir: options.siteDir === null ? undefined : (options.siteDir ?? builtSiteDir()),
    table,
    siteUrl: config.siteUrl,
    rebuildEvery: rebuildEvery(config.siteRebuildHours),
    webAclArn: edge.webAcl.webAcl.attrArn,
    notFoundPageVersionArn: edge.notFoundPage.version.functionArn,
    ...(domain && edge.certificate
      ? { customDomain: { ...domain, certificateArn: edge.certificate.certificateArn } }
      : {}),
  });

  const monitoring = new MonitoringStack(app, names.monitoring, {
    env,
    description: `${label}: alarms to an SNS topic and the operations dashboard`,
    httpApi: api.httpApi,
    table,
    functions: monitoredFunctions(api, site),
    // Built last: every dead-letter queue of the other stacks exists by now, and each is alarmed.
    deadLetterQueues: DeadLetterQueue.all(app),
    rebuildProject: site.rebuild?.project,
    metricsNamespace: metricsNamespace(name),
    alarmEmail: config.alarmEmail,
    smsMonthlySpendLimitUsd: config.sms.monthlySpendLimitUsd,
  });

  Tags.of(app).add('project', 'tn-exchange');
  Tags.of(app).add('environment', name);
  // cdk-nag 3 is a policy-validation plugin (it was an Aspect in v2); rules are acknowledged with
  // Validations.of(construct).acknowledge({ id, reason }) next to the resource they concern.
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, environment, data, auth, api, edge, site, monitoring };
}

/**
 * `RATE_LIMITS=off` is for load tests and benchmarks on one machine (shared/orders/limits.ts):
 * a deployment never runs without the order and sign-in limits.
 */
export function refuseRateLimitsOff(env: NodeJS.ProcessEnv): void {
  if (env.RATE_LIMITS !== undefined && env.RATE_LIMITS !== 'on') {
    throw new Error(
      `RATE_LIMITS=${env.RATE_LIMITS} is for local load tests only; unset it to synthesize the app (deployed limits are always on)`,
    );
  }
}

/**
 * `siteRebuildHours` of the environment: how often the storefront is rebuilt even without catalog
 * changes (0 turns the schedule off, leaving only the rebuilds on changes).
 */
export function rebuildEvery(hours: unknown): Duration | null | undefined {
  if (hours === undefined) return undefined;
  const value = Number(hours);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`siteRebuildHours must be a whole number of hours (0 = off), got ${String(hours)}`);
  }
  return value === 0 ? null : Duration.hours(value);
}

/** The "context" block of cdk.json (feature flags), which the CLI would pass but tests would not. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
