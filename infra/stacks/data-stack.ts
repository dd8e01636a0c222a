import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE } from '../../shared/db/table.ts';
import { AccessLogsBucket, PrivateBucket } from '../constructs/private-bucket.ts';

/**
 * Key prefixes of the media bucket. Originals (with whatever EXIF/GPS the phone put in them) go
 * to `uploads/`; the media function writes the re-encoded, metadata-free variants to `media/`,
 * which is the only prefix CloudFront may read and which `/media/*` on the site maps to 1:1.
 */
export const MEDIA_PREFIX = 'media/';
export const UPLOADS_PREFIX = 'uploads/';

/** What is durable: the table and the media bucket. Everything here is retained on delete. */
export class DataStack extends Stack {
  readonly table: Table;
  readonly mediaBucket: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Built from the one table definition; the local runtime creates DynamoDB Local's table from it too.
    // No tableName: CloudFormation names it and the functions receive it as TABLE_NAME.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Read by the storefront rebuild's trigger (site stack); also for a future search index or
      // projections fed from changes (see DESIGN.md, Search).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    const logs = new AccessLogsBucket(this, 'AccessLogs');
    this.mediaBucket = new PrivateBucket(this, 'Media', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/media/',
      // Product photos are what producers can least easily redo: keep deleted/overwritten ones a while.
      versioned: true,
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // Originals still carry the phone's metadata (GPS); the re-encoded renditions do not.
          // Once processed they are not needed: keep them a week for support, then delete.
          prefix: UPLOADS_PREFIX,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    // Send the bucket's events to EventBridge, so a media function in another stack can react to
    // uploads with an EventBridge rule instead of a bucket notification that would tie this stack
    // to that function (a cycle). Set on the L1: the L2's eventBridgeEnabled deploys a custom resource.
    (this.mediaBucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    // CloudFront (OAC) may read the public variants, and nothing else. The distribution lives in
    // the site stack, which already depends on this one (it reads the bucket's domain name). The
    // usual OAC statement conditions on that distribution's ARN, which would make this stack depend
    // on the site stack as well: a cycle. So the site stack imports the bucket (no policy change
    // there) and this statement admits distributions of this account only. The objects under
    // media/ are public content anyway; the point of OAC here is that the bucket itself is not.
    this.mediaBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudFrontReadOfPublicMedia',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.mediaBucket.arnForObjects(`${MEDIA_PREFIX}*`)],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': this.account },
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'MediaBucketName', { value: this.mediaBucket.bucketName });
  }
}
