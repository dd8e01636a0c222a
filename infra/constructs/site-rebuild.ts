import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  BuildSpec,
  Cache,
  type CfnProject,
  ComputeType,
  LinuxBuildImage,
  LocalCacheMode,
  Project,
  Source,
} from 'aws-cdk-lib/aws-codebuild';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { CodeBuildProject } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { fromRepoRoot, REPO_ROOT } from '../paths.ts';
import { ExchangeFunction, nagText } from './exchange-function.ts';

/**
 * Cache-Control of the storefront's objects, for both ways the site reaches its bucket (the
 * deploy-time upload in site-stack.ts and the rebuild here): Astro's fingerprinted `_astro/`
 * files never change under their name; everything else (HTML, sitemap, robots, OG cards) is
 * revalidated on each request.
 */
export const SITE_CACHE_CONTROL = {
  assets: 'public, max-age=31536000, immutable',
  pages: 'public, max-age=0, must-revalidate',
} as const;

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

/** Stream records the rebuild function is invoked for; decide.ts compares their images. */
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
  /** The table, with its stream, whose catalog items trigger a rebuild. */
  readonly table: ITable;
  /** Rebuild this often anyway (undefined: only on changes). @default 6 hours */
  readonly schedule?: Duration | null;
  /** How long the stream's records are gathered before the function sees them. @default 3 minutes */
  readonly batchingWindow?: Duration;
}

/**
 * Rebuilds the static storefront in AWS, so that listings made or changed after the last deploy
 * get their HTML (and sitemap entries, JSON-LD, OG cards): a CodeBuild project that runs
 * `astro build` against the deployed API and syncs site/dist to the site bucket the same way the
 * deploy-time upload does, then invalidates CloudFront. It runs on a schedule and when the
 * catalog changes (a function on the table's stream decides whether a build is needed).
 */
export class SiteRebuild extends Construct {
  readonly project: Project;
  readonly function: ExchangeFunction;
  readonly schedule?: Rule;

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
          SITE_BUCKET: { value: props.siteBucket.bucketName },
          DISTRIBUTION_ID: { value: props.distribution.distributionId },
        },
      },
      buildSpec: BuildSpec.fromObject(rebuildBuildSpec()),
      // One build at a time: two syncs racing could leave older pages last. The function waits
      // for a running build instead (see functions/site-rebuild/decide.ts).
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

    if (props.schedule !== null) {
      const every = props.schedule ?? Duration.hours(6);
      this.schedule = new Rule(this, 'Schedule', {
        description: `Rebuilds the storefront every ${every.toHumanString()} (freshness backstop)`,
        schedule: Schedule.rate(every),
        // A tick that finds a build running is refused (one build at a time): that build is fresh.
        targets: [new CodeBuildProject(this.project, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
      });
    }

    this.function = new ExchangeFunction(this, 'Trigger', {
      entry: fromRepoRoot('functions/site-rebuild/handler.ts'),
      description: 'Starts a storefront rebuild when published catalog items change',
      memorySize: 256,
      // It may wait for a running build to finish before starting the next one.
      timeout: Duration.minutes(10),
      environment: { SITE_BUILD_PROJECT: this.project.projectName },
    });
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['codebuild:StartBuild', 'codebuild:ListBuildsForProject', 'codebuild:BatchGetBuilds'],
        resources: [this.project.projectArn],
      }),
    );
    this.function.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        filters: CATALOG_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        // Debounce: a seller editing a listing or an import of many rows makes one build.
        maxBatchingWindow: props.batchingWindow ?? Duration.minutes(3),
        batchSize: 1000,
        // A failed batch (a build still running when time ran out) is retried a few times; the
        // schedule catches anything left after that.
        retryAttempts: 3,
        maxRecordAge: Duration.hours(2),
        bisectBatchOnError: false,
      }),
    );

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
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${projectId}>:*]`,
        reason: `${generated}: the log streams of its default log group (unused: the project logs to its own group with a retention).`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/<${projectId}>-*]`,
        reason: `${generated}: test report groups named after the project; this build reports none.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nag(siteBucket.bucketArn)}/*]`,
        reason:
          'The rebuild syncs the whole site bucket (put, and delete of pages that are gone); it holds nothing but the built storefront.',
      },
    );
    Validations.of(this.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, granted by CDK with the stream event source, has no resource-level permissions; the stream reads themselves are limited to the table stream.',
    });
  }
}

/** The buildspec: install, build against the API, publish with the upload's cache split. */
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
          'test -f site/dist/index.html',
          // New pages reference new assets: upload those first; old ones are kept for open tabs.
          `aws s3 sync site/dist/_astro "s3://$SITE_BUCKET/_astro" --cache-control '${SITE_CACHE_CONTROL.assets}'`,
          `aws s3 sync site/dist "s3://$SITE_BUCKET" --exclude '_astro/*' --delete --cache-control '${SITE_CACHE_CONTROL.pages}'`,
          `aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths '/*'`,
        ],
      },
    },
    cache: { paths: ['/root/.npm/**/*'] },
  };
}
