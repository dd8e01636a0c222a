/**
 * The payment SDK's core against DynamoDB Local: idempotency keys, Stripe-shaped intents and
 * their transitions, cash on delivery from confirmation to capture or cancellation, refunds.
 */
import { describe, expect, it } from 'vitest';
import { PaymentError, type PaymentProvider } from '../../shared/payments/index.ts';
import { KEY_SPACES } from '../../shared/db/idempotency.ts';
import { getConsistent as getItem } from '../../shared/db/item-access.ts';
import { paymentIntentKeys } from '../../shared/db/payment-intents.ts';
import type { PaymentIntent, Refund } from '../../shared/payments/types.ts';
import {
  eventTypesFor,
  expectPaymentError,
  fulfilled,
  makePayments,
  rejected,
  storedEvents,
} from './payments-world.ts';

const payments = makePayments();

const codIntent = (amount = 150_000, extra: Record<string, unknown> = {}) =>
  payments.paymentIntents.create({
    amount,
    currency: 'vnd',
    payment_method_types: ['cod'],
    metadata: { order_code: `DH-${Math.random().toString(36).slice(2, 8)}` },
    ...extra,
  });

/** A COD intent paid on delivery: confirmed, then captured. */
async function succeededCod(amount = 200_000): Promise<PaymentIntent> {
  const intent = await codIntent(amount);
  await payments.paymentIntents.confirm(intent.id);
  return payments.paymentIntents.capture(intent.id);
}

const key = () => `key-${Math.random().toString(36).slice(2)}`;

