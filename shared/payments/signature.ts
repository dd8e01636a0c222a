/**
 * The `Stripe-Signature` scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * several `v1` allowed (secret rotation). Verification works on the raw body, before any JSON
 * parsing, compares in constant time and rejects timestamps outside the tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureVerificationError } from './errors.ts';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RawBody = string | Uint8Array;

function bodyText(payload: RawBody): string {
  return typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
}

export function computeSignature(payload: RawBody, secret: string, timestamp: number): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${bodyText(payload)}`, 'utf8')
    .digest('hex');
}

/** The header value for `payload` signed at `timestamp` (unix seconds). */
export function signatureHeader(payload: RawBody, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}

export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  return { timestamp, signatures };
}

/** Constant-time equality of two hex digests (unequal lengths are simply unequal). */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Throws `SignatureVerificationError` unless one `v1` matches and `t` is recent enough. */
export function verifySignatureHeader(
  payload: RawBody,
  header: string | string[] | undefined,
  secret: string,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  if (typeof header !== 'string' || header.length === 0) {
    throw new SignatureVerificationError('No signatures found: the Stripe-Signature header is missing.');
  }
  const { timestamp, signatures } = parseSignatureHeader(header);
  if (!Number.isFinite(timestamp) || signatures.length === 0) {
    throw new SignatureVerificationError('Unable to extract timestamp and signatures from header.');
  }
  const expected = computeSignature(payload, secret, timestamp);
  if (!signatures.some((signature) => safeEqualHex(signature, expected))) {
    throw new SignatureVerificationError('No signatures found matching the expected signature for payload.');
  }
  if (tolerance > 0 && Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new SignatureVerificationError('Timestamp outside the tolerance zone.');
  }
}
