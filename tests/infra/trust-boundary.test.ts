/**
 * The API's trust boundary in the templates: only requests through CloudFront reach the API's
 * logic (an origin-verify secret CloudFront adds and the functions check), the viewer address
 * arrives in a header CloudFront's own function sets, and the app refuses to synthesize with the
 * rate limits turned off.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http.ts';
import { ROUTES } from '../../functions/routes.ts';
import { buildApp } from '../../infra/app.ts';
import { VIEWER_ADDRESS_CODE } from '../../infra/stacks/site-stack.ts';
import { appUnderTest, fakeSiteDir } from './app-under-test.ts';

/** Every function some route reaches. */
const HTTP_FUNCTIONS = [...new Set(ROUTES.map((r) => r.function))];

// Loosely typed CloudFormation JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api, site } = appUnderTest();
const apiTemplate = Template.fromStack(api);
const siteTemplate = Template.fromStack(site);
const distribution = (): Json =>
  Object.values(siteTemplate.findResources('AWS::CloudFront::Distribution'))[0]!;
const secretRef = (value: unknown) => JSON.stringify(value);

describe('origin verification', () => {
  const secretId = api.getLogicalId(api.originVerifySecret.node.defaultChild as never);

  it('generates the secret in Secrets Manager', () => {
    apiTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
    expect(apiTemplate.toJSON().Resources[secretId].Type).toBe('AWS::SecretsManager::Secret');
  });

  it('has CloudFront send it to the API origin (both /api/* behaviours use that origin)', () => {
    const config = distribution().Properties.DistributionConfig;
    const behaviour = (path: string) => config.CacheBehaviors.find((b: Json) => b.PathPattern === path);
    const apiOrigin = config.Origins.find((o: Json) => o.Id === behaviour('/api/*').TargetOriginId);
    expect(apiOrigin.DomainName).toEqual(site.resolve(api.apiDomainName));
    const headers = apiOrigin.OriginCustomHeaders as { HeaderName: string; HeaderValue: Json }[];
    const verify = headers.find((h) => h.HeaderName === ORIGIN_VERIFY_HEADER);
    expect(verify).toBeDefined();
    // A dynamic reference resolved at deploy time, not a value in the template.
    expect(secretRef(verify!.HeaderValue)).toMatch(/resolve:secretsmanager:/);
    expect(behaviour('/api/catalog/*').TargetOriginId).toBe(apiOrigin.Id);
  });

  it('gives every HTTP function the same secret to check, and no job worker', () => {
    const functions = apiTemplate.findResources('AWS::Lambda::Function');
    const byName = (name: string) =>
      Object.values(functions).find((f: Json) => f.Properties.Description?.startsWith(`${name} (`)) as Json;
    for (const name of HTTP_FUNCTIONS) {
      const value = byName(name).Properties.Environment.Variables.ORIGIN_VERIFY_SECRET;
      expect(secretRef(value), name).toMatch(/resolve:secretsmanager:/);
      expect(secretRef(value), name).toContain(secretId);
    }
    expect(byName('expiryJobs').Properties.Environment.Variables.ORIGIN_VERIFY_SECRET).toBeUndefined();
  });
});

describe('viewer address', () => {
  it('is set on /api/* by a viewer-request function that overwrites what the client sent', () => {
    const config = distribution().Properties.DistributionConfig;
    const behaviour = config.CacheBehaviors.find((b: Json) => b.PathPattern === '/api/*');
    const [fn] = Object.entries(
      siteTemplate.findResources('AWS::CloudFront::Function', {
        Properties: { FunctionCode: VIEWER_ADDRESS_CODE },
      }),
    );
    expect(fn).toBeDefined();
    expect(behaviour.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn![0], 'FunctionARN'] } },
    ]);
    const handler = new Function(`${VIEWER_ADDRESS_CODE}; return handler;`)() as (e: Json) => Json;
    const forged = handler({
      viewer: { ip: '203.0.113.7' },
      request: { headers: { [VIEWER_ADDRESS_HEADER]: { value: '1.2.3.4' } } },
    });
    expect(forged.headers[VIEWER_ADDRESS_HEADER]).toEqual({ value: '203.0.113.7' });
  });
});

describe('RATE_LIMITS=off', () => {
  const before = process.env.RATE_LIMITS;
  afterEach(() => {
    if (before === undefined) delete process.env.RATE_LIMITS;
    else process.env.RATE_LIMITS = before;
  });

  it('is refused by the CDK app: a deployment always has the limits', () => {
    process.env.RATE_LIMITS = 'off';
    expect(() => buildApp({ environment: 'prod', siteDir: fakeSiteDir(), nag: false })).toThrow(
      /RATE_LIMITS=off/,
    );
  });
});
