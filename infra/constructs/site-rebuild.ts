import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  BuildEnvironmentVariableType,
  BuildSpec,
  Cache,
  type CfnProject,
  ComputeType,
  LinuxBuildImage,
  LocalCacheMode,
  Project,
  Source,
} from 'aws-cdk-lib/aws-codebuild';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { CodeBuildProject } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { STATIC_CACHE_CONTROL } from '../../site/src/render/cache.ts';
import { REPO_ROOT } from '../paths.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { nagText } from './exchange-function.ts';

/**
 * Cache-Control of the storefront's prebuilt objects, for both ways the site reaches its bucket
 * (the deploy-time upload in site-stack.ts and the rebuild here): Astro's fingerprinted `_astro/`
 * files never change under their name; everything else (HTML, robots) is revalidated on each
 * request. One definition with the local server's (site/src/render/cache.ts).
 */
export const SITE_CACHE_CONTROL = STATIC_CACHE_CONTROL;

/**
 * The build's source: what `astro build --root site` needs and nothing else. Glob patterns over
 * the repository root, later ones win: everything out (dotfiles too: .git, .data), then the manifests, the site and shared/
 * (the pages import its schemas and helpers) back in, then build output and caches out again.
 */
export const REBUILD_SOURCE_EXCLUDE: readonly string[] = [
  '*',
  '.*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!site',
  '!site/**',
  '!shared',
  '!shared/**',
  // What works out the changed pages' paths after a build (changed-paths.ts and its one import).
  '!functions',
  '!functions/site-rebuild',
  '!functions/site-rebuild/changed-paths.ts',
  '!functions/site-rebuild/publish-paths.ts',
  'node_modules',
  '**/node_modules/**',
  'site/dist',
  'site/dist/**',
  'site/.astro',
  'site/.astro/**',
  '.data',
  '**/.data/**',
  '*.log',
];

/** Stream records that may change a page (the invalidation function's filters); decide.ts compares their images. */
export const CATALOG_STREAM_FILTERS: readonly Record<string, unknown>[] = [
  // A product that is published, or was (published → archived, or deleted).
  { dynamodb: { Keys: { sk: { S: ['PRODUCT'] } }, NewImage: { status: { S: ['published'] } } } },
  { dynamodb: { Keys: { sk: { S: ['PRODUCT'] } }, OldImage: { status: { S: ['published'] } } } },
  // Packs (price, size, in stock / sold out) and OCOP certificates (the badge).
  { dynamodb: { Keys: { sk: { S: [{ prefix: 'VARIANT#' }, { prefix: 'OCOP#' }] } } } },
  // Producers (name, place, verification).
  { dynamodb: { Keys: { sk: { S: ['PRODUCER'] } } } },
];

export interface SiteRebuildProps {
  readonly siteBucket: IBucket;
  readonly distribution: IDistribution;
  /** Origin the build reads the catalog API from (EXCHANGE_API_URL). */
  readonly apiUrl: string;
  /** Public origin of the storefront, for canonical URLs and the sitemap (SITE_URL). */
  readonly siteUrl: string;
  /**
   * The inline script hashes the deployed Content-Security-Policy allows (SCRIPT_HASHES, the
   * deploy's build's `builtScriptHashes`): a rebuild whose pages would need others publishes nothing.
   */
  readonly scriptHashes: readonly string[];
  /** Rebuild this often (null: never, only deploys). @default 6 hours */
  readonly schedule?: Duration | null;
  /**
   * The origin-verify secret the API requires on every request (functions/http.ts): the build
   * sends it with its catalog reads (ORIGIN_VERIFY_SECRET, read from Secrets Manager by CodeBuild).
   */
  readonly originVerifySecret?: ISecret;
}

