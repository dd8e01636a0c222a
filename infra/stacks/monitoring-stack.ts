import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IProject } from 'aws-cdk-lib/aws-codebuild';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { FunctionName } from '../../functions/routes.ts';
import type { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import type { ExchangeFunction } from '../constructs/exchange-function.ts';
import type { ApiStack } from './api-stack.ts';
import type { SiteStack } from './site-stack.ts';

/** The namespace the functions emit under (POWERTOOLS_METRICS_NAMESPACE), one per environment. */
export { metricsNamespace } from '../constructs/exchange-function.ts';

/**
 * What a function does decides its alarm thresholds: `api` serves the HTTP API, `page` renders
 * storefront pages for CloudFront, `job` works a background lane from SQS, `event` runs on
 * EventBridge events (asynchronous invocation), `stream` reads the table's stream.
 */
export type FunctionKind = 'api' | 'page' | 'job' | 'event' | 'stream';

export interface MonitoredFunction {
  /** The `service` dimension of its metrics: its key in FUNCTIONS, or siteRender / siteInvalidate. */
  readonly service: string;
  readonly function: IFunction;
  readonly timeout: Duration;
  readonly kind: FunctionKind;
}

export interface MonitoringStackProps extends StackProps {
  readonly httpApi: IHttpApi;
  readonly table: ITable;
  readonly functions: readonly MonitoredFunction[];
  /** Every dead-letter queue of the app (DeadLetterQueue.all): each gets a depth alarm. */
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  /** The storefront rebuild (CodeBuild), when the site stack has one. */
  readonly rebuildProject?: IProject;
  /** Namespace of the custom metrics, e.g. `TnExchange/prod` (metricsNamespace). */
  readonly metricsNamespace: string;
  /** Where alarm and OK notices are mailed (context `alarmEmail`); none: subscribe by hand. */
  readonly alarmEmail?: string;
  /** The account's SNS monthly SMS spend limit in USD (context `smsMonthlySpendLimitUsd`). @default 1 */
  readonly smsMonthlySpendLimitUsd?: number;
}

/** Every function the monitoring stack alarms on, with its metric `service` name and kind. */
export function monitoredFunctions(api: ApiStack, site: SiteStack): MonitoredFunction[] {
  const kinds: Record<FunctionName, MonitoredFunction['kind']> = {
    catalog: 'api',
    auth: 'api',
    producers: 'api',
    labels: 'api',
    orders: 'api',
    callbacks: 'api',
    board: 'api',
    seasons: 'api',
    office: 'api',
    media: 'event',
    expiryJobs: 'job',
    reconcileJobs: 'job',
    deliveryJobs: 'job',
    statsStream: 'stream',
    catalogSnapshot: 'event',
    iocFeed: 'event',
    // Runs when a notice is queued, not on a schedule: no lane lag to miss.
    noticesJobs: 'event',
  };
  const monitored = (service: string, fn: ExchangeFunction, kind: MonitoredFunction['kind']) => ({
    service,
    function: fn.function,
    timeout: fn.function.timeout ?? Duration.seconds(3),
    kind,
  });
  return [
    ...(Object.keys(kinds) as FunctionName[]).map((name) =>
      monitored(name, api.functions[name], kinds[name]),
    ),
    monitored('siteRender', site.renderer.function, 'page'),
    ...(site.invalidation ? [monitored('siteInvalidate', site.invalidation.function, 'stream')] : []),
  ];
}

/** Context `smsMonthlySpendLimitUsd`: the account's SNS monthly SMS spend limit, in USD. */
export function smsSpendLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isFinite(limit) || limit <= 0) {
    throw new Error(`Context smsMonthlySpendLimitUsd must be a positive number of USD, got ${String(value)}`);
  }
  return limit;
}

/** The account's SMS spend limit until it is raised (an SNS account setting, not CloudFormation). */
export const DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD = 1;

/**
 * Alarm thresholds, in one place. Traffic: the Tết peak is ≈ 1,000 orders a minute, a normal day
 * about a hundredth of that; OPERATIONS.md explains each number next to its runbook entry.
 */
