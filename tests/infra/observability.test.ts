/**
 * Every function of the exchange is observable in the same way (infra/constructs/exchange-function.ts):
 * X-Ray tracing Active, JSON logs, and the Powertools settings its logger, metrics and tracer read
 * (service name = its key in functions/routes.ts or siteRender/siteInvalidate, namespace
 * TnExchange/<env>, log level INFO).
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import {
  DEFAULT_BUNDLING,
  ExchangeFunction,
  POWERTOOLS_VERSION,
} from '../../infra/constructs/exchange-function.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { FUNCTIONS } from '../../functions/routes.ts';
import { appUnderTest, fakeSiteDir } from './app-under-test.ts';

interface FunctionProps {
  Layers?: unknown[];
  TracingConfig?: { Mode?: string };
  LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string };
  Environment?: { Variables?: Record<string, unknown> };
}

function exchangeFunctions(app: ReturnType<typeof appUnderTest>) {
  return app.app.node
    .findAll()
    .filter((c): c is ExchangeFunction => c instanceof ExchangeFunction)
    .map((fn) => {
      const stack = Stack.of(fn);
      const logicalId = stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
      const resource = Template.fromStack(stack).toJSON().Resources[logicalId] as {
        Properties: FunctionProps;
      };
      return {
        path: fn.node.path,
        props: resource.Properties,
        parameters: Template.fromStack(stack).toJSON().Parameters,
      };
    });
}

describe('observability of every function', () => {
  const app = appUnderTest();
  const functions = exchangeFunctions(app);

  it('covers each function of the route table and both site functions', () => {
    const services = functions.map((f) => f.props.Environment?.Variables?.POWERTOOLS_SERVICE_NAME).sort();
    expect(services).toEqual([...Object.keys(FUNCTIONS), 'siteInvalidate', 'siteRender'].sort());
  });

  it('traces every function with X-Ray (Active) and logs JSON', () => {
    for (const { path, props } of functions) {
      expect(props.TracingConfig?.Mode, path).toBe('Active');
      expect(props.LoggingConfig?.LogFormat, path).toBe('JSON');
    }
  });

  it('gives every function the Powertools settings: service, metrics namespace of the environment, log level', () => {
    for (const { path, props } of functions) {
      const env = props.Environment?.Variables ?? {};
      expect(env.POWERTOOLS_SERVICE_NAME, path).toMatch(/^[a-z][A-Za-z]+$/);
      expect(env.POWERTOOLS_METRICS_NAMESPACE, path).toBe('TnExchange/prod');
      expect(env.POWERTOOLS_LOG_LEVEL, path).toBe('INFO');
    }
  });

  it('gives every function the Powertools layer of the pinned release, and keeps Powertools out of the bundles', () => {
    // One version for the three packages, and it is the layer's.
    const pinned = Object.entries(packageJson.dependencies)
      .filter(([name]) => name.startsWith('@aws-lambda-powertools/'))
      .map(([, version]) => version);
    expect(new Set(pinned)).toEqual(new Set([POWERTOOLS_VERSION]));
    expect(POWERTOOLS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { path, props, parameters } of functions) {
      expect(props.Layers, path).toHaveLength(1);
      const ref = (props.Layers![0] as { Ref?: string }).Ref;
      expect(parameters?.[ref!], path).toEqual({
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`,
      });
    }
    expect(DEFAULT_BUNDLING.externalModules).toEqual(
      expect.arrayContaining(['@aws-sdk/*', '@aws-lambda-powertools/*', 'aws-xray-sdk-core']),
    );
  });

  it('lets every function role write trace segments', () => {
    for (const stack of [app.api, app.site]) {
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const xray = Object.values(policies).filter((p) => JSON.stringify(p).includes('xray:PutTraceSegments'));
      expect(xray.length, stack.stackName).toBeGreaterThan(0);
    }
  });

  it('names the metrics namespace after the environment given with -c env=', () => {
    const staging = buildApp({
      siteDir: fakeSiteDir(),
      nag: false,
      appProps: { context: { env: 'staging', 'aws:cdk:bundling-stacks': [] } },
    });
    const namespaces = new Set(
      exchangeFunctions(staging).map((f) => f.props.Environment?.Variables?.POWERTOOLS_METRICS_NAMESPACE),
    );
    expect([...namespaces]).toEqual(['TnExchange/staging']);
  });
});
