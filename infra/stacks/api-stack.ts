import { CfnOutput, Duration, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
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
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { FUNCTIONS, ROUTES, type FunctionName } from '../../functions/routes.ts';
import { ExchangeFunction, type ExchangeFunctionProps } from '../constructs/exchange-function.ts';
import { MediaUploadTrigger } from '../constructs/media-upload-trigger.ts';
import { SHARP_ARM64_BUNDLING } from '../constructs/sharp-bundling.ts';
import { fromRepoRoot } from '../paths.ts';
import { DataStack, MEDIA_PREFIX, UPLOADS_PREFIX } from './data-stack.ts';

/** Per-function extras beyond what FUNCTIONS says (e.g. sharp for the media function). */
export type FunctionOverrides = Partial<Record<FunctionName, Partial<Omit<ExchangeFunctionProps, 'entry'>>>>;

/**
 * Settings a function needs beyond ExchangeFunction's defaults. The media function decodes and
 * encodes photos: 1536 MB (from FUNCTIONS) buys most of a vCPU, 60 s covers a 15 MB upload with
 * room to spare (a 12 MP photo takes ≈ 1 s of one core), and sharp, which has native code, is
 * installed for linux-arm64 into its bundle (see constructs/sharp-bundling.ts).
 */
export const FUNCTION_OVERRIDES: FunctionOverrides = {
  media: { timeout: Duration.seconds(60), bundling: SHARP_ARM64_BUNDLING },
  // Printable lot labels are rendered to PNG with sharp.
  producers: { bundling: SHARP_ARM64_BUNDLING },
};

/** The user pool the API trusts, from the auth stack. */
export interface ApiAuth {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  readonly clientId: string;
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` */
  readonly issuer: string;
}

/**
 * Payment settings that are not secret (the secrets are SecureString parameters under
 * `ssmPath`, which the operator puts with `aws ssm put-parameter`; see the README).
 */
export interface ApiPayments {
  /** @default '/tn-exchange/payments' */
  readonly ssmPath?: string;
  readonly vnpayTmnCode?: string;
  /** VNPay's host for pay and API calls. @default 'https://sandbox.vnpayment.vn' */
  readonly vnpayHost?: string;
  readonly vietqrBankBin?: string;
  readonly vietqrAccountNumber?: string;
  readonly vietqrAccountName?: string;
}

export const DEFAULT_PAYMENTS_SSM_PATH = '/tn-exchange/payments';

export interface ApiStackProps extends StackProps {
  readonly table: ITable;
  /**
   * The media bucket, for the media function (reads uploads/, writes media/).
   * @default the bucket of the data stack that holds `table`
   */
  readonly mediaBucket?: IBucket;
  readonly functionOverrides?: FunctionOverrides;
  /** Token issuer and sign-in pool; without it the signed-in routes answer 401 in AWS. */
  readonly auth?: ApiAuth;
  /** Public origin of the storefront (custom domain), printed in QR labels. */
  readonly siteUrl?: string;
  readonly payments?: ApiPayments;
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

    // Photos: the producers function hands out presigned PUTs, so it may write uploads/ and
    // nothing else; the media function has no route, S3 uploads reach it through EventBridge.
    const mediaBucket = props.mediaBucket ?? mediaBucketOf(props.table);
    functions.producers.bindMediaBucket(mediaBucket, { write: [UPLOADS_PREFIX] });
    new MediaUploadTrigger(this, 'MediaUploads', {
      bucket: mediaBucket,
      uploadsPrefix: UPLOADS_PREFIX,
      mediaPrefix: MEDIA_PREFIX,
      function: functions.media,
    });

    // Every function that reads bearer tokens verifies them against the user pool; the sign-in
    // facade also talks to Cognito, creating users on first sign-in (AdminCreateUser only).
    if (props.auth) {
      for (const name of ['auth', 'producers'] as const) {
        functions[name].function.addEnvironment('AUTH_ISSUER', props.auth.issuer);
        functions[name].function.addEnvironment('AUTH_AUDIENCE', props.auth.clientId);
      }
      functions.auth.function.addEnvironment('COGNITO_USER_POOL_ID', props.auth.userPoolId);
      functions.auth.function.addEnvironment('COGNITO_CLIENT_ID', props.auth.clientId);
      functions.auth.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['cognito-idp:AdminCreateUser'],
          resources: [props.auth.userPoolArn],
        }),
      );
    }
    if (props.siteUrl) functions.producers.function.addEnvironment('SITE_URL', props.siteUrl);
    this.wirePayments(functions, props);

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

  /**
   * The orders function (IPN, bank notifications, webhooks) and the jobs function (querydr
   * reconciliation, webhook delivery; every minute) read the payment secrets from SSM under one
   * path, and nothing else from SSM.
   */
  private wirePayments(functions: Record<FunctionName, ExchangeFunction>, props: ApiStackProps): void {
    const payments = props.payments ?? {};
    const ssmPath = payments.ssmPath ?? DEFAULT_PAYMENTS_SSM_PATH;
    const env: Record<string, string | undefined> = {
      PAYMENTS_SSM_PATH: ssmPath,
      SITE_URL: props.siteUrl,
      VNPAY_HOST: payments.vnpayHost,
      VNPAY_TMN_CODE: payments.vnpayTmnCode,
      VIETQR_BANK_BIN: payments.vietqrBankBin,
      VIETQR_ACCOUNT_NUMBER: payments.vietqrAccountNumber,
      VIETQR_ACCOUNT_NAME: payments.vietqrAccountName,
    };
    const readSecrets = new PolicyStatement({
      actions: ['ssm:GetParametersByPath'],
      resources: [
        this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: ssmPath.replace(/^\//, '') }),
      ],
    });
    for (const name of ['orders', 'jobs'] as const) {
      const fn = functions[name].function;
      for (const [key, value] of Object.entries(env)) if (value) fn.addEnvironment(key, value);
      fn.addToRolePolicy(readSecrets);
      if (props.auth && name === 'orders') {
        fn.addEnvironment('AUTH_ISSUER', props.auth.issuer);
        fn.addEnvironment('AUTH_AUDIENCE', props.auth.clientId);
      }
    }
    new Rule(this, 'PaymentJobsSchedule', {
      description: 'VNPay reconciliation (querydr) and webhook delivery, every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(functions.jobs.function, { retryAttempts: 0 })],
    });
  }
}

/** The media bucket next to the table, when the app passes the table of a DataStack only. */
function mediaBucketOf(table: ITable): IBucket {
  const stack = Stack.of(table);
  if (stack instanceof DataStack) return stack.mediaBucket;
  throw new Error('The media function needs the media bucket: pass mediaBucket to ApiStack');
}

function pascalCase(value: string): string {
  return value.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
