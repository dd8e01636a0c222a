/**
 * Edge protection of the synthesized prod app (infra/env/prod.json): the WAF web ACL in
 * us-east-1 and its association with the distribution, its rules, the API reachable only through
 * CloudFront (default execute-api endpoint disabled behind the API's own host), the 404 page on
 * the site behaviour only, the versioned site bucket, and what a deploy invalidates.
 */
import { runInNewContext } from 'node:vm';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  COMMON_RULE_SET_COUNT_ONLY,
  EDGE_RATE_LIMITS,
  EDGE_RATE_WINDOW_SECONDS,
  MANAGED_RULE_GROUPS,
} from '../../infra/constructs/web-acl.ts';
import { NOT_FOUND_PAGE_CODE } from '../../infra/constructs/not-found-page.ts';
import { SITE_NONCURRENT_VERSION_DAYS } from '../../infra/stacks/site-stack.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, edge, site } = appUnderTest();
const edgeTemplate = Template.fromStack(edge);
const siteTemplate = Template.fromStack(site);
const apiTemplate = Template.fromStack(api);

function only<T>(resources: Record<string, T>): [string, T] {
  const entries = Object.entries(resources);
  if (entries.length !== 1) throw new Error(`expected exactly one resource, got ${entries.length}`);
  return entries[0]!;
}

const [webAclId, webAcl] = only<Json>(edgeTemplate.findResources('AWS::WAFv2::WebACL'));
const rules: Json[] = webAcl.Properties.Rules;
const rule = (name: string) => rules.find((r) => r.Name === name);
const [, distribution] = only<Json>(siteTemplate.findResources('AWS::CloudFront::Distribution'));
const config = distribution.Properties.DistributionConfig;
/** A cross-region read of one of the edge stack's outputs (CDK's weak reference). */
const edgeOutput = (value: Json) => {
  expect(value['Fn::GetStackOutput']).toMatchObject({ StackName: edge.stackName, Region: 'us-east-1' });
  return edgeTemplate.toJSON().Outputs[value['Fn::GetStackOutput'].OutputName].Value;
};

describe('WAF web ACL', () => {
  it('lives in us-east-1 with scope CLOUDFRONT and is the distribution’s web ACL', () => {
    expect(edge.region).toBe('us-east-1');
    expect(webAcl.Properties.Scope).toBe('CLOUDFRONT');
    expect(webAcl.Properties.DefaultAction).toEqual({ Allow: {} });
    expect(edgeOutput(config.WebACLId)).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
  });

  it('runs the IP reputation list, the common rule set and known bad inputs', () => {
    for (const name of MANAGED_RULE_GROUPS) {
      const group = rule(name);
      expect(group.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: name });
      expect(group.OverrideAction).toEqual({ None: {} });
    }
    expect(MANAGED_RULE_GROUPS).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    // Only the two justified exclusions, and only counted (still logged), never off.
    const overrides = rule('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement
      .RuleActionOverrides;
    expect(overrides).toEqual(
      COMMON_RULE_SET_COUNT_ONLY.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
    );
    expect(
      rule('AWSManagedRulesKnownBadInputsRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides,
    ).toBeUndefined();
  });

  it('limits each IP on sign-in, checkout and the whole API, answering JSON 429 in Vietnamese', () => {
    const rate = (name: string) => rule(name).Statement.RateBasedStatement;
    expect(rate('RateLimitSignIn')).toMatchObject({
      AggregateKeyType: 'IP',
      Limit: EDGE_RATE_LIMITS.signIn.limit,
      EvaluationWindowSec: EDGE_RATE_WINDOW_SECONDS,
    });
    expect(rate('RateLimitSignIn').ScopeDownStatement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/api/auth/',
    });
    const checkout = rate('RateLimitCheckout');
    expect(checkout.Limit).toBe(EDGE_RATE_LIMITS.checkout.limit);
    const [method, path] = checkout.ScopeDownStatement.AndStatement.Statements.map(
      (s: Json) => s.ByteMatchStatement,
    );
    expect(method).toMatchObject({
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'POST',
    });
    expect(path).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: '/api/orders',
    });
    expect(rate('RateLimitApi')).toMatchObject({ Limit: EDGE_RATE_LIMITS.api.limit, AggregateKeyType: 'IP' });
    expect(rate('RateLimitApi').ScopeDownStatement.ByteMatchStatement.SearchString).toBe('/api/');
    // Checkout and sign-in are stricter than the API as a whole.
    expect(EDGE_RATE_LIMITS.checkout.limit).toBeLessThan(EDGE_RATE_LIMITS.api.limit);
    expect(EDGE_RATE_LIMITS.signIn.limit).toBeLessThan(EDGE_RATE_LIMITS.api.limit);

    for (const name of ['RateLimitSignIn', 'RateLimitCheckout', 'RateLimitApi']) {
      expect(rule(name).Action.Block.CustomResponse).toMatchObject({
        ResponseCode: 429,
        CustomResponseBodyKey: 'rateLimited',
      });
    }
    const body = webAcl.Properties.CustomResponseBodies.rateLimited;
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content).error.message).toMatch(/Quá nhiều yêu cầu/);
  });

  it('publishes metrics for every rule and logs with tokens and cookies redacted', () => {
    expect(webAcl.Properties.VisibilityConfig.CloudWatchMetricsEnabled).toBe(true);
    for (const r of rules) {
      expect(r.VisibilityConfig).toMatchObject({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
      });
      expect(r.VisibilityConfig.MetricName).toMatch(/^tn-exchange-prod-/);
    }
    const [, logging] = only<Json>(edgeTemplate.findResources('AWS::WAFv2::LoggingConfiguration'));
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(
      'log-group:aws-waf-logs-tn-exchange-prod',
    );
    expect(logging.Properties.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
    ]);
    edgeTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-tn-exchange-prod',
    });
  });
});

