/**
 * The monitoring stack (alarms → SNS topic, dashboard) and the failure handling of every
 * asynchronous, stream and scheduled invocation of the app (retries, dead-letter queues), checked
 * on the synthesized templates.
 */
import { readFileSync } from 'node:fs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, NOTICE_SENDER, type FunctionName } from '../../functions/routes.ts';

import { DeadLetterQueue } from '../../infra/constructs/dead-letter-queue.ts';
import { MonitoringStack, smsSpendLimit, THRESHOLDS } from '../../infra/stacks/monitoring-stack.ts';
import { fromRepoRoot } from '../../infra/paths.ts';
import { appUnderTest } from './app-under-test.ts';

// Loosely typed CloudFormation JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { app, environment, data, auth, api, site, monitoring } = appUnderTest();
const template = Template.fromStack(monitoring);
const templates = [data, auth, api, site].map((stack) => ({ stack, template: Template.fromStack(stack) }));
const alarms = template.findResources('AWS::CloudWatch::Alarm');
const alarmsByName = new Map<string, Json>(
  Object.values<Json>(alarms).map((a) => [
    String(a.Properties.AlarmName).replace(/^TnExchange-prod-Monitoring-/, ''),
    a,
  ]),
);

/** Functions watched one by one: the API stack's (FUNCTIONS) and the site's renderer and invalidator. */
const services = [...(Object.keys(FUNCTIONS) as FunctionName[]), 'siteRender', 'siteInvalidate'];
const DEAD_LETTER_QUEUES = [
  'TnExchange-prod-Api/JobSchedulesDeadLetters',
  'TnExchange-prod-Api/ExpiryJobsDeadLetters',
  'TnExchange-prod-Api/ReconcileJobsDeadLetters',
  'TnExchange-prod-Api/DeliveryJobsDeadLetters',
  'TnExchange-prod-Api/StatsStream/DeadLetters',
  'TnExchange-prod-Api/CatalogSnapshots/ScheduleDeadLetters',
  'TnExchange-prod-Api/IocFeed/DeadLetters',
  'TnExchange-prod-Api/IocFeed/ScheduleDeadLetters',
  'TnExchange-prod-Api/Notices/DeadLetters',
  'TnExchange-prod-Api/MediaUploads/UndeliveredEvents',
  'TnExchange-prod-Api/MediaUploads/FailedInvocations',
  'TnExchange-prod-Site/Invalidation/DeadLetters',
  'TnExchange-prod-Site/Rebuild/ScheduleDeadLetters',
];
const EXPECTED_ALARMS = [
  'api-5xx-rate',
  'api-latency-p99-catalog',
  'api-latency-p99-auth',
  'api-latency-p99-producers',
  'api-latency-p99-labels',
  'api-latency-p99-orders',
  'api-latency-p99-callbacks',
  'api-latency-p99-board',
  'api-latency-p99-seasons',
  'api-latency-p99-office',
  'api-latency-p99-siteRender',
  ...services.map((s) => `lambda-errors-${s}`),
  ...services.map((s) => `lambda-throttles-${s}`),
  ...services.map((s) => `lambda-duration-near-timeout-${s}`),
  'dynamodb-throttles',
  'dynamodb-system-errors',
  ...DEAD_LETTER_QUEUES.map((path) => `dlq-${path.replace(/\//g, '-')}`),
  'outbox-oldest-due-event',
  'expiry-oldest-due-order',
  'job-lane-lag-expiryJobs',
  'job-lane-lag-reconcileJobs',
  'job-lane-lag-deliveryJobs',
  'vietqr-unmatched-transfers',
  'ipn-failures',
  'notices-lag',
  'stream-iterator-age-siteInvalidate',
  'stream-iterator-age-statsStream',
  'site-rebuild-failed',
  'site-invalidation-failed',
  'invoice-issuance-failed',
  'sms-spend',
];

