import { readFileSync } from 'node:fs';
import { App, Duration, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fromRepoRoot } from './paths.ts';
import { ApiStack, type FunctionOverrides } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import {
  metricsNamespace,
  monitoredFunctions,
  MonitoringStack,
  smsSpendLimit,
} from './stacks/monitoring-stack.ts';
import { builtSiteDir, SiteStack } from './stacks/site-stack.ts';
import { tableInUse } from './table-in-use.ts';

export const STACK_NAMES = {
  data: 'TnExchange-Data',
  auth: 'TnExchange-Auth',
  api: 'TnExchange-Api',
  site: 'TnExchange-Site',
  monitoring: 'TnExchange-Monitoring',
} as const;

export interface BuildAppOptions {
  /** Passed to App (e.g. outdir). Context defaults to cdk.json's, so tests synth with the CLI's feature flags. */
  readonly appProps?: AppProps;
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
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly site: SiteStack;
  readonly monitoring: MonitoringStack;
}

/** The whole CDK app. Environment-agnostic: no look-ups, so synth works without an AWS account. */
export function buildApp(options: BuildAppOptions = {}): ExchangeApp {
  refuseRateLimitsOff(process.env);
  const app = new App({
    ...options.appProps,
    context: { ...cdkJsonContext(), ...options.appProps?.context },
  });

  const data = new DataStack(app, STACK_NAMES.data, {
    description: 'Thái Nguyên exchange: DynamoDB table and media bucket (retained)',
  });
  const auth = new AuthStack(app, STACK_NAMES.auth, {
    description: 'Thái Nguyên exchange: Cognito user pool (phone sign-in with a one-time code) and groups',
  });
  const siteUrl = app.node.tryGetContext('siteUrl') as string | undefined;
  const table = tableInUse(data, {
    tableName: app.node.tryGetContext('tableName'),
    tableStreamArn: app.node.tryGetContext('tableStreamArn'),
  });
  const api = new ApiStack(app, STACK_NAMES.api, {
    description: 'Thái Nguyên exchange: HTTP API and its Lambda functions',
    table,
    mediaBucket: data.mediaBucket,
    auth: {
      userPoolId: auth.userPool.userPoolId,
      userPoolArn: auth.userPool.userPoolArn,
      clientId: auth.client.userPoolClientId,
      issuer: auth.issuer,
    },
    ...(siteUrl ? { siteUrl } : {}),
    payments: {
      ssmPath: app.node.tryGetContext('paymentsSsmPath') as string | undefined,
      vnpayTmnCode: app.node.tryGetContext('vnpayTmnCode') as string | undefined,
      vnpayHost: app.node.tryGetContext('vnpayHost') as string | undefined,
      vietqrBankBin: app.node.tryGetContext('vietqrBankBin') as string | undefined,
      vietqrAccountNumber: app.node.tryGetContext('vietqrAccountNumber') as string | undefined,
      vietqrAccountName: app.node.tryGetContext('vietqrAccountName') as string | undefined,
    },
    functionOverrides: options.functionOverrides,
  });
  const site = new SiteStack(app, STACK_NAMES.site, {
    description:
      'Thái Nguyên exchange: storefront bucket and the CloudFront distribution in front of everything',
    apiDomainName: api.apiDomainName,
    originVerifySecret: api.originVerifySecret,
    mediaBucket: data.mediaBucket,
    siteDir: options.siteDir === null ? undefined : (options.siteDir ?? builtSiteDir()),
    table,
    ...(siteUrl ? { siteUrl } : {}),
    rebuildEvery: rebuildEvery(app.node.tryGetContext('siteRebuildHours')),
  });

  const monitoring = new MonitoringStack(app, STACK_NAMES.monitoring, {
    description: 'Thái Nguyên exchange: alarms to an SNS topic and the operations dashboard',
    httpApi: api.httpApi,
    table,
    functions: monitoredFunctions(api, site),
    // Built last: every dead-letter queue of the other stacks exists by now, and each is alarmed.
    deadLetterQueues: DeadLetterQueue.all(app),
    rebuildProject: site.rebuild?.project,
    metricsNamespace: metricsNamespace((app.node.tryGetContext('env') as string | undefined) ?? 'prod'),
    alarmEmail: app.node.tryGetContext('alarmEmail') as string | undefined,
    smsMonthlySpendLimitUsd: smsSpendLimit(app.node.tryGetContext('smsMonthlySpendLimitUsd')),
  });

  Tags.of(app).add('project', 'tn-exchange');
  // cdk-nag 3 is a policy-validation plugin (it was an Aspect in v2); rules are acknowledged with
  // Validations.of(construct).acknowledge({ id, reason }) next to the resource they concern.
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, data, auth, api, site, monitoring };
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
 * Context `siteRebuildHours`: how often the storefront is rebuilt even without catalog changes
 * (default 6; 0 turns the schedule off, leaving only the rebuilds on changes).
 */
export function rebuildEvery(hours: unknown): Duration | null | undefined {
  if (hours === undefined) return undefined;
  const value = Number(hours);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(
      `Context siteRebuildHours must be a whole number of hours (0 = off), got ${String(hours)}`,
    );
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