describe('idempotency keys', () => {
  it('three concurrent creates with one key make one intent and one event', async () => {
    const idempotencyKey = key();
    const params = {
      amount: 150_000,
      currency: 'vnd' as const,
      payment_method_types: ['cod' as const],
      metadata: { order_code: 'DH-IDEM-1' },
    };
    const results = await Promise.all(
      [1, 2, 3].map(() => payments.paymentIntents.create(params, { idempotencyKey })),
    );
    const ids = new Set(results.map((intent) => intent.id));
    expect(ids.size).toBe(1);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const id = results[0]!.id;
    expect(await eventTypesFor(id)).toEqual(['payment_intent.created']);
    // A later retry replays too, and still writes nothing.
    const again = await payments.paymentIntents.create(params, { idempotencyKey });
    expect(again).toEqual(results[0]);
    expect(await eventTypesFor(id)).toEqual(['payment_intent.created']);
    const created = (await storedEvents()).find((event) => event.data.object.id === id)!;
    expect(created.request.idempotency_key).toBe(idempotencyKey);
  });

  it('the same key with different parameters is an idempotency_error', async () => {
    const idempotencyKey = key();
    const first = await codIntent(100_000, { metadata: { order_code: 'DH-IDEM-2' } });
    void first;
    await payments.paymentIntents.create(
      { amount: 100_000, currency: 'vnd', payment_method_types: ['cod'] },
      { idempotencyKey },
    );
    await expectPaymentError(
      payments.paymentIntents.create(
        { amount: 100_001, currency: 'vnd', payment_method_types: ['cod'] },
        { idempotencyKey },
      ),
      { type: 'idempotency_error', code: 'idempotency_key_reused' },
    );
    // Another operation under the same key is a different request as well.
    const intent = await codIntent();
    await expectPaymentError(payments.paymentIntents.confirm(intent.id, {}, { idempotencyKey }), {
      type: 'idempotency_error',
    });
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_confirmation');
  });

  it('parameter order does not make a different request', async () => {
    const idempotencyKey = key();
    const a = await payments.paymentIntents.create(
      { amount: 5_000, currency: 'vnd', payment_method_types: ['cod'], metadata: { a: '1', b: '2' } },
      { idempotencyKey },
    );
    const b = await payments.paymentIntents.create(
      { metadata: { b: '2', a: '1' }, payment_method_types: ['cod'], currency: 'vnd', amount: 5_000 },
      { idempotencyKey },
    );
    expect(b.id).toBe(a.id);
  });

  it('a client error is stored and replayed, even once the request would succeed', async () => {
    const intent = await codIntent();
    const idempotencyKey = key();
    const first = await expectPaymentError(
      payments.paymentIntents.capture(intent.id, {}, { idempotencyKey }),
      {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
      },
    );
    await payments.paymentIntents.confirm(intent.id);
    // Now capturable, but this key already has its answer.
    const replayed = await expectPaymentError(
      payments.paymentIntents.capture(intent.id, {}, { idempotencyKey }),
      {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
      },
    );
    expect(replayed.message).toBe(first.message);
    expect(replayed.statusCode).toBe(first.statusCode);
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_capture');
    // A new key runs the request.
    expect((await payments.paymentIntents.capture(intent.id, {}, { idempotencyKey: key() })).status).toBe(
      'succeeded',
    );

    // A validation error is an answer as well.
    const badKey = key();
    const bad = { amount: 0, currency: 'vnd' as const, payment_method_types: ['cod' as const] };
    await expectPaymentError(payments.paymentIntents.create(bad, { idempotencyKey: badKey }), {
      code: 'amount_too_small',
    });
    await expectPaymentError(payments.paymentIntents.create(bad, { idempotencyKey: badKey }), {
      code: 'amount_too_small',
    });
    const record = await getItem(KEY_SPACES.payments.key(badKey));
    expect(record).toMatchObject({ state: 'completed', error: { code: 'amount_too_small' } });
  });

  it('keys live at least 24 hours (expiresAt for DynamoDB TTL)', async () => {
    const idempotencyKey = key();
    const before = Math.floor(Date.now() / 1000);
    await codIntent(10_000, { metadata: {} }).then(() => undefined);
    await payments.paymentIntents.create(
      { amount: 10_000, currency: 'vnd', payment_method_types: ['cod'] },
      { idempotencyKey },
    );
    const record = await getItem(KEY_SPACES.payments.key(idempotencyKey));
    expect(record).toMatchObject({ state: 'completed', type: 'idempotency_key' });
    expect(record!.expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600);
    expect(record!.expiresAt).toBeLessThan(before + 25 * 3600);
  });

  it('an expired key is free again (TTL deletion is lazy)', async () => {
    let now = new Date('2026-03-01T01:00:00Z');
    const timed = makePayments({ clock: () => now });
    const idempotencyKey = key();
    const first = await timed.paymentIntents.create(
      { amount: 20_000, currency: 'vnd', payment_method_types: ['cod'] },
      { idempotencyKey },
    );
    const record = await getItem(KEY_SPACES.payments.key(idempotencyKey));
    expect(record!.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 24 * 3600);
    now = new Date(now.getTime() + 23 * 3600_000);
    await expectPaymentError(
      timed.paymentIntents.create(
        { amount: 30_000, currency: 'vnd', payment_method_types: ['cod'] },
        { idempotencyKey },
      ),
      { type: 'idempotency_error' },
    );
    now = new Date(now.getTime() + 2 * 3600_000);
    const second = await timed.paymentIntents.create(
      { amount: 30_000, currency: 'vnd', payment_method_types: ['cod'] },
      { idempotencyKey },
    );
    expect(second.id).not.toBe(first.id);
    expect(second.amount).toBe(30_000);
  });

  it('a key still in flight after the wait is idempotency_key_in_use (409), then replays', async () => {
    const slowRail: PaymentProvider = {
      type: 'vnpay',
      captureMethod: 'automatic',
      async confirm() {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return { status: 'processing' };
      },
      async refund() {
        return { status: 'failed' };
      },
    };
    const slow = makePayments({ providers: { vnpay: slowRail }, idempotencyWaitMs: 50 });
    const idempotencyKey = key();
    const params = {
      amount: 40_000,
      currency: 'vnd' as const,
      payment_method_types: ['vnpay' as const],
      confirm: true,
    };
    const first = slow.paymentIntents.create(params, { idempotencyKey });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectPaymentError(slow.paymentIntents.create(params, { idempotencyKey }), {
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
      statusCode: 409,
    });
    const intent = await first;
    expect(intent.status).toBe('processing');
    expect(await slow.paymentIntents.create(params, { idempotencyKey })).toEqual(intent);
    expect(await eventTypesFor(intent.id)).toEqual(['payment_intent.created', 'payment_intent.processing']);
  });

  it('refuses an empty or over-long key', async () => {
    const params = { amount: 1_000, currency: 'vnd' as const, payment_method_types: ['cod' as const] };
    await expectPaymentError(payments.paymentIntents.create(params, { idempotencyKey: '' }), {
      type: 'invalid_request_error',
    });
    await expectPaymentError(payments.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(256) }), {
      type: 'invalid_request_error',
    });
  });
});

