import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, in a few words (the alarm and the dashboard name the queue by it). */
  readonly holds: string;
  /** The heading anchor in OPERATIONS.md that says how to read and redrive this queue. */
  readonly runbook: string;
}

/**
 * A dead-letter queue or on-failure destination of the exchange: encrypted (SQS-managed keys),
 * TLS only, messages kept 14 days (SQS's longest), so a failure found after a long weekend can
 * still be redriven. The monitoring stack finds every instance in the app (`DeadLetterQueue.all`)
 * and alarms on its depth, so a new dead-letter queue cannot go unwatched.
 */
export class DeadLetterQueue extends Queue {
  /** Every dead-letter queue under `scope` (the whole app, for the monitoring stack). */
  static all(scope: IConstruct): DeadLetterQueue[] {
    return scope.node.findAll().filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
  }

  readonly holds: string;
  readonly runbook: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.holds = props.holds;
    this.runbook = props.runbook;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `A dead-letter queue itself (${props.holds}): it has no dead-letter queue of its own.`,
    });
  }
}
