import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SignatureVerificationError } from '../../shared/payments/errors.ts';
import { createPayments } from '../../shared/payments/index.ts';
import {
  computeSignature,
  parseSignatureHeader,
  signatureHeader,
  verifySignatureHeader,
} from '../../shared/payments/signature.ts';

const stripe = new Stripe('sk_test_offline');
const secret = 'whsec_test_secret';
const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded' });
const t = 1_780_000_000;

describe('Stripe-Signature header', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">', () => {
    const header = signatureHeader(payload, secret, t);
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64}$/);
    expect(parseSignatureHeader(header)).toEqual({
      timestamp: t,
      signatures: [computeSignature(payload, secret, t)],
    });
  });

  it('is accepted by the official stripe.webhooks.constructEvent', () => {
    const event = stripe.webhooks.constructEvent(
      payload,
      signatureHeader(payload, secret, t),
      secret,
      300,
      undefined,
      t + 10,
    );
    expect(event.id).toBe('evt_1');
  });

  it('accepts headers made by stripe.webhooks.generateTestHeaderString', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    expect(() => verifySignatureHeader(payload, header, secret, 300, t)).not.toThrow();
    expect(header).toBe(signatureHeader(payload, secret, t));
  });

  it('rejects a tampered body, a wrong secret, an old or a future timestamp, a missing header', () => {
    const header = signatureHeader(payload, secret, t);
    const fails = (body: string, h: string | undefined, s = secret, now = t) =>
      expect(() => verifySignatureHeader(body, h, s, 300, now)).toThrow(SignatureVerificationError);
    fails(payload.replace('succeeded', 'canceled'), header);
    fails(payload, header, 'whsec_other');
    fails(payload, header, secret, t + 301);
    fails(payload, header, secret, t - 301);
    fails(payload, undefined);
    fails(payload, 'v1=abc');
    fails(payload, `t=${t},v1=${'0'.repeat(64)}`);
  });

  it('accepts any matching v1 (secret rotation) and a raw Buffer body', () => {
    const header = `t=${t},v1=${computeSignature(payload, 'whsec_old', t)},v1=${computeSignature(payload, secret, t)}`;
    expect(() => verifySignatureHeader(Buffer.from(payload), header, secret, 300, t)).not.toThrow();
  });

  it('constructEvent of the SDK verifies with its clock, and stripe agrees on rejection', () => {
    const payments = createPayments({ providers: {}, clock: () => new Date((t + 5) * 1000) });
    const header = signatureHeader(payload, secret, t);
    expect(payments.webhooks.constructEvent(payload, header, secret).type).toBe('payment_intent.succeeded');
    const late = createPayments({ providers: {}, clock: () => new Date((t + 400) * 1000) });
    expect(() => late.webhooks.constructEvent(payload, header, secret)).toThrow(/tolerance/);
    expect(() =>
      stripe.webhooks.constructEvent(payload, header, secret, 300, undefined, (t + 400) * 1000),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
