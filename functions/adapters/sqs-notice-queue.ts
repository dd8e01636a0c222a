/**
 * The notice queue in AWS: each message goes on the "Notices" SQS queue (NOTICES_QUEUE_URL) with
 * one `SendMessage`, and the notices worker (functions/messaging/notices-worker.ts) sends it.
 *
 * The project has no SQS client package, so this adapter speaks SQS's JSON protocol itself (AWS
 * JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessage`), signed with Signature V4 (signedHeaders, the
 * SDK signer's algorithm for this one request) and the function's credentials from its
 * environment (as Lambda provides them). With
 * `@aws-sdk/client-sqs` added, `send` becomes `client.send(new SendMessageCommand(…))` and nothing
 * else changes.
 */
import { createHash, createHmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { NoticeQueue, QueuedNotice } from '../../shared/messaging/notice-queue.ts';
import { serializeNotice } from '../../shared/messaging/notice-queue.ts';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Signature V4 of one POST to an AWS JSON endpoint at the root path, as the SDK's signer
 * (@smithy/signature-v4, 11 KB in every bundle that queues notices) computes it: the same headers
 * added (x-amz-date, x-amz-security-token, x-amz-content-sha256) and signed, the same
 * authorization header (tests/unit/notice-queue.test.ts compares the two). Answers the headers to
 * send.
 */
export function signedHeaders(input: {
  url: URL;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: SigningCredentials;
  now: Date;
}): Record<string, string> {
  const longDate = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${input.region}/${input.service}/aws4_request`;
  const payloadHash = sha256Hex(input.body);
  const headers: Record<string, string> = {
    ...input.headers,
    'x-amz-date': longDate,
    ...(input.credentials.sessionToken ? { 'x-amz-security-token': input.credentials.sessionToken } : {}),
    'x-amz-content-sha256': payloadHash,
  };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const value = (name: string) =>
    Object.entries(headers)
      .find(([key]) => key.toLowerCase() === name)![1]
      .trim()
      .replace(/\s+/g, ' ');
  const canonical = [
    'POST',
    input.url.pathname || '/',
    '',
    ...names.map((name) => `${name}:${value(name)}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', longDate, scope, sha256Hex(canonical)].join('\n');
  let key: string | Buffer = `AWS4${input.credentials.secretAccessKey}`;
  for (const part of [shortDate, input.region, input.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
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
  const credentials = options.credentials ?? fromEnv();
  const post = options.fetch ?? fetch;
  return {
    async enqueue(notice: QueuedNotice) {
      const body = JSON.stringify({ QueueUrl: options.queueUrl, MessageBody: serializeNotice(notice) });
      const headers = signedHeaders({
        url: endpoint,
        headers: {
          host: endpoint.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        },
        body,
        region,
        service: 'sqs',
        credentials: await credentials(),
        now: new Date(),
      });
      const response = await post(endpoint, {
        method: 'POST',
        headers,
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
