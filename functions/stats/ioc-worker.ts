/**
 * The IOC feed's push (shared/stats/ioc-push.ts): SQS messages `{"kind":"ioc"}` put on the feed's
 * queue once a day by an EventBridge schedule (infra/constructs/ioc-feed.ts), or
 * `{"kind":"ioc","date":"YYYY-MM-DD"}` for a given day. Without a date the day is the one before
 * the message was sent (Vietnam time), so every receive of one message pushes the same day. A
 * message whose push failed after its own retries is reported as a batch item failure: SQS gives
 * it back after the visibility timeout (the backoff between rounds) and, after its last receive,
 * moves it to the dead-letter queue, whose alarm points to OPERATIONS.md#dlq-ioc-feed.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { log } from '../../shared/observability/log.ts';
import { previousDay } from '../../shared/stats/ioc.ts';
import { iocSettings, pushIocExport, type IocPushOptions } from '../../shared/stats/ioc-push.ts';

export const IocMessage = z.strictObject({ kind: z.literal('ioc'), date: z.iso.date().optional() });
export type IocMessage = z.infer<typeof IocMessage>;

/** The day a message asks for: its own date, or the day before it was sent. */
export function dayOfMessage(body: string, sentAtMs: number): string {
  const message = IocMessage.parse(JSON.parse(body));
  return message.date ?? previousDay(sentAtMs);
}

export function iocWorker(options: Partial<IocPushOptions> = {}) {
  return async (event: Pick<SQSEvent, 'Records'>): Promise<SQSBatchResponse> => {
    const settings = iocSettings();
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const endpoint = options.endpoint ?? settings.endpoint;
        const secret = options.secret ?? settings.signingSecret;
        if (!endpoint || !secret) throw new Error('IOC_ENDPOINT and IOC_SIGNING_SECRET must be set');
        const sentAt = Number(record.attributes?.SentTimestamp);
        const date = dayOfMessage(record.body, Number.isFinite(sentAt) ? sentAt : Date.now());
        const result = await pushIocExport(date, { ...options, endpoint, secret });
        log().info('ioc export delivered', { ...result });
      } catch (error) {
        log().error('ioc export not delivered', {
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
