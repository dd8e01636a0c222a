import { CfnOutput, Duration, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
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
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { JOB_KINDS, SHARD_GROUPS, tickMessages, type JobKind } from '../../functions/orders/job-messages.ts';
import {
  CARRIER_FUNCTIONS,
  FUNCTIONS,
  NOTICE_SENDER,
  ROUTES,
  SMS_FUNCTIONS,
  type FunctionName,
  type HttpFunctionName,
  type JobFunctionName,
} from '../../functions/routes.ts';
import type { DigitalIdentityWiring } from './auth-stack.ts';
import { ApiDomain, type ApiDomainProps } from '../constructs/api-domain.ts';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import { ExchangeFunction, nagText, type ExchangeFunctionProps } from '../constructs/exchange-function.ts';
import { MediaUploadTrigger } from '../constructs/media-upload-trigger.ts';
import { Notices } from '../constructs/notices.ts';
import { SmsMessaging, type SmsSettings } from '../constructs/sms.ts';
import { StatsStream } from '../constructs/stats-stream.ts';
import { CatalogSnapshots } from '../constructs/catalog-snapshots.ts';
import { IocFeed } from '../constructs/ioc-feed.ts';
import { SHARP_ARM64_BUNDLING } from '../constructs/sharp-bundling.ts';
import { CARRIER_AREAS_BUNDLING } from '../constructs/carrier-areas-bundling.ts';
import { fromRepoRoot } from '../paths.ts';
import { VIETTEL_BASE_URL } from '../../shared/invoices/viettel.ts';
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
  labels: { bundling: SHARP_ARM64_BUNDLING },
  // Quotes (orders), shipments (board) and the carriers' webhooks (callbacks) read the carriers'
  // commune mappings, copied beside the bundle.
  orders: { bundling: CARRIER_AREAS_BUNDLING },
  callbacks: { bundling: CARRIER_AREAS_BUNDLING },
  board: { bundling: CARRIER_AREAS_BUNDLING },
  // A job message works its shards until a few seconds before the timeout (jobs-handler.ts);
  // a minute per tick keeps a lane's messages from piling up behind each other.
  expiryJobs: { timeout: Duration.seconds(60) },
  deliveryJobs: { timeout: Duration.seconds(60) },
  // Three attempts of ten seconds at most, and the waits between them (shared/stats/ioc-push.ts).
  iocFeed: { timeout: Duration.seconds(60) },
  // Each querydr call may take VNPay's whole timeout (10 s): room for a few rounds of them.
  // Its shipment lane finishes parts a carrier timeout left "creating", which maps addresses.
  reconcileJobs: { timeout: Duration.seconds(90), bundling: CARRIER_AREAS_BUNDLING },
  // A batch of ten notices at once; one Zalo send may take two calls and a token refresh at
  // their timeouts before it falls back to SMS.
  noticesJobs: { timeout: Duration.seconds(30) },
  // Reads every catalog shard whole (about 6,500 read units at 20,000 listings) and compresses it.
  catalogSnapshot: { timeout: Duration.minutes(2) },
};

/** The worker function of each background lane (functions/orders/jobs.ts). */
export const JOB_FUNCTIONS: Record<JobKind, JobFunctionName> = {
  expiry: 'expiryJobs',
  reconcile: 'reconcileJobs',
  delivery: 'deliveryJobs',
};

/** A token bucket of API Gateway: steady requests a second and the burst on top. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Request limits of the HTTP API, in one place (the README's table copies them). API Gateway
 * keeps one token bucket per route: a route listed here has its own limits, every other route
 * gets `default`, each on its own. So a flood of catalog reads is cut at the catalog routes' caps
 * and never takes checkout's, the IPN's or sign-in's share (the account-wide limit, 10,000 a
 * second by default, stays far above the sum). Checkout is sized for the Tết peak of 1,000
 * orders a minute (17 a second) with six times headroom; catalog reads mostly end at CloudFront.
 */
