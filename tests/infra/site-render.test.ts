/**
 * Pages rendered on request in the synthesized site stack: the renderer Lambda behind CloudFront
 * (function URL with origin access control), the page and catalog-API cache policies, and the
 * invalidation function on the table's stream with its permissions.
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { catalogChanges } from '../../functions/site-rebuild/decide.ts';
import { INVALIDATION_STREAM_FILTERS, RENDERED_PATHS } from '../../infra/constructs/site-render.ts';
import { appUnderTest } from './app-under-test.ts';

/** What Active tracing lets every function do (X-Ray has no resource-level permissions for it). */
const X_RAY_WRITES = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { data, api, site } = appUnderTest();
const template = Template.fromStack(site);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  site.getLogicalId(construct.node.defaultChild as never);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const statementsOfRole = (roleId: string): Json[] =>
  Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

const renderer = site.renderer;
const renderId = site.getLogicalId(renderer.function.function.node.defaultChild as CfnFunction);
const renderFn = template.findResources('AWS::Lambda::Function')[renderId]!;
const distribution: Json = Object.values<Json>(template.findResources('AWS::CloudFront::Distribution'))[0];
const config = distribution.Properties.DistributionConfig;
const behaviors: Json[] = config.CacheBehaviors;
const behaviorOf = (pattern: string) => behaviors.find((b) => b.PathPattern === pattern);
const originOf = (behavior: Json) => config.Origins.find((o: Json) => o.Id === behavior.TargetOriginId);
const policies = template.findResources('AWS::CloudFront::CachePolicy');
const policyOf = (behavior: Json) => policies[behavior.CachePolicyId.Ref]!.Properties.CachePolicyConfig;

describe('the renderer', () => {
  it('is a Node.js 22 function on arm64 that reads the API directly, with sharp for the OG cards', () => {
    expect(renderFn.Properties.Runtime).toBe('nodejs22.x');
    expect(renderFn.Properties.Architectures).toEqual(['arm64']);
    expect(renderFn.Properties.MemorySize).toBe(1024);
    expect(renderFn.Properties.Environment.Variables.EXCHANGE_API_URL).toBe(`https://${api.apiDomainName}`);
  });

  it('is reached through a function URL that only CloudFront may call (IAM auth, origin access control)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [renderId, 'Arn'] },
    });
    const urlId = site.getLogicalId(renderer.url.node.defaultChild as never);
    const permissions = Object.values<Json>(template.findResources('AWS::Lambda::Permission')).filter((p) =>
      [renderId, urlId].some((id) => JSON.stringify(p.Properties.FunctionName).includes(id)),
    );
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('cloudfront.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(logicalId(site.distribution));
    }
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always' },
    });
  });

  it('may do nothing but write its logs and traces: no table, bucket or other grant', () => {
    const roleId = logicalId(renderer.function.role);
    const actions = statementsOfRole(roleId).flatMap((s) => asArray<string>(s.Action));
    expect(actions.every((a) => a.startsWith('logs:') || X_RAY_WRITES.includes(a))).toBe(true);
  });
});

describe('CloudFront: rendered paths and cache policies', () => {
  it('sends the pages that grow with the catalog to the renderer, in both languages', () => {
    for (const pattern of RENDERED_PATHS) {
      const behavior = behaviorOf(pattern);
      expect(behavior, pattern).toBeDefined();
      expect(JSON.stringify(originOf(behavior).DomainName)).toContain(
        site.getLogicalId(renderer.url.node.defaultChild as never),
      );
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behavior.Compress).toBe(true);
      expect(behavior.FunctionAssociations).toBeUndefined();
    }
    for (const pattern of ['/san-pham/*', '/en/truy-xuat/?*', '/og/*', '/sitemap.xml', '/sitemap-*.xml']) {
      expect(RENDERED_PATHS).toContain(pattern);
    }
    // The prebuilt producers index stays on S3: `?*` needs at least one more character.
    expect(RENDERED_PATHS).not.toContain('/nha-san-xuat/*');
  });

  it('caches pages on the path alone, for as long as the page says (s-maxage), at most a day', () => {
    const policy = policyOf(behaviorOf('/san-pham/*'));
    const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
    expect(key.QueryStringsConfig.QueryStringBehavior).toBe('none');
    expect(key.HeadersConfig.HeaderBehavior).toBe('none');
    expect(key.CookiesConfig.CookieBehavior).toBe('none');
    expect(key.EnableAcceptEncodingGzip).toBe(true);
    expect(policy.MinTTL).toBe(0);
    expect(policy.DefaultTTL).toBeLessThanOrEqual(60);
    expect(policy.MaxTTL).toBe(86_400);
  });

  it('caches GET /api/catalog/* keyed on the query string, at most a minute, before the uncached /api/*', () => {
    const catalog = behaviorOf('/api/catalog/*');
    const policy = policyOf(catalog);
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior).toBe(
      'all',
    );
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.HeaderBehavior).toBe('none');
    expect(policy.MaxTTL).toBe(60);
    expect(catalog.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(originOf(catalog).Id).toBe(originOf(behaviorOf('/api/*')).Id);
    const order = behaviors.map((b) => b.PathPattern);
    expect(order.indexOf('/api/catalog/*')).toBeLessThan(order.indexOf('/api/*'));
    // The rest of the API is still never cached.
    expect(behaviorOf('/api/*').CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
  });
});

