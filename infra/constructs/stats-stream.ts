import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { STATS_ITEM_TYPES } from '../../shared/stats/deltas.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ExchangeFunction } from './exchange-function.ts';

/**
 * Stream records that can move a counter (shared/stats/deltas.ts): producers, listings, OCOP
 * certificates, orders and sub-orders, by the `type` of the new image (or the old one, when an
 * item is deleted). Stock moves, sign-in codes, payments and the rest never reach the worker.
 */
export const STATS_STREAM_FILTERS: readonly Record<string, unknown>[] = [
  { dynamodb: { NewImage: { type: { S: [...STATS_ITEM_TYPES] } } } },
  { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: [...STATS_ITEM_TYPES] } } } },
];

export interface StatsStreamProps {
  readonly table: ITable;
  /** The stats worker (FUNCTIONS.statsStream). */
  readonly worker: ExchangeFunction;
}

/**
 * The programme's counters kept from the table's stream: the stats worker as the stream's
 * consumer. Batches of up to 100 records gathered for 10 s (one counter write per batch, however
 * busy the counter); a failed chunk is reported as the first record not applied
 * (ReportBatchItemFailures) and retried from there, a batch that keeps failing is split in two
 * (bisect) until the record at fault is alone, and after 10 attempts or a day it is sent to the
 * dead-letter queue. Retries add nothing twice (shared/db/stats.ts). The monitoring stack alarms on
 * the worker's iterator age (its kind is `stream`) and on this queue's depth.
 */
export class StatsStream extends Construct {
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: StatsStreamProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      holds: 'stream batches the statistics counters could not apply',
      runbook: 'dlq-stats-stream',
    });
    props.worker.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: STATS_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(10),
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );
    Validations.of(props.worker.function.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, granted by CDK with the stream event source, has no resource-level permissions; the stream reads themselves are limited to the table stream.',
    });
  }
}