describe('payment intents: Stripe shapes and transitions', () => {
  it('create returns a Stripe-shaped intent; retrieve reads it back', async () => {
    const before = Math.floor(Date.now() / 1000);
    const intent = await payments.paymentIntents.create({
      amount: 185_000,
      currency: 'vnd',
      payment_method_types: ['vietqr'],
      metadata: { order_code: 'DH-SHAPE-1' },
      description: 'Chè tôm nõn 200 g',
    });
    expect(intent).toEqual({
      id: expect.stringMatching(/^pi_[A-Za-z0-9]{24}$/),
      object: 'payment_intent',
      amount: 185_000,
      amount_capturable: 0,
      amount_received: 0,
      currency: 'vnd',
      status: 'requires_confirmation',
      capture_method: 'automatic',
      payment_method_types: ['vietqr'],
      payment_method: null,
      next_action: null,
      metadata: { order_code: 'DH-SHAPE-1' },
      description: 'Chè tôm nõn 200 g',
      created: expect.any(Number),
      canceled_at: null,
      cancellation_reason: null,
      last_payment_error: null,
      latest_charge: null,
      client_secret: expect.stringMatching(new RegExp(`^${intent.id}_secret_`)),
      livemode: false,
    });
    expect(intent.created).toBeGreaterThanOrEqual(before);
    expect(intent.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(await payments.paymentIntents.retrieve(intent.id)).toEqual(intent);
    const [created] = (await storedEvents()).filter((event) => event.data.object.id === intent.id);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      object: 'event',
      type: 'payment_intent.created',
      api_version: expect.any(String),
      livemode: false,
      pending_webhooks: 1,
      data: { object: intent },
      request: { id: expect.stringMatching(/^req_/), idempotency_key: null },
    });
  });

  it('retrieve of an unknown or malformed id is resource_missing', async () => {
    await expectPaymentError(payments.paymentIntents.retrieve('pi_doesNotExist000000000000'), {
      type: 'invalid_request_error',
      code: 'resource_missing',
      statusCode: 404,
    });
    await expectPaymentError(payments.paymentIntents.retrieve('re_wrongPrefix'), {
      code: 'resource_missing',
    });
    await expectPaymentError(payments.paymentIntents.confirm('pi_doesNotExist000000000000'), {
      code: 'resource_missing',
      statusCode: 404,
    });
  });

  it('confirm → requires_action, cancel → canceled; each wrong move is payment_intent_unexpected_state', async () => {
    const intent = await payments.paymentIntents.create({
      amount: 90_000,
      currency: 'vnd',
      payment_method_types: ['vietqr'],
      metadata: { order_code: 'DH-STATE-1' },
    });
    await expectPaymentError(payments.paymentIntents.capture(intent.id), {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      statusCode: 400,
    });
    const confirmed = await payments.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({
      status: 'requires_action',
      payment_method: 'vietqr',
      next_action: { type: 'display_vietqr' },
    });
    await expectPaymentError(payments.paymentIntents.confirm(intent.id), {
      code: 'payment_intent_unexpected_state',
    });
    await expectPaymentError(payments.paymentIntents.capture(intent.id), {
      code: 'payment_intent_unexpected_state',
    });
    const canceled = await payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
      canceled_at: expect.any(Number),
      next_action: null,
      amount_capturable: 0,
    });
    for (const move of [
      () => payments.paymentIntents.cancel(intent.id),
      () => payments.paymentIntents.confirm(intent.id),
      () => payments.paymentIntents.capture(intent.id),
    ]) {
      await expectPaymentError(move(), { code: 'payment_intent_unexpected_state' });
    }
    expect(await payments.paymentIntents.retrieve(intent.id)).toEqual(canceled);
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.canceled',
    ]);
  });

  it('confirm refuses a method the intent does not allow; cancel refuses an unknown reason', async () => {
    const intent = await codIntent();
    await expectPaymentError(payments.paymentIntents.confirm(intent.id, { payment_method_type: 'vietqr' }), {
      type: 'invalid_request_error',
      code: 'payment_intent_incompatible_payment_method',
    });
    await expectPaymentError(
      payments.paymentIntents.cancel(intent.id, { cancellation_reason: 'bored' as 'abandoned' }),
      { type: 'invalid_request_error', param: 'cancellation_reason' },
    );
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('requires_confirmation');
  });

  it('create with confirm: true confirms in the same write', async () => {
    const intent = await payments.paymentIntents.create({
      amount: 75_000,
      currency: 'vnd',
      payment_method_types: ['cod'],
      confirm: true,
    });
    expect(intent).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 75_000,
      payment_method: 'cod',
    });
    expect(await payments.paymentIntents.retrieve(intent.id)).toEqual(intent);
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
    ]);
  });

  describe('validation', () => {
    const base = { amount: 100_000, currency: 'vnd' as const, payment_method_types: ['cod' as const] };
    const create = (params: Record<string, unknown>) =>
      payments.paymentIntents.create({ ...base, ...params } as Parameters<
        typeof payments.paymentIntents.create
      >[0]);

    it.each([
      ['a fraction', 1500.5, 'parameter_invalid_integer'],
      ['a string', '100000', 'parameter_invalid_integer'],
      ['NaN', Number.NaN, 'parameter_invalid_integer'],
      ['zero', 0, 'amount_too_small'],
      ['a negative', -5_000, 'amount_too_small'],
      ['too large', 1e12, 'amount_too_large'],
    ])('refuses an amount that is %s', async (_label, amount, code) => {
      await expectPaymentError(create({ amount }), { type: 'invalid_request_error', code, param: 'amount' });
    });

    it.each(['usd', 'VNĐ', '', undefined])('refuses currency %s', async (currency) => {
      await expectPaymentError(create({ currency }), { type: 'invalid_request_error', param: 'currency' });
    });

    it('refuses unknown or missing payment method types, and incompatible capture methods', async () => {
      await expectPaymentError(create({ payment_method_types: ['card'] }), {
        type: 'invalid_request_error',
        code: 'payment_method_unsupported_type',
      });
      await expectPaymentError(create({ payment_method_types: ['vnpay'] }), {
        code: 'payment_method_unsupported_type',
      });
      await expectPaymentError(create({ payment_method_types: [] }), { code: 'parameter_missing' });
      await expectPaymentError(create({ payment_method_types: undefined }), { code: 'parameter_missing' });
      await expectPaymentError(create({ payment_method_types: ['cod', 'vietqr'] }), {
        code: 'parameter_invalid',
        param: 'capture_method',
      });
      await expectPaymentError(create({ capture_method: 'automatic' }), { param: 'capture_method' });
    });

    it('enforces Stripe metadata limits: 50 keys, keys ≤ 40, string values ≤ 500', async () => {
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      for (const metadata of [
        many,
        { ['k'.repeat(41)]: 'v' },
        { '': 'v' },
        { note: 'x'.repeat(501) },
        { count: 3 },
        ['not', 'an', 'object'],
        'text',
      ]) {
        await expectPaymentError(create({ metadata }), { type: 'invalid_request_error', param: 'metadata' });
      }
      const { k49: _dropped, ...fortyNine } = fifty;
      const edge = { ...fortyNine, k0: 'x'.repeat(500), ['k'.repeat(40)]: 'v' };
      expect((await create({ metadata: edge })).metadata).toEqual(edge);
      expect((await create({ metadata: fifty })).metadata).toEqual(fifty);
    });

    it('a refused create writes nothing', async () => {
      const count = (await storedEvents()).length;
      await expectPaymentError(create({ amount: -1 }), { code: 'amount_too_small' });
      expect(await storedEvents()).toHaveLength(count);
    });
  });
});

