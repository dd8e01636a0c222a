import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  type BehaviorOptions,
  type IDistribution,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  FunctionUrlAuthType,
  type FunctionUrl,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { fromRepoRoot } from '../paths.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ExchangeFunction } from './exchange-function.ts';
import { SHARP_ARM64_BUNDLING } from './sharp-bundling.ts';
import { CATALOG_STREAM_FILTERS } from './site-rebuild.ts';

/**
 * Path patterns CloudFront sends to the renderer: the pages whose number grows with the catalog,
 * in both languages. `?*` (at least one character) keeps `/nha-san-xuat/`, the prebuilt producers
 * index, on the static origin; `/san-pham/*` includes the listings' first page `/san-pham/`.
 */
export const RENDERED_PATHS: readonly string[] = [
  // `/san-pham` without its slash: the renderer redirects it to the listing `/san-pham/`.
  '/san-pham',
  '/en/san-pham',
  '/san-pham/*',
  '/en/san-pham/*',
  '/nha-san-xuat/?*',
  '/en/nha-san-xuat/?*',
  '/truy-xuat/?*',
  '/en/truy-xuat/?*',
  '/og/*',
  // The programme's statistics, drawn from the counters on each request (pages/[...lang]/thong-ke/).
  '/thong-ke/',
  '/en/thong-ke/',
  // The sitemap index and its files of at most 50,000 URLs (site/src/lib/sitemap.ts).
  '/sitemap.xml',
  '/sitemap-*.xml',
];

/**
 * Stream records that can change a rendered page: the rebuild's catalog filters, lots, and a
 * product's rating and units sold (reviews, deliveries).
 */
export const INVALIDATION_STREAM_FILTERS: readonly Record<string, unknown>[] = [
  ...CATALOG_STREAM_FILTERS,
  // One pattern for both: Lambda allows five filters per event source mapping.
  { dynamodb: { Keys: { sk: { S: [{ prefix: 'LOT#' }, 'STATS'] } } } },
];

export interface SiteRendererProps {
  /** The built renderer (site/dist/server/entry.mjs), or the stand-in when the site is not built. */
  readonly entry: string;
  /** Origin of the catalog API the pages read (API Gateway, not through CloudFront). */
  readonly apiUrl: string;
  /** Public origin of the storefront: photos for the OG cards are read from its /media/. */
  readonly siteUrl?: string;
  /** The origin-verify secret the API requires on every request, sent with the catalog reads. */
  readonly originVerifySecret?: string;
}

/**
 * The storefront's pages rendered on request: one Lambda (the Astro renderer, Node.js 22 on arm64,
 * sharp for the OG cards) behind a function URL that only CloudFront may call (origin access
 * control, IAM auth), with a cache policy that keys pages on the path alone and follows the
 * renderer's Cache-Control (s-maxage 40 s, see site/src/render/cache.ts).
 */
export class SiteRenderer extends Construct {
  readonly function: ExchangeFunction;
  readonly url: FunctionUrl;
  readonly pageCachePolicy: CachePolicy;

  constructor(scope: Construct, id: string, props: SiteRendererProps) {
    super(scope, id);
    this.function = new ExchangeFunction(this, 'Render', {
      entry: props.entry,
      service: 'siteRender',
      description: 'Renders storefront pages on request (product, producer, lot, listings, sitemap, OG)',
      // sharp's OG cards and Astro's rendering like CPU; 1 GB gives most of a vCPU.
      memorySize: 1024,
      timeout: Duration.seconds(15),
      environment: {
        EXCHANGE_API_URL: props.apiUrl,
        ...(props.siteUrl ? { MEDIA_ORIGIN: props.siteUrl } : {}),
        ...(props.originVerifySecret ? { ORIGIN_VERIFY_SECRET: props.originVerifySecret } : {}),
      },
      bundling: SHARP_ARM64_BUNDLING,
    });
    // Reads nothing but the public API over HTTPS: no table, no bucket, no other permission.
    this.url = this.function.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });

    this.pageCachePolicy = new CachePolicy(this, 'PageCachePolicy', {
      comment: 'Rendered storefront pages: keyed on the path only, lifetime from the page (s-maxage)',
      minTtl: Duration.seconds(0),
      // Used only if a response carries no Cache-Control; the renderer always sets one.
      defaultTtl: Duration.seconds(40),
      // Invalidation by path makes a change visible; a page is never kept past a day regardless.
      maxTtl: Duration.days(1),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
  }

  /** The CloudFront behaviour of the rendered paths. */
  behavior(): BehaviorOptions {
    return {
      origin: FunctionUrlOrigin.withOriginAccessControl(this.url),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: this.pageCachePolicy,
      responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      compress: true,
    };
  }
}

