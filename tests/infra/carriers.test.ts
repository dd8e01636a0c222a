/**
 * The carriers in the prod template: the functions that use them (CARRIER_FUNCTIONS) get the
 * environment file's hosts and SSM path and may read that path only; the orders function's
 * bundle carries the commune mappings beside its code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { CARRIER_FUNCTIONS, FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { CARRIER_AREA_FILES } from '../../infra/constructs/carrier-areas-bundling.ts';
import { appUnderTest } from './app-under-test.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const { app, api } = appUnderTest();
const template = Template.fromStack(api).toJSON() as Json;
const fnId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].function.node.defaultChild as CfnFunction);
const roleId = (name: FunctionName) =>
  api.getLogicalId(api.functions[name].role.node.defaultChild as CfnRole);

describe('carriers', () => {
  it('tells the carrier functions the hosts and the tokens’ SSM path, and nobody else', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const env = template.Resources[fnId(name)].Properties.Environment?.Variables ?? {};
      if (CARRIER_FUNCTIONS.includes(name)) {
        expect(env.CARRIERS_SSM_PATH, name).toBe('/tn-exchange/prod/carriers');
        expect(env.GHN_HOST, name).toBe('https://online-gateway.ghn.vn');
        expect(env.GHTK_HOST, name).toBe('https://services.giaohangtietkiem.vn');
      } else {
        expect(env.CARRIERS_SSM_PATH, name).toBeUndefined();
      }
    }
  });

  it('lets only them read the carriers’ path', () => {
    const statements = (name: FunctionName): Json[] =>
      Object.values<Json>(template.Resources)
        .filter(
          (r) =>
            r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId(name)),
        )
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const resources = JSON.stringify(
        statements(name).filter((s) => JSON.stringify(s.Action).includes('ssm:')),
      );
      expect(resources.includes(':parameter/tn-exchange/prod/carriers'), name).toBe(
        CARRIER_FUNCTIONS.includes(name),
      );
    }
  });

  it('bundles the commune mappings and the 2025 names beside the orders function’s code', () => {
    // The function's code is the asset whose zip its S3Key names: `asset.<hash>` in the assembly.
    const key = template.Resources[fnId('orders')].Properties.Code.S3Key as string;
    expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
    const dir = join(app.synth().directory, `asset.${key.replace(/\.zip$/, '')}`);
    expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
    for (const file of CARRIER_AREA_FILES) expect(existsSync(join(dir, file)), file).toBe(true);
  });
});
