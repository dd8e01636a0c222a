/**
 * The Notices queue (shared/messaging/notice-queue.ts): the functions that send messages put
 * each one on it (`sqs:SendMessage` only, NOTICES_QUEUE_URL) and answer their request at once;
 * the notices worker takes them in batches of up to ten, gathered for at most a second, so a
 * code reaches the phone within seconds, and sends each through the channel router. A message
 * whose send failed comes back after the visibility timeout; after five receives it goes to the
 * Notices dead-letter queue, whose depth alarms (OPERATIONS.md#dlq-notices).
 *
 * The visibility timeout (six times the worker's timeout, as Lambda advises) is also longer than
 * the router's `staleAfterMs` (60 s): a message retried after a worker crashed mid-send finds its
 * claim stale and takes it over, instead of finding it still `sending` and being dropped.
 */
import { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** Receives of a notice before it goes to the dead-letter queue. */
export const NOTICE_MAX_RECEIVES = 5;

export interface NoticesProps {
  /** The functions that queue messages (SMS_FUNCTIONS). */
  readonly producers: readonly LambdaFunction[];
  /** The notices worker (NOTICE_SENDER): it alone sends SMS and Zalo messages. */
  readonly worker: LambdaFunction;
}

export class Notices extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      holds: `notices (SMS, Zalo) whose send failed ${NOTICE_MAX_RECEIVES} times`,
      runbook: 'dlq-notices',
    });
    const timeout = props.worker.timeout ?? Duration.seconds(3);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds()),
      // An order notice still matters hours later; a code's own window (15 minutes) ends sooner.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: NOTICE_MAX_RECEIVES },
    });
    props.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // The Tết peak queues about 50 notices a second; ten batches in flight send them with room.
        maxConcurrency: 10,
      }),
    );
    for (const fn of props.producers) {
      this.queue.grantSendMessages(fn);
      fn.addEnvironment('NOTICES_QUEUE_URL', this.queue.queueUrl);
    }
  }
}