/**
 * `GET /api/catalog/*` cached at CloudFront: the key is the whole query string (filters, sort,
 * cursor, search text) and nothing else, so the page-view freshness calls and search-as-you-type
 * of many shoppers reach Lambda once per distinct URL and lifetime (the catalog function's
 * Cache-Control, capped at a minute).
 */
export function catalogApiCachePolicy(scope: Construct): CachePolicy {
  return new CachePolicy(scope, 'CatalogApiCachePolicy', {
    comment: 'GET /api/catalog/*: keyed on the query string; lifetime from the API, at most 60 s',
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.seconds(10),
    maxTtl: Duration.seconds(60),
    queryStringBehavior: CacheQueryStringBehavior.all(),
    headerBehavior: CacheHeaderBehavior.none(),
    cookieBehavior: CacheCookieBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
}

/** Behaviour options of the cached catalog API over the API's origin. */
export function catalogApiBehavior(
  api: BehaviorOptions['origin'],
  cachePolicy: CachePolicy,
): BehaviorOptions {
  return {
    origin: api,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    cachePolicy,
    // The API sees the viewer's request as before (but Host, which must be execute-api's).
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
    compress: true,
  };
}

export interface SiteInvalidationProps {
  readonly table: ITable;
  readonly distribution: IDistribution;
  /** How long stream records are gathered before one invalidation. @default 5 seconds */
  readonly batchingWindow?: Duration;
}

/**
 * Catalog change → CloudFront invalidation of exactly the stale paths: a function on the table's
 * stream (filtered to catalog items, batched a few seconds) that works out the product's,
 * producer's, lot's and listing paths in both languages (functions/site-rebuild/invalidate.ts)
 * and sends one CreateInvalidation per batch. It may read two item kinds of the table (GetItem:
 * a pack's product, a product's producer) and invalidate this one distribution, nothing else.
 */
export class SiteInvalidation extends Construct {
  readonly function: ExchangeFunction;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SiteInvalidationProps) {
    super(scope, id);
    this.function = new ExchangeFunction(this, 'Invalidate', {
      entry: fromRepoRoot('functions/site-rebuild/invalidate-handler.ts'),
      service: 'siteInvalidate',
      description: 'Invalidates the storefront paths a catalog change makes stale',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: {
        DISTRIBUTION_ID: props.distribution.distributionId,
        TABLE_NAME: props.table.tableName,
      },
    });
    Grant.addToPrincipal({
      grantee: this.function.role,
      actions: ['dynamodb:GetItem'],
      resourceArns: [props.table.tableArn],
    });
    const stack = Stack.of(this);
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          stack.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: props.distribution.distributionId,
          }),
        ],
      }),
    );
    // Batches that keep failing (CloudFront limits for longer than the retries) are kept for a look.
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      holds: 'catalog change batches whose storefront invalidation kept failing',
      runbook: 'dlq-site-invalidation',
    });
    this.function.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        filters: INVALIDATION_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        // Seconds, not minutes: the issue's bound is a minute from approval to the page.
        maxBatchingWindow: props.batchingWindow ?? Duration.seconds(5),
        batchSize: 500,
        retryAttempts: 5,
        maxRecordAge: Duration.minutes(30),
        // A record the paths cannot be worked out for (a failed look-up) is split off, so the
        // rest of its batch is still invalidated and only that record ends in the queue.
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );
    Validations.of(this.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, granted by CDK with the stream event source, has no resource-level permissions; the stream reads themselves are limited to the table stream.',
    });
  }
}
