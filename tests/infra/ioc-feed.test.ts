/**
 * The IOC feed in the API stack's template: a daily EventBridge schedule putting one message on
 * the feed's queue, the worker consuming it with reported failures, a redrive to a dead-letter
 * queue after the last receive, the signing secret and the pull key from Secrets Manager (never
 * in the template), and the alarms on the dead-letter queues (monitoring stack) with their
 * runbook entry.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { IOC_MAX_RECEIVES, IOC_RETRY_AFTER } from '../../infra/constructs/ioc-feed.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, monitoring } = appUnderTest();
const template = Template.fromStack(api);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  api.getLogicalId(construct.node.defaultChild as never);
const workerId = logicalId(api.functions.iocFeed.function);

const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Json][];

describe('the IOC feed', () => {
  const queueEntry = resources('AWS::SQS::Queue').find(([id]) => /IocFeedQueue/.test(id));

  it('is scheduled once a day, at 00:30 Vietnam time, onto its queue with a dead-letter queue for ticks', () => {
    const rules = resources('AWS::Events::Rule').filter(([id]) => /IocFeed/.test(id));
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties;
    expect(rule.ScheduleExpression).toBe('cron(30 17 * * ? *)');
    expect(rule.Targets).toHaveLength(1);
    expect(JSON.parse(rule.Targets[0].Input)).toEqual({ kind: 'ioc' });
    expect(rule.Targets[0].Arn['Fn::GetAtt'][0]).toBe(queueEntry![0]);
    expect(rule.Targets[0].DeadLetterConfig.Arn).toBeDefined();
  });

  it('is pushed by its worker from the queue, failures reported, then redriven to a dead-letter queue', () => {
    const mapping = resources('AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties.FunctionName.Ref === workerId,
    );
    expect(mapping?.[1].Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = queueEntry![1].Properties;
    expect(queue.VisibilityTimeout).toBe(IOC_RETRY_AFTER.toSeconds());
    expect(queue.RedrivePolicy.maxReceiveCount).toBe(IOC_MAX_RECEIVES);
    const dlqId = queue.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(dlqId).toMatch(/IocFeedDeadLetters/);
    expect(template.toJSON().Resources[dlqId].Properties.MessageRetentionPeriod).toBe(14 * 86_400);
  });

  it('gives the secrets to the functions by dynamic reference only', () => {
    const env = (fn: { function: { node: { defaultChild?: unknown } } }) =>
      template.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;
    const worker = env(api.functions.iocFeed);
    expect(JSON.stringify(worker.IOC_SIGNING_SECRET)).toContain('resolve:secretsmanager');
    expect(JSON.stringify(env(api.functions.catalog).IOC_API_KEY)).toContain('resolve:secretsmanager');
    // Only the catalog (the pull route) holds the key; only the worker the signing secret.
    expect(env(api.functions.board).IOC_API_KEY).toBeUndefined();
    expect(env(api.functions.catalog).IOC_SIGNING_SECRET).toBeUndefined();
    expect(resources('AWS::SecretsManager::Secret').filter(([id]) => /IocFeed/.test(id))).toHaveLength(2);
  });

  it('alarms on both dead-letter queues, pointing to a runbook entry that exists', () => {
    const alarms = Object.values(
      Template.fromStack(monitoring).findResources('AWS::CloudWatch::Alarm'),
    ) as Json[];
    const iocAlarms = alarms.filter((a) => /dlq-.*IocFeed/.test(JSON.stringify(a.Properties.AlarmName)));
    expect(iocAlarms).toHaveLength(2);
    for (const alarm of iocAlarms) {
      expect(alarm.Properties.AlarmDescription).toContain('OPERATIONS.md#dlq-ioc-feed');
      expect(alarm.Properties.Threshold).toBe(1);
    }
    expect(readFileSync('OPERATIONS.md', 'utf8')).toMatch(/^### DLQ: IOC feed$/m);
  });
});
