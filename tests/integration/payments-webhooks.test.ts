/**
 * Events and webhooks against DynamoDB Local and a real HTTP endpoint: the event log and its
 * listing, the outbox written with every change, signed delivery that the official `stripe`
 * package verifies, retries with backoff, concurrent deliverers and consumer-side dedupe.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { db } from '../../shared/db/client.ts';
import { SHARDS, shardOf } from '../../shared/db/shards.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimEvent,
  deliverWebhooks,
  releaseEvent,
  type DeliverOptions,
  type WebhookEndpoint,
} from '../../shared/payments/index.ts';
import type { PaymentEvent } from '../../shared/payments/types.ts';
import {
  expectPaymentError,
  makePayments,
  outboxItems,
  storedEvents,
  useFreshTable,
} from './payments-world.ts';

const stripe = new Stripe('sk_test_x');
const secret = 'whsec_integration_secret';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  path: string;
}

/** A tiny webhook receiver: records each POST, answers what `respond` says (default 200). */
class Receiver {
  received: Received[] = [];
  respond: (request: Received) => Promise<number> | number = () => 200;
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = {
        raw: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
        path: req.url ?? '/',
      };
      this.received.push(request);
      let status = 500;
      try {
        status = await this.respond(request);
      } catch {
        status = 500;
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  url(path = '/hooks'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  ids(path?: string): string[] {
    return this.received
      .filter((r) => path === undefined || r.path === path)
      .map((r) => (JSON.parse(r.raw) as PaymentEvent).id);
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

let payments = makePayments();
let endpoint: WebhookEndpoint;
// Each test starts with an empty event log and outbox.
beforeEach(async () => {
  await useFreshTable();
  payments = makePayments();
  receiver.received = [];
  receiver.respond = () => 200;
  endpoint = { url: receiver.url(), secret };
});

const deliver = (options: Partial<DeliverOptions> = {}) =>
  deliverWebhooks({ endpoints: [endpoint], ...options });

/** A COD order paid on delivery and partly refunded: six events. */
async function someHistory() {
  const intent = await payments.paymentIntents.create({
    amount: 150_000,
    currency: 'vnd',
    payment_method_types: ['cod'],
    metadata: { order_code: 'DH-WH-1' },
    description: 'Chè tôm nõn Tân Cương, 200 g',
  });
  await payments.paymentIntents.confirm(intent.id);
  await payments.paymentIntents.capture(intent.id);
  const refund = await payments.refunds.create({ payment_intent: intent.id, amount: 50_000 });
  return { intent, refund };
}

describe('events', () => {
  it('every change writes its event into the log and the outbox, with the same bytes', async () => {
    await someHistory();
    const other = await payments.paymentIntents.create({
      amount: 10_000,
      currency: 'vnd',
      payment_method_types: ['vietqr'],
      confirm: true,
    });
    await payments.paymentIntents.cancel(other.id);
    const events = await storedEvents();
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
      'refund.created',
      'charge.refunded',
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.canceled',
    ]);
    const outbox = await outboxItems();
    expect(outbox).toHaveLength(events.length);
    const logged = new Map((await storedEvents()).map((e) => [e.id, JSON.stringify(e)]));
    for (const item of outbox) {
      expect(item).toMatchObject({ state: 'pending', attempts: 0 });
      const payload = item.payload as string;
      expect(logged.get((JSON.parse(payload) as PaymentEvent).id)).toBe(payload);
    }
    // A refused change writes no event.
    await expectPaymentError(payments.paymentIntents.capture(other.id), {
      code: 'payment_intent_unexpected_state',
    });
    expect(await outboxItems()).toHaveLength(events.length);
  });

  it('events.list: newest first, limit, starting_after, type filters', async () => {
    await someHistory();
    await someHistory();
    const all = (await storedEvents()).reverse();
    expect(all).toHaveLength(10);

    const first = await payments.events.list({ limit: 3 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/events' });
    expect(first.data.map((e) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    expect(first.data[0]!.created).toBeGreaterThanOrEqual(first.data[2]!.created);

    // Paging through with starting_after visits each event once, in order.
    const paged: string[] = [];
    let page = first;
    paged.push(...page.data.map((e) => e.id));
    while (page.has_more) {
      page = await payments.events.list({ limit: 3, starting_after: page.data.at(-1)!.id });
      paged.push(...page.data.map((e) => e.id));
    }
    expect(paged).toEqual(all.map((e) => e.id));
    expect((await payments.events.list()).data).toHaveLength(10);
    expect((await payments.events.list({ limit: 100 })).has_more).toBe(false);

    const intents = await payments.events.list({ type: 'payment_intent.*', limit: 100 });
    expect(intents.data.map((e) => e.id)).toEqual(
      all.filter((e) => e.type.startsWith('payment_intent.')).map((e) => e.id),
    );
    const succeeded = await payments.events.list({ type: 'payment_intent.succeeded', limit: 1 });
    expect(succeeded.data).toHaveLength(1);
    expect(succeeded.data[0]!.type).toBe('payment_intent.succeeded');
    expect(succeeded.has_more).toBe(true);
    const older = await payments.events.list({
      type: 'payment_intent.succeeded',
      starting_after: succeeded.data[0]!.id,
    });
    expect(older.data.map((e) => e.type)).toEqual(['payment_intent.succeeded']);
    expect(older.has_more).toBe(false);
    expect((await payments.events.list({ type: 'charge.*' })).data.map((e) => e.type)).toEqual([
      'charge.refunded',
      'charge.refunded',
    ]);
    expect((await payments.events.list({ type: 'payment_intent.payment_failed' })).data).toEqual([]);

    for (const limit of [0, 101, 2.5]) {
      await expectPaymentError(payments.events.list({ limit }), {
        type: 'invalid_request_error',
        param: 'limit',
      });
    }
  });
});

describe('webhook delivery', () => {
  it('posts each event once, signed so that stripe.webhooks.constructEvent accepts it', async () => {
    const { intent } = await someHistory();
    const report = await deliver();
    expect(report).toEqual({ attempted: 5, delivered: 5, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(5);
    const events = await storedEvents();
    expect(receiver.ids().sort()).toEqual(events.map((e) => e.id).sort());
    for (const request of receiver.received) {
      expect(request.headers['content-type']).toContain('application/json');
      const header = request.headers['stripe-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = stripe.webhooks.constructEvent(request.raw, header, secret);
      expect(event.object).toBe('event');
      expect(JSON.stringify(event)).toBe(request.raw);
      // Our own verifier agrees.
      expect(payments.webhooks.constructEvent(request.raw, header, secret).id).toBe(event.id);
    }
    const succeeded = receiver.received
      .map((r) => JSON.parse(r.raw) as PaymentEvent)
      .find((e) => e.type === 'payment_intent.succeeded');
    expect(succeeded!.data.object).toMatchObject({
      id: intent.id,
      status: 'succeeded',
      amount_received: 150_000,
    });
    expect((await outboxItems()).every((item) => item.state === 'delivered')).toBe(true);
    // Nothing is due any more.
    expect(await deliver()).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(5);
  });

  it('a tampered body, a wrong secret or an old timestamp fails verification', async () => {
    // Created and sent ten minutes "ago" by the SDK's and the deliverer's clocks.
    const sentAt = new Date(Date.now() - 10 * 60_000);
    await makePayments({ clock: () => sentAt }).paymentIntents.create({
      amount: 1_000,
      currency: 'vnd',
      payment_method_types: ['cod'],
    });
    await deliver({ now: () => sentAt });
    const [request] = receiver.received;
    const header = request!.headers['stripe-signature'] as string;
    expect(() => stripe.webhooks.constructEvent(request!.raw, header, secret)).toThrow(/tolerance/i);
    expect(() => payments.webhooks.constructEvent(request!.raw, header, secret)).toThrow(/tolerance/i);
    // Within tolerance of when it was sent, it verifies…
    const sentSeconds = Math.floor(sentAt.getTime() / 1000);
    expect(
      stripe.webhooks.constructEvent(request!.raw, header, secret, 300, undefined, sentSeconds + 5).id,
    ).toMatch(/^evt_/);
    // …unless a byte changed or the secret is not ours.
    const tampered = request!.raw.replace('"amount":1000', '"amount":1');
    expect(tampered).not.toBe(request!.raw);
    expect(() =>
      stripe.webhooks.constructEvent(tampered, header, secret, 300, undefined, sentSeconds),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() =>
      stripe.webhooks.constructEvent(request!.raw, header, 'whsec_other', 300, undefined, sentSeconds),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('a run reads only due events, however many delivered ones the outbox keeps', async () => {
    for (let i = 0; i < 30; i++) {
      await payments.paymentIntents.create({
        amount: 1_000 + i,
        currency: 'vnd',
        payment_method_types: ['cod'],
      });
    }
    expect((await deliver()).delivered).toBe(30);
    const before = await outboxItems();
    expect(before).toHaveLength(30);
    expect(before.every((item) => item.state === 'delivered' && item.ownerKey === undefined)).toBe(true);

    await payments.paymentIntents.create({ amount: 9_999, currency: 'vnd', payment_method_types: ['cod'] });
    // One entry on the due index, in its event's shard of it.
    const due = await Promise.all(
      SHARDS.map(async (shard) => {
        const page = await db().doc.send(
          new QueryCommand({
            TableName: db().tableName,
            IndexName: 'byOwner',
            KeyConditionExpression: 'ownerKey = :due',
            ExpressionAttributeValues: { ':due': `OUTBOX#DUE#${shard}` },
          }),
        );
        return page.Items ?? [];
      }),
    );
    expect(due.flat()).toHaveLength(1);
    expect(await deliver()).toEqual({ attempted: 1, delivered: 1, retrying: 0, failed: 0 });
  });

  it('an endpoint answering 500 is retried with backoff, then delivered with the same bytes', async () => {
    await payments.paymentIntents.create({ amount: 2_000, currency: 'vnd', payment_method_types: ['cod'] });
    let failures = 2;
    receiver.respond = () => (failures-- > 0 ? 500 : 200);
    const t0 = Date.now();
    let clock = t0;
    const options = { now: () => new Date(clock), backoff: (attempt: number) => attempt * 60_000 };

    expect(await deliver(options)).toEqual({ attempted: 1, delivered: 0, retrying: 1, failed: 0 });
    let [item] = await outboxItems();
    expect(item).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('HTTP 500'),
    });
    expect(item!.nextAttemptAt).toBe(t0 + 60_000);
    // Waiting in the due index under its next attempt time.
    expect(item).toMatchObject({ ownerKey: `OUTBOX#DUE#${shardOf(String(item!.sk).slice(4))}` });
    expect(String(item!.ownerSort)).toMatch(new RegExp(`^0*${t0 + 60_000}#`));

    clock = t0 + 59_000; // not yet due
    expect((await deliver(options)).attempted).toBe(0);
    clock = t0 + 60_000;
    expect(await deliver(options)).toEqual({ attempted: 1, delivered: 0, retrying: 1, failed: 0 });
    [item] = await outboxItems();
    expect(item).toMatchObject({ attempts: 2, nextAttemptAt: clock + 120_000 });
    clock += 119_000;
    expect((await deliver(options)).attempted).toBe(0);
    clock += 1_000;
    expect(await deliver(options)).toEqual({ attempted: 1, delivered: 1, retrying: 0, failed: 0 });
    [item] = await outboxItems();
    expect(item).toMatchObject({ state: 'delivered', attempts: 3 });
    // Delivered: out of the due index, so later runs never read it again.
    expect(item!.ownerKey).toBeUndefined();
    expect(item!.ownerSort).toBeUndefined();

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
    // Each attempt is signed at its own time.
    const stamps = receiver.received.map((r) => /t=(\d+)/.exec(r.headers['stripe-signature'] as string)![1]);
    expect(new Set(stamps).size).toBe(3);
    const last = receiver.received[2]!;
    expect(
      stripe.webhooks.constructEvent(
        last.raw,
        last.headers['stripe-signature'] as string,
        secret,
        300,
        undefined,
        Math.floor(clock / 1000),
      ).type,
    ).toBe('payment_intent.created');
  });

  it('after maxAttempts the event is failed and no longer sent', async () => {
    await payments.paymentIntents.create({ amount: 3_000, currency: 'vnd', payment_method_types: ['cod'] });
    receiver.respond = () => 500;
    const options = { backoff: () => 0, maxAttempts: 3 };
    expect((await deliver(options)).retrying).toBe(1);
    expect((await deliver(options)).retrying).toBe(1);
    expect(await deliver(options)).toEqual({ attempted: 1, delivered: 0, retrying: 0, failed: 1 });
    expect(await deliver(options)).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(3);
    const [item] = await outboxItems();
    expect(item).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringContaining('500') });
  });

  it('an unreachable endpoint counts as a failed attempt', async () => {
    await payments.paymentIntents.create({ amount: 3_500, currency: 'vnd', payment_method_types: ['cod'] });
    const report = await deliverWebhooks({
      endpoints: [{ url: 'http://127.0.0.1:1/hooks', secret }],
      backoff: () => 0,
    });
    expect(report).toEqual({ attempted: 1, delivered: 0, retrying: 1, failed: 0 });
    expect((await outboxItems())[0]!.lastError).toMatch(/127\.0\.0\.1:1/);
  });

  it('with two endpoints, a retry only goes to the one that failed', async () => {
    await payments.paymentIntents.create({ amount: 4_000, currency: 'vnd', payment_method_types: ['cod'] });
    let bFails = 1;
    receiver.respond = (r) => (r.path === '/b' && bFails-- > 0 ? 503 : 200);
    const endpoints = [
      { url: receiver.url('/a'), secret },
      { url: receiver.url('/b'), secret: 'whsec_b' },
    ];
    expect((await deliverWebhooks({ endpoints, backoff: () => 0 })).retrying).toBe(1);
    expect((await deliverWebhooks({ endpoints, backoff: () => 0 })).delivered).toBe(1);
    expect(receiver.received.map((r) => r.path)).toEqual(['/a', '/b', '/b']);
    const b = receiver.received[2]!;
    expect(
      stripe.webhooks.constructEvent(b.raw, b.headers['stripe-signature'] as string, 'whsec_b').id,
    ).toMatch(/^evt_/);
  });

  it('concurrent deliverers never send the same attempt twice', async () => {
    for (let i = 0; i < 6; i += 1) {
      await payments.paymentIntents.create({
        amount: 5_000 + i,
        currency: 'vnd',
        payment_method_types: ['cod'],
      });
    }
    receiver.respond = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 200;
    };
    const reports = await Promise.all([deliver(), deliver(), deliver(), deliver()]);
    expect(reports.reduce((sum, r) => sum + r.attempted, 0)).toBe(6);
    expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(6);
    expect(receiver.ids().sort()).toEqual((await storedEvents()).map((e) => e.id).sort());
  });

  it('a deliverer does not resend an event another deliverer is still sending', async () => {
    await payments.paymentIntents.create({ amount: 6_000, currency: 'vnd', payment_method_types: ['cod'] });
    const t0 = Date.now();
    // The first deliverer's POST hangs longer than its backoff; a second run starts meanwhile.
    let second: Awaited<ReturnType<typeof deliver>> | undefined;
    receiver.respond = async () => {
      if (receiver.received.length === 1) {
        second = await deliver({ now: () => new Date(t0 + 5_000), backoff: () => 1_000 });
      }
      return 200;
    };
    const first = await deliver({ now: () => new Date(t0), backoff: () => 1_000 });
    expect(first).toMatchObject({ attempted: 1, delivered: 1 });
    expect(second).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect((await outboxItems())[0]).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});

describe('consumers dedupe on the event id', () => {
  it('a redelivered event is processed once (claimEvent)', async () => {
    await payments.paymentIntents.create({ amount: 7_000, currency: 'vnd', payment_method_types: ['cod'] });
    const processed: string[] = [];
    let dropAck = true;
    receiver.respond = async (request) => {
      const event = stripe.webhooks.constructEvent(
        request.raw,
        request.headers['stripe-signature'] as string,
        secret,
      );
      if (await claimEvent(event.id, 'orders')) processed.push(event.id);
      // The first answer is lost on the way back: the sender retries a processed event.
      if (dropAck) {
        dropAck = false;
        return 500;
      }
      return 200;
    };
    await deliver({ backoff: () => 0 });
    await deliver({ backoff: () => 0 });
    expect(receiver.received).toHaveLength(2);
    expect(processed).toHaveLength(1);
    expect(processed[0]).toBe(receiver.ids()[0]);
    // Scopes are independent consumers.
    expect(await claimEvent(processed[0]!, 'emails')).toBe(true);
    expect(await claimEvent(processed[0]!, 'orders')).toBe(false);
  });

  it('releaseEvent lets a retry be processed after the handler failed', async () => {
    await payments.paymentIntents.create({ amount: 8_000, currency: 'vnd', payment_method_types: ['cod'] });
    const processed: string[] = [];
    let handlerFails = true;
    receiver.respond = async (request) => {
      const event = JSON.parse(request.raw) as PaymentEvent;
      if (!(await claimEvent(event.id, 'stock'))) return 200;
      if (handlerFails) {
        handlerFails = false;
        await releaseEvent(event.id, 'stock');
        return 500;
      }
      processed.push(event.id);
      return 200;
    };
    await deliver({ backoff: () => 0 });
    expect(processed).toEqual([]);
    await deliver({ backoff: () => 0 });
    expect(processed).toEqual(receiver.ids().slice(0, 1));
    expect((await outboxItems())[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });
});
