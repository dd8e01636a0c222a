/**
 * The stats worker's stream event source in the API stack's template: filtered to the item types
 * that move a counter, batches reported record by record, split on error, a dead-letter queue
 * at the end, and alarms on its iterator age and on that queue (monitoring stack).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STATS_STREAM_FILTERS } from '../../infra/constructs/stats-stream.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, monitoring } = appUnderTest();
const template = Template.fromStack(api);
const workerId = api.getLogicalId(api.functions.statsStream.function.node.defaultChild as never);

describe('the stats stream worker', () => {
  const mapping = (Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Json[]).find(
    (m) => m.Properties.FunctionName.Ref === workerId,
  );

  it('reads the table stream, filtered, in reported and bisected batches, with a dead-letter queue', () => {
    expect(mapping).toBeDefined();
    const p = mapping.Properties;
    expect(p).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86_400,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(JSON.stringify(p.EventSourceArn)).toContain('StreamArn');
    expect(p.FilterCriteria.Filters.map((f: Json) => JSON.parse(f.Pattern))).toEqual(STATS_STREAM_FILTERS);
    expect(JSON.stringify(p.FilterCriteria)).toContain('sub_order');
    expect(p.DestinationConfig.OnFailure.Destination).toBeDefined();
  });

  it('is alarmed on its iterator age and its dead-letter queue', () => {
    const alarms = Object.values(
      Template.fromStack(monitoring).findResources('AWS::CloudWatch::Alarm'),
    ) as Json[];
    const names = alarms.map((a) => JSON.stringify(a.Properties.AlarmName));
    expect(names.some((n) => n.includes('stream-iterator-age-statsStream'))).toBe(true);
    expect(names.some((n) => /dlq-.*StatsStream/.test(n))).toBe(true);
  });
});
