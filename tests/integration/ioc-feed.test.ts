/**
 * The IOC feed on DynamoDB Local: orders and deliveries counted by the stats worker (the stream
 * records as Lambda hands them, applied by shared/db/stats.ts), then the day's export pulled with
 * the key, pushed signed to the local receiver, and pushed to a receiver that fails (retries, then
 * the dead letter), with the Lambda worker reporting the failed message for SQS to redrive.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocWorker } from '../../functions/stats/ioc-worker.ts';
import { apiRoutes } from '../../infra/local/function-apps.ts';
import {
  runIocDelivery,
  startIocReceiver,
  type IocDeadLetter,
  type RunningIocReceiver,
} from '../../infra/local/ioc-receiver.ts';
import { applyStatsRecords } from '../../shared/db/stats.ts';
import { SignatureVerificationError } from '../../shared/payments/errors.ts';
import { IocExport, iocHeaders, IOC_SIGNATURE_HEADER, verifyIocDelivery } from '../../shared/stats/ioc.ts';
import { DEV_IOC_API_KEY, DEV_IOC_SIGNING_SECRET, pushIocExport } from '../../shared/stats/ioc-push.ts';
import { createMockProducer } from '../fixtures.ts';
import { producers } from '../../shared/db/producers.ts';

// Vietnam time: 10:00 on DAY, 10:00 on the day before.
const DAY = '2026-03-12';
const BEFORE = '2026-03-11';
const DAY_ORDERS = 6;
const BEFORE_ORDERS = 3;
const PRICE = 120_000;
const HOUSEHOLD_NAME = 'Hộ Lưu Thị Xuyến';
const HOUSEHOLD_PHONE = '+84981239876';

let receiver: RunningIocReceiver;
let seq = 1;
const noWait = () => Promise.resolve();

function orderRecord(code: string, placedAt: string, producerId: string) {
  const image = {
    pk: `ORDER#${code}`,
    sk: 'ORDER',
    type: 'order',
    code,
    paymentMethod: 'cod',
    delivery: { method: 'shipping', address: { provinceCode: '01' } },
    history: [{ status: 'placed', at: placedAt }],
    lines: [{ productId: 'p-ioc', producerId, quantity: 2, lineTotal: 2 * PRICE }],
    createdAt: placedAt,
  };
  return {
    eventName: 'INSERT',
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }),
      NewImage: marshall(image),
      SequenceNumber: String(1_000_000_000_000_000_000 + seq++),
    },
  };
}

async function pull(date: string, key?: string) {
  const res = await apiRoutes.request(`/api/ioc/export/${date}`, {
    headers: key === undefined ? {} : { 'x-api-key': key },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const household = await producers.create(
    createMockProducer({
      id: 'hh-ioc',
      kind: 'household',
      name: HOUSEHOLD_NAME,
      phone: HOUSEHOLD_PHONE,
      address: { provinceCode: '19', communeCode: '01849' },
      verification: { status: 'verified' },
    }),
  );
  const records = [
    ...Array.from({ length: DAY_ORDERS }, (_, i) =>
      orderRecord(`IOC-D${i}`, `${DAY}T03:00:0${i}.000Z`, household.id),
    ),
    ...Array.from({ length: BEFORE_ORDERS }, (_, i) =>
      orderRecord(`IOC-B${i}`, `${BEFORE}T03:00:0${i}.000Z`, household.id),
    ),
  ];
  const applied = await applyStatsRecords(records);
  expect(applied.failedAt).toBeUndefined();
  receiver = await startIocReceiver({ secret: DEV_IOC_SIGNING_SECRET });
});

afterAll(() => receiver?.stop());

describe('GET /api/ioc/export/{date} (pull)', () => {
  it('answers 401 without the key or with a wrong one, before reading anything', async () => {
    const missing = await pull(DAY);
    expect(missing.status).toBe(401);
    expect((missing.body.error as { message: string }).message).toContain('x-api-key');
    expect((await pull(DAY, 'wrong-key')).status).toBe(401);
    expect((await pull(DAY, `${DEV_IOC_API_KEY}x`)).status).toBe(401);
    // A wrong key is refused even with a malformed date: nothing is said to a caller without it.
    expect((await pull('not-a-date', 'wrong-key')).status).toBe(401);
  });

  it('serves the day and the month to date with the key, withholding what comes from fewer than 5', async () => {
    const res = await pull(DAY, DEV_IOC_API_KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = IocExport.parse(res.body);
    expect(body.date).toBe(DAY);
    expect(body.day).toMatchObject({
      orders: DAY_ORDERS,
      units: DAY_ORDERS * 2,
      sales: DAY_ORDERS * 2 * PRICE,
    });
    expect(body.day.outsideShare).toBe(1);
    expect(body.monthToDate).toMatchObject({
      orders: DAY_ORDERS + BEFORE_ORDERS,
      sales: (DAY_ORDERS + BEFORE_ORDERS) * 2 * PRICE,
    });
    // No delivery yet: fewer than 5, withheld.
    expect(body.day.delivered).toBeNull();
    expect(body.day.averageDeliveryHours).toBeNull();

    // The day before had 3 orders: withheld, units and sales with it; its month to date too.
    const before = IocExport.parse((await pull(BEFORE, DEV_IOC_API_KEY)).body);
    expect(before.day).toMatchObject({ orders: null, units: null, sales: null });
    expect(before.monthToDate.orders).toBeNull();
    // One household, one producer: the headline figures are withheld as on /thong-ke/.
    expect(before.programme.households).toBeNull();
  });

  it('holds no personal data', async () => {
    const text = JSON.stringify((await pull(DAY, DEV_IOC_API_KEY)).body);
    expect(text).not.toContain(HOUSEHOLD_NAME);
    expect(text).not.toContain(HOUSEHOLD_PHONE.slice(3));
    expect(text).not.toContain('hh-ioc');
    expect(text).not.toMatch(/"(phone|producerId|householdId)"/);
  });

  it('answers a malformed date 400 and unknown query parameters 400 (with the key)', async () => {
    const bad = await pull('2026-13-40', DEV_IOC_API_KEY);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('YYYY-MM-DD');
    const extra = await apiRoutes.request(`/api/ioc/export/${DAY}?x=1`, {
      headers: { 'x-api-key': DEV_IOC_API_KEY },
    });
    expect(extra.status).toBe(400);
  });
});

describe('the daily push', () => {
  it('is signed: the receiver verifies it; a changed body, another secret or an old timestamp fail', async () => {
    const result = await pushIocExport(DAY, { endpoint: receiver.endpoint, secret: DEV_IOC_SIGNING_SECRET });
    expect(result).toMatchObject({ attempts: 1, status: 200, deliveryId: `ioc-${DAY}` });
    const got = receiver.deliveries.at(-1)!;
    expect(got).toMatchObject({ verified: true, status: 200, date: DAY, dayOrders: DAY_ORDERS });

    const body = JSON.stringify((await pull(DAY, DEV_IOC_API_KEY)).body);
    const now = Math.floor(Date.now() / 1000);
    const header = iocHeaders(body, DEV_IOC_SIGNING_SECRET, DAY, now)[IOC_SIGNATURE_HEADER];
    expect(verifyIocDelivery(body, header, DEV_IOC_SIGNING_SECRET, now).day.orders).toBe(DAY_ORDERS);
    expect(() =>
      verifyIocDelivery(body.replace(`"orders":6`, `"orders":60`), header, DEV_IOC_SIGNING_SECRET, now),
    ).toThrow(SignatureVerificationError);
    expect(() => verifyIocDelivery(body, header, 'another-secret-of-enough-length', now)).toThrow(
      SignatureVerificationError,
    );
    // Replayed ten minutes later: outside the five-minute tolerance.
    expect(() => verifyIocDelivery(body, header, DEV_IOC_SIGNING_SECRET, now + 600)).toThrow(
      SignatureVerificationError,
    );
    expect(() => verifyIocDelivery(body, undefined, DEV_IOC_SIGNING_SECRET, now)).toThrow(
      SignatureVerificationError,
    );
  });

  it('retries a failing receiver with a growing backoff, then leaves the day in the dead letters', async () => {
    receiver.failWith(503);
    const before = receiver.deliveries.length;
    const waits: number[] = [];
    const deadLetters: IocDeadLetter[] = [];
    try {
      const outcome = await runIocDelivery(DAY, {
        endpoint: receiver.endpoint,
        secret: DEV_IOC_SIGNING_SECRET,
        attempts: 3,
        maxReceives: 2,
        retryAfterMs: 60_000,
        sleep: async (ms) => void waits.push(ms),
        deadLetters,
      });
      expect(outcome.delivered).toBe(false);
    } finally {
      receiver.failWith(undefined);
    }
    // Two receives of three attempts each, every one signed and answered 503.
    const tried = receiver.deliveries.slice(before);
    expect(tried).toHaveLength(6);
    expect(tried.every((d) => d.verified && d.status === 503)).toBe(true);
    expect(waits).toEqual([2_000, 4_000, 60_000, 2_000, 4_000]);
    expect(deadLetters).toEqual([
      expect.objectContaining({ date: DAY, receives: 2, lastProblem: 'HTTP 503' }),
    ]);

    // A receiver that recovers gets the day on the next round.
    const recovered = await runIocDelivery(DAY, {
      endpoint: receiver.endpoint,
      secret: DEV_IOC_SIGNING_SECRET,
      maxReceives: 2,
      sleep: noWait,
    });
    expect(recovered.delivered).toBe(true);
  });

  it('in Lambda, a message whose push failed is reported for SQS to redrive (then its DLQ)', async () => {
    const worker = iocWorker({
      endpoint: receiver.endpoint,
      secret: DEV_IOC_SIGNING_SECRET,
      attempts: 2,
      sleep: noWait,
    });
    const sentAt = Date.parse(`${DAY}T17:30:00.000Z`); // 00:30 on the 13th in Vietnam: pushes the 12th
    const record = (messageId: string, body: string) => ({
      messageId,
      body,
      attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '1' },
    });
    receiver.failWith(503);
    const before = receiver.deliveries.length;
    let failed;
    try {
      failed = await worker({ Records: [record('m-1', '{"kind":"ioc"}')] as never });
    } finally {
      receiver.failWith(undefined);
    }
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(receiver.deliveries.slice(before).map((d) => d.date)).toEqual([DAY, DAY]);

    const ok = await worker({
      Records: [
        record('m-2', '{"kind":"ioc"}'),
        record('m-3', '{"kind":"ioc","date":"2026-03-11"}'),
      ] as never,
    });
    expect(ok.batchItemFailures).toEqual([]);
    expect(receiver.deliveries.slice(-2).map((d) => d.date)).toEqual([DAY, BEFORE]);
    // A malformed message cannot be pushed: reported, so it ends in the DLQ rather than looping.
    const bad = await worker({ Records: [record('m-4', '{"kind":"ioc","extra":1}')] as never });
    expect(bad.batchItemFailures).toEqual([{ itemIdentifier: 'm-4' }]);
  });
});
