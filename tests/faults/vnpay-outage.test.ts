/**
 * VNPay (the emulator) and the exchange lose each other while shoppers complete payments:
 *  1. the exchange's store stalls as the payments complete: the first IPNs fail, and the emulator
 *     calls again (VNPay's retry rule) until they are answered 00;
 *  2. the emulator goes down (its IPN sender and its query API) just as more payments complete:
 *     no IPN ever arrives and reconciliation cannot reach it; once it is back, the reconciliation
 *     lane settles the rest.
 * Nothing is paid twice: each payment settles once in the store (one `payment_intent.succeeded`
 * event, no refund, no late payment), a replayed IPN or another reconciliation changes nothing, and
 * once the webhook outbox is delivered every order is placed.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, tickMessages, type JobReport } from '../../functions/orders/jobs.ts';
import type { ReconcileResult } from '../../shared/payments/vnpay/reconcile.ts';
import {
  checkout,
  orderBody,
  packsWithStock,
  scanAll,
  sleep,
  startWorld,
  type FaultWorld,
  type Pack,
} from './world.ts';

interface Paid {
  orderCode: string;
  intentId: string;
  txnRef: string;
  amount: number;
}

let world: FaultWorld;
let pack: Pack;
let revived: ServerType | undefined;
const paid: Paid[] = [];

beforeAll(async () => {
  // VNPay calls again after a failed IPN; 3 s locally by default, shorter here.
  process.env.VNPAY_IPN_RETRY_MS = '400';
  world = await startWorld();
  pack = (await packsWithStock(1, 1_000))[0]!;
}, 120_000);

afterAll(async () => {
  world.exchange.dynamodb.process.kill('SIGCONT');
  await new Promise<void>((done) => (revived ? revived.close(() => done()) : done()));
  await world?.exchange.stop();
}, 60_000);

/** A VNPay order placed over HTTP and its payment page opened at the emulator. */
async function vnpayOrder(): Promise<Paid> {
  const placed = await checkout(
    world.exchange.url,
    orderBody([{ variantId: pack.id, quantity: 1 }], 'vnpay'),
  );
  expect(placed.status).toBe(201);
  const url = placed.body.payment.next_action.redirect_to_url.url as string;
  const txn = world.exchange.vnpay.emulator.open(url);
  return {
    orderCode: placed.body.order.code,
    intentId: placed.body.payment.id,
    txnRef: txn.txnRef,
    amount: placed.body.order.total,
  };
}

/** One tick of the reconciliation lane (every shard group), as its worker runs it. */
async function reconcile(now: Date): Promise<ReconcileResult> {
  const reports = await Promise.all(tickMessages('reconcile').map((m) => runJob(m, { now })));
  const sum = { checked: 0, succeeded: 0, stillPending: 0 } as ReconcileResult;
  for (const r of reports as Extract<JobReport, { kind: 'reconcile' }>[]) {
    sum.checked += r.report.checked;
    sum.succeeded += r.report.succeeded;
    sum.stillPending += r.report.stillPending;
  }
  return sum;
}

/** After every payment window of `refs` closed: when the reconciliation lane asks about them. */
async function afterWindows(refs: string[]): Promise<Date> {
  const ends = (await scanAll())
    .filter((i) => i.type === 'vnpay_pending' && refs.includes(i.txnRef as string))
    .map((i) => i.windowEndMs as number);
  expect(ends).toHaveLength(refs.length);
  return new Date(Math.max(...ends) + 1_000);
}

