/**
 * Messages leave the request path (shared/messaging/notice-queue.ts): checkout answers a COD
 * order while the SMS gateway hangs, and the code reaches the phone (the dev inbox) once the
 * gateway answers; a message the queue delivers twice goes out once (the channel router's claims
 * on its key); a send that fails is tried again, by the local queue and by the Lambda worker's
 * batch item failures alike. DynamoDB Local, the orders function over HTTP, the real router.
 */
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendNoticeBatch } from '../../functions/messaging/notices-handler.ts';
import { localNoticeQueue, type LocalNoticeQueue } from '../../infra/local/notice-queue.ts';
import { recompose } from '../../infra/local/services.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { sentMessages } from '../../shared/db/sent-messages.ts';
import type { Messenger, OutgoingMessage } from '../../shared/messaging/messenger.ts';
import { queuedMessenger, serializeNotice, type QueuedNotice } from '../../shared/messaging/notice-queue.ts';
import { createChannelRouter } from '../../shared/messaging/router.ts';
import { services, type Services } from '../../shared/services.ts';
import {
  confirmationCode,
  confirmOrder,
  createShop,
  orderBody,
  placeUnconfirmed,
  SHOPPER,
  type Shop,
} from './orders-world.ts';

let shop: Shop;
const queues: LocalNoticeQueue[] = [];
let base: Services;

beforeAll(async () => {
  shop = await createShop();
  base = services();
});

afterEach(() => {
  for (const queue of queues.splice(0)) queue.stop();
  recompose({ messenger: base.messenger! });
});

/** The router as the worker holds it (SMS only, claims in the table) over `sms`. */
const routerOver = (sms: Messenger) =>
  createChannelRouter({ sms, prefs: notificationPrefs, sent: sentMessages });

function queueOver(sms: Messenger, options: { attempts?: number } = {}): LocalNoticeQueue {
  const queue = localNoticeQueue({ router: routerOver(sms), backoffMs: 10, log: () => {}, ...options });
  queues.push(queue);
  recompose({ messenger: queuedMessenger(queue) });
  return queue;
}

/** An SMS gateway that holds every send until `release()`, then delivers to the dev inbox. */
function blockedGateway() {
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  let started = 0;
  const sms: Messenger = {
    async send(message) {
      started += 1;
      await open;
      await devInbox.send(message);
    },
  };
  return { sms, release, started: () => started };
}

const unique = (text: string): OutgoingMessage => ({
  to: '+84987000111',
  kind: 'notification',
  text: `${text} ${crypto.randomUUID()}`,
});

describe('checkout with the SMS gateway hanging', () => {
  it('answers a COD order at once; the code reaches the inbox when the gateway answers', async () => {
    const gateway = blockedGateway();
    const queue = queueOver(gateway.sms);
    const phone = '0987 000 222';
    const answer = await Promise.race([
      placeUnconfirmed(
        orderBody([{ variantId: shop.packs.coopBTea.id, quantity: 1 }], {
          contact: { ...SHOPPER, phone },
        }),
      ),
      new Promise<never>((_, fail) =>
        setTimeout(() => fail(new Error('checkout waited for the SMS')), 10_000),
      ),
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.confirmation).toBeDefined();
    const code = answer.body.order.code as string;

    // The worker took the message and is stuck in the gateway; the phone has nothing yet.
    await expect.poll(() => gateway.started()).toBe(1);
    expect(await confirmationCode(code)).toBeUndefined();
    expect(queue.pending()).toBe(1);

    gateway.release();
    expect(await queue.drained(10_000)).toBe(true);
    const otp = await confirmationCode(code);
    expect(otp).toMatch(/^\d{6}$/);
    expect((await confirmOrder(code, otp!, phone)).status).toBe(200);
  });
});

describe('at-least-once delivery, sent once', () => {
  it('the same queued message twice goes out once (local queue)', async () => {
    const sent: OutgoingMessage[] = [];
    const queue = queueOver({ send: async (m) => void sent.push(m) });
    const message = unique('Sàn OCOP Thái Nguyên: đơn đã được đặt.');
    const notice: QueuedNotice = { ...message, key: `k-${crypto.randomUUID()}` };
    await queue.enqueue(notice);
    await queue.enqueue(notice);
    expect(await queue.drained(10_000)).toBe(true);
    expect(sent.map((m) => m.text)).toEqual([message.text]);
  });

  it('the same SQS record delivered twice, by two batches of the Lambda worker, goes out once', async () => {
    const sent: OutgoingMessage[] = [];
    recompose({ messenger: routerOver({ send: async (m) => void sent.push(m) }) });
    const message = unique('Mã xác nhận đơn TN-TEST: 123456.');
    const body = serializeNotice({ ...message, key: `k-${crypto.randomUUID()}` });
    const event = (messageId: string): SQSEvent =>
      ({ Records: [{ messageId, body, attributes: { SentTimestamp: String(Date.now()) } }] }) as never;
    expect(await sendNoticeBatch(event('m-1'))).toEqual({ batchItemFailures: [] });
    expect(await sendNoticeBatch(event('m-1'))).toEqual({ batchItemFailures: [] });
    expect(sent.map((m) => m.text)).toEqual([message.text]);
  });
});

describe('a send that fails', () => {
  it('is tried again by the local queue until it goes out, once', async () => {
    let calls = 0;
    const sent: OutgoingMessage[] = [];
    const queue = queueOver({
      async send(m) {
        calls += 1;
        if (calls < 3) throw new Error('SNS throttled');
        sent.push(m);
      },
    });
    const message = unique('Sàn OCOP Thái Nguyên: đơn đã giao thành công.');
    await queuedMessenger(queue).send(message);
    expect(await queue.drained(10_000)).toBe(true);
    expect(calls).toBe(3);
    expect(sent.map((m) => m.text)).toEqual([message.text]);
  });

  it('is dropped, and logged, after the last try', async () => {
    const lines: string[] = [];
    const queue = localNoticeQueue({
      router: routerOver({ send: () => Promise.reject(new Error('SNS down')) }),
      attempts: 2,
      backoffMs: 10,
      log: (line) => lines.push(line),
    });
    queues.push(queue);
    await queuedMessenger(queue).send(unique('Sàn OCOP Thái Nguyên: đơn đã bị hủy.'));
    expect(await queue.drained(10_000)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^notice dropped after 2 tries .*SNS down$/)]);
  });

  it('is a batch item failure of the Lambda worker, and its next delivery sends it', async () => {
    let fail = true;
    const sent: OutgoingMessage[] = [];
    recompose({
      messenger: routerOver({
        async send(m) {
          if (fail) throw new Error('SNS throttled');
          sent.push(m);
        },
      }),
    });
    const good = serializeNotice({ ...unique('a'), key: `k-${crypto.randomUUID()}` });
    const event: SQSEvent = {
      Records: [
        { messageId: 'bad', body: good },
        { messageId: 'not-a-notice', body: JSON.stringify({ to: '+84987000111', extra: true }) },
      ],
    } as never;
    const failed = await sendNoticeBatch(event);
    expect(failed.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad', 'not-a-notice']);
    fail = false;
    const retried = await sendNoticeBatch({ Records: [event.Records[0]!] } as never);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(1);
  });
});
