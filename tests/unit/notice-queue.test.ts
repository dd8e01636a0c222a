/**
 * The queued messenger (shared/messaging/notice-queue.ts) puts exactly the message, with its key,
 * on the queue and sends nothing itself; the queue's bodies are read back strictly; the SQS
 * adapter (functions/adapters/sqs-notice-queue.ts) sends one SendMessage per notice.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sqsNoticeQueue } from '../../functions/adapters/sqs-notice-queue.ts';
import type { OutgoingMessage } from '../../shared/messaging/messenger.ts';
import {
  deliverNotice,
  parseNotice,
  queuedMessenger,
  serializeNotice,
  type QueuedNotice,
} from '../../shared/messaging/notice-queue.ts';
import { messageKey } from '../../shared/messaging/router.ts';
import { template } from '../../shared/messaging/templates.ts';

const CODE: OutgoingMessage = {
  to: '+84987654321',
  kind: 'notification',
  text: 'Mã xác nhận đơn TN-ABC123 (thanh toán khi nhận hàng): 123456.',
  template: template('cod_confirmation', { order_code: 'TN-ABC123', otp: '123456', minutes: '15' }),
};

function recordingQueue() {
  const queued: QueuedNotice[] = [];
  return { queued, queue: { enqueue: async (n: QueuedNotice) => void queued.push(n) } };
}

describe('queuedMessenger', () => {
  it('puts exactly the message and its key on the queue, and sends nothing', async () => {
    const { queued, queue } = recordingQueue();
    await queuedMessenger(queue).send(CODE);
    expect(queued).toEqual([{ ...CODE, key: messageKey(CODE) }]);
  });

  it("keeps a message's own key", async () => {
    const { queued, queue } = recordingQueue();
    await queuedMessenger(queue).send({ ...CODE, key: 'order-TN-ABC123-placed' });
    expect(queued.map((n) => n.key)).toEqual(['order-TN-ABC123-placed']);
  });

  it('fails the send when the queue refuses the message', async () => {
    const refusing = { enqueue: () => Promise.reject(new Error('SQS down')) };
    await expect(queuedMessenger(refusing).send(CODE)).rejects.toThrow('SQS down');
  });
});

describe('queued bodies', () => {
  it('read back as they were queued', () => {
    const notice = { ...CODE, key: messageKey(CODE) };
    expect(parseNotice(serializeNotice(notice))).toEqual(notice);
  });

  it('are refused when they are not a notice (unknown fields, unknown template, no key)', () => {
    const notice = { ...CODE, key: 'k' };
    expect(() => parseNotice(JSON.stringify({ ...notice, extra: 1 }))).toThrow();
    expect(() => parseNotice(JSON.stringify({ ...notice, template: { name: 'x', params: {} } }))).toThrow();
    expect(() => parseNotice(JSON.stringify({ ...CODE }))).toThrow();
    expect(() => parseNotice('not json')).toThrow();
  });

  it('deliverNotice hands the parsed message to the router, and its failure to the caller', async () => {
    const sent: OutgoingMessage[] = [];
    const body = serializeNotice({ ...CODE, key: 'k1' });
    await deliverNotice({ send: async (m) => void sent.push(m) }, body);
    expect(sent).toEqual([{ ...CODE, key: 'k1' }]);
    await expect(deliverNotice({ send: () => Promise.reject(new Error('SNS')) }, body)).rejects.toThrow(
      'SNS',
    );
  });
});

describe('sqsNoticeQueue', () => {
  const queueUrl = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/TnExchange-Notices';

  it('sends one SendMessage to the queue with the serialized notice', async () => {
    const sent: unknown[] = [];
    const queue = sqsNoticeQueue({
      queueUrl,
      client: {
        send: (async (command: unknown) => {
          sent.push(command);
          return { MessageId: 'm-1' };
        }) as never,
      },
    });
    const notice = { ...CODE, key: 'k1' };
    await queue.enqueue(notice);
    expect(sent).toHaveLength(1);
    const [command] = sent as [SendMessageCommand];
    expect(command).toBeInstanceOf(SendMessageCommand);
    expect(command.input).toEqual({ QueueUrl: queueUrl, MessageBody: serializeNotice(notice) });
  });

  it('throws when SQS refuses, so the caller knows the notice is not queued', async () => {
    const queue = sqsNoticeQueue({
      queueUrl,
      client: {
        send: (async () => {
          throw Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' });
        }) as never,
      },
    });
    await expect(queue.enqueue({ ...CODE, key: 'k1' })).rejects.toThrow(/denied/);
  });
});
