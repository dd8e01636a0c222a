import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HttpVersion,
  LambdaEdgeEventType,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Version } from 'aws-cdk-lib/aws-lambda';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fromRepoRoot } from '../paths.ts';
import { ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http.ts';
import {
  publishInvalidationPaths,
  renderedInvalidationPaths,
} from '../../functions/site-rebuild/publish-paths.ts';
import {
  builtScriptHashes,
  contentSecurityPolicy,
  SECURITY_HEADERS,
  STRICT_TRANSPORT_SECURITY_SECONDS,
} from '../security-headers.ts';
import { nagText } from '../constructs/exchange-function.ts';
import { AccessLogsBucket, PrivateBucket } from '../constructs/private-bucket.ts';
import { SITE_CACHE_CONTROL, SiteRebuild } from '../constructs/site-rebuild.ts';
import {
  catalogApiBehavior,
  catalogApiCachePolicy,
  RENDERED_PATHS,
  SiteInvalidation,
  SiteRenderer,
} from '../constructs/site-render.ts';

/** The prebuilt pages and assets of `astro build --root site`, if it has run; synth never builds. */
export function builtSiteDir(): string | undefined {
  const dir = fromRepoRoot('site/dist/client');
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

/** The renderer of the same build, else a stand-in that answers 503 (see functions/site-render/). */
export function rendererEntry(env: NodeJS.ProcessEnv = process.env): string {
  // The CDK tests bundle the stand-in: they check the template, and a storefront build running
  // beside them (the browser tests) rewrites site/dist/server while esbuild reads it.
  if (env.SITE_RENDERER === 'stand-in') return fromRepoRoot('functions/site-render/not-built.ts');
  const built = fromRepoRoot('site/dist/server/entry.mjs');
  return existsSync(built) ? built : fromRepoRoot('functions/site-render/not-built.ts');
}

export interface SiteStackProps extends StackProps {
  /** Domain of the HTTP API's execute-api endpoint (ApiStack.apiDomainName). */
  readonly apiDomainName: string;
  /**
   * Sent to the API as `x-origin-verify` on every request (ApiStack.originVerifySecret): the API
   * refuses requests that did not come through this distribution.
   */
  readonly originVerifySecret?: ISecret;
  /** The media bucket of the data stack; only its name and domain are used (see below). */
  readonly mediaBucket: IBucket;
  /** Built Astro site (site/dist/client) to upload; when undefined (not built yet) nothing is uploaded. */
  readonly siteDir?: string;
  /** The renderer's entry. @default site/dist/server/entry.mjs when built, else a 503 stand-in */
  readonly renderEntry?: string;
  /**
   * The table (with its stream): when given, a catalog change invalidates the paths it makes
   * stale (constructs/site-render.ts), and the prebuilt pages are rebuilt on a schedule
   * (constructs/site-rebuild.ts).
   */
  readonly table?: ITable;
  /** Public origin of the storefront (custom domain). @default https://<distribution domain> */
  readonly siteUrl?: string;
  /** How often the prebuilt pages (home: newest products) are rebuilt; null: never. @default 6 hours */
  readonly rebuildEvery?: Duration | null;
  /** The WAF web ACL (scope CLOUDFRONT, edge-stack.ts) in front of the distribution. */
  readonly webAclArn?: string;
  /** Lambda@Edge version that answers the storefront's 404 page (constructs/not-found-page.ts). */
  readonly notFoundPageVersionArn?: string;
  /** The storefront on a domain of our own: its us-east-1 certificate and Route 53 zone. */
  readonly customDomain?: {
    readonly domainName: string;
    readonly hostedZoneId: string;
    readonly hostedZoneName: string;
    readonly certificateArn: string;
  };
}

/** Versions of a site object kept after it is overwritten or deleted, for a rollback. */
export const SITE_NONCURRENT_VERSION_DAYS = 30;

/**
 * The paths a deploy-time upload invalidates: every page of the built site (not `_astro/`, whose
 * names change with their content) and the rendered pages (a deploy may bring a new renderer),
 * never `/media/*` or `/api/*` (functions/site-rebuild/publish-paths.ts).
 */
export function deployInvalidationPaths(siteDir: string): string[] {
  const keys = readdirSync(siteDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(siteDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((key) => !key.startsWith('_astro/'));
  return publishInvalidationPaths(keys, renderedInvalidationPaths(RENDERED_PATHS));
}

/**
 * `/` → `/index.html`, `/san-pham/` → `/san-pham/index.html` and `/san-pham` → `/san-pham/index.html`:
 * Astro's static output is one folder per page, and S3 through OAC has no index documents.
 */
export const DIRECTORY_INDEX_CODE = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}
`;

/**
 * `/api/*`: the viewer's address as CloudFront saw it, in a header the API trusts only together
 * with the origin-verify secret. Whatever the client sent under that name is overwritten. (The
 * managed AllViewerExceptHostHeader policy forwards the viewer's headers but none of CloudFront's
 * own, so CloudFront-Viewer-Address would not reach the API; a header of that name that does
 * arrive is the client's.)
 */
export const VIEWER_ADDRESS_CODE = `
function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return request;
}
`;

/**
 * The one origin shoppers see: CloudFront over the prebuilt pages (S3), the pages rendered on
 * request (the renderer Lambda), the media and the API (the catalog reads cached by query string).
 */
export class SiteStack extends Stack {
  readonly siteBucket: PrivateBucket;
  readonly distribution: Distribution;
  readonly renderer: SiteRenderer;
  readonly rebuild?: SiteRebuild;
  readonly invalidation?: SiteInvalidation;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);

    const logs = new AccessLogsBucket(this, 'AccessLogs', { acceptsCloudFrontLogs: true });
    // Versioned: a bad sync (deploy or rebuild) is rolled back by restoring the previous versions
    // (see the README, "Deploying to AWS"); old versions expire after a month.
    this.siteBucket = new PrivateBucket(this, 'Site', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/site/',
      versioned: true,
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(SITE_NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    // Imported, not the data stack's Bucket object: the OAC helper then leaves its policy alone
    // (adding the usual statement would make the data stack depend on this distribution while this
    // stack depends on the data stack, a cycle). The data stack grants CloudFront read on media/*.
    const mediaBucket = Bucket.fromBucketAttributes(this, 'MediaBucket', {
      bucketArn: props.mediaBucket.bucketArn,
      bucketRegionalDomainName: props.mediaBucket.bucketRegionalDomainName,
    });

    // Variants under media/ are written once under content-derived names, so they can be cached long.
    const mediaCachePolicy = new CachePolicy(this, 'MediaCachePolicy', {
      comment: 'Immutable product images: long TTL, no query strings or cookies in the key',
      minTtl: Duration.days(1),
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      comment: 'Map directory URLs to index.html of the static site',
      code: FunctionCode.fromInline(DIRECTORY_INDEX_CODE),
    });

    const apiOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      ...(props.originVerifySecret
        ? { customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifySecret.secretValue.unsafeUnwrap() } }
        : {}),
    });
    const viewerAddress = new CloudFrontFunction(this, 'ViewerAddress', {
      comment: 'Pass the viewer address to the API in a header the client cannot set',
      code: FunctionCode.fromInline(VIEWER_ADDRESS_CODE),
    });
    // The OG cards read their photo from the site's /media/: only with a given site URL (the
    // distribution's own domain would make the renderer and the distribution depend on each other).
    this.renderer = new SiteRenderer(this, 'Renderer', {
      entry: props.renderEntry ?? rendererEntry(),
      apiUrl: `https://${props.apiDomainName}`,
      ...(props.siteUrl ? { siteUrl: props.siteUrl } : {}),
      ...(props.originVerifySecret
        ? { originVerifySecret: props.originVerifySecret.secretValue.unsafeUnwrap() }
        : {}),
    });
    // The same headers the local server sends (infra/security-headers.ts), on every behaviour:
    // photos upload straight to the media bucket, so the browser may connect there too.
    // The inline script hashes of the build deployed with this stack (none when not built).
    const scriptHashes = builtScriptHashes(props.siteDir);
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment:
        'CSP (scripts from this origin and the build-hashed inline one) and the other browser security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({
            uploadOrigins: [`https://${props.mediaBucket.bucketRegionalDomainName}`],
            upgradeInsecureRequests: true,
            // The layout's inlined script, by the hash its build recorded.
            scriptHashes,
          }),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(STRICT_TRANSPORT_SECURITY_SECONDS),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: (['Permissions-Policy', 'Cross-Origin-Opener-Policy'] as const).map((header) => ({
          header,
          value: SECURITY_HEADERS[header],
          override: true,
        })),
      },
    });
    const rendered = { ...this.renderer.behavior(), responseHeadersPolicy: securityHeaders };
    const catalogApi = {
      ...catalogApiBehavior(apiOrigin, catalogApiCachePolicy(this)),
      responseHeadersPolicy: securityHeaders,
    };

    // One origin access control (SigV4 signing) for both S3 origins.
    const originAccessControl = new S3OriginAccessControl(this, 'OriginAccessControl', {
      description: 'CloudFront reads the site and media buckets',
    });

    const domain = props.customDomain;
    // Missing keys of the site bucket answer the storefront's 404 page (origin response of the
    // default behaviour only: the API's JSON errors and the rendered pages' own 404s are untouched).
    const notFoundPage = props.notFoundPageVersionArn
      ? Version.fromVersionArn(this, 'NotFoundPage', props.notFoundPageVersionArn)
      : undefined;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Thái Nguyên exchange: site, media and /api/*',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Price class left at "all": shoppers in Vietnam get their nearest edge location.
      defaultRootObject: 'index.html',
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket, { originAccessControl }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
        ...(notFoundPage
          ? {
              edgeLambdas: [
                { functionVersion: notFoundPage, eventType: LambdaEdgeEventType.ORIGIN_RESPONSE },
              ],
            }
          : {}),
      },
      additionalBehaviors: {
        // Pages rendered on request (product, producer, lot, listings, sitemap, OG cards).
        ...Object.fromEntries(RENDERED_PATHS.map((path) => [path, rendered])),
        // Public catalog reads, cached per query string (listed before /api/*: first match wins).
        '/api/catalog/*': catalogApi,
        // The programme's statistics and open data, cached like the catalog (functions/catalog/stats.ts).
        '/api/stats*': catalogApi,
        // Same origin for site and API: no CORS, cookies work. Never cached here; the API is dynamic
        // and sees the viewer's headers, query and cookies (all but Host, which must be execute-api's).
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          compress: true,
          functionAssociations: [{ function: viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
        '/media/*': {
          origin: S3BucketOrigin.withOriginAccessControl(mediaBucket, { originAccessControl }),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: mediaCachePolicy,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
        reason:
          'Intended: the data stack grants CloudFront read on media/* itself (avoids a cross-stack cycle).',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Shoppers are all over Vietnam and overseas Vietnamese buy too; no country is to be blocked.',
      },
    );
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'Built without the edge stack (tests of this stack alone); the app always passes its web ACL.',
      });
    }
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain configured for this environment: the default *.cloudfront.net certificate is used; with customDomain the certificate is ACM with TLSv1.2_2021.',
      });
    }
    if (domain) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZoneId,
        zoneName: domain.hostedZoneName,
      });
      const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      new ARecord(this, 'SiteAlias', { zone, recordName: domain.domainName, target });
      new AaaaRecord(this, 'SiteAliasIpv6', { zone, recordName: domain.domainName, target });
    }

    if (props.siteDir) this.uploadSite(props.siteDir);
    if (props.table) {
      this.invalidation = new SiteInvalidation(this, 'Invalidation', {
        table: props.table,
        distribution: this.distribution,
      });
      this.rebuild = new SiteRebuild(this, 'Rebuild', {
        siteBucket: this.siteBucket,
        distribution: this.distribution,
        apiUrl: `https://${props.apiDomainName}`,
        siteUrl: props.siteUrl ?? `https://${this.distribution.distributionDomainName}`,
        scriptHashes,
        schedule: props.rebuildEvery,
        ...(props.originVerifySecret ? { originVerifySecret: props.originVerifySecret } : {}),
      });
      new CfnOutput(this, 'RebuildProjectName', { value: this.rebuild.project.projectName });
    }
    new CfnOutput(this, 'RendererFunctionName', { value: this.renderer.function.function.functionName });

    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName });
    new CfnOutput(this, 'SiteBucketName', { value: this.siteBucket.bucketName });
  }

  /**
   * Upload the built site: Astro's fingerprinted `_astro/` assets as immutable, everything else
   * (HTML, sitemap, robots) revalidated on each request, then invalidate the cache. Each deployment
   * excludes the other's files so that neither prunes the other's; old `_astro/` files are kept
   * (never pruned) so pages already open in a browser keep working across a deploy.
   */
  private uploadSite(siteDir: string): void {
    const source = Source.asset(siteDir);
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [source],
      destinationBucket: this.siteBucket,
      exclude: ['*'],
      include: ['_astro/*'],
      prune: false,
      cacheControl: [CacheControl.fromString(SITE_CACHE_CONTROL.assets)],
      memoryLimit: 512,
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [source],
      destinationBucket: this.siteBucket,
      exclude: ['_astro/*'],
      cacheControl: [CacheControl.fromString(SITE_CACHE_CONTROL.pages)],
      distribution: this.distribution,
      distributionPaths: deployInvalidationPaths(siteDir),
      memoryLimit: 512,
    });
    // New pages reference new assets: upload those first. The rendered pages are invalidated
    // once the new renderer is in place.
    pages.node.addDependency(assets);
    pages.node.addDependency(this.renderer);

    // Both deployments share one CDK-provided handler (a deploy-time custom resource); its
    // permissions are generated by BucketDeployment. The role's scope is the handler function.
    const handler = assets.handlerRole.node.scope;
    if (!handler) throw new Error('BucketDeployment handler not found');
    const qualifier = this.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const assetsBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
      '${Qualifier}',
      qualifier,
    )
      // A stack with a region of its own names it in the bucket; an environment-agnostic one does not.
      .replace('${AWS::Region}', nagText(this, this.region).replace(/^<AWS::Region>$/, '${AWS::Region}'))
      .replace(/\$\{/g, '<')
      .replace(/\}/g, '>');
    const siteBucketId = this.getLogicalId(this.siteBucket.node.defaultChild as CfnBucket);
    const generated = 'Generated by CDK BucketDeployment for its deploy-time upload handler';
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${generated}: log writing for a function that runs only during deployments.`,
      },
      { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: `${generated}: reads the CDK asset zip.` },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: `${generated}: reads the CDK asset zip and compares site objects.`,
      },
      { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: `${generated}: lists the site bucket to sync.` },
      {
        id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
        reason: `${generated}: aborts failed multipart uploads into the site bucket.`,
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        reason: `${generated}: prunes pages that no longer exist.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${nagText(this, this.partition)}:s3:::${assetsBucket}/*]`,
        reason: `${generated}: asset keys are content hashes unknown before synth; read only.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${siteBucketId}.Arn>/*]`,
        reason: `${generated}: it syncs the whole site bucket, which holds nothing but the built site.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${generated}: cloudfront:CreateInvalidation/GetInvalidation, granted by CDK on all distributions.`,
      },
      {
        id: 'AwsSolutions-L1',
        reason: `${generated}: its Python runtime is chosen and updated by aws-cdk-lib.`,
      },
    );
  }
}
