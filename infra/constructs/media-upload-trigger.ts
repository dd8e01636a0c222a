import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
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
  /** Upload events EventBridge could not hand to Lambda (throttled or refused past its retries). */
  readonly undeliveredEvents: DeadLetterQueue;
  /** Invocations that still failed after Lambda's retries (the invocation record, with the event). */
  readonly failedInvocations: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: MediaUploadTriggerProps) {
    super(scope, id);
    const { bucket, function: fn } = props;

    fn.bindMediaBucket(bucket, { read: [props.uploadsPrefix], write: [props.mediaPrefix] });
    fn.function.addEnvironment('MEDIA_PREFIX', props.mediaPrefix);

    this.undeliveredEvents = new DeadLetterQueue(this, 'UndeliveredEvents', {
      holds: 'photo upload events EventBridge could not deliver to the media function',
      runbook: 'dlq-media-uploads',
    });
    this.failedInvocations = new DeadLetterQueue(this, 'FailedInvocations', {
      holds: 'photo uploads the media function failed on after its retries',
      runbook: 'dlq-media-uploads',
    });

    // EventBridge invokes asynchronously: a refused image returns normally (recorded on the photo),
    // an unexpected error is retried by Lambda, twice, within an hour; the invocation record of a
    // photo that still failed goes to a dead-letter queue, from which it can be replayed (see
    // OPERATIONS.md), else the seller uploads it again.
    fn.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.failedInvocations),
    });

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
      // EventBridge's own retries cover the hand-over to Lambda (throttling, a service error).
      targets: [
        new LambdaFunction(fn.function, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.undeliveredEvents,
        }),
      ],
    });
  }
}
