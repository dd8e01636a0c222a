import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  type BucketProps,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * A bucket nobody reaches except through IAM or CloudFront OAC: all public access blocked,
 * TLS 1.2+ only, S3-managed encryption, ACLs off, kept when the stack goes away.
 */
export class PrivateBucket extends Bucket {
  constructor(scope: Construct, id: string, props: BucketProps = {}) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      ...props,
    });
  }
}

export interface AccessLogsBucketProps {
  /** @default 90 days */
  readonly expiration?: Duration;
  /**
   * CloudFront standard logging still writes with ACLs, so a bucket that receives CloudFront logs
   * needs ACLs enabled (object writer); S3 server access logs work either way.
   */
  readonly acceptsCloudFrontLogs?: boolean;
}

/** Where the other buckets (and CloudFront) of a stack write their access logs. */
export class AccessLogsBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id, {
      objectOwnership: props.acceptsCloudFrontLogs
        ? ObjectOwnership.OBJECT_WRITER
        : ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          expiration: props.expiration ?? Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access into itself would loop.',
    });
  }
}