describe('cash on delivery', () => {
  it('confirm → requires_capture, capture on delivery → succeeded; a second capture fails', async () => {
    const intent = await codIntent(250_000);
    expect(intent).toMatchObject({ capture_method: 'manual', status: 'requires_confirmation' });
    const confirmed = await payments.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 250_000,
      amount_received: 0,
      payment_method: 'cod',
      next_action: null,
    });
    const captured = await payments.paymentIntents.capture(intent.id);
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_capturable: 0,
      amount_received: 250_000,
      latest_charge: expect.stringMatching(/^ch_/),
    });
    await expectPaymentError(payments.paymentIntents.capture(intent.id), {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
    });
    await expectPaymentError(payments.paymentIntents.cancel(intent.id), {
      code: 'payment_intent_unexpected_state',
    });
    expect(await payments.paymentIntents.retrieve(intent.id)).toEqual(captured);
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
    ]);
    const succeeded = (await storedEvents()).find(
      (event) => event.data.object.id === intent.id && event.type === 'payment_intent.succeeded',
    );
    expect(succeeded!.data.object).toEqual(captured);
  });

  it('delivery fails: cancel → canceled with payment_intent.canceled', async () => {
    const intent = await codIntent(120_000);
    await payments.paymentIntents.confirm(intent.id);
    const canceled = await payments.paymentIntents.cancel(intent.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({
      status: 'canceled',
      amount_capturable: 0,
      amount_received: 0,
      cancellation_reason: 'requested_by_customer',
    });
    await expectPaymentError(payments.paymentIntents.capture(intent.id), {
      code: 'payment_intent_unexpected_state',
    });
    expect(await eventTypesFor(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.canceled',
    ]);
  });

  it('capture racing cancel: exactly one wins, the other is told why', async () => {
    for (let round = 0; round < 8; round += 1) {
      const intent = await codIntent(100_000 + round);
      await payments.paymentIntents.confirm(intent.id);
      const moves =
        round % 2 === 0
          ? [payments.paymentIntents.capture(intent.id), payments.paymentIntents.cancel(intent.id)]
          : [payments.paymentIntents.cancel(intent.id), payments.paymentIntents.capture(intent.id)];
      const results = await Promise.allSettled(moves);
      const winners = fulfilled(results);
      expect(winners).toHaveLength(1);
      for (const reason of rejected(results)) {
        expect(reason).toBeInstanceOf(PaymentError);
        expect(reason).toMatchObject({
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
        });
      }
      const final = await payments.paymentIntents.retrieve(intent.id);
      expect(final).toEqual(winners[0]);
      const types = await eventTypesFor(intent.id);
      const endings = types.filter(
        (t) => t === 'payment_intent.succeeded' || t === 'payment_intent.canceled',
      );
      expect(endings).toEqual([
        final.status === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.canceled',
      ]);
    }
  });

  it('three concurrent captures: one succeeds, one payment_intent.succeeded', async () => {
    const intent = await codIntent(300_000);
    await payments.paymentIntents.confirm(intent.id);
    const results = await Promise.allSettled([1, 2, 3].map(() => payments.paymentIntents.capture(intent.id)));
    expect(fulfilled(results)).toHaveLength(1);
    expect((await eventTypesFor(intent.id)).filter((t) => t === 'payment_intent.succeeded')).toHaveLength(1);
  });
});