export const THRESHOLDS = {
  /** Percent of API requests answered 5xx in five minutes, twice in a row… */
  api5xxPercent: 1,
  /** …counted only when at least this many requests came in those five minutes. */
  api5xxMinRequests: 20,
  /** p99 of a route group's Lambda duration over five minutes (ms), three periods in a row. */
  p99Ms: {
    catalog: 1_000,
    orders: 2_000,
    callbacks: 2_000,
    board: 3_000,
    seasons: 3_000,
    office: 3_000,
    auth: 3_000,
    producers: 3_000,
    labels: 3_000,
    siteRender: 2_000,
  } as Record<string, number>,
  /** Lambda errors in five minutes, per function kind. */
  lambdaErrors: { api: 5, page: 5, job: 2, event: 3, stream: 3 } as Record<FunctionKind, number>,
  /** Lambda throttles in five minutes. */
  lambdaThrottles: 1,
  /** Maximum duration against the timeout (fraction); job workers stop 5 s before it by design. */
  nearTimeoutFraction: 0.9,
  jobNearTimeoutSeconds: 2,
  /** Throttled DynamoDB requests in five minutes (after the SDK's own retries some still fail). */
  dynamoThrottles: 10,
  /** DynamoDB 500s in five minutes. */
  dynamoSystemErrors: 5,
  /** Seconds: the oldest due webhook event not delivered yet. */
  outboxOldestAgeSeconds: 600,
  /** Seconds past its deadline of the oldest unpaid order not expired yet (stock still held). */
  expiryOldestAgeSeconds: 300,
  /** Seconds a lane's run is late against its due time. */
  jobLagSeconds: 300,
  /** Seconds from a request queuing a notice to its send (a COD code is due within seconds). */
  noticeLagSeconds: 120,
  /** Unmatched VietQR transfers in fifteen minutes. */
  vietQrUnmatched: 5,
  /** IPNs answered other than 00/02 (or thrown) in five minutes. */
  ipnFailed: 5,
  /** Milliseconds: age of the oldest stream record the invalidation function has not read. */
  iteratorAgeMs: 120_000,
  /** Fraction of the monthly SMS spend limit. */
  smsSpendFraction: 0.8,
} as const;

/** The table operations the exchange uses (shared/db/): DynamoDB reports their errors per operation. */
export const TABLE_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What an on-call engineer watches: one SNS topic (KMS-encrypted, optional e-mail subscription)
 * that gets every alarm's ALARM and OK notices, the alarms themselves (each description names its
 * runbook entry in OPERATIONS.md), and one dashboard. Reads the other stacks' resources only by
 * their names, so it deploys last and can be redeployed alone.
 */
