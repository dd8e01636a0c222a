import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ExchangeFunction } from './exchange-function.ts';

/** Receives of a day's push message (each with its own three attempts) before the dead-letter queue. */
export const IOC_MAX_RECEIVES = 4;
/** The wait between two receives of a failed push message: the backoff between rounds. */
export const IOC_RETRY_AFTER = Duration.minutes(30);
/** 00:30 in Vietnam (UTC+7): the day before is complete and its late deliveries counted. */
export const IOC_SCHEDULE = { hour: '17', minute: '30' } as const;

export interface IocFeedProps {
  /** The push worker (FUNCTIONS.iocFeed). */
  readonly worker: ExchangeFunction;
  /** The function serving `GET /api/ioc/export/{date}`: it gets the pull key. */
  readonly pullFunction: ExchangeFunction;
  /** The IOC's receiving URL (context `iocEndpoint`); without it the pushes fail into the DLQ. */
  readonly endpoint?: string;
}

/**
 * The IOC feed (shared/stats/ioc.ts): every day at 00:30 Vietnam time an EventBridge rule puts
 * `{"kind":"ioc"}` on the feed's queue; the worker pushes the previous day's export, signed with
 * the shared secret, retrying three times in the call. A message that still fails comes back
 * after IOC_RETRY_AFTER, up to IOC_MAX_RECEIVES receives (about an hour and a half of trying),
 * then goes to the dead-letter queue, which the monitoring stack alarms on
 * (OPERATIONS.md#dlq-ioc-feed). The signing secret and the pull key are generated in Secrets
 * Manager and handed to the functions by CloudFormation dynamic references (never in the
 * template); the IOC gets them from an operator (`aws secretsmanager get-secret-value`).
 */
export class IocFeed extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly undeliveredTicks: DeadLetterQueue;
  readonly rule: Rule;
  readonly signingSecret: Secret;
  readonly apiKey: Secret;

  constructor(scope: Construct, id: string, props: IocFeedProps) {
    super(scope, id);
    this.signingSecret = new Secret(this, 'SigningSecret', {
      description: 'HMAC-SHA256 secret of the IOC feed (X-IOC-Signature), shared with the IOC',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.apiKey = new Secret(this, 'PullApiKey', {
      description: 'x-api-key of GET /api/ioc/export/{date}, given to the IOC',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    for (const secret of [this.signingSecret, this.apiKey]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Shared with the IOC by hand: rotating means agreeing a new value with them and redeploying (README, "IOC feed"), not a rotation Lambda.',
      });
    }
    const worker = props.worker.function;
    worker.addEnvironment('IOC_SIGNING_SECRET', this.signingSecret.secretValue.unsafeUnwrap());
    if (props.endpoint) worker.addEnvironment('IOC_ENDPOINT', props.endpoint);
    props.pullFunction.function.addEnvironment('IOC_API_KEY', this.apiKey.secretValue.unsafeUnwrap());

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      holds: `IOC feed pushes that failed ${IOC_MAX_RECEIVES} rounds`,
      runbook: 'dlq-ioc-feed',
    });
    this.undeliveredTicks = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      holds: 'IOC feed ticks EventBridge could not put on the queue',
      runbook: 'dlq-ioc-feed',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: IOC_RETRY_AFTER,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: IOC_MAX_RECEIVES },
    });
    worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    this.rule = new Rule(this, 'DailySchedule', {
      description: "The IOC feed: yesterday's export, every day at 00:30 Vietnam time",
      schedule: Schedule.cron(IOC_SCHEDULE),
      targets: [
        new SqsQueue(this.queue, {
          message: RuleTargetInput.fromObject({ kind: 'ioc' }),
          retryAttempts: 5,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.undeliveredTicks,
        }),
      ],
    });
  }
}