describe('partial capture', () => {
  it('captures amount_to_capture and releases the rest; never more than capturable', async () => {
    const intent = await codIntent(180_000);
    await payments.paymentIntents.confirm(intent.id);
    await expectPaymentError(payments.paymentIntents.capture(intent.id, { amount_to_capture: 180_001 }), {
      type: 'invalid_request_error',
      code: 'amount_too_large',
    });
    const captured = await payments.paymentIntents.capture(intent.id, { amount_to_capture: 120_000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 120_000, amount_capturable: 0 });
  });
});

describe('refunds', () => {
  it('partial then full refund, with refund.created and charge.refunded', async () => {
    const intent = await succeededCod(200_000);
    const partial = await payments.refunds.create({
      payment_intent: intent.id,
      amount: 50_000,
      reason: 'requested_by_customer',
    });
    expect(partial).toEqual({
      id: expect.stringMatching(/^re_/),
      object: 'refund',
      amount: 50_000,
      currency: 'vnd',
      charge: intent.latest_charge,
      payment_intent: intent.id,
      reason: 'requested_by_customer',
      status: 'succeeded',
      // COD money goes back in cash: the record says it was done by hand.
      metadata: { manual: 'true' },
      created: expect.any(Number),
    });
    expect(await payments.refunds.retrieve(partial.id)).toEqual(partial);
    const rest = await payments.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(150_000);
    await expectPaymentError(payments.refunds.create({ payment_intent: intent.id, amount: 1 }), {
      type: 'invalid_request_error',
      code: 'charge_already_refunded',
    });
    // The intent itself stays succeeded; refunds are their own objects.
    expect((await payments.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');

    const events = await storedEvents();
    const refundEvents = events.filter(
      (e) => e.type === 'refund.created' && [partial.id, rest.id].includes(e.data.object.id),
    );
    expect(refundEvents.map((e) => e.data.object.id)).toEqual([partial.id, rest.id]);
    const charges = events
      .filter(
        (e) =>
          e.type === 'charge.refunded' &&
          (e.data.object as { payment_intent?: string }).payment_intent === intent.id,
      )
      .map((e) => e.data.object);
    expect(charges).toMatchObject([
      {
        object: 'charge',
        id: intent.latest_charge,
        amount_captured: 200_000,
        amount_refunded: 50_000,
        refunded: false,
      },
      {
        object: 'charge',
        id: intent.latest_charge,
        amount_captured: 200_000,
        amount_refunded: 200_000,
        refunded: true,
      },
    ]);
  });

  it('refuses an over-refund, a bad amount and a refund of an unpaid intent', async () => {
    const intent = await succeededCod(80_000);
    await expectPaymentError(payments.refunds.create({ payment_intent: intent.id, amount: 80_001 }), {
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount',
    });
    await payments.refunds.create({ payment_intent: intent.id, amount: 30_000 });
    await expectPaymentError(payments.refunds.create({ payment_intent: intent.id, amount: 50_001 }), {
      code: 'amount_too_large',
    });
    await expectPaymentError(payments.refunds.create({ payment_intent: intent.id, amount: 0 }), {
      code: 'amount_too_small',
    });
    await expectPaymentError(payments.refunds.create({ payment_intent: intent.id, amount: 10.5 }), {
      code: 'parameter_invalid_integer',
    });
    const unpaid = await codIntent(50_000);
    await payments.paymentIntents.confirm(unpaid.id);
    await expectPaymentError(payments.refunds.create({ payment_intent: unpaid.id }), {
      code: 'payment_intent_unexpected_state',
    });
    await expectPaymentError(payments.refunds.create({ payment_intent: 'pi_missing00000000000000000' }), {
      code: 'resource_missing',
      statusCode: 404,
    });
    await expectPaymentError(payments.refunds.retrieve('re_missing00000000000000000'), {
      code: 'resource_missing',
      statusCode: 404,
    });
  });

  it('concurrent refunds never exceed amount_received', async () => {
    const intent = await succeededCod(100_000);
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map(() => payments.refunds.create({ payment_intent: intent.id, amount: 30_000 })),
    );
    const made = fulfilled(results);
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const reason of rejected(results)) expect(reason).toBeInstanceOf(PaymentError);
    // Whatever the interleaving, retries until nothing is left can never refund more than received.
    const all: Refund[] = [...made];
    for (;;) {
      const settled = await Promise.allSettled(
        [1, 2, 3].map(() => payments.refunds.create({ payment_intent: intent.id, amount: 30_000 })),
      );
      all.push(...fulfilled(settled));
      if (fulfilled(settled).length === 0) break;
    }
    const total = all.reduce((sum, refund) => sum + refund.amount, 0);
    expect(total).toBe(90_000);
    const stored = await Promise.all(all.map((refund) => payments.refunds.retrieve(refund.id)));
    expect(stored.reduce((sum, refund) => sum + refund.amount, 0)).toBeLessThanOrEqual(100_000);
    expect((await getItem(paymentIntentKeys.intent(intent.id)))!.amountRefunded).toBe(90_000);
    // What is left (10 000 ₫) can still go back.
    expect((await payments.refunds.create({ payment_intent: intent.id })).amount).toBe(10_000);
  });

  it('concurrent refunds ask the rail for the money only while it is still there', async () => {
    // An online rail whose refund API takes a moment and really sends money back.
    const sentBack: number[] = [];
    const rail: PaymentProvider = {
      type: 'vnpay',
      captureMethod: 'automatic',
      async confirm() {
        return { status: 'succeeded' };
      },
      async refund(_intent, request) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        sentBack.push(request.amount);
        return { status: 'succeeded', metadata: { vnp_transaction_no: String(sentBack.length) } };
      },
    };
    const withRail = makePayments({ providers: { vnpay: rail } });
    const intent = await withRail.paymentIntents.create({
      amount: 100_000,
      currency: 'vnd',
      payment_method_types: ['vnpay'],
      confirm: true,
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => withRail.refunds.create({ payment_intent: intent.id, amount: 60_000 })),
    );
    expect(fulfilled(results)).toHaveLength(1);
    for (const reason of rejected(results)) expect(reason).toBeInstanceOf(PaymentError);
    expect(sentBack).toEqual([60_000]);
    const [refund] = fulfilled(results);
    expect(refund).toMatchObject({ status: 'succeeded', metadata: { vnp_transaction_no: '1' } });
    expect(await withRail.refunds.retrieve(refund!.id)).toEqual(refund);
    expect(await eventTypesFor(refund!.id)).toEqual(['refund.created']);
    await expectPaymentError(withRail.refunds.create({ payment_intent: intent.id, amount: 40_001 }), {
      code: 'amount_too_large',
    });
    expect(sentBack).toEqual([60_000]);
  });

  it('a rail that fails mid-refund leaves the refund pending and its amount reserved', async () => {
    const rail: PaymentProvider = {
      type: 'vnpay',
      captureMethod: 'automatic',
      async confirm() {
        return { status: 'succeeded' };
      },
      async refund() {
        throw new Error('socket hang up');
      },
    };
    const withRail = makePayments({ providers: { vnpay: rail } });
    const intent = await withRail.paymentIntents.create({
      amount: 70_000,
      currency: 'vnd',
      payment_method_types: ['vnpay'],
      confirm: true,
    });
    await expect(withRail.refunds.create({ payment_intent: intent.id, amount: 50_000 })).rejects.toThrow(
      'socket hang up',
    );
    // The money may have left: only what is certainly still there can be refunded again.
    expect((await getItem(paymentIntentKeys.intent(intent.id)))!.amountRefunded).toBe(50_000);
    await expectPaymentError(withRail.refunds.create({ payment_intent: intent.id, amount: 20_001 }), {
      code: 'amount_too_large',
    });
  });

  it('a refund under an idempotency key is made once', async () => {
    const intent = await succeededCod(60_000);
    const idempotencyKey = key();
    const [a, b] = await Promise.all([
      payments.refunds.create({ payment_intent: intent.id, amount: 20_000 }, { idempotencyKey }),
      payments.refunds.create({ payment_intent: intent.id, amount: 20_000 }, { idempotencyKey }),
    ]);
    expect(b).toEqual(a);
    expect((await getItem(paymentIntentKeys.intent(intent.id)))!.amountRefunded).toBe(20_000);
    expect((await eventTypesFor(a.id)).filter((t) => t === 'refund.created')).toHaveLength(1);
  });

  it('manual refunds skip the rail: a refused online refund is recorded by hand', async () => {
    // A stand-in for an online rail whose refund API refuses (VNPay's sandbox always does).
    const calls: string[] = [];
    const refusingRail: PaymentProvider = {
      type: 'vnpay',
      captureMethod: 'automatic',
      async confirm() {
        return { status: 'succeeded' };
      },
      async refund(_intent, request) {
        calls.push(request.refundId);
        return { status: 'failed', failure_reason: 'vnp_99' };
      },
    };
    const withRail = makePayments({ providers: { vnpay: refusingRail } });
    const intent = await withRail.paymentIntents.create({
      amount: 500_000,
      currency: 'vnd',
      payment_method_types: ['vnpay'],
      confirm: true,
    });
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 500_000 });
    const refused = await withRail.refunds.create({ payment_intent: intent.id, amount: 500_000 });
    expect(refused).toMatchObject({ status: 'failed', failure_reason: 'vnp_99' });
    expect(calls).toEqual([refused.id]);
    // A failed refund does not count against what can be refunded, and emits no charge.refunded.
    expect(await eventTypesFor(refused.id)).toEqual(['refund.created']);
    const manual = await withRail.refunds.create({
      payment_intent: intent.id,
      amount: 500_000,
      metadata: { manual: 'true', recorded_by: 'manager-1' },
    });
    expect(manual).toMatchObject({
      status: 'succeeded',
      amount: 500_000,
      metadata: { manual: 'true', recorded_by: 'manager-1' },
    });
    expect(calls).toHaveLength(1);
    expect(await payments.refunds.retrieve(manual.id)).toEqual(manual);
    await expectPaymentError(
      withRail.refunds.create({ payment_intent: intent.id, metadata: { manual: 'true' } }),
      {
        code: 'charge_already_refunded',
      },
    );
  });
});
