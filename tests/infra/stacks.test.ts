/**
 * Template assertions on the synthesized stacks. Expectations are derived from the same
 * definitions the stacks are built from (TABLE, FUNCTIONS, ROUTES), so adding a function, route
 * or index is covered without touching this file.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Bucket, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES, type FunctionName } from '../../functions/routes.ts';
import { JOB_KINDS, SHARD_GROUPS } from '../../functions/orders/job-messages.ts';
import { SHARDS } from '../../shared/db/shards.ts';
import { JOB_FUNCTIONS, ROUTE_THROTTLES } from '../../infra/stacks/api-stack.ts';
import { stackNames } from '../../infra/app.ts';
import { DIRECTORY_INDEX_CODE, SiteStack } from '../../infra/stacks/site-stack.ts';
import { keyAttributes, TABLE } from '../../shared/db/table.ts';
import { appUnderTest } from './app-under-test.ts';

// Loosely typed CloudFormation JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { app, data, api, site } = appUnderTest();
const dataTemplate = Template.fromStack(data);
const apiTemplate = Template.fromStack(api);
const siteTemplate = Template.fromStack(site);
const allTemplates = [dataTemplate, apiTemplate, siteTemplate];

const functionNames = Object.keys(FUNCTIONS) as FunctionName[];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

function only<T>(resources: Record<string, T>): [string, T] {
  const entries = Object.entries(resources);
  if (entries.length !== 1) throw new Error(`expected exactly one resource, got ${entries.length}`);
  return entries[0]!;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const fnLogicalId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].function.node.defaultChild as CfnFunction);
const roleLogicalId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].role.node.defaultChild as CfnRole);

describe('app', () => {
  it("has its stacks under the environment's names", () => {
    expect(app.node.children.filter(Stack.isStack).map((stack) => stack.stackName)).toEqual(
      Object.values(stackNames('prod')),
    );
    expect(stackNames('prod').api).toBe('TnExchange-prod-Api');
  });
});

describe('data stack: the table', () => {
  const [, table] = only<Json>(dataTemplate.findResources('AWS::DynamoDB::Table'));
  const props = table.Properties;

  it('is keyed by the definition (pk / sk), all key attributes strings', () => {
    expect(TABLE.partitionKey).toBe('pk');
    expect(TABLE.sortKey).toBe('sk');
    expect(props.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    const definitions = [...props.AttributeDefinitions].sort((a: Json, b: Json) =>
      a.AttributeName.localeCompare(b.AttributeName),
    );
    expect(definitions).toEqual(
      keyAttributes()
        .sort()
        .map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('has every GSI of the definition, by name, with its keys and projection ALL', () => {
    expect(props.GlobalSecondaryIndexes).toHaveLength(TABLE.indexes.length);
    for (const index of TABLE.indexes) {
      const gsi = props.GlobalSecondaryIndexes.find((g: Json) => g.IndexName === index.name);
      expect(gsi, index.name).toBeDefined();
      expect(gsi.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ]);
      expect(gsi.Projection).toEqual({ ProjectionType: 'ALL' });
    }
  });

  it('is on demand, with PITR, the TTL attribute, a stream, and retained', () => {
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE.timeToLiveAttribute,
      Enabled: true,
    });
    expect(props.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(props.DeletionProtectionEnabled).toBe(true);
    expect(props.TableName).toBeUndefined();
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('api stack: functions', () => {
  it('has one Lambda per FUNCTIONS entry, nodejs22.x on arm64', () => {
    const lambdas = apiTemplate.findResources('AWS::Lambda::Function');
    // Besides them only the deploy-time provider of AwsCustomResource (the account's SMS settings).
    const provider = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const own = Object.keys(lambdas).filter((id) => !id.startsWith(provider));
    expect(own.sort()).toEqual(functionNames.map(fnLogicalId).sort());
    for (const name of functionNames) {
      const props = lambdas[fnLogicalId(name)]?.Properties;
      expect(props.Runtime, name).toBe('nodejs22.x');
      expect(props.Architectures, name).toEqual(['arm64']);
      expect(props.Handler, name).toBe('index.handler');
      expect(props.MemorySize, name).toBe(FUNCTIONS[name].memoryMiB);
      expect(props.Environment.Variables, name).toMatchObject({
        TABLE_NAME: api.resolve(data.table.tableName),
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('gives each function its own log group with a retention', () => {
    const logGroups = apiTemplate.findResources('AWS::Logs::LogGroup');
    const lambdas = apiTemplate.findResources('AWS::Lambda::Function');
    for (const name of functionNames) {
      const ref = lambdas[fnLogicalId(name)]?.Properties.LoggingConfig.LogGroup.Ref;
      expect(logGroups[ref]?.Properties.RetentionInDays, name).toBe(30);
    }
  });

  it('uses own roles without AWS managed policies', () => {
    const roles = apiTemplate.findResources('AWS::IAM::Role');
    for (const name of functionNames) {
      expect(roles[roleLogicalId(name)]?.Properties.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  const STREAM_READS = [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
  ];
  it('grants each function only the DynamoDB actions its tableAccess allows, only on the table and its indexes', () => {
    const tableArn = api.resolve(data.table.tableArn);
    const allowed = new Set(
      [tableArn, ...TABLE.indexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] }))].map(
        (r) => JSON.stringify(r),
      ),
    );
    const policies = Object.values<Json>(apiTemplate.findResources('AWS::IAM::Policy'));

    for (const name of functionNames) {
      const statements = policies
        .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleLogicalId(name)))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      // The stats worker also reads the table's stream (its event source's grant, checked apart).
      // (CDK merges ListStreams, on `*`, into one statement with the X-Ray writes.)
      const streamReads = statements.filter((s: Json) => {
        const actions = asArray<string>(s.Action).filter((a) => a.startsWith('dynamodb:'));
        return actions.length > 0 && actions.every((a) => STREAM_READS.includes(a));
      });
      expect(streamReads.length > 0, name).toBe(name === 'statsStream');
      const dynamo = statements.filter(
        (s: Json) =>
          asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:') || a === '*') &&
          !streamReads.includes(s),
      );
      expect(dynamo.length, name).toBeGreaterThan(0);

      const actions = new Set(dynamo.flatMap((s: Json) => asArray<string>(s.Action)));
      expect(
        [...actions].filter((a) => a.includes('*')),
        name,
      ).toEqual([]);
      expect(actions.has('dynamodb:Query') && actions.has('dynamodb:GetItem'), name).toBe(true);
      const writes = WRITE_ACTIONS.filter((a) => actions.has(a));
      if (FUNCTIONS[name].tableAccess === 'read') expect(writes, name).toEqual([]);
      else expect(writes.sort(), name).toEqual([...WRITE_ACTIONS].sort());

      const resources = new Set(
        dynamo.flatMap((s: Json) => asArray(s.Resource).map((r) => JSON.stringify(r))),
      );
      // Exactly the table and each index: nothing else, and no index forgotten.
      expect(resources, name).toEqual(allowed);
      expect(
        dynamo.every((s: Json) => s.Effect === 'Allow' && !s.Condition),
        name,
      ).toBe(true);
    }
  });
});

describe('api stack: HTTP API', () => {
  const [apiId] = only(apiTemplate.findResources('AWS::ApiGatewayV2::Api'));
  const routes = Object.values<Json>(apiTemplate.findResources('AWS::ApiGatewayV2::Route'));
  const integrations = apiTemplate.findResources('AWS::ApiGatewayV2::Integration');

  it('has exactly one route per ROUTES entry', () => {
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const route of routes) expect(route.Properties.ApiId).toEqual({ Ref: apiId });
  });

  it('wires every route to the integration of its own function', () => {
    for (const definition of ROUTES) {
      const routeKey = `${definition.method} ${definition.path}`;
      const route = routes.find((r) => r.Properties.RouteKey === routeKey);
      const target = route.Properties.Target;
      expect(target['Fn::Join'][1][0], routeKey).toBe('integrations/');
      const integration = integrations[target['Fn::Join'][1][1].Ref];
      expect(integration?.Properties.IntegrationType, routeKey).toBe('AWS_PROXY');
      expect(integration?.Properties.PayloadFormatVersion, routeKey).toBe('2.0');
      expect(integration?.Properties.IntegrationUri, routeKey).toEqual({
        'Fn::GetAtt': [fnLogicalId(definition.function), 'Arn'],
      });
    }
  });

  it('lets API Gateway invoke each routed function, from this API only', () => {
    const permissions = Object.values<Json>(apiTemplate.findResources('AWS::Lambda::Permission'));
    for (const name of new Set(ROUTES.map((r) => r.function))) {
      const mine = permissions.filter(
        (p) =>
          JSON.stringify(p.Properties.FunctionName) ===
          JSON.stringify({ 'Fn::GetAtt': [fnLogicalId(name), 'Arn'] }),
      );
      expect(mine.length, name).toBeGreaterThan(0);
      for (const p of mine) {
        expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
        expect(JSON.stringify(p.Properties.SourceArn)).toContain(JSON.stringify({ Ref: apiId }));
      }
    }
  });

  it('has a $default stage with access logs and throttling', () => {
    const [, stage] = only<Json>(apiTemplate.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AutoDeploy).toBe(true);
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(apiTemplate.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
    });
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: ROUTE_THROTTLES.default.rateLimit,
      ThrottlingBurstLimit: ROUTE_THROTTLES.default.burstLimit,
    });
  });

  it('gives checkout, the payment notifications and sign-in their own throttles, and caps catalog reads', () => {
    const [stageId, stage] = only<Json>(apiTemplate.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stage.Properties.RouteSettings as Record<string, Json>;
    const keyOf = (operationId: string) => {
      const route = ROUTES.find((r) => r.operationId === operationId)!;
      return `${route.method} ${route.path}`;
    };
    const limits = (operationId: string) => settings[keyOf(operationId)];
    for (const id of ['placeOrder', 'vnpayIpn', 'vietqrNotification', 'startSignIn', 'verifySignIn']) {
      expect(limits(id), id).toEqual({
        ThrottlingRateLimit: ROUTE_THROTTLES.routes[id]!.rateLimit,
        ThrottlingBurstLimit: ROUTE_THROTTLES.routes[id]!.burstLimit,
      });
    }
    // Checkout alone takes the Tết peak (1,000 orders a minute) several times over.
    expect(limits('placeOrder').ThrottlingRateLimit).toBeGreaterThanOrEqual(6 * (1_000 / 60));
    // Every catalog read route has a cap of its own.
    const catalogReads = ROUTES.filter((r) => r.path.startsWith('/api/catalog/'));
    expect(catalogReads.length).toBeGreaterThan(3);
    for (const route of catalogReads) {
      expect(settings[`${route.method} ${route.path}`], route.operationId).toBeDefined();
    }
    // A route setting names an existing route, which the stage waits for.
    const routeKeys = Object.values(apiTemplate.findResources('AWS::ApiGatewayV2::Route')).map(
      (r: Json) => r.Properties.RouteKey,
    );
    for (const key of Object.keys(settings)) expect(routeKeys).toContain(key);
    const routeIds = Object.keys(apiTemplate.findResources('AWS::ApiGatewayV2::Route'));
    expect(apiTemplate.toJSON().Resources[stageId].DependsOn).toEqual(
      expect.arrayContaining(routeIds.filter((id) => id.startsWith('RoutePlaceOrder'))),
    );
  });
});

describe('site stack: CloudFront', () => {
  const [, distribution] = only<Json>(siteTemplate.findResources('AWS::CloudFront::Distribution'));
  const config = distribution.Properties.DistributionConfig;
  const behaviour = (pattern: string) => config.CacheBehaviors.find((b: Json) => b.PathPattern === pattern);
  const originOf = (b: Json) => config.Origins.find((o: Json) => o.Id === b.TargetOriginId);

  it('serves the site bucket by default through OAC, HTTPS only, with directory indexes', () => {
    const origin = originOf(config.DefaultCacheBehavior);
    expect(origin.DomainName).toEqual(site.resolve(site.siteBucket.bucketRegionalDomainName));
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.Compress).toBe(true);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      expect.objectContaining({ EventType: 'viewer-request' }),
    ]);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });

  it('sends /api/* to the HTTP API, uncached, all methods, viewer headers except Host', () => {
    const api_ = behaviour('/api/*');
    expect(api_).toBeDefined();
    expect(api_.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(api_.OriginRequestPolicyId).toBe(
      OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    );
    expect([...api_.AllowedMethods].sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
    ]);
    expect(api_.ViewerProtocolPolicy).toBe('redirect-to-https');
    const origin = originOf(api_);
    expect(origin.DomainName).toEqual(site.resolve(api.apiDomainName));
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  });

  it('sends /media/* to the media bucket through OAC with a long cache', () => {
    const media = behaviour('/media/*');
    expect(media).toBeDefined();
    const origin = originOf(media);
    expect(origin.DomainName).toEqual(site.resolve(data.mediaBucket.bucketRegionalDomainName));
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(media.AllowedMethods).toEqual(['GET', 'HEAD']);
    const policy = siteTemplate.findResources('AWS::CloudFront::CachePolicy')[media.CachePolicyId.Ref];
    expect(policy?.Properties.CachePolicyConfig.DefaultTTL).toBeGreaterThanOrEqual(30 * 24 * 3600);
  });

  it('rewrites directory URLs to index.html and leaves files alone', () => {
    const [, fn] = only<Json>(
      siteTemplate.findResources('AWS::CloudFront::Function', {
        Properties: { FunctionCode: DIRECTORY_INDEX_CODE },
      }),
    );
    expect(fn.Properties.FunctionCode).toBe(DIRECTORY_INDEX_CODE);
    const handler = new Function(`${DIRECTORY_INDEX_CODE}; return handler;`)() as (e: Json) => {
      uri: string;
    };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/san-pham/')).toBe('/san-pham/index.html');
    expect(rewrite('/san-pham')).toBe('/san-pham/index.html');
    expect(rewrite('/en/san-pham/che-tan-cuong')).toBe('/en/san-pham/che-tan-cuong/index.html');
    expect(rewrite('/v1.2/trang')).toBe('/v1.2/trang/index.html');
    expect(rewrite('/_astro/app.3f2a1c.js')).toBe('/_astro/app.3f2a1c.js');
    expect(rewrite('/sitemap-index.xml')).toBe('/sitemap-index.xml');
  });

  it('uploads a built site (and only then)', () => {
    siteTemplate.resourceCountIs('Custom::CDKBucketDeployment', 2);

    const bare = new App();
    const other = new Stack(bare, 'Other');
    const withoutSite = new SiteStack(bare, 'Site', {
      apiDomainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      mediaBucket: new Bucket(other, 'Media'),
    });
    Template.fromStack(withoutSite).resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('buckets and bucket policies (all stacks)', () => {
  it('block all public access and encrypt every bucket', () => {
    for (const template of allTemplates) {
      for (const [id, bucket] of Object.entries<Json>(template.findResources('AWS::S3::Bucket'))) {
        expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption, id).toBeDefined();
      }
    }
  });

  it('deny plain HTTP on every bucket', () => {
    for (const template of allTemplates) {
      const policies = Object.values<Json>(template.findResources('AWS::S3::BucketPolicy'));
      for (const id of Object.keys(template.findResources('AWS::S3::Bucket'))) {
        const statements = policies
          .filter((p) => p.Properties.Bucket.Ref === id)
          .flatMap((p) => p.Properties.PolicyDocument.Statement);
        expect(
          statements.some(
            (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
          id,
        ).toBe(true);
      }
    }
  });

  it('never allow anonymous principals, and allow services only under conditions', () => {
    for (const template of allTemplates) {
      for (const [id, policy] of Object.entries<Json>(template.findResources('AWS::S3::BucketPolicy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          if (statement.Effect !== 'Allow') continue;
          const principal = statement.Principal;
          expect(principal, id).not.toBe('*');
          expect(asArray(principal?.AWS), id).not.toContain('*');
          if (principal?.Service)
            expect(statement.Condition, `${id} ${JSON.stringify(statement)}`).toBeDefined();
        }
      }
    }
  });

  it('let CloudFront read only media/ of the media bucket, for distributions of this account', () => {
    const mediaId = data.getLogicalId(data.mediaBucket.node.defaultChild as CfnBucket);
    const [, policy] = only<Json>(
      dataTemplate.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: mediaId } } }),
    );
    const cloudfront = policy.Properties.PolicyDocument.Statement.filter(
      (s: Json) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0].Action).toBe('s3:GetObject');
    expect(cloudfront[0].Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [mediaId, 'Arn'] }, '/media/*']],
    });
    expect(cloudfront[0].Condition.StringEquals['AWS:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(cloudfront[0].Condition.ArnLike['AWS:SourceArn'])).toContain(':distribution/*');
  });
});

describe('payments', () => {
  const policies = apiTemplate.findResources('AWS::IAM::Policy');
  const statementsOf = (name: FunctionName): Json[] =>
    Object.values(policies)
      .filter((p: Json) => p.Properties.Roles.some((r: Json) => r.Ref === roleLogicalId(name)))
      .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);

  const paymentFunctions: FunctionName[] = [
    'orders',
    'callbacks',
    'board',
    'seasons',
    'office',
    ...Object.values(JOB_FUNCTIONS),
  ];

  it('lets only the orders, callbacks, board, seasons and office functions and the job workers read the payment secrets, under their SSM path only', () => {
    for (const name of functionNames) {
      // The sellers' SInvoice accounts have grants of their own (tests/infra/einvoices.test.ts).
      const ssm = statementsOf(name).filter(
        (s) =>
          JSON.stringify(s.Action).includes('ssm:') &&
          !JSON.stringify(s.Resource).includes(':parameter/tn-exchange/prod/einvoice/*'),
      );
      if (paymentFunctions.includes(name)) {
        expect(ssm, name).toHaveLength(1);
        expect(ssm[0].Action).toBe('ssm:GetParametersByPath');
        const resource = JSON.stringify(ssm[0].Resource);
        expect(resource).toContain(':parameter/tn-exchange/prod/payments');
        expect(resource).not.toContain('*');
      } else {
        expect(ssm, name).toEqual([]);
      }
    }
  });

  it('tells each of them where the secrets are', () => {
    const lambdas = apiTemplate.findResources('AWS::Lambda::Function');
    for (const name of paymentFunctions) {
      expect(lambdas[fnLogicalId(name)]?.Properties.Environment.Variables.PAYMENTS_SSM_PATH).toBe(
        '/tn-exchange/prod/payments',
      );
    }
  });

  it('seals paging cursors with a generated secret, passed by reference to the functions that page', () => {
    const secrets = apiTemplate.findResources('AWS::SecretsManager::Secret');
    const [secretId, secret] = Object.entries(secrets).find(([id]) => id.startsWith('CursorSecret'))!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    const lambdas = apiTemplate.findResources('AWS::Lambda::Function');
    for (const name of ['catalog', 'producers', 'board', 'office'] as const) {
      const value = JSON.stringify(
        lambdas[fnLogicalId(name)]?.Properties.Environment.Variables.CURSOR_SECRET,
      );
      expect(value, name).toContain('{{resolve:secretsmanager:');
      expect(value, name).toContain(secretId);
    }
  });

  const queues = apiTemplate.findResources('AWS::SQS::Queue');
  const queueId = (ref: Json) => (ref['Fn::GetAtt'] ?? [ref.Ref])[0] as string;

  it('gives each background lane its own queue, dead-letter queue, worker and schedule', () => {
    const mappings = Object.values(apiTemplate.findResources('AWS::Lambda::EventSourceMapping')) as Json[];
    const rules = Object.values(apiTemplate.findResources('AWS::Events::Rule')) as Json[];
    const laneQueues = new Set<string>();
    for (const kind of JOB_KINDS) {
      const fnId = fnLogicalId(JOB_FUNCTIONS[kind]);
      // The worker reads its own queue, one message at a time, reporting failed messages only.
      const mapping = mappings.find((m) => m.Properties.FunctionName.Ref === fnId);
      expect(mapping, kind).toBeDefined();
      expect(mapping.Properties).toMatchObject({
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: SHARD_GROUPS.length },
      });
      const qId = queueId(mapping.Properties.EventSourceArn);
      laneQueues.add(qId);
      const queue = queues[qId]!.Properties;
      // Encrypted, redriven to a dead-letter queue after three receives, visible again only after
      // six times the worker's timeout.
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.RedrivePolicy.maxReceiveCount).toBe(3);
      const lambda = apiTemplate.findResources('AWS::Lambda::Function')[fnId]!.Properties;
      expect(queue.VisibilityTimeout).toBe(6 * lambda.Timeout);
      const dlq = queues[queueId(queue.RedrivePolicy.deadLetterTargetArn)]!.Properties;
      expect(dlq.MessageRetentionPeriod).toBe(14 * 86_400);
      expect(dlq.SqsManagedSseEnabled).toBe(true);
      expect(dlq.RedrivePolicy).toBeUndefined();

      // Every minute, one message per shard group: together they name every shard once.
      const rule = rules.find((r) => (r.Properties.Targets ?? []).some((t: Json) => queueId(t.Arn) === qId));
      expect(rule.Properties.ScheduleExpression).toBe('rate(1 minute)');
      const messages = rule.Properties.Targets.map((t: Json) => JSON.parse(t.Input));
      expect(messages.map((m: Json) => m.kind)).toEqual(SHARD_GROUPS.map(() => kind));
      expect(messages.flatMap((m: Json) => m.shards).sort()).toEqual([...SHARDS]);
    }
    // Three lanes, three queues: none shares a queue, so none waits behind another.
    expect(laneQueues.size).toBe(JOB_KINDS.length);
    // No lane is invoked straight from a schedule any more. The one Lambda a schedule invokes is
    // the catalog snapshot job: a failed run needs no retry, the next one replaces every snapshot
    // ten minutes later (its failures alarm as lambda-errors-catalogSnapshot).
    const snapshotJob = api.getLogicalId(api.functions.catalogSnapshot.function.node.defaultChild as never);
    for (const rule of rules.filter((r) => r.Properties.ScheduleExpression)) {
      for (const target of rule.Properties.Targets ?? []) {
        if (JSON.stringify(target.Arn).includes(snapshotJob)) continue;
        expect(JSON.stringify(target.Arn)).not.toContain('Function');
      }
    }
  });

  it('gives the workers time for their work, and the reconciliation the most (VNPay timeouts)', () => {
    const lambdas = apiTemplate.findResources('AWS::Lambda::Function');
    const timeout = (name: FunctionName) => lambdas[fnLogicalId(name)]!.Properties.Timeout as number;
    expect(timeout('expiryJobs')).toBeGreaterThanOrEqual(60);
    expect(timeout('deliveryJobs')).toBeGreaterThanOrEqual(60);
    expect(timeout('reconcileJobs')).toBeGreaterThan(timeout('expiryJobs'));
  });
});
