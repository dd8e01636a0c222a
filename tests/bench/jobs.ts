/**
 * Background-work figures (issue #10, item 7): the lanes of functions/orders/jobs.ts run as the
 * local runtime runs them (one tick = one message per shard group, all at once).
 *  - expiry: `BENCH_EXPIRY_ORDERS` (default 5,000) unpaid VNPay and VietQR orders are placed
 *    through the orders function, then expired by one expiry tick with the clock 20 minutes on
 *    (goal ≤ 2 minutes). Meanwhile the reconciliation lane runs against a VNPay whose querydr
 *    never answers (calls time out at the settings' `apiTimeoutMs`): expiry must not wait for it.
 *  - delivery: every outbox event still due (those orders' events, and whatever ran before) is
 *    sent over HTTP to a local receiver that answers 200, tick after tick until none is due
 *    (goal ≥ 3,000 events a minute).
 * `npx tsx tests/bench/jobs.ts` runs it alone against a fresh in-memory exchange.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { runJob, tickMessages, type JobKind, type JobOptions } from '../../functions/orders/jobs.ts';
import { packsForSale, type Pack } from './measure.ts';
import { isMain, runStandalone } from './standalone.ts';

const MINUTE = 60_000;

async function placeUnpaid(packs: Pack[], total: number, concurrency: number): Promise<number> {
  let next = 0;
  let placed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const res = await ordersApp.request('/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `benchjobs_${randomUUID()}` },
          body: JSON.stringify({
            lines: [{ variantId: packs[i % packs.length]!.id, quantity: 1 }],
            contact: { name: 'Khách thử tải', phone: '0987654321' },
            delivery: {
              method: 'shipping',
              address: { provinceCode: '01', wardCode: '00004', street: '1 Phố Huế' },
            },
            paymentMethod: i % 2 === 0 ? 'vnpay' : 'vietqr',
          }),
        });
        await res.arrayBuffer();
        if (res.status === 201) placed += 1;
      }
    }),
  );
  return placed;
}

/** One tick of a lane: its messages at once; the reports summed. */
async function tick(kind: JobKind, options: JobOptions): Promise<Record<string, number>> {
  const reports = await Promise.all(tickMessages(kind).map((message) => runJob(message, options)));
  const sum: Record<string, number> = {};
  for (const { report } of reports) {
    for (const [key, value] of Object.entries(report)) sum[key] = (sum[key] ?? 0) + Number(value);
  }
  return sum;
}

async function receiver(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200).end('{"received":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function benchJobs(): Promise<void> {
  const total = Number(process.env.BENCH_EXPIRY_ORDERS ?? 5_000);
  const packs = await packsForSale(12);

  let started = performance.now();
  const placed = await placeUnpaid(packs, total, 32);
  const placeSeconds = (performance.now() - started) / 1000;

  // Reconciliation against a VNPay that never answers, running beside the expiry tick.
  let queries = 0;
  const hanging = (() => {
    queries += 1;
    return new Promise<Response>(() => {});
  }) as typeof fetch;
  const later = new Date(Date.now() + 20 * MINUTE);
  started = performance.now();
  let reconcileSeconds = 0;
  const reconcile = tick('reconcile', { now: later, fetch: hanging, stopAt: Date.now() + 45_000 }).then(
    (report) => {
      reconcileSeconds = (performance.now() - started) / 1000;
      return report;
    },
  );
  const expired = await tick('expiry', { now: later, stopAt: Date.now() + 5 * MINUTE });
  const expirySeconds = (performance.now() - started) / 1000;
  const reconciled = await reconcile;

  // Delivery: every due event, over HTTP to a receiver that answers 200 at once.
  const sink = await receiver();
  const toReceiver = ((_url: string | URL | Request, init?: RequestInit) =>
    fetch(sink.url, init)) as typeof fetch;
  started = performance.now();
  let delivered = 0;
  let ticks = 0;
  for (;;) {
    const report = await tick('delivery', { fetch: toReceiver, stopAt: Date.now() + MINUTE });
    ticks += 1;
    delivered += report.delivered ?? 0;
    if ((report.attempted ?? 0) === 0 || performance.now() - started > 5 * MINUTE) break;
  }
  const drainSeconds = (performance.now() - started) / 1000;
  await sink.close();

  const perMinute = (n: number, seconds: number) => Math.round((n / seconds) * 60);
  console.log(
    '\nBackground work lanes (functions/orders/jobs.ts; 32 shards in 4 groups a lane; DynamoDB Local)',
  );
  console.table([
    {
      lane: 'expiry',
      work: `${expired.expired} of ${placed} unpaid orders expired (${expired.paid} paid, ${expired.skipped} skipped)`,
      seconds: expirySeconds.toFixed(1),
      'per minute': perMinute(expired.expired ?? 0, expirySeconds),
      goal: '5,000 in ≤ 120 s',
      // At this rate, would 5,000 expire within 2 minutes?
      met: perMinute(expired.expired ?? 0, expirySeconds) >= 2_500 ? 'yes' : 'NO',
    },
    {
      lane: 'delivery',
      work: `${delivered} webhook events delivered in ${ticks} ticks (${sink.received()} POSTs received)`,
      seconds: drainSeconds.toFixed(1),
      'per minute': perMinute(delivered, drainSeconds),
      goal: '≥ 3,000 a minute',
      met: perMinute(delivered, drainSeconds) >= 3_000 ? 'yes' : 'NO',
    },
  ]);
  console.log(
    `Reconciliation against a hanging VNPay, started with the expiry tick: ${queries} querydr calls, ` +
      `each given up at its timeout; its lane was busy ${reconcileSeconds.toFixed(1)} s of the expiry's ` +
      `${expirySeconds.toFixed(1)} s; checked ${reconciled.checked ?? 0}, still pending ${reconciled.stillPending ?? 0}.` +
      ` Placing the ${placed} orders took ${placeSeconds.toFixed(1)} s.`,
  );
}

if (isMain(import.meta.url)) await runStandalone('jobs', benchJobs);
