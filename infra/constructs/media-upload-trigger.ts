import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ExchangeFunction } from './exchange-function.ts';

export interface MediaUploadTriggerProps {
  readonly bucket: IBucket;
  /** Uploads land here, e.g. `uploads/`. */
  readonly uploadsPrefix: string;
  /** Renditions go here, e.g. `media/` (what CloudFront serves at /media/). */
  readonly mediaPrefix: string;
  readonly function: ExchangeFunction;
}

/**
 * Runs the media function for each photo upload: an EventBridge rule on the bucket's
 * "Object Created" events under the uploads prefix (the data stack turns on EventBridge
 * delivery for the bucket, so no bucket notification ties the two stacks together), and the
 * least privilege the function needs: read uploads, write renditions, nothing else in S3.
 */
export class MediaUploadTrigger extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: MediaUploadTriggerProps) {
    super(scope, id);
    const { bucket, function: fn } = props;

    fn.bindMediaBucket(bucket, { read: [props.uploadsPrefix], write: [props.mediaPrefix] });
    fn.function.addEnvironment('MEDIA_PREFIX', props.mediaPrefix);

    // EventBridge invokes asynchronously: a refused image returns normally (recorded on the photo),
    // an unexpected error is retried by Lambda, twice, within an hour; a photo still pending
    // after that is left for the seller to upload again.
    fn.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });

    this.rule = new Rule(this, 'Rule', {
      description: `Photo uploads (${props.uploadsPrefix}) in the media bucket → media function`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          object: { key: [{ prefix: props.uploadsPrefix }] },
        },
      },
      targets: [new LambdaFunction(fn.function, { retryAttempts: 4, maxEventAge: Duration.hours(1) })],
    });
  }
}