export const ROUTE_THROTTLES: { default: Throttle; routes: Record<string, Throttle> } = {
  // Sized from docs/CAPACITY.md's Tết peak with at least twice its load: managers' status changes
  // (≈ 67/s) and the webhook receiver (≈ 39/s) are the busiest routes on the default.
  default: { rateLimit: 150, burstLimit: 300 },
  routes: {
    // Checkout, payments: their own share whatever the storefront does.
    placeOrder: { rateLimit: 100, burstLimit: 200 },
    vnpayIpn: { rateLimit: 50, burstLimit: 100 },
    vietqrNotification: { rateLimit: 50, burstLimit: 100 },
    // The carriers' status callbacks (every carrier on one route): a parcel's events keep arriving.
    carrierWebhook: { rateLimit: 50, burstLimit: 100 },
    // Sign-in: enough for people, low enough that SMS costs cannot run away.
    startSignIn: { rateLimit: 20, burstLimit: 40 },
    verifySignIn: { rateLimit: 20, burstLimit: 40 },
    // Catalog reads: capped, so a flood stops here. The peak needs ≈ 378/s of product reads
    // (edge misses and the renderer's reads) and ≈ 215/s of lists and searches (CAPACITY.md).
    listProducts: { rateLimit: 1000, burstLimit: 2000 },
    getProduct: { rateLimit: 1000, burstLimit: 2000 },
    listProducers: { rateLimit: 100, burstLimit: 200 },
    getProducer: { rateLimit: 100, burstLimit: 200 },
    listCategories: { rateLimit: 100, burstLimit: 200 },
    getLotTrace: { rateLimit: 100, burstLimit: 200 },
    // A product page's first reviews are read when the page is rendered (an edge miss), the rest
    // on "Xem thêm": at most the product reads' rate, and half of it is plenty.
    listProductReviews: { rateLimit: 500, burstLimit: 1000 },
  },
};

/** The user pool the API trusts, from the auth stack. */
export interface ApiAuth {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  readonly clientId: string;
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` */
  readonly issuer: string;
  /**
   * The digital-identity provider households may link, behind the pool (auth-stack.ts): the auth
   * function runs the flow through the pool's OAuth endpoints (shared/auth/identity-provider.ts).
   */
  readonly digitalIdentity?: DigitalIdentityWiring;
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

/** The carriers' settings (functions/orders/carriers.ts): their tokens' SSM path and hosts. */
export interface ApiCarriers {
  readonly ssmPath: string;
  /** @default GHN's production host */
  readonly ghnHost?: string;
  readonly ghnShopId?: string;
  /** @default GHTK's production host */
  readonly ghtkHost?: string;
  readonly ghtkClientSource?: string;
}

/** E-invoices (shared/invoices): where SInvoice is and where the sellers' accounts are kept. */
export interface ApiInvoices {
  /** SInvoice's base URL for the invoice lane. @default VIETTEL_BASE_URL (Viettel's service host) */
  readonly baseUrl?: string;
  /** SSM path of the sellers' SInvoice accounts, one SecureString per seller under it. @default DEFAULT_EINVOICE_SSM_PATH */
  readonly ssmPath?: string;
}

export const DEFAULT_EINVOICE_SSM_PATH = '/tn-exchange/einvoice';

/** The function that issues (the invoice lane rides the delivery lane) and the one that saves settings. */
export const INVOICE_ISSUER: FunctionName = 'deliveryJobs';
export const INVOICE_SETTINGS_WRITER: FunctionName = 'office';

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
  /** The IOC's receiving URL for the daily feed (context `iocEndpoint`; constructs/ioc-feed.ts). */
  readonly iocEndpoint?: string;
  readonly payments?: ApiPayments;
  /** The carriers; without them checkout and the board offer the manual carrier only. */
  readonly carriers?: ApiCarriers;
  /** E-invoices: SInvoice's URL and the sellers' accounts' SSM path. @default both defaults */
  readonly einvoice?: ApiInvoices;
  /**
   * The API under a host of our own; the default execute-api endpoint is then disabled
   * (constructs/api-domain.ts). @default the execute-api endpoint
   */
  readonly apiDomain?: Omit<ApiDomainProps, 'httpApi' | 'stage'>;
  /**
   * Text messages through SNS: the account's monthly SMS spend limit and the sender id.
   * From the environment's file (`sms` in infra/env/<env>.json).
   */
  readonly sms: SmsSettings;
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
  /** The Notices queue and its dead-letter queue (constructs/notices.ts). */
  readonly notices: Notices;
  /**
   * The CloudFront origin for `/api/*`: the API's own host when one is configured, else
   * `{apiId}.execute-api.{region}.amazonaws.com`.
   */
  readonly apiDomainName: string;
  /**
   * The value CloudFront sends as `x-origin-verify` on every request to the API (site-stack.ts);
   * the HTTP functions refuse other requests (functions/http.ts), so the execute-api endpoint
   * called directly cannot pick its own viewer address for the rate limits.
   */
  readonly originVerifySecret: Secret;

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
      // Every route without limits of its own (ROUTE_THROTTLES; per-route ones are set below).
      throttle: ROUTE_THROTTLES.default,
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
        service: name,
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

