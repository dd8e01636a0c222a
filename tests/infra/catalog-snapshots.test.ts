/**
 * The catalog's snapshots in the API stack's template: a private bucket, the snapshot job on a
 * ten-minute schedule with a dead-letter queue, the job allowed to write snapshots only and the
 * catalog function to read them only, both told the bucket's name.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api } = appUnderTest();
const template = Template.fromStack(api);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  api.getLogicalId(construct.node.defaultChild as never);
const buckets = template.findResources('AWS::S3::Bucket') as Record<string, Json>;
const bucketId = Object.keys(buckets).find((id) => id.startsWith('CatalogSnapshotsBucket'))!;
const writer = api.functions.catalogSnapshot;
const reader = api.functions.catalog;

/** The S3 actions a function's role may take on the snapshot bucket, with their resources. */
function s3Grants(role: { node: { defaultChild?: unknown } }): { actions: string[]; resources: string }[] {
  const roleId = logicalId(role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
  return policies
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
    .filter((s) => JSON.stringify(s.Resource).includes(bucketId))
    .map((s) => ({ actions: [s.Action].flat(), resources: JSON.stringify(s.Resource) }));
}

describe('catalog snapshots', () => {
  it('live in a private bucket whose objects expire if the job stops', () => {
    expect(bucketId).toBeDefined();
    const p = buckets[bucketId].Properties;
    expect(p.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 2, Status: 'Enabled' });
  });

  it('are written every ten minutes by the snapshot job, with a dead-letter queue for missed runs', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Json[];
    const rule = rules.find((r) =>
      r.Properties.Targets?.some((t: Json) => JSON.stringify(t.Arn).includes(logicalId(writer.function))),
    );
    expect(rule?.Properties.ScheduleExpression).toBe('rate(10 minutes)');
    expect(rule?.Properties.Targets[0].DeadLetterConfig.Arn).toBeDefined();
    expect(rule?.Properties.Targets[0].RetryPolicy).toEqual({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 300,
    });
  });

  it('may be written by the job only and read by the catalog function only', () => {
    const written = s3Grants(writer.role);
    expect(written.flatMap((g) => g.actions)).toEqual(['s3:PutObject']);
    expect(written.every((g) => g.resources.includes('/catalog/*'))).toBe(true);

    const read = s3Grants(reader.role);
    expect(read.flatMap((g) => g.actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);

    for (const name of ['producers', 'orders', 'board', 'seasons', 'auth'] as const) {
      expect(s3Grants(api.functions[name].role)).toEqual([]);
    }
  });

  it('are named to both functions by CATALOG_SNAPSHOT_BUCKET', () => {
    for (const fn of [writer, reader]) {
      const props = template.toJSON().Resources[logicalId(fn.function)].Properties;
      expect(props.Environment.Variables.CATALOG_SNAPSHOT_BUCKET).toEqual({ Ref: bucketId });
    }
  });
});