/**
 * Rebuilds the storefront's prebuilt pages in AWS (home with the newest and OCOP products, the
 * producers index, about pages, cart, checkout, seller center): a CodeBuild project that runs
 * `astro build` against the deployed API and syncs site/dist/client to the site bucket the same
 * way the deploy-time upload does, then invalidates CloudFront. On a schedule only: the pages that
 * follow the catalog (products, producers, lots, listings) are rendered on request and
 * invalidated by path on each change (constructs/site-render.ts), so build time does not grow
 * with the catalog and no change waits for a build.
 */
export class SiteRebuild extends Construct {
  readonly project: Project;
  readonly schedule?: Rule;
  /** Scheduled ticks EventBridge could not turn into a build (e.g. one was already running). */
  readonly scheduleDeadLetters?: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SiteRebuildProps) {
    super(scope, id);

    const source = new Asset(this, 'Source', { path: REPO_ROOT, exclude: [...REBUILD_SOURCE_EXCLUDE] });

    const logGroup = new LogGroup(this, 'BuildLogs', { retention: RetentionDays.ONE_MONTH });
    this.project = new Project(this, 'Project', {
      description: 'Rebuilds the static storefront from the catalog API and publishes it',
      source: Source.s3({ bucket: source.bucket, path: source.s3ObjectKey }),
      environment: {
        buildImage: LinuxBuildImage.STANDARD_7_0,
        computeType: ComputeType.SMALL,
        environmentVariables: {
          EXCHANGE_API_URL: { value: props.apiUrl },
          SITE_URL: { value: props.siteUrl },
          SCRIPT_HASHES: { value: JSON.stringify(props.scriptHashes) },
          SITE_BUCKET: { value: props.siteBucket.bucketName },
          DISTRIBUTION_ID: { value: props.distribution.distributionId },
          ...(props.originVerifySecret
            ? {
                ORIGIN_VERIFY_SECRET: {
                  type: BuildEnvironmentVariableType.SECRETS_MANAGER,
                  value: props.originVerifySecret.secretArn,
                },
              }
            : {}),
        },
      },
      buildSpec: BuildSpec.fromObject(rebuildBuildSpec()),
      // One build at a time: two syncs racing could leave older pages last.
      concurrentBuildLimit: 1,
      timeout: Duration.minutes(20),
      queuedTimeout: Duration.minutes(30),
      cache: Cache.local(LocalCacheMode.CUSTOM),
      logging: { cloudWatch: { logGroup } },
    });

    // Writes the site, nothing else: list for sync, put, and delete (pages that no longer exist).
    this.project.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.siteBucket.bucketArn] }),
    );
    this.project.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [props.siteBucket.arnForObjects('*')],
      }),
    );
    props.distribution.grantCreateInvalidation(this.project);
    props.originVerifySecret?.grantRead(this.project);

    if (props.schedule !== null) {
      const every = props.schedule ?? Duration.hours(6);
      this.scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
        holds: 'scheduled storefront rebuilds that could not be started',
        runbook: 'dlq-site-rebuild-schedule',
      });
      this.schedule = new Rule(this, 'Schedule', {
        description: `Rebuilds the prebuilt storefront pages every ${every.toHumanString()}`,
        schedule: Schedule.rate(every),
        // A tick that finds a build running is refused (one build at a time): that build is fresh.
        targets: [
          new CodeBuildProject(this.project, {
            retryAttempts: 2,
            maxEventAge: Duration.hours(1),
            deadLetterQueue: this.scheduleDeadLetters,
          }),
        ],
      });
    }

    this.acknowledgeFindings(props.siteBucket);
  }

  /** cdk-nag findings on what CDK generates here, each acknowledged by its exact text. */
  private acknowledgeFindings(siteBucket: IBucket): void {
    Validations.of(this.project).acknowledge({
      id: 'AwsSolutions-CB4',
      reason:
        'The build produces no artifacts (it syncs to the S3-encrypted site bucket) and logs to CloudWatch; a customer-managed KMS key would add cost and protect nothing secret: the output is the public storefront.',
    });

    const stack = Stack.of(this);
    const nag = (value: string) => nagText(stack, value);
    const projectId = stack.getLogicalId(this.project.node.defaultChild as CfnProject);
    const role = this.project.role;
    if (!role) throw new Error('The rebuild project has no role');
    const generated = 'Generated by CDK for the CodeBuild project';
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: `${generated}: reads its source, one asset zip named by its content hash.`,
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        reason: `${generated}: reads its source (bucket location and versioning of the CDK assets bucket).`,
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:List*]',
        reason: `${generated}: reads its source; List is limited to the assets bucket and the one asset key.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${nag(stack.partition)}:logs:${nag(stack.region)}:<AWS::AccountId>:log-group:/aws/codebuild/<${projectId}>:*]`,
        reason: `${generated}: the log streams of its default log group (unused: the project logs to its own group with a retention).`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${nag(stack.partition)}:codebuild:${nag(stack.region)}:<AWS::AccountId>:report-group/<${projectId}>-*]`,
        reason: `${generated}: test report groups named after the project; this build reports none.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nag(siteBucket.bucketArn)}/*]`,
        reason:
          'The rebuild syncs the whole site bucket (put, and delete of pages that are gone); it holds nothing but the built storefront.',
      },
    );
  }
}

/** Scratch files of the build: the bucket's listing before the sync, and the paths to invalidate. */
export const REBUILD_FILES = { listing: '/tmp/site-objects.json', paths: '/tmp/changed-paths.txt' } as const;

