/**
 * E-invoices in the prod template: the delivery lane's worker (where the invoice lane issues)
 * gets SInvoice's URL from the environment file and may only read the sellers' accounts; the
 * office function (which saves a seller's settings) may only write them; nobody else touches
 * them, and no statement grants SSM or Secrets Manager on a wildcard resource or action.
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { buildApp } from '../../infra/app.ts';
import { loadEnvironment } from '../../infra/env/config.ts';
import { VIETTEL_BASE_URL, VIETTEL_SANDBOX_URL } from '../../shared/invoices/viettel.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { api } = appUnderTest();
const template = Template.fromStack(api).toJSON() as Json;
const fnId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].function.node.defaultChild as CfnFunction);
const roleId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].role.node.defaultChild as CfnRole);
const envOf = (name: FunctionName): Record<string, unknown> =>
  template.Resources[fnId(name)].Properties.Environment?.Variables ?? {};
const statements = (name: FunctionName): Json[] =>
  Object.values<Json>(template.Resources)
    .filter(
      (r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId(name)),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
const actionsOf = (s: Json): string[] => [s.Action].flat();
const resourceText = (s: Json) => JSON.stringify(s.Resource);
const ACCOUNTS = ':parameter/tn-exchange/prod/einvoice/*';

describe('e-invoices in AWS', () => {
  it('gives the delivery lane SInvoice’s URL and the accounts’ path, the office the path only', () => {
    expect(envOf('deliveryJobs')).toMatchObject({
      EINVOICE_BASE_URL: VIETTEL_BASE_URL,
      EINVOICE_SSM_PATH: '/tn-exchange/prod/einvoice',
    });
    expect(envOf('office')).toMatchObject({ EINVOICE_SSM_PATH: '/tn-exchange/prod/einvoice' });
    expect(envOf('office').EINVOICE_BASE_URL).toBeUndefined();
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      if (name === 'office' || name === 'deliveryJobs') continue;
      expect(envOf(name).EINVOICE_SSM_PATH, name).toBeUndefined();
      expect(envOf(name).EINVOICE_BASE_URL, name).toBeUndefined();
    }
  });

  it('lets the lane only read and the office only write the sellers’ accounts, under the prefix', () => {
    const onAccounts = (name: FunctionName) =>
      statements(name).filter((s) => resourceText(s).includes(ACCOUNTS));
    expect(onAccounts('deliveryJobs').flatMap(actionsOf)).toEqual(['ssm:GetParameter']);
    expect(onAccounts('office').flatMap(actionsOf)).toEqual(['ssm:PutParameter']);
    for (const s of [...onAccounts('deliveryJobs'), ...onAccounts('office')]) {
      expect(s.Effect).toBe('Allow');
      // Exactly the prefix: arn:<partition>:ssm:<region>:<account>:parameter/tn-exchange/prod/einvoice/*
      expect([s.Resource].flat()).toHaveLength(1);
      expect(resourceText(s)).toMatch(/:ssm:.*:parameter\/tn-exchange\/prod\/einvoice\/\*"/);
    }
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      if (name === 'office' || name === 'deliveryJobs') continue;
      expect(onAccounts(name), name).toEqual([]);
    }
  });

  it('grants no secret access on a wildcard resource or action, in any function', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      for (const s of statements(name)) {
        const actions = actionsOf(s);
        const secretActions = actions.filter((a) => a.startsWith('ssm:') || a.startsWith('secretsmanager:'));
        if (secretActions.length === 0) continue;
        expect(
          secretActions.filter((a) => a.includes('*')),
          name,
        ).toEqual([]);
        for (const resource of [s.Resource].flat()) {
          expect(JSON.stringify(resource), name).not.toBe('"*"');
          // The only wildcard allowed is the accounts' `<path>/*`, nothing shorter.
          if (JSON.stringify(resource).includes('*'))
            expect(JSON.stringify(resource), name).toContain(ACCOUNTS);
        }
      }
    }
  });

  it('points staging at SInvoice’s sandbox and defaults the path per environment', () => {
    const staging = loadEnvironment('staging');
    expect(staging.config.einvoice?.baseUrl).toBe(VIETTEL_SANDBOX_URL);
    const { api: stagingApi } = buildApp({
      environment: {
        name: 'staging',
        config: { ...staging.config, einvoice: undefined },
      },
      siteDir: null,
      nag: false,
      appProps: { context: { 'aws:cdk:bundling-stacks': [] } },
    });
    const stagingTemplate = Template.fromStack(stagingApi).toJSON() as Json;
    const id = stagingApi.getLogicalId(
      stagingApi.functions.deliveryJobs.function.node.defaultChild as CfnFunction,
    );
    expect(stagingTemplate.Resources[id].Properties.Environment.Variables).toMatchObject({
      EINVOICE_BASE_URL: VIETTEL_BASE_URL,
      EINVOICE_SSM_PATH: '/tn-exchange/staging/einvoice',
    });
  });
});
