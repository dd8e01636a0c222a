/**
 * Notices leave the request path: a function that answers a request (checkout's COD code, a
 * consent code, an order's step) hands its message to a notice queue and answers at once; a
 * worker takes each message off the queue and sends it through the channel router
 * (shared/messaging/router.ts), which picks SMS or Zalo and sends each message key once. In AWS
 * the queue is SQS ("Notices", functions/adapters/sqs-notice-queue.ts) and the worker a Lambda
 * function (functions/messaging/notices-worker.ts); locally an in-process queue
 * (infra/local/notice-queue.ts) runs the same `deliverNotice` in the background.
 *
 * A queue delivers at least once: the message travels with its key (`messageKey`), so a message
 * received twice is still sent once (the router's claims), and a send that failed is retried as a
 * whole without doubling what already went out.
 */
import * as z from 'zod';
import type { Messenger, OutgoingMessage } from './messenger.ts';
import { messageKey } from './router.ts';
import { TEMPLATE_TEXTS, type TemplateName } from './templates.ts';

/** A message as it waits on the queue: always with its key. */
export type QueuedNotice = OutgoingMessage & { key: string };

/** Where API functions put the messages they send (SQS in AWS, in process locally). */
export interface NoticeQueue {
  enqueue(notice: QueuedNotice): Promise<void>;
}

/**
 * A Messenger that only queues: `send` resolves once the message is on the queue, before anyone
 * sent it. It throws only when the queue refuses the message (the caller then treats the notice
 * as not sent, as before).
 */
export function queuedMessenger(queue: NoticeQueue): Messenger {
  return {
    send: (message) => queue.enqueue({ ...message, key: messageKey(message) }),
  };
}

const templateNames = Object.keys(TEMPLATE_TEXTS) as [TemplateName, ...TemplateName[]];

/** A queued message's body as the worker reads it: anything else is refused, never sent. */
export const QueuedNotice = z.strictObject({
  to: z.string().min(1).max(32),
  kind: z.enum(['sign_in_code', 'consent_code', 'notification']),
  text: z.string().min(1).max(2_000),
  template: z
    .strictObject({
      name: z.enum(templateNames),
      params: z.record(z.string(), z.string().max(500)),
    })
    .optional(),
  key: z.string().min(1).max(200),
});

/** The queue's body of a notice (JSON). */
export function serializeNotice(notice: QueuedNotice): string {
  return JSON.stringify(notice);
}

/** Reads a queued body back; throws on a body that is not a notice. */
export function parseNotice(body: string): QueuedNotice {
  return QueuedNotice.parse(JSON.parse(body)) as QueuedNotice;
}

/**
 * The worker's step for one queued message: parse it and send it through `router` (which must
 * be a channel router, so a redelivered key goes out once). Throws when the send failed, so the
 * queue delivers the message again later.
 */
export async function deliverNotice(router: Messenger, body: string): Promise<void> {
  await router.send(parseNotice(body));
}
