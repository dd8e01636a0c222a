/**
 * The job workers' Lambda entry: an SQS batch of job messages (jobs.ts) for one lane. Messages
 * run at the same time; one that fails is reported as a batch item failure, so only it comes
 * back (and after its queue's maxReceiveCount goes to the dead-letter queue). Each message stops
 * starting new work a few seconds before the function's own timeout.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { log } from '../../shared/observability/log.ts';
import { recordSeconds } from '../../shared/observability/metrics.ts';
import { observed } from '../observability.ts';
import { parseJobMessage, type JobKind, type JobOptions } from './job-messages.ts';

/** Left for the last writes of a message when its deadline comes. */
const DEADLINE_MARGIN_MS = 5_000;

/**
 * The worker of one lane, running each message with that lane's runner (functions/orders/lanes/),
 * so the function bundles that lane alone.
 */
export function jobWorker(kind: JobKind, run: (shards: string[], options: JobOptions) => Promise<object>) {
  const work = async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const stopAt = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        try {
          // Due when the lane's schedule put it on the queue: how late this run starts.
          const sentAt = Number(record.attributes?.SentTimestamp);
          if (Number.isFinite(sentAt)) recordSeconds('JobLagSeconds', (Date.now() - sentAt) / 1000);
          const message = parseJobMessage(record.body);
          if (message.kind !== kind) throw new Error(`A ${message.kind} message reached the ${kind} worker`);
          const report = await run(message.shards, { stopAt });
          log().info(`${kind} jobs`, { ...report });
        } catch (error) {
          log().error(`${kind} jobs failed`, { messageId: record.messageId, error });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures } satisfies SQSBatchResponse;
  };
  return observed(`${kind}Jobs`, work);
}
