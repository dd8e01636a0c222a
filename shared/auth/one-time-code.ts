/**
 * Six-digit codes sent to a phone (sign-in, a household's consent). Only a digest is stored,
 * bound to what the code is for, and compared in constant time.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export function newOneTimeCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Hex digest of a code for one purpose (a phone, a consent id). */
export function codeDigest(boundTo: string, code: string): string {
  return createHash('sha256').update(`${boundTo}:${code}`).digest('hex');
}

export function codeMatches(storedDigest: string, boundTo: string, code: string): boolean {
  const expected = Buffer.from(storedDigest, 'hex');
  const given = Buffer.from(codeDigest(boundTo, code), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