describe('the API only through CloudFront', () => {
  it('disables the default execute-api endpoint behind the API’s own host', () => {
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.chothainguyen.vn',
    });
    apiTemplate.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    apiTemplate.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.chothainguyen.vn.',
      Type: 'A',
      HostedZoneId: 'Z0PLACEHOLDERPROD',
    });
    apiTemplate.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.chothainguyen.vn',
      ValidationMethod: 'DNS',
    });
  });

  it('sends /api/* to that host with the origin-verify secret', () => {
    const behavior = config.CacheBehaviors.find((b: Json) => b.PathPattern === '/api/*');
    const origin = config.Origins.find((o: Json) => o.Id === behavior.TargetOriginId);
    expect(origin.DomainName).toBe('api.chothainguyen.vn');
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(origin.OriginCustomHeaders.map((h: Json) => h.HeaderName)).toEqual(['x-origin-verify']);
  });

  it('gives the renderer the secret for its catalog reads', () => {
    const renderer = site.getLogicalId(site.renderer.function.function.node.defaultChild as never);
    const fn = siteTemplate.toJSON().Resources[renderer];
    expect(JSON.stringify(fn.Properties.Environment.Variables.ORIGIN_VERIFY_SECRET)).toContain(
      'resolve:secretsmanager',
    );
    expect(fn.Properties.Environment.Variables.EXCHANGE_API_URL).toBe('https://api.chothainguyen.vn');
  });
});

describe('custom domain', () => {
  it('serves the storefront on its domain with an ACM certificate from us-east-1', () => {
    expect(config.Aliases).toEqual(['chothainguyen.vn']);
    expect(config.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    const [certificateId] = only<Json>(edgeTemplate.findResources('AWS::CertificateManager::Certificate'));
    expect(edgeOutput(config.ViewerCertificate.AcmCertificateArn)).toEqual({ Ref: certificateId });
    for (const type of ['A', 'AAAA']) {
      siteTemplate.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'chothainguyen.vn.',
        Type: type,
        HostedZoneId: 'Z0PLACEHOLDERPROD',
      });
    }
  });
});

