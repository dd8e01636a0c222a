/**
 * The notice queue in AWS: each message goes on the "Notices" SQS queue (NOTICES_QUEUE_URL) with
 * one `SendMessage`, and the notices worker (functions/messaging/notices-worker.ts) sends it.
 *
 * The project has no SQS client package, so this adapter speaks SQS's JSON protocol itself (AWS
 * JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessage`), signed with Signature V4 by the SDK's own
 * signer and the function's credentials from its environment (as Lambda provides them). With
 * `@aws-sdk/client-sqs` added, `send` becomes `client.send(new SendMessageCommand(…))` and nothing
 * else changes.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import type { NoticeQueue, QueuedNotice } from '../../shared/messaging/notice-queue.ts';
import { serializeNotice } from '../../shared/messaging/notice-queue.ts';

/** SignatureV4's hash: SHA-256, or HMAC-SHA-256 when given a key (node:crypto). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

export interface SqsNoticeQueueOptions {
  queueUrl: string;
  /** @default AWS_REGION */
  region?: string;
  /** @default AWS_ENDPOINT_URL_SQS, else SQS's endpoint in `region` */
  endpoint?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default the credentials of the function's environment */
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  /** Gives up on SQS after this long (the request then fails the notice, logged by its caller). @default 3000 */
  timeoutMs?: number;
}

export function sqsNoticeQueue(options: SqsNoticeQueueOptions): NoticeQueue {
  const region = options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1';
  // As the SDK's clients do: AWS_ENDPOINT_URL_SQS points the calls elsewhere (the Lambda tests).
  const endpoint = new URL(
    options.endpoint ?? process.env.AWS_ENDPOINT_URL_SQS ?? `https://sqs.${region}.amazonaws.com/`,
  );
  const signer = new SignatureV4({
    service: 'sqs',
    region,
    credentials: options.credentials ?? fromEnv(),
    sha256: Sha256,
  });
  const post = options.fetch ?? fetch;
  return {
    async enqueue(notice: QueuedNotice) {
      const body = JSON.stringify({ QueueUrl: options.queueUrl, MessageBody: serializeNotice(notice) });
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname,
        query: {},
        headers: {
          host: endpoint.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        },
        body,
      });
      const response = await post(endpoint, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      });
      if (!response.ok) {
        const detail = await response.text().catch(() => '');
        throw new Error(`SQS SendMessage answered ${response.status}: ${detail.slice(0, 300)}`);
      }
      await response.arrayBuffer().catch(() => undefined);
    },
  };
}