describe('VNPay and the exchange out of touch while payments complete', () => {
  it('IPNs that fail while the store stalls are retried by VNPay until answered', async () => {
    const batch = [await vnpayOrder(), await vnpayOrder(), await vnpayOrder(), await vnpayOrder()];
    const java = world.exchange.dynamodb.process;
    java.kill('SIGSTOP');
    const deliveries = batch.map((p) => world.exchange.vnpay.emulator.pay(p.txnRef, 'success').ipn);
    // Longer than VNPay waits for an IPN answer (the emulator's 5 s): the first calls fail.
    await sleep(6_000);
    java.kill('SIGCONT');
    const attempts = await Promise.all(deliveries);
    paid.push(...batch);
    const summary = attempts.map((a) => a.map((x) => x.rspCode ?? x.status ?? 'error'));
    console.info(JSON.stringify({ ipnAttempts: summary }));
    for (const a of attempts) {
      // The first call met the stalled store; a later one was answered 00 (or 02: the first
      // call's write landed once the store woke up).
      expect(a[0]!.rspCode ?? '').not.toBe('00');
      expect(a.length).toBeGreaterThan(1);
      expect(['00', '02']).toContain(a.at(-1)!.rspCode);
    }
  });

  it('payments completed while the emulator is down are settled by reconciliation once it is back', async () => {
    const running = world.exchange.vnpay;
    const port = Number(new URL(running.url).port);
    const batch = [await vnpayOrder(), await vnpayOrder(), await vnpayOrder(), await vnpayOrder()];
    // VNPay goes away: no IPN is sent, its query API refuses connections.
    await running.stop();
    for (const p of batch) {
      const { ipn } = running.emulator.pay(p.txnRef, 'success');
      expect(await ipn).toEqual([]);
    }
    paid.push(...batch);
    const now = await afterWindows(batch.map((p) => p.txnRef));

    const whileDown = await reconcile(now);
    expect(whileDown).toMatchObject({ checked: 4, succeeded: 0, stillPending: 4 });

    // VNPay is back, with what it recorded meanwhile.
    revived = await new Promise<ServerType>((ready) => {
      const s = serve({ fetch: running.emulator.app.fetch, port, hostname: '127.0.0.1' }, () => ready(s));
    });
    expect((revived.address() as AddressInfo).port).toBe(port);
    const settled = await reconcile(now);
    console.info(JSON.stringify({ reconcileWhileDown: whileDown, reconcileAfter: settled }));
    expect(settled).toMatchObject({ checked: 4, succeeded: 4 });
    // Nothing is left to ask about.
    expect(await reconcile(now)).toMatchObject({ checked: 0 });
  });

  it('nothing is paid twice, even when VNPay calls again', async () => {
    // VNPay repeats an IPN it already had answered (its retry after a lost answer).
    const answered = world.exchange.vnpay.emulator.ipnLog.filter(
      (e) => e.rspCode === '00' || e.rspCode === '02',
    );
    expect(answered.length).toBeGreaterThan(0);
    for (const entry of answered) {
      const again = (await (await fetch(entry.url)).json()) as { RspCode: string };
      expect(again.RspCode).toBe('02');
    }
    // The payment events reach the orders function through the webhook outbox (the delivery
    // lane): an order whose IPN was cut off, or that reconciliation paid, is placed then.
    await Promise.all(tickMessages('delivery').map((message) => runJob(message)));

    const items = await scanAll();
    const ids = new Set(paid.map((p) => p.intentId));
    const intents = items
      .filter((i) => i.type === 'payment_intent')
      .map((i) => i.data as { id: string; status: string; amount: number; amount_received: number })
      .filter((intent) => ids.has(intent.id));
    expect(intents).toHaveLength(8);
    for (const intent of intents) {
      expect(intent.status).toBe('succeeded');
      expect(intent.amount_received).toBe(intent.amount);
    }
    const succeededEvents = items.filter(
      (i) =>
        i.type === 'event' &&
        i.eventType === 'payment_intent.succeeded' &&
        ids.has((JSON.parse(i.payload as string) as { data: { object: { id: string } } }).data.object.id),
    );
    expect(succeededEvents).toHaveLength(8);
    expect(items.filter((i) => i.type === 'refund' || i.type === 'vnpay_late_payment')).toEqual([]);
    const codes = new Set(paid.map((p) => p.orderCode));
    const orders = items.filter((i) => i.type === 'order' && codes.has(i.code as string));
    expect(orders.map((o) => `${o.code as string}:${o.status as string}`)).toEqual(
      orders.map((o) => `${o.code as string}:placed`),
    );
    expect(orders).toHaveLength(8);
  });
});
