/**
 * Logs, metrics and correlation (shared/observability/, functions/observability.ts): what a log
 * entry may print about a person, per-request keys that never leak between concurrent requests,
 * the correlation id of a Lambda invocation, and the EMF documents a handler invocation prints.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Context, SQSEvent } from 'aws-lambda';
import { createApiApp } from '../../functions/http.ts';
import { observed } from '../../functions/observability.ts';
import { jobWorker } from '../../functions/orders/jobs-handler.ts';
import { runExpiryLane } from '../../functions/orders/lanes/expiry.ts';
import { handleVnpayIpn } from '../../shared/payments/vnpay/ipn.ts';
import type { Payments } from '../../shared/payments/index.ts';
import {
  createLogger,
  formatLine,
  log,
  useLogger,
  type ExchangeLog,
} from '../../shared/observability/log.ts';
import { configureMetrics, countEvent, flushMetrics } from '../../shared/observability/metrics.ts';
import { correlateWith, withLogScope } from '../../shared/observability/scope.ts';

interface Printed {
  text: string;
  level: string;
}

function capture(output: 'json' | 'line' = 'json', service = 'orders') {
  const printed: Printed[] = [];
  const logger = createLogger({
    service,
    output,
    level: 'DEBUG',
    sink: (text, level) => printed.push({ text, level }),
  });
  return {
    printed,
    logger,
    entries: () => printed.map((p) => JSON.parse(p.text) as Record<string, unknown>),
  };
}

let previous: ExchangeLog | undefined;
afterEach(() => {
  if (previous) useLogger(previous);
  previous = undefined;
});

describe('personal data in logs', () => {
  const phone = '0912345678';
  const address = 'Số 12 đường Hoàng Văn Thụ, phường Phan Đình Phùng, TP Thái Nguyên';
  const otp = '482913';
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';

  it('prints a phone only as its last 3 digits, and no address, one-time code or bearer token', () => {
    const { logger, printed, entries } = capture('json');
    logger.warn(`confirmation for ${phone} failed, code: ${otp}`, {
      phone,
      contact: { name: 'Nguyễn Thị Hoa', phone },
      delivery: { address },
      shippingAddress: address,
      otp,
      code: otp,
      headers: { authorization: `Bearer ${token}` },
      detail: `sent with Authorization: Bearer ${token} to +84${phone.slice(1)}`,
      orderCode: 'TN-7K3QX2',
    });
    const raw = printed.map((p) => p.text).join('\n');
    for (const secret of [phone, phone.slice(1), address, 'Hoàng Văn Thụ', otp, token, 'Nguyễn Thị Hoa']) {
      expect(raw).not.toContain(secret);
    }
    const [entry] = entries();
    expect(entry).toMatchObject({
      level: 'WARN',
      message: 'confirmation for ***678 failed, code: [redacted]',
      phone: '***678',
      contact: '[redacted]',
      delivery: '[redacted]',
      shippingAddress: '[redacted]',
      otp: '[redacted]',
      code: '[redacted]',
      headers: { authorization: '[redacted]' },
      detail: 'sent with Authorization: Bearer [redacted] to ***678',
      orderCode: 'TN-7K3QX2',
    });
  });

  it('redacts in the readable local line too, and keeps an error code', () => {
    const { logger, printed } = capture('line');
    logger.info('sign-in code sent', {
      to: `+84${phone.slice(1)}`,
      text: `Mã đăng nhập: ${otp}`,
      code: 'auth.too_many_codes',
    });
    expect(printed).toHaveLength(1);
    const line = printed[0]!.text;
    expect(line).not.toContain(otp);
    expect(line).not.toContain(phone.slice(1));
    expect(line).toMatch(
      / INFO +sign-in code sent {2}to=\*\*\*678 {2}text=\[redacted\] {2}code=auth\.too_many_codes$/,
    );
    expect(line).not.toContain('\n');
  });
});

describe('readable local lines', () => {
  it("is one line: time, level, message, correlation id, then the entry's own keys", () => {
    const line = formatLine({
      level: 'ERROR',
      message: 'request failed',
      timestamp: '2026-12-06T02:10:11.123Z',
      service: 'local',
      correlation_id: 'TN-7K3QX2',
      path: '/api/orders',
      error: { name: 'Error', message: 'boom', location: 'checkout.ts:12', stack: 'Error: boom\n    at x' },
    });
    expect(line).toBe(
      '02:10:11.123  ERROR  request failed  cid=TN-7K3QX2  path=/api/orders  error="Error: boom @ checkout.ts:12"',
    );
  });
});

describe('correlation id', () => {
  it('keeps each concurrent local request on its own keys, the order code once it is known', async () => {
    const { logger, entries } = capture('json');
    previous = useLogger(logger);
    const app = createApiApp();
    app.post('/api/orders/:code', async (c) => {
      const code = c.req.param('code');
      log().info('checkout started');
      // Interleave the requests: each waits a different time before and after it learns its code.
      await new Promise((r) => setTimeout(r, Number(code.slice(-1)) * 3));
      correlateWith(code);
      await new Promise((r) => setTimeout(r, 10 - Number(code.slice(-1))));
      log().info('order placed', { orderCode: code });
      return c.json({ code });
    });
    const codes = ['TN-AAAA1', 'TN-BBBB2', 'TN-CCCC3', 'TN-DDDD4'];
    await Promise.all(codes.map((code) => app.request(`/api/orders/${code}`, { method: 'POST' })));

    const all = entries();
    const placed = all.filter((e) => e.message === 'order placed');
    expect(placed.map((e) => e.correlation_id).sort()).toEqual(codes);
    for (const e of placed) expect(e.correlation_id).toBe(e.orderCode);
    const started = all.filter((e) => e.message === 'checkout started');
    // Before the code: each request its own generated id, none an order code.
    expect(new Set(started.map((e) => e.correlation_id)).size).toBe(codes.length);
    for (const e of started) expect(String(e.correlation_id)).toMatch(/^[0-9a-f-]{36}$/);
    // And a line outside any request carries none.
    log().info('idle');
    expect(entries().at(-1)!.correlation_id).toBeUndefined();
  });

  it('is the API Gateway request id in Lambda until the order code replaces it; the Lambda request id is kept', async () => {
    const { logger, entries } = capture('json');
    previous = useLogger(logger);
    const handler = observed(
      'orders',
      async (_event: { requestContext: { requestId: string } }, _context: Context) => {
        log().info('before');
        correlateWith('TN-7K3QX2');
        log().info('after');
        return { statusCode: 201 };
      },
    );
    await handler({ requestContext: { requestId: 'apigw-req-1' } }, lambdaContext('lambda-req-1'));
    const [before, after] = entries();
    expect(before).toMatchObject({ correlation_id: 'apigw-req-1', function_request_id: 'lambda-req-1' });
    expect(after).toMatchObject({ correlation_id: 'TN-7K3QX2', function_request_id: 'lambda-req-1' });
  });

  it('gives a nested scope (one order of a job run) its own code without changing the run', async () => {
    const { logger, entries } = capture('json');
    previous = useLogger(logger);
    await withLogScope({ correlationId: 'run-1', requestId: 'run-1' }, async () => {
      await Promise.all(
        ['TN-X1', 'TN-X2'].map((code) =>
          withLogScope({}, async () => {
            correlateWith(code);
            await new Promise((r) => setTimeout(r, 1));
            log().info('expired', { orderCode: code });
          }),
        ),
      );
      log().info('run done');
    });
    const lines = entries();
    expect(lines.filter((e) => e.message === 'expired').map((e) => [e.correlation_id, e.orderCode])).toEqual([
      ['TN-X1', 'TN-X1'],
      ['TN-X2', 'TN-X2'],
    ]);
    expect(lines.at(-1)).toMatchObject({ message: 'run done', correlation_id: 'run-1' });
  });
});

describe('metrics (EMF)', () => {
  let stdout: string[];
  const saved = { ...process.env };

  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    previous = useLogger(capture('json').logger);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    configureMetrics({ enabled: false, namespace: 'TnExchange/local', service: 'local' });
  });

  const emf = () =>
    stdout
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as Record<string, unknown> & {
            _aws: {
              CloudWatchMetrics: {
                Namespace: string;
                Dimensions: string[][];
                Metrics: { Name: string; Unit: string }[];
              }[];
            };
          },
      );

  it('prints nothing outside Lambda', () => {
    configureMetrics({ enabled: false, namespace: 'TnExchange/local', service: 'local' });
    countEvent('OrdersPlaced', 1, { dimension: 'PaymentMethod', value: 'cod' });
    flushMetrics();
    expect(emf()).toEqual([]);
  });

  it('flushes a job worker invocation: JobLagSeconds under its service, one dimension', async () => {
    configureMetrics({ enabled: true, namespace: 'TnExchange/prod', service: 'expiryJobs' });
    const sentAt = Date.now() - 42_000;
    const event = {
      Records: [
        {
          messageId: 'm-1',
          // A message of another lane: refused before any work, reported as a batch item failure.
          body: JSON.stringify({ kind: 'delivery', shards: ['00'] }),
          attributes: { SentTimestamp: String(sentAt) },
        },
      ],
    } as unknown as SQSEvent;
    const answer = await jobWorker('expiry', runExpiryLane)(event, lambdaContext('job-req-1'));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    const docs = emf();
    expect(docs).toHaveLength(1);
    const [doc] = docs;
    expect(doc!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'TnExchange/prod',
        Dimensions: [['service']],
        Metrics: [{ Name: 'JobLagSeconds', Unit: 'Seconds' }],
      },
    ]);
    expect(doc!.service).toBe('expiryJobs');
    expect(doc!.JobLagSeconds as number).toBeGreaterThanOrEqual(42);
    expect(doc!.JobLagSeconds as number).toBeLessThan(60);
  });

  it('counts IPN answers by code, and a refused IPN as a failure', async () => {
    configureMetrics({ enabled: true, namespace: 'TnExchange/prod', service: 'orders' });
    const settings = {
      tmnCode: 'TNEXCH01',
      hashSecret: 'a-secret-that-signs-nothing-here',
      payUrl: 'http://127.0.0.1:1/pay',
      apiUrl: 'http://127.0.0.1:1/api',
      returnUrl: 'http://127.0.0.1:1/return',
    };
    // A forged notification: the checksum is wrong, so VNPay is told 97 without any lookup.
    const answer = await handleVnpayIpn(
      {} as Payments,
      settings,
      'vnp_TxnRef=pi_1&vnp_Amount=100000&vnp_SecureHash=00',
    );
    expect(answer.RspCode).toBe('97');
    flushMetrics();
    const docs = emf();
    const breakdown = docs.find((d) => d._aws.CloudWatchMetrics[0]!.Dimensions[0]!.includes('RspCode'));
    expect(breakdown).toMatchObject({ service: 'orders', RspCode: '97', IpnAnswered: 1 });
    expect(breakdown!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'RspCode']]);
    const flushed = docs.find((d) => d._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length === 1);
    expect(flushed).toMatchObject({ service: 'orders', IpnAnswered: 1, IpnFailed: 1 });
    expect(flushed!._aws.CloudWatchMetrics[0]!.Namespace).toBe('TnExchange/prod');
  });

  it('counts orders placed with a payment-method breakdown and a plain count for alarms', () => {
    configureMetrics({ enabled: true, namespace: 'TnExchange/staging', service: 'orders' });
    countEvent('OrdersPlaced', 1, { dimension: 'PaymentMethod', value: 'vnpay' });
    countEvent('OrdersPlaced', 1, { dimension: 'PaymentMethod', value: 'cod' });
    flushMetrics();
    const docs = emf();
    expect(docs.filter((d) => d.PaymentMethod).map((d) => [d.PaymentMethod, d.OrdersPlaced])).toEqual([
      ['vnpay', 1],
      ['cod', 1],
    ]);
    const plain = docs.filter((d) => !d.PaymentMethod);
    expect(plain).toHaveLength(1);
    expect(plain[0]!.OrdersPlaced).toEqual([1, 1]);
    expect(plain[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
  });
});

function lambdaContext(awsRequestId: string): Context {
  return {
    awsRequestId,
    functionName: 'TnExchange-Api-OrdersFunction',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:111122223333:function:TnExchange-Api-OrdersFunction',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/orders',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
