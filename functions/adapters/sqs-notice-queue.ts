/**
 * The notice queue in AWS: each message goes on the "Notices" SQS queue (NOTICES_QUEUE_URL) with
 * one `SendMessage`, and the notices worker (functions/messaging/notices-worker.ts) sends it.
 * The client follows AWS_ENDPOINT_URL_SQS as every SDK client does (the Lambda entries' test
 * points it at a fake queue).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { NoticeQueue, QueuedNotice } from '../../shared/messaging/notice-queue.ts';
import { serializeNotice } from '../../shared/messaging/notice-queue.ts';

export interface SqsNoticeQueueOptions {
  queueUrl: string;
  /** @default a client of the function's region and credentials */
  client?: Pick<SQSClient, 'send'>;
  /** Gives up on SQS after this long (the request then fails the notice, logged by its caller). @default 3000 */
  timeoutMs?: number;
}

export function sqsNoticeQueue(options: SqsNoticeQueueOptions): NoticeQueue {
  // The client's own endpoint (the region's, or AWS_ENDPOINT_URL_SQS), not the queue URL's host.
  const client = options.client ?? new SQSClient({ useQueueUrlAsEndpoint: false });
  return {
    async enqueue(notice: QueuedNotice) {
      await client.send(
        new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: serializeNotice(notice) }),
        { abortSignal: AbortSignal.timeout(options.timeoutMs ?? 3_000) },
      );
    },
  };
}