    this.originVerifySecret = new Secret(this, 'OriginVerifySecret', {
      description: 'Header value CloudFront adds to API requests; the API refuses requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originVerifySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Shared only between CloudFront and the API functions, both set at deploy time from this secret: rotating means regenerating it and deploying both stacks, not a rotation Lambda.',
    });
    const httpFunctions: HttpFunctionName[] = [
      'catalog',
      'auth',
      'producers',
      'labels',
      'orders',
      'callbacks',
      'board',
      'seasons',
      'office',
    ];
    for (const name of httpFunctions) {
      // Resolved by CloudFormation at deploy time ({{resolve:secretsmanager:…}}), never in the template.
      functions[name].function.addEnvironment(
        'ORIGIN_VERIFY_SECRET',
        this.originVerifySecret.secretValue.unsafeUnwrap(),
      );
    }

    // The programme's counters, kept from the table's stream (constructs/stats-stream.ts).
    new StatsStream(this, 'StatsStream', { table: props.table, worker: functions.statsStream });
    // The IOC feed: a daily signed push and the pull key (constructs/ioc-feed.ts).
    new IocFeed(this, 'IocFeed', {
      worker: functions.iocFeed,
      pullFunction: functions.catalog,
      ...(props.iocEndpoint ? { endpoint: props.iocEndpoint } : {}),
    });