/** GitHub's heading anchors of OPERATIONS.md. */
function runbookAnchors(): Set<string> {
  const text = readFileSync(fromRepoRoot('OPERATIONS.md'), 'utf8');
  const anchors = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    anchors.add(
      heading!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

/** The alarm's metric (or the metrics of its expression). */
function metricsOf(alarm: Json): Json[] {
  const p = alarm.Properties;
  if (p.MetricName)
    return [{ Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions ?? [] }];
  return (p.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnQueue);
}

describe('alarms', () => {
  it('are exactly the listed ones', () => {
    expect([...alarmsByName.keys()].sort()).toEqual([...EXPECTED_ALARMS].sort());
    expect(Object.keys(alarms)).toHaveLength(EXPECTED_ALARMS.length);
  });

  it('each notify the topic on ALARM and on OK, and name a runbook entry that exists', () => {
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
    const anchors = runbookAnchors();
    for (const [name, alarm] of alarmsByName) {
      expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions, name).toEqual([{ Ref: topicId }]);
      const [, anchor] =
        /Runbook: OPERATIONS\.md#([a-z0-9-]+)$/.exec(alarm.Properties.AlarmDescription) ?? [];
      expect(anchor, name).toBeDefined();
      expect(anchors.has(anchor!), `${name} → #${anchor}`).toBe(true);
    }
  });

  it('each choose how missing data counts', () => {
    for (const [name, alarm] of alarmsByName) {
      expect(['notBreaching', 'breaching'], name).toContain(alarm.Properties.TreatMissingData);
    }
    // The lanes report on every run (0 when nothing is due): silence means a lane stopped.
    for (const name of ['outbox-oldest-due-event', 'expiry-oldest-due-order', 'job-lane-lag-deliveryJobs']) {
      expect(alarmsByName.get(name).Properties.TreatMissingData, name).toBe('breaching');
    }
    expect(alarmsByName.get('api-5xx-rate').Properties.TreatMissingData).toBe('notBreaching');
  });

  it('read the custom metrics by their contract names, one dimension `service`', () => {
    const expected: Record<string, [string, string, number]> = {
      'outbox-oldest-due-event': ['OutboxOldestAgeSeconds', 'deliveryJobs', 600],
      'expiry-oldest-due-order': ['ExpiryOldestAgeSeconds', 'expiryJobs', 300],
      'job-lane-lag-reconcileJobs': ['JobLagSeconds', 'reconcileJobs', 300],
      'vietqr-unmatched-transfers': ['VietQrUnmatched', 'callbacks', THRESHOLDS.vietQrUnmatched],
      'ipn-failures': ['IpnFailed', 'callbacks', THRESHOLDS.ipnFailed],
      'site-invalidation-failed': ['SiteRebuildFailed', 'siteInvalidate', 1],
      'invoice-issuance-failed': ['InvoiceIssueFailed', 'deliveryJobs', 3],
    };
    for (const [name, [metricName, service, threshold]] of Object.entries(expected)) {
      const p = alarmsByName.get(name).Properties;
      expect(p, name).toMatchObject({
        Namespace: 'TnExchange/prod',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: service }],
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('compute the API 5xx rate from the HTTP API metrics, ignoring near-empty periods', () => {
    const p = alarmsByName.get('api-5xx-rate').Properties;
    const metrics = metricsOf(alarmsByName.get('api-5xx-rate'));
    expect(metrics.map((m) => m.MetricName).sort()).toEqual(['5xx', 'Count']);
    for (const m of metrics) {
      expect(m.Namespace).toBe('AWS/ApiGateway');
      expect(m.Dimensions).toEqual([{ Name: 'ApiId', Value: expect.anything() }]);
      expect(JSON.stringify(m.Dimensions[0].Value)).toContain(
        api.getLogicalId(api.httpApi.node.defaultChild as never),
      );
    }
    const expression = (p.Metrics as Json[]).find((m) => m.Expression).Expression as string;
    expect(expression).toContain(`requests >= ${THRESHOLDS.api5xxMinRequests}`);
    expect(expression).toContain('100 * errors / requests');
    expect(p.Threshold).toBe(THRESHOLDS.api5xxPercent);
    expect(p.EvaluationPeriods).toBe(2);
  });

  it('watch each function: errors, throttles, and durations near its own timeout', () => {
    const lambdas = [api, site].flatMap((stack) =>
      Object.entries<Json>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(
        ([id, fn]) => ({
          id,
          timeout: fn.Properties.Timeout as number,
        }),
      ),
    );
    for (const service of services) {
      const near = alarmsByName.get(`lambda-duration-near-timeout-${service}`);
      const [metric] = metricsOf(near);
      expect(metric).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Duration' });
      expect(near.Properties.ExtendedStatistic ?? near.Properties.Statistic).toBe('Maximum');
      const fn = lambdas.find((l) => JSON.stringify(metric.Dimensions).includes(l.id));
      expect(fn, service).toBeDefined();
      // The lanes' workers; the notices worker runs when a notice is queued (an event function).
      const isJob = service.endsWith('Jobs') && service !== NOTICE_SENDER;
      const expected = isJob ? (fn!.timeout - 2) * 1000 : fn!.timeout * 1000 * 0.9;
      expect(near.Properties.Threshold, service).toBe(expected);
      // Below the timeout, so the alarm comes before the timeouts do.
      expect(near.Properties.Threshold).toBeLessThan(fn!.timeout * 1000);
      for (const kind of ['errors', 'throttles'] as const) {
        const alarm = alarmsByName.get(`lambda-${kind}-${service}`);
        const [m] = metricsOf(alarm);
        expect(m.MetricName).toBe(kind === 'errors' ? 'Errors' : 'Throttles');
        expect(JSON.stringify(m.Dimensions)).toContain(fn!.id);
      }
    }
  });

  it('watch the p99 of each route group (the function behind it)', () => {
    for (const [service, ms] of Object.entries(THRESHOLDS.p99Ms)) {
      const p = alarmsByName.get(`api-latency-p99-${service}`).Properties;
      expect(p).toMatchObject({
        MetricName: 'Duration',
        ExtendedStatistic: 'p99',
        Threshold: ms,
        EvaluationPeriods: 3,
      });
    }
  });

  it('watch DynamoDB throttles and system errors over every operation the exchange uses', () => {
    for (const [name, metricName] of [
      ['dynamodb-throttles', 'ThrottledRequests'],
      ['dynamodb-system-errors', 'SystemErrors'],
    ] as const) {
      const metrics = metricsOf(alarmsByName.get(name));
      expect(metrics.length).toBeGreaterThanOrEqual(7);
      expect(metrics.length).toBeLessThanOrEqual(10); // CloudWatch's limit of metrics in an alarm
      for (const m of metrics) {
        expect(m).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: metricName });
        expect(JSON.stringify(m.Dimensions)).toContain(
          data.getLogicalId(data.table.node.defaultChild as never),
        );
      }
      const operations = metrics.map((m) => m.Dimensions.find((d: Json) => d.Name === 'Operation').Value);
      expect(operations).toEqual(
        expect.arrayContaining(['GetItem', 'Query', 'TransactWriteItems', 'UpdateItem']),
      );
    }
  });

  it("watch the stream consumer's iterator age", () => {
    const p = alarmsByName.get('stream-iterator-age-siteInvalidate').Properties;
    expect(p).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum' });
    const fnId = site.getLogicalId(site.invalidation!.function.function.node.defaultChild as never);
    expect(JSON.stringify(p.Dimensions)).toContain(fnId);
  });

  it('watch failed rebuilds of the storefront (CodeBuild) and SMS spend against 80 % of the limit', () => {
    const rebuild = alarmsByName.get('site-rebuild-failed').Properties;
    expect(rebuild).toMatchObject({ Namespace: 'AWS/CodeBuild', MetricName: 'FailedBuilds', Threshold: 1 });
    expect(JSON.stringify(rebuild.Dimensions)).toContain(
      site.getLogicalId(site.rebuild!.project.node.defaultChild as never),
    );
    const sms = alarmsByName.get('sms-spend').Properties;
    expect(sms).toMatchObject({ Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD' });
    expect(sms.Dimensions).toBeUndefined();
    // 80 % of the prod environment's limit (infra/env/prod.json).
    expect(sms.Threshold).toBe(environment.config.sms.monthlySpendLimitUsd * 0.8);
  });
});

describe('alarm topic and dashboard', () => {
  it('is one topic, KMS-encrypted with a key CloudWatch may use, TLS only', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const [topic] = Object.values<Json>(template.findResources('AWS::SNS::Topic'));
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const key: Json = template.findResources('AWS::KMS::Key')[keyId];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cloudWatch = key.Properties.KeyPolicy.Statement.find(
      (s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudWatch.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    const [policy] = Object.values<Json>(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(
      statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    ).toBe(true);
    expect(
      statements.some((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com'),
    ).toBe(true);
  });

  it("subscribes the environment's alarm e-mail", () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: environment.config.alarmEmail,
    });
  });

  it('is one dashboard that shows every alarm and the custom metrics', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values<Json>(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const id of Object.keys(alarms)) expect(body, id).toContain(id);
    for (const metric of [
      'OrdersPlaced',
      'PaymentsSettled',
      'IpnAnswered',
      'StockRefusals',
      'RefundsCreated',
      'SignInCodesSent',
      'SmsSent',
      'SmsFailed',
      'JobLagSeconds',
      'OutboxOldestAgeSeconds',
      'ExpiryOldestAgeSeconds',
      'ApproximateNumberOfMessagesVisible',
      'ConsumedWriteCapacityUnits',
    ]) {
      expect(body, metric).toContain(metric);
    }
  });
});

describe('dead-letter queues', () => {
  /** Every queue some invocation sends its failures to, found in the templates. */
  const dlqTargets = templates.flatMap(({ stack, template: t }) => {
    const ids = new Set<string>();
    const idOf = (arn: Json) => (arn['Fn::GetAtt'] ?? [arn.Ref])[0] as string;
    for (const q of Object.values<Json>(t.findResources('AWS::SQS::Queue'))) {
      if (q.Properties.RedrivePolicy) ids.add(idOf(q.Properties.RedrivePolicy.deadLetterTargetArn));
    }
    for (const rule of Object.values<Json>(t.findResources('AWS::Events::Rule'))) {
      for (const target of rule.Properties.Targets ?? []) {
        if (target.DeadLetterConfig) ids.add(idOf(target.DeadLetterConfig.Arn));
      }
    }
    for (const kind of ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig']) {
      for (const r of Object.values<Json>(t.findResources(kind))) {
        const destination = r.Properties.DestinationConfig?.OnFailure?.Destination;
        if (destination) ids.add(idOf(destination));
      }
    }
    return [...ids].map((id) => `${stack.stackName}/${id}`);
  });

  const all = DeadLetterQueue.all(app);

  it('are the listed ones, each a DeadLetterQueue (so none is left unalarmed)', () => {
    expect(all.map((q) => q.node.path).sort()).toEqual([...DEAD_LETTER_QUEUES].sort());
    const declared = all.map((q) => `${Stack.of(q).stackName}/${logicalId(Stack.of(q), q)}`);
    expect([...dlqTargets].sort()).toEqual([...declared].sort());
  });

  it('are encrypted, TLS only, keep messages 14 days and have a depth alarm to the topic', () => {
    for (const queue of all) {
      const stack = Stack.of(queue);
      const id = logicalId(stack, queue);
      const props = Template.fromStack(stack).findResources('AWS::SQS::Queue')[id]!.Properties;
      expect(props.SqsManagedSseEnabled, queue.node.path).toBe(true);
      expect(props.MessageRetentionPeriod).toBe(14 * 86_400);
      const policies = Object.values<Json>(Template.fromStack(stack).findResources('AWS::SQS::QueuePolicy'));
      const own = policies.find((p) => p.Properties.Queues.some((q: Json) => q.Ref === id));
      expect(
        own.Properties.PolicyDocument.Statement.some(
          (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
        queue.node.path,
      ).toBe(true);

      const alarm = alarmsByName.get(`dlq-${queue.node.path.replace(/\//g, '-')}`);
      expect(alarm, queue.node.path).toBeDefined();
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(JSON.stringify(alarm.Properties.Dimensions)).toContain(id);
    }
  });
});

describe('retries and failure destinations of every asynchronous, stream and scheduled invocation', () => {
  it('every EventBridge target retries within a bounded age and has a dead-letter queue', () => {
    let targets = 0;
    for (const { stack, template: t } of templates) {
      for (const [ruleId, rule] of Object.entries<Json>(t.findResources('AWS::Events::Rule'))) {
        for (const target of rule.Properties.Targets ?? []) {
          targets++;
          const where = `${stack.stackName}/${ruleId}`;
          expect(target.RetryPolicy?.MaximumRetryAttempts, where).toBeGreaterThan(0);
          expect(target.RetryPolicy?.MaximumEventAgeInSeconds, where).toBeGreaterThanOrEqual(60);
          expect(target.DeadLetterConfig?.Arn, where).toBeDefined();
        }
      }
    }
    // Three lanes × four shard groups, the upload trigger, the rebuild schedule, the catalog
    // snapshots, the IOC feed.
    expect(targets).toBe(3 * 4 + 1 + 1 + 1 + 1);
  });

  it('every asynchronous Lambda invocation retries and ends in an on-failure destination', () => {
    const configs = templates.flatMap(({ template: t }) =>
      Object.values<Json>(t.findResources('AWS::Lambda::EventInvokeConfig')),
    );
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      expect(config.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(config.Properties.MaximumEventAgeInSeconds).toBeLessThanOrEqual(6 * 3600);
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
    // The media function (run asynchronously by EventBridge) is one of them.
    const mediaId = api.getLogicalId(api.functions.media.function.node.defaultChild as never);
    expect(configs.some((c) => c.Properties.FunctionName.Ref === mediaId)).toBe(true);
  });

  it('every stream event source bisects failing batches, retries a bounded time, then goes to a queue', () => {
    const streams = templates.flatMap(({ template: t }) =>
      Object.values<Json>(t.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
        JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
      ),
    );
    expect(streams.length).toBeGreaterThan(0);
    for (const mapping of streams) {
      expect(mapping.Properties).toMatchObject({ BisectBatchOnFunctionError: true });
      expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(mapping.Properties.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
      expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
  });

  it('every SQS event source reads a queue that redrives to a dead-letter queue', () => {
    for (const { template: t } of templates) {
      const queues = t.findResources('AWS::SQS::Queue');
      for (const mapping of Object.values<Json>(t.findResources('AWS::Lambda::EventSourceMapping'))) {
        const arn = mapping.Properties.EventSourceArn;
        if (!arn['Fn::GetAtt'] || !queues[arn['Fn::GetAtt'][0]]) continue;
        const queue = queues[arn['Fn::GetAtt'][0]]!.Properties;
        expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThan(1);
        expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    }
  });
});

describe('configuration', () => {
  /** A monitoring stack alone over stand-ins, to vary its settings without synthesizing the whole app. */
  function standalone(props: { alarmEmail?: string; smsMonthlySpendLimitUsd?: number }): Template {
    const app = new App();
    const resources = new Stack(app, 'Resources');
    const fn = new LambdaFunction(resources, 'Fn', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
      timeout: Duration.seconds(10),
    });
    const stack = new MonitoringStack(app, 'Monitoring', {
      httpApi: new HttpApi(resources, 'Api'),
      table: new Table(resources, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
      functions: [
        { service: 'catalog', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'orders', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'callbacks', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'board', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'seasons', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'office', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'auth', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'producers', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'labels', function: fn, timeout: Duration.seconds(10), kind: 'api' },
        { service: 'siteRender', function: fn, timeout: Duration.seconds(10), kind: 'page' },
      ],
      deadLetterQueues: [],
      metricsNamespace: 'TnExchange/staging',
      ...props,
    });
    return Template.fromStack(stack);
  }

  it('has no subscription without an alarm e-mail', () => {
    standalone({}).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes the configured alarm e-mail', () => {
    const t = standalone({ alarmEmail: 'truc-ca@example.vn' });
    t.resourceCountIs('AWS::SNS::Subscription', 1);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'truc-ca@example.vn' });
  });

  it('refuses an alarm e-mail that is not one address', () => {
    expect(() => standalone({ alarmEmail: 'truc-ca' })).toThrow(/alarmEmail/);
    expect(() => standalone({ alarmEmail: 'a@example.vn,b@example.vn' })).toThrow(/alarmEmail/);
  });

  it('alarms at 80 % of the configured SMS spend limit, in the environment’s namespace', () => {
    const t = standalone({ smsMonthlySpendLimitUsd: 250 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SMSMonthToDateSpentUSD',
      Threshold: 200,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'TnExchange/staging',
      MetricName: 'IpnFailed',
    });
  });

  it('refuses an SMS spend limit that is not a positive number', () => {
    expect(smsSpendLimit(undefined)).toBeUndefined();
    expect(smsSpendLimit('300')).toBe(300);
    expect(() => smsSpendLimit('nhiều')).toThrow(/smsMonthlySpendLimitUsd/);
    expect(() => smsSpendLimit('0')).toThrow(/smsMonthlySpendLimitUsd/);
  });
});
