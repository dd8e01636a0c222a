/**
 * The queued messenger (shared/messaging/notice-queue.ts) puts exactly the message, with its key,
 * on the queue and sends nothing itself; the queue's bodies are read back strictly; the SQS
 * adapter (functions/adapters/sqs-notice-queue.ts) sends one signed SendMessage per notice.
 */
import { describe, expect, it } from 'vitest';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { signedHeaders, sqsNoticeQueue } from '../../functions/adapters/sqs-notice-queue.ts';
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
  const credentials = () =>
    Promise.resolve({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
  const queueUrl = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/TnExchange-Notices';

  it('sends one signed SendMessage with the serialized notice', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const queue = sqsNoticeQueue({
      queueUrl,
      region: 'ap-southeast-1',
      credentials,
      fetch: (async (url: URL, init: RequestInit) => {
        requests.push({ url: String(url), init });
        return new Response('{"MessageId":"m-1"}', { status: 200 });
      }) as never,
    });
    const notice = { ...CODE, key: 'k1' };
    await queue.enqueue(notice);
    expect(requests).toHaveLength(1);
    const [{ url, init }] = requests as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://sqs.ap-southeast-1.amazonaws.com/');
    const headers = init.headers as Record<string, string>;
    expect(headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/sqs\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(init.body as string)).toEqual({
      QueueUrl: queueUrl,
      MessageBody: serializeNotice(notice),
    });
  });

  it('throws when SQS refuses, so the caller knows the notice is not queued', async () => {
    const queue = sqsNoticeQueue({
      queueUrl,
      region: 'ap-southeast-1',
      credentials,
      fetch: (async () => new Response('{"__type":"AccessDenied"}', { status: 400 })) as never,
    });
    await expect(queue.enqueue({ ...CODE, key: 'k1' })).rejects.toThrow(/SQS SendMessage answered 400/);
  });
});

/** The SDK signer's hash on node:crypto, for the reference signature. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac(
            'sha256',
            typeof secret === 'string'
              ? secret
              : ArrayBuffer.isView(secret)
                ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
                : new Uint8Array(secret),
          );
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

describe('signedHeaders', () => {
  const cases = [
    { url: 'https://sqs.ap-southeast-1.amazonaws.com/', sessionToken: undefined },
    { url: 'http://127.0.0.1:4566/', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with=chars' },
  ];
  it.each(cases)('signs as the SDK’s SignatureV4 does ($url)', async ({ url, sessionToken }) => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      ...(sessionToken ? { sessionToken } : {}),
    };
    const endpoint = new URL(url);
    const now = new Date('2026-12-07T01:02:03.456Z');
    const body = JSON.stringify({ QueueUrl: 'https://sqs/q', MessageBody: 'Xin chào  "tiếng Việt"' });
    const headers = {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessage',
    };
    const reference = await new SignatureV4({
      service: 'sqs',
      region: 'ap-southeast-1',
      credentials,
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname,
        query: {},
        headers,
        body,
      },
      { signingDate: now },
    );
    expect(
      signedHeaders({
        url: endpoint,
        headers,
        body,
        region: 'ap-southeast-1',
        service: 'sqs',
        credentials,
        now,
      }),
    ).toEqual(reference.headers);
  });
});