    // Cold catalog containers start from snapshots of the catalog's shards (shared/db/catalog-snapshot.ts).
    new CatalogSnapshots(this, 'CatalogSnapshots', {
      writer: functions.catalogSnapshot,
      readers: [functions.catalog],
    });

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
      for (const name of ['auth', 'producers', 'labels', 'board', 'seasons', 'office'] as const) {
        functions[name].function.addEnvironment('AUTH_ISSUER', props.auth.issuer);
        functions[name].function.addEnvironment('AUTH_AUDIENCE', props.auth.clientId);
      }
      functions.auth.function.addEnvironment('COGNITO_USER_POOL_ID', props.auth.userPoolId);
      functions.auth.function.addEnvironment('COGNITO_CLIENT_ID', props.auth.clientId);
      functions.auth.function.addToRolePolicy(
        new PolicyStatement({
          // DescribeUserPoolClient: the app client's secret, for SECRET_HASH (cognito-sign-in.ts).
          actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:DescribeUserPoolClient'],
          resources: [props.auth.userPoolArn],
        }),
      );
      const identity = props.auth.digitalIdentity;
      if (identity) {
        const auth = functions.auth.function;
        // Through the pool: the province's client secret stays in Cognito; the function uses the
        // site's app client (its secret read like the phone sign-in's) and the pool's keys.
        auth.addEnvironment('IDENTITY_ISSUER', identity.issuerUrl);
        auth.addEnvironment('IDENTITY_REDIRECT_URI', identity.redirectUri);
        auth.addEnvironment('IDENTITY_COGNITO_PROVIDER', identity.providerName);
        auth.addEnvironment('IDENTITY_COGNITO_DOMAIN', identity.domainUrl);
        functions.auth.function.addToRolePolicy(
          new PolicyStatement({
            // Linking maps the federated identity onto the phone's user; the federated user that
            // Cognito made on the way in is deleted first (Cognito will not merge an existing one).
            // Only usernames `<provider>_…` are ever deleted (identity-provider.ts).
            // Unlinking undoes the mapping (AdminDisableProviderForUser).
            actions: [
              'cognito-idp:AdminLinkProviderForUser',
              'cognito-idp:AdminDisableProviderForUser',
              'cognito-idp:AdminDeleteUser',
            ],
            resources: [props.auth.userPoolArn],
          }),
        );
      }
    }
    if (props.siteUrl) {
      for (const name of ['producers', 'labels'] as const) {
        functions[name].function.addEnvironment('SITE_URL', props.siteUrl);
      }
    }
    this.wirePayments(functions, props);
    this.wireCarriers(functions, props);
    this.wireInvoices(functions, props.einvoice ?? {});
    this.wireCursorSecret(functions);
    // Requests queue their messages; the notices worker alone sends them (SNS, Zalo).
    this.notices = new Notices(this, 'Notices', {
      producers: SMS_FUNCTIONS.map((name) => functions[name].function),
      worker: functions[NOTICE_SENDER].function,
    });
    new SmsMessaging(this, 'Sms', { ...props.sms, senders: [functions[NOTICE_SENDER].function] });

    const seen = new Set<string>();
    // CloudFormation's own spelling: CfnStage passes RouteSettings (a JSON map) through as is.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
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
      const throttle = ROUTE_THROTTLES.routes[route.operationId];
      if (throttle) {
        routeSettings[routeKey] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        };
        // A stage's route settings name routes that must exist first.
        this.stage.node.addDependency(httpRoute);
      }
      // No API Gateway authorizer: the functions verify bearer tokens themselves (jose, against the
      // configured issuer), the same code path as the local runtime; shopper routes are public.
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Public shopper route or one whose function verifies the bearer JWT itself (same code as the local runtime); no API Gateway authorizer by design.',
      });
    }

    const unknown = Object.keys(ROUTE_THROTTLES.routes).filter(
      (id) => !ROUTES.some((r) => r.operationId === id),
    );
    if (unknown.length > 0) throw new Error(`ROUTE_THROTTLES names no route: ${unknown.join(', ')}`);
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    this.apiDomainName = props.apiDomain
      ? new ApiDomain(this, 'ApiDomain', { ...props.apiDomain, httpApi: this.httpApi, stage: this.stage })
          .domainName
      : Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));
    new CfnOutput(this, 'ApiEndpoint', { value: this.httpApi.apiEndpoint });
    // For the deploy pipeline: where the storefront build reads the catalog, and the secret it sends.
    new CfnOutput(this, 'ApiOriginDomainName', { value: this.apiDomainName });
    new CfnOutput(this, 'OriginVerifySecretArn', { value: this.originVerifySecret.secretArn });
  }

  /**
   * Paging cursors are sealed with one secret shared by every function that pages a list
   * (shared/domain/cursor.ts). Generated at deploy time in Secrets Manager and handed to the
   * functions as CURSOR_SECRET by a CloudFormation dynamic reference, so it never appears in the
   * template; without it the functions refuse to seal cursors rather than use a dev secret.
   */
  private wireCursorSecret(functions: Record<FunctionName, ExchangeFunction>): void {
    const secret = new Secret(this, 'CursorSecret', {
      description: 'Seals the API paging cursors (CURSOR_SECRET)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Only seals paging cursors: rotating it just makes open cursors start again from the first page, so it is rotated by redeploying, not on a schedule.',
    });
    for (const name of ['catalog', 'producers', 'board', 'office'] as const) {
      functions[name].function.addEnvironment('CURSOR_SECRET', secret.secretValue.unsafeUnwrap());
    }
  }

  /**
   * The orders function (checkout), the callbacks function (IPN, bank notifications, webhooks),
   * the board function
   * (cancellations and refunds), the office function (transfers matched and refunds recorded by
   * hand), the seasons function (pre-order
   * deposits and balances, refunds of what allocation leaves unfilled) and the job workers (expiry, querydr
   * reconciliation, webhook delivery) read the payment secrets from SSM under one path, and
   * nothing else from SSM.
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
    for (const name of [
      'orders',
      'callbacks',
      'board',
      'seasons',
      'office',
      ...Object.values(JOB_FUNCTIONS),
    ] as const) {
      const fn = functions[name].function;
      for (const [key, value] of Object.entries(env)) if (value) fn.addEnvironment(key, value);
      fn.addToRolePolicy(readSecrets);
    }
    this.wireJobLanes(functions);
  }

  /**
   * The functions that use the carriers (CARRIER_FUNCTIONS: orders, callbacks, board and the job workers) get their
   * hosts and read their tokens from SSM under one path of their own.
   */
  private wireCarriers(functions: Record<FunctionName, ExchangeFunction>, props: ApiStackProps): void {
    const carriers = props.carriers;
    if (!carriers) return;
    const env: Record<string, string | undefined> = {
      CARRIERS_SSM_PATH: carriers.ssmPath,
      GHN_HOST: carriers.ghnHost,
      GHN_SHOP_ID: carriers.ghnShopId,
      GHTK_HOST: carriers.ghtkHost,
      GHTK_CLIENT_SOURCE: carriers.ghtkClientSource,
    };
    const readTokens = new PolicyStatement({
      actions: ['ssm:GetParametersByPath'],
      resources: [
        this.formatArn({
          service: 'ssm',
          resource: 'parameter',
          resourceName: carriers.ssmPath.replace(/^\//, ''),
        }),
      ],
    });
    for (const name of CARRIER_FUNCTIONS) {
      const fn = functions[name].function;
      for (const [key, value] of Object.entries(env)) if (value) fn.addEnvironment(key, value);
      fn.addToRolePolicy(readTokens);
    }
  }

  /**
   * E-invoices: each seller's own SInvoice account is one SecureString parameter under
   * `ssmPath` (functions/adapters/ssm-credential-store.ts). The office function, which saves a
   * seller's settings, may only put them (PutParameter: create or replace); the delivery lane's
   * worker, where the invoice lane issues, gets SInvoice's URL and may only read them
   * (GetParameter). No other function gets either action on the path, and neither gets more than
   * `<path>/*`: not the payment or carrier paths, not a wildcard action.
   */
  private wireInvoices(functions: Record<FunctionName, ExchangeFunction>, einvoice: ApiInvoices): void {
    const ssmPath = (einvoice.ssmPath ?? DEFAULT_EINVOICE_SSM_PATH).replace(/\/$/, '');
    const accounts = this.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${ssmPath.replace(/^\//, '')}/*`,
    });
    const grant = (name: FunctionName, action: string) => {
      const fn = functions[name];
      fn.function.addEnvironment('EINVOICE_SSM_PATH', ssmPath);
      fn.function.addToRolePolicy(new PolicyStatement({ actions: [action], resources: [accounts] }));
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagText(this, accounts)}]`,
        reason: `The sellers' SInvoice accounts, one parameter per seller id under ${ssmPath}/: no narrower resource exists. ${action} only.`,
      });
    };
    grant(INVOICE_SETTINGS_WRITER, 'ssm:PutParameter');
    grant(INVOICE_ISSUER, 'ssm:GetParameter');
    functions[INVOICE_ISSUER].function.addEnvironment(
      'EINVOICE_BASE_URL',
      einvoice.baseUrl ?? VIETTEL_BASE_URL,
    );
  }

  /**
   * The background lanes (functions/orders/jobs.ts), each on its own so none can starve another:
   * every minute an EventBridge rule puts one message per shard group on the lane's queue (four
   * targets: the groups of SHARD_GROUPS), and the lane's worker consumes them, a message per
   * invocation, up to one invocation per group at a time. A message that fails comes back after
   * the visibility timeout; after three receives it goes to the lane's dead-letter queue. A
   * message nobody took within ten minutes is dropped: the next minute's covers the same shards.
   * A tick EventBridge could not put on the queue (retried for five minutes) goes to one
   * dead-letter queue shared by the three schedules.
   */
  private wireJobLanes(functions: Record<FunctionName, ExchangeFunction>): void {
    const undeliveredTicks = new DeadLetterQueue(this, 'JobSchedulesDeadLetters', {
      holds: 'job ticks EventBridge could not put on a lane queue',
      runbook: 'dlq-job-schedules',
    });
    for (const kind of JOB_KINDS) {
      const worker = functions[JOB_FUNCTIONS[kind]].function;
      const lane = pascalCase(kind);
      const deadLetters = new DeadLetterQueue(this, `${lane}JobsDeadLetters`, {
        holds: `${kind} job messages that failed three times`,
        runbook: 'dlq-job-lanes',
      });
      const queue = new Queue(this, `${lane}JobsQueue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // Six times the worker's timeout, as Lambda advises for SQS event sources.
        visibilityTimeout: Duration.seconds(6 * worker.timeout!.toSeconds()),
        retentionPeriod: Duration.minutes(10),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: JOB_MAX_RECEIVES },
      });
      worker.addEventSource(
        new SqsEventSource(queue, {
          batchSize: 1,
          reportBatchItemFailures: true,
          maxConcurrency: Math.max(2, SHARD_GROUPS.length),
        }),
      );
      new Rule(this, `${lane}JobsSchedule`, {
        description: `The ${kind} lane: one message per shard group, every minute`,
        schedule: Schedule.rate(Duration.minutes(1)),
        targets: tickMessages(kind).map(
          (message) =>
            new SqsQueue(queue, {
              message: RuleTargetInput.fromObject(message),
              // A tick older than a few minutes is covered by the newer ones: no point retrying longer.
              retryAttempts: JOB_TICK_RETRIES.retryAttempts,
              maxEventAge: JOB_TICK_RETRIES.maxEventAge,
              deadLetterQueue: undeliveredTicks,
            }),
        ),
      });
    }
  }
}

/** Receives of a job message before it goes to its lane's dead-letter queue. */
export const JOB_MAX_RECEIVES = 3;

/** EventBridge's retries of a tick it cannot put on a lane queue, before its dead-letter queue. */
export const JOB_TICK_RETRIES = { retryAttempts: 5, maxEventAge: Duration.minutes(5) } as const;

/** The media bucket next to the table, when the app passes the table of a DataStack only. */
function mediaBucketOf(table: ITable): IBucket {
  const stack = Stack.of(table);
  if (stack instanceof DataStack) return stack.mediaBucket;
  throw new Error('The media function needs the media bucket: pass mediaBucket to ApiStack');
}

function pascalCase(value: string): string {
  return value.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
