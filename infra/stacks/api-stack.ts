import { CfnOutput, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTIONS, ROUTES, type FunctionName } from '../../functions/routes.ts';
import { ExchangeFunction, type ExchangeFunctionProps } from '../constructs/exchange-function.ts';
import { fromRepoRoot } from '../paths.ts';

/** Per-function extras beyond what FUNCTIONS says (e.g. sharp for the media function). */
export type FunctionOverrides = Partial<Record<FunctionName, Partial<Omit<ExchangeFunctionProps, 'entry'>>>>;

/**
 * Settings a function needs beyond ExchangeFunction's defaults. For the media function, sharp has
 * native code, so it must not be bundled but installed for Lambda's platform into the bundle, e.g.
 *   media: {
 *     memorySize: 1536, timeout: Duration.seconds(60),
 *     bundling: {
 *       nodeModules: ['sharp'],
 *       commandHooks: {
 *         beforeBundling: () => [], afterBundling: () => [],
 *         beforeInstall: (_in, out) => [`printf 'os=linux\\ncpu=arm64\\nlibc=glibc\\n' > ${out}/.npmrc`],
 *       },
 *     },
 *   },
 */
export const FUNCTION_OVERRIDES: FunctionOverrides = {};

export interface ApiStackProps extends StackProps {
  readonly table: ITable;
  readonly functionOverrides?: FunctionOverrides;
}

/**
 * The HTTP API: one Lambda per entry of FUNCTIONS and one route per entry of ROUTES (both from
 * functions/routes.ts, the same table the local runtime mounts), so a new function or route there
 * appears here without touching this file.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<FunctionName, ExchangeFunction>;
  /** `{apiId}.execute-api.{region}.amazonaws.com`, the CloudFront origin for `/api/*`. */
  readonly apiDomainName: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Thái Nguyên exchange API; reached through CloudFront at /api/*',
      // Our own $default stage below carries access logs and throttling.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling against runaway clients and cost, well above what a provincial catalog needs.
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const functions = {} as Record<FunctionName, ExchangeFunction>;
    const integrations = {} as Record<FunctionName, HttpLambdaIntegration>;
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const definition = FUNCTIONS[name];
      const fn = new ExchangeFunction(this, `${pascalCase(name)}Function`, {
        description: `${name} (${definition.entry})`,
        memorySize: definition.memoryMiB,
        ...FUNCTION_OVERRIDES[name],
        ...props.functionOverrides?.[name],
        entry: fromRepoRoot(definition.entry),
      });
      fn.bindTable(props.table, definition.tableAccess);
      functions[name] = fn;
      // One integration per function, shared by its routes. One invoke permission for the whole
      // API instead of one per route keeps the function's resource policy far below its 20 KB limit.
      integrations[name] = new HttpLambdaIntegration(`${pascalCase(name)}Integration`, fn.function, {
        scopePermissionToRoute: false,
      });
    }
    this.functions = functions;

    const seen = new Set<string>();
    for (const route of ROUTES) {
      const routeKey = `${route.method} ${route.path}`;
      if (seen.has(routeKey)) throw new Error(`Route ${routeKey} appears twice in ROUTES`);
      seen.add(routeKey);
      // The operationId names the construct: unique, stable and readable in the template.
      const httpRoute = new HttpRoute(this, `Route${pascalCase(route.operationId)}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.function],
      });
      // No API Gateway authorizer: the functions verify bearer tokens themselves (jose, against the
      // configured issuer), the same code path as the local runtime; shopper routes are public.
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Public shopper route or one whose function verifies the bearer JWT itself (same code as the local runtime); no API Gateway authorizer by design.',
      });
    }

    this.apiDomainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));
    new CfnOutput(this, 'ApiEndpoint', { value: this.httpApi.apiEndpoint });
  }
}

function pascalCase(value: string): string {
  return value.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