describe('404 page on the site behaviour only', () => {
  it('runs the Lambda@Edge function on the site bucket’s origin responses, nowhere else', () => {
    const associations = config.DefaultCacheBehavior.LambdaFunctionAssociations;
    expect(associations).toHaveLength(1);
    expect(associations[0].EventType).toBe('origin-response');
    const [functionId] = only<Json>(edgeTemplate.findResources('AWS::Lambda::Function'));
    const version = edgeOutput(associations[0].LambdaFunctionARN);
    const versions = edgeTemplate.findResources('AWS::Lambda::Version');
    expect(Object.keys(versions)).toContain(version.Ref);
    expect(versions[version.Ref]!.Properties.FunctionName).toEqual({ Ref: functionId });
    for (const behavior of config.CacheBehaviors) {
      expect(behavior.LambdaFunctionAssociations, behavior.PathPattern).toBeUndefined();
    }
    // No distribution-wide error pages: they would replace the API's JSON errors too.
    expect(config.CustomErrorResponses).toBeUndefined();
    const defaultOrigin = config.Origins.find(
      (o: Json) => o.Id === config.DefaultCacheBehavior.TargetOriginId,
    );
    expect(defaultOrigin.S3OriginConfig).toBeDefined();
  });

  it('is a Lambda@Edge function: us-east-1, no environment, assumable by edgelambda', () => {
    const [, fn] = only<Json>(edgeTemplate.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Environment).toBeUndefined();
    const roles = Object.values<Json>(edgeTemplate.findResources('AWS::IAM::Role'));
    const principals = JSON.stringify(roles.map((r) => r.Properties.AssumeRolePolicyDocument));
    expect(principals).toContain('edgelambda.amazonaws.com');
  });

  type Reply = { status: string; body?: string; headers?: Record<string, { value: string }[]> };
  async function run(uri: string, status: string, page: { ok: boolean; text?: string } | 'fails') {
    const fetched: string[] = [];
    const module = { exports: {} as { handler: (event: unknown) => Promise<Reply> } };
    runInNewContext(NOT_FOUND_PAGE_CODE, {
      module,
      exports: module.exports,
      console,
      AbortSignal,
      fetch: async (url: string) => {
        fetched.push(url);
        if (page === 'fails') throw new Error('unreachable');
        return { ok: page.ok, text: async () => page.text ?? '' };
      },
    });
    const event = {
      Records: [
        {
          cf: {
            config: { distributionDomainName: 'd111.cloudfront.net' },
            request: { uri },
            response: { status, headers: {} },
          },
        },
      ],
    };
    return { reply: await module.exports.handler(event), fetched };
  }

  it('answers a missing key (S3 403/404) with the storefront’s 404 page and status 404', async () => {
    const { reply, fetched } = await run('/khong-co/index.html', '403', {
      ok: true,
      text: '<h1>Không tìm thấy</h1>',
    });
    expect(reply.status).toBe('404');
    expect(reply.body).toBe('<h1>Không tìm thấy</h1>');
    expect(reply.headers?.['content-type']?.[0]?.value).toMatch(/text\/html/);
    expect(fetched).toEqual(['https://d111.cloudfront.net/404.html']);
    const english = await run('/en/missing/index.html', '404', { ok: true, text: 'Not found' });
    expect(english.fetched).toEqual(['https://d111.cloudfront.net/en/404.html']);
  });

  it('leaves found pages alone and never loops on the 404 page itself', async () => {
    const found = await run('/index.html', '200', { ok: true });
    expect(found.reply.status).toBe('200');
    expect(found.fetched).toEqual([]);
    const self = await run('/404.html', '403', { ok: true });
    expect(self.reply.status).toBe('404');
    expect(self.fetched).toEqual([]);
    expect(self.reply.body).toMatch(/Không tìm thấy trang/);
    const down = await run('/x/index.html', '403', 'fails');
    expect(down.reply.status).toBe('404');
    expect(down.reply.body).toMatch(/Không tìm thấy trang/);
  });
});

describe('site bucket and deploy-time invalidation', () => {
  const siteBucketId = site.getLogicalId(site.siteBucket.node.defaultChild as never);
  const bucket = siteTemplate.toJSON().Resources[siteBucketId];

  it('is versioned, old versions expiring, so a bad sync can be rolled back', () => {
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: SITE_NONCURRENT_VERSION_DAYS },
      }),
    );
  });

  it('invalidates the uploaded pages and the rendered ones, never /* or /media/*', () => {
    const deployments = Object.values<Json>(siteTemplate.findResources('Custom::CDKBucketDeployment'));
    const withInvalidation = deployments.filter((d) => d.Properties.DistributionPaths);
    expect(withInvalidation).toHaveLength(1);
    const paths: string[] = withInvalidation[0].Properties.DistributionPaths;
    // The fake site of app-under-test.ts: index.html and _astro/app.3f2a1c.js.
    expect(paths).toEqual(
      expect.arrayContaining(['/', '/index.html', '/san-pham/*', '/en/san-pham/*', '/og/*']),
    );
    expect(paths).not.toContain('/*');
    expect(
      paths.filter((p) => p.startsWith('/media') || p.startsWith('/api') || p.startsWith('/_astro')),
    ).toEqual([]);
  });
});
