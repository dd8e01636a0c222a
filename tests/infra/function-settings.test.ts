/**
 * Every function's cold start checks the settings it needs (REQUIRED_SETTINGS in
 * functions/services.ts) and refuses to start without them: the CDK app must set each of them,
 * or the deployed function fails on its first event. Synthesized with a site URL, as a deploy is.
 */
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { REQUIRED_SETTINGS } from '../../functions/services.ts';
import { buildApp } from '../../infra/app.ts';
import { fakeSiteDir } from './app-under-test.ts';

const { api } = buildApp({ environment: 'prod', siteDir: fakeSiteDir(), nag: false });
const template = Template.fromStack(api);

describe('the settings each function requires', () => {
  it('are all set by the CDK app', () => {
    const lambdas = template.findResources('AWS::Lambda::Function');
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const id = api.getLogicalId(api.functions[name].function.node.defaultChild as CfnFunction);
      const variables = Object.keys(lambdas[id]?.Properties.Environment.Variables ?? {});
      expect(variables, name).toEqual(expect.arrayContaining(['TABLE_NAME', ...REQUIRED_SETTINGS[name]]));
    }
  });
});
