/**
 * The notices worker's Lambda handler: an SQS batch from the Notices queue (up to ten messages,
 * gathered for at most a second). Each message is sent at once, beside the others, through the
 * function's messenger, the channel router (functions/services.ts): SMS by SNS, or Zalo for a
 * recipient who chose it. A message whose send failed is reported as a batch item failure, so
 * only it comes back after the visibility timeout; after its fifth receive it goes to the
 * Notices dead-letter queue (infra/constructs/notices.ts). A message delivered twice goes out
 * once: the router claims each message key per channel before sending.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { messenger } from '../../shared/messaging/messenger.ts';
import { deliverNotice } from '../../shared/messaging/notice-queue.ts';
import { log } from '../../shared/observability/log.ts';
import { recordSeconds } from '../../shared/observability/metrics.ts';
import { observed } from '../observability.ts';

/** One batch: every message sent, the failed ones named for SQS to deliver again. */
export async function sendNoticeBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        await deliverNotice(messenger(), record.body);
        // From the request that queued it to its send: how long a code takes to leave.
        const queuedAt = Number(record.attributes?.SentTimestamp);
        if (Number.isFinite(queuedAt)) recordSeconds('NoticeLagSeconds', (Date.now() - queuedAt) / 1000);
      } catch (error) {
        // The body is not logged: it carries one-time codes.
        log().error('notice not sent', {
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

export const noticesWorker = () => observed('noticesJobs', sendNoticeBatch);
