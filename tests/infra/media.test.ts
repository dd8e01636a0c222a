/**
 * The media function in the synthesized app: arm64 Node.js 22 with sharp for linux-arm64 in its
 * bundle, run by an EventBridge rule on uploads of the media bucket, and allowed exactly: read
 * uploads/, write media/, and its table access.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { AssetStaging } from 'aws-cdk-lib';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.ts';
import { fromRepoRoot } from '../../infra/paths.ts';
import { MEDIA_PREFIX, UPLOADS_PREFIX } from '../../infra/stacks/data-stack.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { data, api } = appUnderTest();
const template = Template.fromStack(api);
const media = api.functions.media;
const fnId = api.getLogicalId(media.function.node.defaultChild as CfnFunction);
const roleId = api.getLogicalId(media.role.node.defaultChild as CfnRole);
const bucketId = data.getLogicalId(data.mediaBucket.node.defaultChild as CfnBucket);
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('media function', () => {
  const props = template.findResources('AWS::Lambda::Function')[fnId]?.Properties;

  it('runs Node.js 22 on arm64 with the memory of FUNCTIONS and a 60 s timeout', () => {
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.MemorySize).toBe(FUNCTIONS.media.memoryMiB);
    expect(props.MemorySize).toBe(1536);
    expect(props.Timeout).toBe(60);
  });

  it('knows the bucket, the rendition prefix and the table', () => {
    expect(props.Environment.Variables).toMatchObject({
      MEDIA_BUCKET: api.resolve(data.mediaBucket.bucketName),
      MEDIA_PREFIX,
      TABLE_NAME: api.resolve(data.table.tableName),
    });
  });

  it('retries an unexpected failure twice, within an hour', () => {
    const configs = Object.values<Json>(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
      (c) => c.Properties.FunctionName.Ref === fnId,
    );
    expect(configs).toHaveLength(1);
    expect(configs[0].Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
  });
});

describe('upload trigger', () => {
  const rules = Object.entries<Json>(template.findResources('AWS::Events::Rule')).filter(([, rule]) =>
    rule.Properties.Targets.some(
      (t: Json) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
    ),
  );

  it('is one EventBridge rule: Object Created in the media bucket, keys under uploads/', () => {
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties.State ?? 'ENABLED').toBe('ENABLED');
    expect(rule.Properties.EventBusName).toBeUndefined(); // the default bus, where S3 sends events
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [api.resolve(data.mediaBucket.bucketName)] },
        object: { key: [{ prefix: UPLOADS_PREFIX }] },
      },
    });
    expect(UPLOADS_PREFIX).toBe('uploads/');
  });

  it('may invoke the function, from that rule only', () => {
    const [ruleId] = rules[0]!;
    const permissions = Object.values<Json>(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('is what the data stack enables: the bucket sends its events to EventBridge', () => {
    const bucket = Template.fromStack(data).findResources('AWS::S3::Bucket')[bucketId];
    expect(bucket?.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
  });
});

describe('media function S3 access', () => {
  const statements = Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s: Json) => asArray<string>(s.Action).some((a) => a.startsWith('s3:') || a === '*'));
  // The grant reads the bucket's ARN from the data stack's export of exactly that ARN.
  const exported = Object.values<Json>(Template.fromStack(data).toJSON().Outputs).find(
    (o) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] }) && o.Export,
  );
  const bucketArn = { 'Fn::ImportValue': exported?.Export.Name };
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

  it('names the media bucket of the data stack, by its exported ARN', () => {
    expect(exported?.Export.Name).toEqual(expect.stringContaining(data.stackName));
  });

  it('reads objects only under uploads/ and writes only under media/', () => {
    const grants = statements.map((s: Json) => ({
      effect: s.Effect,
      actions: asArray<string>(s.Action).sort(),
      resources: asArray(s.Resource),
      condition: s.Condition,
    }));
    expect(grants).toHaveLength(2);
    expect(grants).toContainEqual({
      effect: 'Allow',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [objects(UPLOADS_PREFIX)],
      condition: undefined,
    });
    expect(grants).toContainEqual({
      effect: 'Allow',
      actions: ['s3:PutObject'],
      resources: [objects(MEDIA_PREFIX)],
      condition: undefined,
    });
  });

  it('has no bucket-wide, list, delete or wildcard S3 action', () => {
    const actions = statements.flatMap((s: Json) => asArray<string>(s.Action));
    expect(actions.filter((a: string) => a.includes('*') || /List|Delete|Acl|Policy/.test(a))).toEqual([]);
    const resources = statements.flatMap((s: Json) => asArray(s.Resource)).map((r) => JSON.stringify(r));
    expect(resources).not.toContain(JSON.stringify(bucketArn));
    expect(resources).not.toContain(JSON.stringify(api.resolve(data.mediaBucket.bucketArn)));
  });
});

describe('media function bundle', () => {
  const staging = media.function.node.findChild('Code').node.findChild('Stage') as AssetStaging;
  const dir = staging.absoluteStagedPath;
  const version = (pkg: string) =>
    (
      JSON.parse(readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  const rootVersion = (pkg: string) =>
    (
      JSON.parse(readFileSync(fromRepoRoot(`node_modules/${pkg}/package.json`), 'utf8')) as {
        version: string;
      }
    ).version;

  it('imports sharp at run time instead of bundling it', () => {
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/from\s*"sharp"/);
  });

  it('carries sharp at the lockfile version with the linux-arm64 binaries, and nothing for x64', () => {
    expect(version('sharp')).toBe(rootVersion('sharp'));
    expect(version('@img/sharp-linux-arm64')).toBe(rootVersion('sharp'));
    expect(existsSync(path.join(dir, 'node_modules/@img/sharp-libvips-linux-arm64'))).toBe(true);
    expect(
      readdirSync(path.join(dir, 'node_modules/@img')).filter((p) => /x64|darwin|win32|musl/.test(p)),
    ).toEqual([]);
    const addon = readdirSync(path.join(dir, 'node_modules/@img/sharp-linux-arm64/lib')).find((f) =>
      f.endsWith('.node'),
    );
    const elf = readFileSync(path.join(dir, 'node_modules/@img/sharp-linux-arm64/lib', addon!));
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(elf.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
    expect(existsSync(path.join(dir, '.npmrc'))).toBe(false);
    expect(existsSync(path.join(dir, 'package-lock.json'))).toBe(false);
  });
});

describe('photo upload URLs (producers function)', () => {
  const producers = api.functions.producers;
  const producersRoleId = api.getLogicalId(producers.role.node.defaultChild as CfnRole);
  const producersFnId = api.getLogicalId(producers.function.node.defaultChild as CfnFunction);

  it('may only put objects under uploads/ (what its presigned PUTs need), and knows the bucket', () => {
    const statements = Object.values<Json>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === producersRoleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: Json) => asArray<string>(s.Action).some((a) => a.startsWith('s3:') || a === '*'));
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0].Action)).toEqual(['s3:PutObject']);
    expect(JSON.stringify(statements[0].Resource)).toMatch(/"\/uploads\/\*"\]\]\}$/);
    const env =
      template.findResources('AWS::Lambda::Function')[producersFnId]?.Properties.Environment.Variables;
    expect(env.MEDIA_BUCKET).toEqual(api.resolve(data.mediaBucket.bucketName));
  });
});

describe('original uploads', () => {
  it('expire a week after upload (they still carry GPS metadata)', () => {
    const template = Template.fromStack(appUnderTest().data);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 7, Status: 'Enabled' }),
        ]),
      },
    });
  });
});