/** Fails unless the rebuilt pages' inline script hashes are the ones the deployed policy allows. */
export const SCRIPT_HASHES_CHECK =
  'test "$(node -p \'JSON.stringify(require("./site/dist/script-hashes.json"))\')" = "$SCRIPT_HASHES" || ' +
  '{ echo "the rebuilt pages need inline script hashes other than the deployed Content-Security-Policy allows ($SCRIPT_HASHES): deploy the site stack from this commit instead"; exit 1; }';

/**
 * The buildspec: install, build against the API, work out which pages changed (content against
 * the bucket's ETags, changed-paths.ts), publish with the upload's cache split, and invalidate
 * exactly those pages: never `/*`, so `/media/*` and the rendered pages stay cached.
 */
export function rebuildBuildSpec(): Record<string, unknown> {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: {
        'runtime-versions': { nodejs: 22 },
        commands: ['node --version', 'npm ci --no-audit --no-fund'],
      },
      // One phase for build and publish: post_build would run even after a failed build, and a
      // sync with --delete from an empty dist would take the storefront down.
      build: {
        'on-failure': 'ABORT',
        commands: [
          'ASTRO_TELEMETRY_DISABLED=1 EXCHANGE_API_URL="$EXCHANGE_API_URL" SITE_URL="$SITE_URL" PUBLIC_DEMO_DATA=false npx astro build --root site',
          'test -f site/dist/client/index.html',
          // Pages whose inline script the live policy does not allow would lose the header's cart
          // badge and menu: a rebuild from other sources than the deploy's stops here (and alarms).
          `${SCRIPT_HASHES_CHECK}`,
          `aws s3api list-objects-v2 --bucket "$SITE_BUCKET" --output json > ${REBUILD_FILES.listing}`,
          `npx tsx functions/site-rebuild/changed-paths.ts site/dist/client ${REBUILD_FILES.listing} > ${REBUILD_FILES.paths}`,
          `echo "pages changed: $(wc -l < ${REBUILD_FILES.paths})"; cat ${REBUILD_FILES.paths}`,
          // New pages reference new assets: upload those first; old ones are kept for open tabs.
          `aws s3 sync site/dist/client/_astro "s3://$SITE_BUCKET/_astro" --cache-control '${SITE_CACHE_CONTROL.assets}'`,
          `aws s3 sync site/dist/client "s3://$SITE_BUCKET" --exclude '_astro/*' --delete --cache-control '${SITE_CACHE_CONTROL.pages}'`,
          `if [ -s ${REBUILD_FILES.paths} ]; then aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths $(cat ${REBUILD_FILES.paths}); fi`,
        ],
      },
    },
    cache: { paths: ['/root/.npm/**/*'] },
  };
}