describe('invalidation on catalog changes', () => {
  const invalidation = site.invalidation!;
  const fnId = site.getLogicalId(invalidation.function.function.node.defaultChild as CfnFunction);
  const [mapping] = Object.values<Json>(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
    (m) => m.Properties.FunctionName.Ref === fnId,
  );

  it("reads the table's stream within seconds, with the catalog filter plus lots, and a dead-letter queue", () => {
    expect(mapping.Properties.EventSourceArn).toEqual(site.resolve(data.table.tableStreamArn));
    expect(mapping.Properties.StartingPosition).toBe('LATEST');
    expect(mapping.Properties.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(10);
    expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toEqual({
      'Fn::GetAtt': [logicalId(invalidation.deadLetters), 'Arn'],
    });
    const patterns = mapping.Properties.FilterCriteria.Filters.map((f: Json) => JSON.parse(f.Pattern));
    expect(patterns).toEqual(INVALIDATION_STREAM_FILTERS);
    expect(patterns.length).toBeLessThanOrEqual(5); // Lambda's default quota of filters per mapping
  });

  it('lets through what changes a page (products, packs, certificates, producers, lots), not orders', () => {
    const patterns: Json[] = mapping.Properties.FilterCriteria.Filters.map((f: Json) =>
      JSON.parse(f.Pattern),
    );
    const rec = (pk: string, sk: string, status?: string): Json => ({
      dynamodb: {
        Keys: { pk: { S: pk }, sk: { S: sk } },
        ...(status ? { NewImage: { status: { S: status } } } : {}),
      },
    });
    const passes = (record: Json) => patterns.some((pattern) => matches(pattern, record));
    expect(passes(rec('PRODUCT#p1', 'PRODUCT', 'published'))).toBe(true);
    expect(passes(rec('PRODUCT#p1', 'VARIANT#v1'))).toBe(true);
    expect(passes(rec('PRODUCT#p1', 'LOT#l1'))).toBe(true);
    expect(passes(rec('PRODUCT#p1', 'STATS'))).toBe(true);
    expect(passes(rec('PRODUCER#h1', 'PRODUCER'))).toBe(true);
    expect(passes(rec('REVIEW#r1', 'REVIEW'))).toBe(false);
    expect(passes(rec('PRODUCT#p1', 'PRODUCT', 'draft'))).toBe(false);
    expect(passes(rec('ORDER#o1', 'ORDER'))).toBe(false);
    // Every record the function acts on passes the filter.
    const published: Json = {
      eventName: 'MODIFY',
      dynamodb: {
        Keys: { pk: { S: 'PRODUCT#p1' }, sk: { S: 'PRODUCT' } },
        OldImage: { pk: { S: 'PRODUCT#p1' }, sk: { S: 'PRODUCT' }, status: { S: 'in_review' } },
        NewImage: { pk: { S: 'PRODUCT#p1' }, sk: { S: 'PRODUCT' }, status: { S: 'published' } },
      },
    };
    expect(catalogChanges([published])).toHaveLength(1);
    expect(passes(published)).toBe(true);
  });

  it('may invalidate this distribution and read single items of the table, nothing else', () => {
    const statements = statementsOfRole(logicalId(invalidation.function.role));
    const cloudfront = statements.filter((s) => JSON.stringify(s.Action).includes('cloudfront:'));
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0].Action).toBe('cloudfront:CreateInvalidation');
    expect(JSON.stringify(cloudfront[0].Resource)).toContain(`{"Ref":"${logicalId(site.distribution)}"}`);
    // Of the table itself only GetItem (the stream is read by the event source, on the stream ARN).
    const onTable = statements.filter(
      (s) => JSON.stringify(s.Resource) === JSON.stringify(site.resolve(data.table.tableArn)),
    );
    expect(onTable.flatMap((s) => asArray<string>(s.Action))).toEqual(['dynamodb:GetItem']);
    const streamReads = statements.filter((s) => asArray<string>(s.Action).includes('dynamodb:GetRecords'));
    expect(streamReads.map((s) => s.Resource)).toEqual([site.resolve(data.table.tableStreamArn)]);
    const anywhere = statements.filter((s) => asArray(s.Resource).includes('*'));
    // Besides the stream listing, only trace segments (tracing Active) take no narrower resource.
    expect(anywhere.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual(
      ['dynamodb:ListStreams', ...X_RAY_WRITES].sort(),
    );
    const fn = template.findResources('AWS::Lambda::Function')[fnId]!;
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Environment.Variables.DISTRIBUTION_ID).toEqual({
      Ref: logicalId(site.distribution),
    });
  });
});

/** Lambda's event filter syntax, as far as the stream filters use it (values and prefixes). */
function matches(pattern: Json, event: Json): boolean {
  return Object.entries<Json>(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (Array.isArray(rule)) {
      return rule.some((r) =>
        typeof r === 'object' ? typeof value === 'string' && value.startsWith(r.prefix) : value === r,
      );
    }
    return value !== undefined && matches(rule, value);
  });
}
