import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { nagText, type ExchangeFunction } from './exchange-function.ts';

/** Where the snapshot objects are (shared/db/catalog-snapshot.ts snapshotName). */
const SNAPSHOT_PREFIX = 'catalog/';
import { PrivateBucket } from './private-bucket.ts';

export interface CatalogSnapshotsProps {
  /** Writes the snapshots on the schedule (FUNCTIONS.catalogSnapshot). */
  readonly writer: ExchangeFunction;
  /** Read them on a cold start (FUNCTIONS.catalog). */
  readonly readers: readonly ExchangeFunction[];
  /** @default 10 minutes */
  readonly every?: Duration;
}

/**
 * The catalog's snapshots (shared/db/catalog-snapshot.ts): a private bucket, the job that writes
 * a snapshot of every catalog shard on a schedule, and read access for the catalog function, which
 * starts a cold container from them. Only derived data lives here: the bucket can be emptied or
 * lost at any time (cold containers then read the table whole, as before), so it is not versioned,
 * not logged and goes with the stack; objects are replaced on every run and expire after two days
 * if the job stops.
 */
export class CatalogSnapshots extends Construct {
  readonly bucket: PrivateBucket;

  constructor(scope: Construct, id: string, props: CatalogSnapshotsProps) {
    super(scope, id);
    this.bucket = new PrivateBucket(this, 'Bucket', {
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [
        { expiration: Duration.days(2), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only snapshots derived from the table, written by one job and read by the catalog function; every access is in CloudTrail through their roles.',
    });
    // Objects under catalog/ only: PutObject for the job, GetObject for the readers, and List for
    // the readers so that a shard without a snapshot yet answers "no such key" rather than 403.
    // No Delete for anyone: the lifecycle rule removes what the job stops replacing.
    const objects = `${this.bucket.bucketArn}/${SNAPSHOT_PREFIX}*`;
    const allow = (fn: ExchangeFunction, actions: string[], why: string) => {
      Grant.addToPrincipal({ grantee: fn.role, actions, resourceArns: [objects] });
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagText(Stack.of(this), this.bucket.bucketArn)}/${SNAPSHOT_PREFIX}*]`,
        reason: `One snapshot object per catalog shard under ${SNAPSHOT_PREFIX} in the snapshot bucket: no narrower resource exists. ${why}`,
      });
      fn.function.addEnvironment('CATALOG_SNAPSHOT_BUCKET', this.bucket.bucketName);
    };
    allow(props.writer, ['s3:PutObject'], 'PutObject only.');
    for (const reader of props.readers) {
      allow(reader, ['s3:GetObject'], 'GetObject only (with List on the bucket for this prefix).');
      reader.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
        }),
      );
    }
    const undelivered = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      holds: 'catalog snapshot runs EventBridge could not start',
      runbook: 'dlq-catalog-snapshot-schedule',
    });
    new Rule(this, 'Schedule', {
      description: 'A snapshot of every catalog shard, for cold catalog containers to start from',
      schedule: Schedule.rate(props.every ?? Duration.minutes(10)),
      targets: [
        new LambdaFunction(props.writer.function, {
          event: RuleTargetInput.fromObject({ source: 'catalog-snapshot-schedule' }),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(5),
          deadLetterQueue: undelivered,
        }),
      ],
    });
  }
}
