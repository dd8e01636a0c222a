/**
 * Environments (infra/env/<env>.json, `-c env=staging|prod`): every setting a deploy needs comes
 * from the committed file, validated; synth refuses a missing environment, a missing or invalid
 * setting and the old per-command context keys; staging and prod carry their names so both fit
 * in one account; the custom domain is optional.
 */
import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp, RETIRED_CONTEXT_KEYS, stackNames } from '../../infra/app.ts';
import {
  ENVIRONMENTS,
  environmentFile,
  loadEnvironment,
  parseEnvironment,
  type EnvironmentConfig,
} from '../../infra/env/config.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** No function is bundled (the templates are what these tests read; the CLI's --exclusively does the same). */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

const fileOf = (name: string): Json => JSON.parse(readFileSync(environmentFile(name), 'utf8'));
const withoutDomain = (): EnvironmentConfig => {
  const { customDomain: _domain, ...rest } = fileOf('staging');
  return { ...rest, siteUrl: 'https://staging.example.vn' } as EnvironmentConfig;
};

describe('environment files', () => {
  it.each(ENVIRONMENTS)('%s.json is complete and valid', (name) => {
    const { config } = loadEnvironment(name);
    expect(config.siteUrl).toMatch(/^https:\/\//);
    expect(config.alarmEmail).toMatch(/@/);
    expect(config.payments.ssmPath).toBe(`/tn-exchange/${name}/payments`);
    expect(config.sms.monthlySpendLimitUsd).toBeGreaterThan(0);
  });

  it('keeps staging on the VNPay sandbox and prod on VNPay', () => {
    expect(loadEnvironment('staging').config.payments.vnpayHost).toBe('https://sandbox.vnpayment.vn');
    expect(loadEnvironment('prod').config.payments.vnpayHost).toBe('https://pay.vnpay.vn');
  });

  it('refuses a missing environment, naming the flag', () => {
    expect(() => loadEnvironment(undefined)).toThrow(/-c env=staging\|prod/);
    expect(() => loadEnvironment('dev')).toThrow(/Unknown environment "dev"/);
  });

  it.each(['siteUrl', 'alarmEmail', 'region', 'payments', 'sms', 'siteRebuildHours'])(
    'refuses a file without %s, naming it',
    (setting) => {
      const raw = fileOf('prod');
      delete raw[setting];
      expect(() => parseEnvironment('prod', raw)).toThrow(new RegExp(`- ${setting}: missing \\(required\\)`));
    },
  );

  it('names nested settings and wrong values, and rejects unknown ones', () => {
    const raw = fileOf('prod');
    delete raw.payments.vnpayTmnCode;
    raw.payments.vnpayHost = 'http://pay.vnpay.vn';
    raw.alarmEmail = 'not-an-address';
    raw.siteUrll = 'https://typo.example.vn';
    let message = '';
    try {
      parseEnvironment('prod', raw);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('infra/env/prod.json');
    expect(message).toContain('payments.vnpayTmnCode: missing (required)');
    expect(message).toMatch(/payments\.vnpayHost: must be an https:\/\/ URL/);
    expect(message).toMatch(/alarmEmail: must be an e-mail address/);
    expect(message).toMatch(/siteUrll/);
  });

  it('requires siteUrl to be the custom domain, and the domains to be in the hosted zone', () => {
    const raw = fileOf('prod');
    raw.siteUrl = 'https://other.example.vn';
    expect(() => parseEnvironment('prod', raw)).toThrow(/siteUrl must be https:\/\/chothainguyen\.vn/);
    const zone = fileOf('prod');
    zone.customDomain.hostedZoneName = 'example.vn';
    expect(() => parseEnvironment('prod', zone)).toThrow(/not in the hosted zone example\.vn/);
  });
});

describe('synth', () => {
  it('refuses to build without an environment', () => {
    expect(() => buildApp({ nag: false, siteDir: null })).toThrow(
      /No environment given: run cdk with -c env=/,
    );
  });

  it.each(RETIRED_CONTEXT_KEYS)(
    'refuses the retired context key -c %s (settings live in the file)',
    (key) => {
      expect(() =>
        buildApp({ environment: 'prod', nag: false, siteDir: null, appProps: { context: { [key]: 'x' } } }),
      ).toThrow(new RegExp(`-c ${key} is no longer read: set it in infra/env/<env>.json`));
    },
  );

  it('takes the environment from context env, as `cdk synth -c env=staging` does', () => {
    const { app, environment, api } = buildApp({
      nag: false,
      siteDir: null,
      appProps: { context: { env: 'staging', ...NO_BUNDLING } },
    });
    expect(environment.name).toBe('staging');
    expect(api.stackName).toBe('TnExchange-staging-Api');
    // Fed to the other stacks through context (the alarm topic reads alarmEmail).
    expect(app.node.tryGetContext('alarmEmail')).toBe(loadEnvironment('staging').config.alarmEmail);
    expect(app.node.tryGetContext('smsMonthlySpendLimitUsd')).toBe(20);
  });
});

describe('staging and prod side by side', () => {
  // Staging without a custom domain (the shape an environment has before its domain exists).
  const staging = buildApp({
    environment: { name: 'staging', config: withoutDomain() },
    nag: false,
    siteDir: null,
    appProps: { context: NO_BUNDLING },
  });

  it('names every stack after the environment, in its region', () => {
    const stacks = staging.app.node.children.filter(Stack.isStack);
    expect(stacks.map((s) => s.stackName)).toEqual(Object.values(stackNames('staging')));
    expect(Object.values(stackNames('staging'))).toEqual([
      'TnExchange-staging-Data',
      'TnExchange-staging-Auth',
      'TnExchange-staging-Api',
      'TnExchange-staging-Edge',
      'TnExchange-staging-Site',
      'TnExchange-staging-Monitoring',
    ]);
    for (const stack of stacks) {
      expect(stack.region).toBe(stack === staging.edge ? 'us-east-1' : 'ap-southeast-1');
    }
    Template.fromStack(staging.data).hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([{ Key: 'environment', Value: 'staging' }]),
    });
    const names = new Set([...Object.values(stackNames('staging')), ...Object.values(stackNames('prod'))]);
    expect(names.size).toBe(12);
  });

  it('gives the functions the file’s settings, not the defaults', () => {
    const api = Template.fromStack(staging.api).toJSON();
    const orders = Object.values<Json>(api.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.VNPAY_TMN_CODE,
    );
    const env = orders.Properties.Environment.Variables;
    expect(env.PAYMENTS_SSM_PATH).toBe('/tn-exchange/staging/payments');
    expect(env.VNPAY_HOST).toBe('https://sandbox.vnpayment.vn');
    expect(env.SITE_URL).toBe('https://staging.example.vn');
  });

  it('without a custom domain: no certificate or records, the API on execute-api (still secret-guarded)', () => {
    const api = Template.fromStack(staging.api);
    api.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    const [httpApi] = Object.values<Json>(api.findResources('AWS::ApiGatewayV2::Api'));
    expect(httpApi.Properties.DisableExecuteApiEndpoint).toBeUndefined();
    Template.fromStack(staging.edge).resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const site = Template.fromStack(staging.site);
    site.resourceCountIs('AWS::Route53::RecordSet', 0);
    const [distribution] = Object.values<Json>(site.findResources('AWS::CloudFront::Distribution'));
    expect(distribution.Properties.DistributionConfig.Aliases).toBeUndefined();
    // The WAF is there all the same.
    expect(distribution.Properties.DistributionConfig.WebACLId['Fn::GetStackOutput'].StackName).toBe(
      'TnExchange-staging-Edge',
    );
  });
});