export class MonitoringStack extends Stack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** Every alarm, by a stable key (also the end of its name). */
  readonly alarms: Record<string, Alarm> = {};
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    this.namespace = props.metricsNamespace;

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: a key of our own lets it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic of the Thái Nguyên exchange',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'TnExchange alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
        throw new Error(`Context alarmEmail must be one e-mail address, got ${props.alarmEmail}`);
      }
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    const widgets: IWidget[][] = [];
    widgets.push(...this.apiAlarms(props));
    widgets.push(...this.functionAlarms(props.functions));
    widgets.push(...this.tableAlarms(props.table));
    widgets.push(...this.businessAlarms(props));
    widgets.push(...this.deadLetterAlarms(props.deadLetterQueues));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Thái Nguyên exchange\nEvery alarm's description names its entry in OPERATIONS.md (runbook). Custom metrics: namespace \`${this.namespace}\`, dimension \`service\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms),
        width: 24,
        height: 6,
      }),
    );
    for (const row of widgets) this.dashboard.addWidgets(...row);
  }

  /** A custom metric of the exchange (metric contract: one dimension, `service`). */
  private custom(metricName: string, service: string, statistic: string, period = FIVE_MINUTES): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { service },
      statistic,
      period,
    });
  }

  private alarm(
    key: string,
    props: {
      metric: IMetric;
      threshold: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      missing: TreatMissingData;
      description: string;
      runbook: string;
    },
  ): Alarm {
    if (this.alarms[key]) throw new Error(`Alarm ${key} is defined twice`);
    const alarm = new Alarm(this, `Alarm-${key}`, {
      alarmName: `${this.stackName}-${key}`,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods ?? 1,
      treatMissingData: props.missing,
      alarmDescription: `${props.description} Runbook: OPERATIONS.md#${props.runbook}`,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms[key] = alarm;
    return alarm;
  }

  private apiAlarms(props: MonitoringStackProps): IWidget[][] {
    const api = props.httpApi;
    const requests = api.metricCount({ statistic: 'Sum', period: FIVE_MINUTES });
    const errors = api.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES });
    const rate = new MathExpression({
      label: 'API 5xx %',
      expression: `IF(requests >= ${THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors },
      period: FIVE_MINUTES,
    });
    this.alarm('api-5xx-rate', {
      metric: rate,
      threshold: THRESHOLDS.api5xxPercent,
      evaluationPeriods: 2,
      // No requests, no answers to judge: quiet nights are not an outage (CloudFront's own checks are).
      missing: TreatMissingData.NOT_BREACHING,
      description: `At least ${THRESHOLDS.api5xxPercent} % of API requests answered 5xx for ten minutes (periods with ${THRESHOLDS.api5xxMinRequests}+ requests).`,
      runbook: 'api-5xx-rate',
    });
    return [
      [
        new GraphWidget({
          title: 'API requests and errors (5 min)',
          left: [requests, api.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES }), errors],
          width: 12,
        }),
        new GraphWidget({
          title: 'API 5xx % and latency',
          left: [rate],
          right: [
            api.metricLatency({ statistic: 'p50', period: FIVE_MINUTES }),
            api.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
          ],
          width: 12,
        }),
      ],
    ];
  }

  private functionAlarms(functions: readonly MonitoredFunction[]): IWidget[][] {
    const invocations: IMetric[] = [];
    const errors: IMetric[] = [];
    const throttles: IMetric[] = [];
    const p99: IMetric[] = [];
    for (const { service, function: fn, timeout, kind } of functions) {
      const label = { label: service, period: FIVE_MINUTES };
      invocations.push(fn.metricInvocations({ ...label, statistic: 'Sum' }));
      errors.push(fn.metricErrors({ ...label, statistic: 'Sum' }));
      throttles.push(fn.metricThrottles({ ...label, statistic: 'Sum' }));
      p99.push(fn.metricDuration({ ...label, statistic: 'p99' }));

      this.alarm(`lambda-errors-${service}`, {
        metric: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: THRESHOLDS.lambdaErrors[kind],
        missing: TreatMissingData.NOT_BREACHING,
        description: `Function ${service} failed ${THRESHOLDS.lambdaErrors[kind]}+ times in five minutes (crashes, timeouts, out of memory).`,
        runbook: 'lambda-errors',
      });
      this.alarm(`lambda-throttles-${service}`, {
        metric: fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: THRESHOLDS.lambdaThrottles,
        missing: TreatMissingData.NOT_BREACHING,
        description: `Function ${service} was throttled (no concurrency left) in the last five minutes.`,
        runbook: 'lambda-throttles',
      });
      const timeoutMs = timeout.toMilliseconds();
      const nearMs =
        kind === 'job'
          ? timeoutMs - THRESHOLDS.jobNearTimeoutSeconds * 1000
          : Math.round(timeoutMs * THRESHOLDS.nearTimeoutFraction);
      this.alarm(`lambda-duration-near-timeout-${service}`, {
        metric: fn.metricDuration({ statistic: 'Maximum', period: FIVE_MINUTES }),
        threshold: nearMs,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        missing: TreatMissingData.NOT_BREACHING,
        description: `Function ${service} ran ${nearMs / 1000} s or longer (timeout ${timeoutMs / 1000} s) in two of the last three five-minute periods.`,
        runbook: 'lambda-duration-near-timeout',
      });
      const latency = THRESHOLDS.p99Ms[service];
      if (latency !== undefined) {
        this.alarm(`api-latency-p99-${service}`, {
          metric: fn.metricDuration({ statistic: 'p99', period: FIVE_MINUTES }),
          threshold: latency,
          evaluationPeriods: 3,
          missing: TreatMissingData.NOT_BREACHING,
          description: `p99 duration of the ${service} routes at ${latency} ms or more for fifteen minutes.`,
          runbook: 'api-latency-p99',
        });
      }
      if (kind === 'stream') {
        this.alarm(`stream-iterator-age-${service}`, {
          metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES }),
          threshold: THRESHOLDS.iteratorAgeMs,
          missing: TreatMissingData.NOT_BREACHING,
          description: `Function ${service} is ${THRESHOLDS.iteratorAgeMs / 1000} s or more behind the table's stream.`,
          runbook: 'stream-iterator-age',
        });
      }
    }
    const unknown = Object.keys(THRESHOLDS.p99Ms).filter((s) => !functions.some((f) => f.service === s));
    if (unknown.length > 0) throw new Error(`THRESHOLDS.p99Ms names no function: ${unknown.join(', ')}`);
    return [
      [
        new GraphWidget({ title: 'Lambda invocations (5 min)', left: invocations, width: 12 }),
        new GraphWidget({
          title: 'Lambda errors and throttles (5 min)',
          left: errors,
          right: throttles,
          width: 12,
        }),
      ],
      [new GraphWidget({ title: 'Lambda duration p99 (ms)', left: p99, width: 24 })],
    ];
  }

  private tableAlarms(table: ITable): IWidget[][] {
    const perOperation = (metricName: string, idPrefix: string): MathExpression => {
      const usingMetrics: Record<string, IMetric> = {};
      TABLE_OPERATIONS.forEach((operation, i) => {
        usingMetrics[`${idPrefix}${i}`] = new Metric({
          namespace: 'AWS/DynamoDB',
          metricName,
          dimensionsMap: { TableName: table.tableName, Operation: operation },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      });
      return new MathExpression({
        label: metricName,
        // An operation without such requests has no data point: count it as zero.
        expression: Object.keys(usingMetrics)
          .map((id) => `FILL(${id}, 0)`)
          .join(' + '),
        usingMetrics,
        period: FIVE_MINUTES,
      });
    };
    const throttled = perOperation('ThrottledRequests', 'throttled');
    const systemErrors = perOperation('SystemErrors', 'systemErrors');
    this.alarm('dynamodb-throttles', {
      metric: throttled,
      threshold: THRESHOLDS.dynamoThrottles,
      evaluationPeriods: 2,
      missing: TreatMissingData.NOT_BREACHING,
      description: `${THRESHOLDS.dynamoThrottles}+ throttled table requests in each of two five-minute periods.`,
      runbook: 'dynamodb-throttles',
    });
    this.alarm('dynamodb-system-errors', {
      metric: systemErrors,
      threshold: THRESHOLDS.dynamoSystemErrors,
      missing: TreatMissingData.NOT_BREACHING,
      description: `DynamoDB answered ${THRESHOLDS.dynamoSystemErrors}+ requests with a server error in five minutes.`,
      runbook: 'dynamodb-system-errors',
    });
    const capacity = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    return [
      [
        new GraphWidget({
          title: 'Table: consumed capacity (5 min)',
          left: [capacity('ConsumedReadCapacityUnits'), capacity('ConsumedWriteCapacityUnits')],
          width: 12,
        }),
        new GraphWidget({
          title: 'Table: throttles and system errors',
          left: [throttled, systemErrors],
          width: 12,
        }),
      ],
    ];
  }

  private businessAlarms(props: MonitoringStackProps): IWidget[][] {
    this.alarm('outbox-oldest-due-event', {
      metric: this.custom('OutboxOldestAgeSeconds', 'deliveryJobs', 'Maximum'),
      threshold: THRESHOLDS.outboxOldestAgeSeconds,
      // Every drain reports (0 when nothing is due): no data means the delivery lane is not running.
      missing: TreatMissingData.BREACHING,
      description: `A due webhook event has waited ${THRESHOLDS.outboxOldestAgeSeconds / 60} minutes or more, or the delivery lane reports nothing.`,
      runbook: 'outbox-oldest-due-event',
    });
    this.alarm('expiry-oldest-due-order', {
      metric: this.custom('ExpiryOldestAgeSeconds', 'expiryJobs', 'Maximum'),
      threshold: THRESHOLDS.expiryOldestAgeSeconds,
      missing: TreatMissingData.BREACHING,
      description: `An unpaid order is ${THRESHOLDS.expiryOldestAgeSeconds / 60} minutes or more past its deadline and still holds stock, or the expiry lane reports nothing.`,
      runbook: 'expiry-oldest-due-order',
    });
    const lag: IMetric[] = [];
    for (const service of props.functions.filter((f) => f.kind === 'job').map((f) => f.service)) {
      const metric = this.custom('JobLagSeconds', service, 'Maximum');
      lag.push(metric.with({ label: service }));
      this.alarm(`job-lane-lag-${service}`, {
        metric,
        threshold: THRESHOLDS.jobLagSeconds,
        missing: TreatMissingData.BREACHING,
        description: `The ${service} lane runs ${THRESHOLDS.jobLagSeconds / 60} minutes or more late, or reports nothing.`,
        runbook: 'job-lane-lag',
      });
    }
    this.alarm('vietqr-unmatched-transfers', {
      metric: this.custom('VietQrUnmatched', 'callbacks', 'Sum', Duration.minutes(15)),
      threshold: THRESHOLDS.vietQrUnmatched,
      missing: TreatMissingData.NOT_BREACHING,
      description: `${THRESHOLDS.vietQrUnmatched}+ bank transfers matched no order in fifteen minutes.`,
      runbook: 'vietqr-unmatched-transfers',
    });
    this.alarm('notices-lag', {
      metric: this.custom('NoticeLagSeconds', 'noticesJobs', 'Maximum'),
      threshold: THRESHOLDS.noticeLagSeconds,
      evaluationPeriods: 2,
      // The worker reports only when it sends: no notices, no data, nothing late.
      missing: TreatMissingData.NOT_BREACHING,
      description: `A queued notice (SMS, Zalo) left ${THRESHOLDS.noticeLagSeconds / 60} minutes or more after its request, twice in a row.`,
      runbook: 'notices-lag',
    });
    this.alarm('ipn-failures', {
      metric: this.custom('IpnFailed', 'callbacks', 'Sum'),
      threshold: THRESHOLDS.ipnFailed,
      missing: TreatMissingData.NOT_BREACHING,
      description: `${THRESHOLDS.ipnFailed}+ VNPay IPNs answered 01/04/97/99 (or failed) in five minutes.`,
      runbook: 'ipn-failures',
    });
    this.alarm('site-invalidation-failed', {
      metric: this.custom('SiteRebuildFailed', 'siteInvalidate', 'Sum'),
      threshold: 1,
      missing: TreatMissingData.NOT_BREACHING,
      description: 'A storefront invalidation after a catalog change failed.',
      runbook: 'site-invalidation-failed',
    });
    this.alarm('invoice-issuance-failed', {
      metric: this.custom('InvoiceIssueFailed', 'deliveryJobs', 'Sum', Duration.hours(1)),
      threshold: 3,
      missing: TreatMissingData.NOT_BREACHING,
      description: 'E-invoice issuances failed at the provider (SInvoice) 3 times or more in an hour.',
      runbook: 'invoice-issuance-failed',
    });
    if (props.rebuildProject) {
      this.alarm('site-rebuild-failed', {
        metric: props.rebuildProject.metricFailedBuilds({ statistic: 'Sum', period: Duration.hours(1) }),
        threshold: 1,
        missing: TreatMissingData.NOT_BREACHING,
        description: 'A rebuild of the prebuilt storefront pages (CodeBuild) failed in the last hour.',
        runbook: 'site-rebuild-failed',
      });
    }
    const limit = props.smsMonthlySpendLimitUsd ?? DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD;
    const spend = new Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: 'Maximum',
      period: Duration.minutes(15),
    });
    this.alarm('sms-spend', {
      metric: spend,
      threshold: Math.round(limit * THRESHOLDS.smsSpendFraction * 100) / 100,
      // No SMS sent this month yet: nothing spent.
      missing: TreatMissingData.NOT_BREACHING,
      description: `SMS spend this month reached ${THRESHOLDS.smsSpendFraction * 100} % of the ${limit} USD limit; past it SNS stops sending sign-in codes and notices.`,
      runbook: 'sms-spend',
    });

    const count = (name: string, service: string) => this.custom(name, service, 'Sum').with({ label: name });
    // Any function may send SMS (sign-in, order notices, consents): summed over every service.
    const acrossServices = (name: string) =>
      new MathExpression({
        label: name,
        expression: `SUM(SEARCH('{${this.namespace},service} MetricName="${name}"', 'Sum', 300))`,
        usingMetrics: {},
        period: FIVE_MINUTES,
      });
    return [
      [
        new GraphWidget({
          title: 'Orders and payments (5 min)',
          left: [
            count('OrdersPlaced', 'orders'),
            // Settled and refunded by checkout's callbacks, the board (a cancelled part), the
            // office (a transfer matched by hand) and the job lanes (querydr, late payments) alike.
            acrossServices('PaymentsSettled'),
            count('IpnAnswered', 'callbacks'),
            count('StockRefusals', 'orders'),
            acrossServices('RefundsCreated'),
          ],
          right: [count('IpnFailed', 'callbacks'), count('VietQrUnmatched', 'callbacks')],
          width: 12,
        }),
        new GraphWidget({
          title: 'Sign-in and SMS (5 min); SMS spend this month (USD)',
          left: [count('SignInCodesSent', 'auth'), acrossServices('SmsSent'), acrossServices('SmsFailed')],
          right: [spend],
          width: 12,
        }),
      ],
      [
        new GraphWidget({ title: 'Job lanes: lag (s)', left: lag, width: 8 }),
        new GraphWidget({
          title: 'Oldest due outbox event and expiry (s)',
          left: [
            this.custom('OutboxOldestAgeSeconds', 'deliveryJobs', 'Maximum').with({ label: 'outbox' }),
            this.custom('ExpiryOldestAgeSeconds', 'expiryJobs', 'Maximum').with({ label: 'expiry' }),
          ],
          width: 8,
        }),
        new GraphWidget({
          title: 'Storefront: rebuilds and invalidations that failed',
          left: [
            count('SiteRebuildFailed', 'siteInvalidate'),
            ...(props.rebuildProject
              ? [props.rebuildProject.metricFailedBuilds({ statistic: 'Sum', period: FIVE_MINUTES })]
              : []),
          ],
          width: 8,
        }),
      ],
    ];
  }

  private deadLetterAlarms(queues: readonly DeadLetterQueue[]): IWidget[][] {
    const depths: IMetric[] = [];
    const seen = new Set<string>();
    for (const queue of queues) {
      const key = `dlq-${queue.node.path.replace(/\//g, '-')}`;
      if (seen.has(key)) throw new Error(`Two dead-letter queues at ${queue.node.path}`);
      seen.add(key);
      const depth = queue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      });
      depths.push(depth.with({ label: queue.holds }));
      this.alarm(key, {
        metric: depth,
        threshold: 1,
        // An idle, empty queue stops reporting after a while: empty, not broken.
        missing: TreatMissingData.NOT_BREACHING,
        description: `Dead-letter queue not empty: ${queue.holds} (${queue.node.path}).`,
        runbook: queue.runbook,
      });
    }
    return [[new GraphWidget({ title: 'Dead-letter queues: messages waiting', left: depths, width: 24 })]];
  }
}
