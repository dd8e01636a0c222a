/**
 * The Notices queue in the synthesized API stack: the functions that answer requests may only
 * put messages on it (and no longer publish SMS themselves), the notices worker reads it in
 * small, quick batches reporting each failed message, and what fails five times waits in a
 * dead-letter queue with an alarm.
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, NOTICE_SENDER, SMS_FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { NOTICE_MAX_RECEIVES } from '../../infra/constructs/notices.ts';
import { appUnderTest } from './app-under-test.ts';

// Loosely typed CloudFormation JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, monitoring } = appUnderTest();
const t = Template.fromStack(api);
const policies = t.findResources('AWS::IAM::Policy');
const queueId = api.getLogicalId(api.notices.queue.node.defaultChild as never);
const deadLettersId = api.getLogicalId(api.notices.deadLetters.node.defaultChild as never);

function statementsOf(name: FunctionName): Json[] {
  const roleId = api.getLogicalId(api.functions[name].role.node.defaultChild as CfnRole);
  return Object.values<Json>(policies)
    .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
}

const actionsOf = (statements: Json[]) =>
  statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat() as string[]);
const onQueue = (s: Json) => JSON.stringify(s.Resource).includes(queueId);

describe('the Notices queue', () => {
  it('redrives to its dead-letter queue after five receives, outlasting the worker and the router claims', () => {
    const queue = t.findResources('AWS::SQS::Queue')[queueId]!.Properties;
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] },
      maxReceiveCount: NOTICE_MAX_RECEIVES,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    // Six times the worker's timeout, and longer than the router's 60 s stale claims.
    const timeout = api.functions[NOTICE_SENDER].function.timeout!.toSeconds();
    expect(queue.VisibilityTimeout).toBe(6 * timeout);
    expect(queue.VisibilityTimeout).toBeGreaterThan(60);
  });

  it('feeds the worker batches of ten within a second, each failed message reported on its own', () => {
    const workerId = api.getLogicalId(api.functions[NOTICE_SENDER].function.node.defaultChild as never);
    const mappings = Object.values<Json>(t.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes(queueId),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties).toMatchObject({
      FunctionName: { Ref: workerId },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('has an alarm on its dead-letter queue and on late notices', () => {
    const alarms = Object.values<Json>(
      Template.fromStack(monitoring).findResources('AWS::CloudWatch::Alarm'),
    );
    const dlq = alarms.find((a) =>
      a.Properties.AlarmName?.endsWith?.('dlq-TnExchange-prod-Api-Notices-DeadLetters'),
    );
    expect(dlq?.Properties.AlarmDescription).toContain('OPERATIONS.md#dlq-notices');
    const lag = alarms.find((a) => a.Properties.MetricName === 'NoticeLagSeconds');
    expect(lag?.Properties.AlarmDescription).toContain('OPERATIONS.md#notices-lag');
  });

  it('the functions that answer requests may send to the queue and may not publish SMS; the worker may publish', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const statements = statementsOf(name);
      const actions = actionsOf(statements);
      const env = t.findResources('AWS::Lambda::Function')[
        api.getLogicalId(api.functions[name].function.node.defaultChild as never)
      ]!.Properties.Environment?.Variables as Record<string, unknown> | undefined;
      if (SMS_FUNCTIONS.includes(name)) {
        expect(
          statements.some(
            (s) => s.Effect === 'Allow' && [s.Action].flat().includes('sqs:SendMessage') && onQueue(s),
          ),
          name,
        ).toBe(true);
        expect(actions, name).not.toContain('sns:Publish');
        expect(env?.NOTICES_QUEUE_URL, name).toEqual({ Ref: queueId });
        // No Zalo secrets either: only the worker talks to Zalo.
        expect(env?.ZALO_SSM_PATH, name).toBeUndefined();
      } else if (name === NOTICE_SENDER) {
        expect(actions, name).toContain('sns:Publish');
        expect(actions, name).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
        expect(actions, name).not.toContain('sqs:SendMessage');
      } else {
        expect(actions, name).not.toContain('sns:Publish');
        expect(
          statements.some((s) => onQueue(s)),
          name,
        ).toBe(false);
      }
    }
  });
});
