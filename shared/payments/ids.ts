/** Stripe-style object ids: a prefix (`pi_`, `re_`, `evt_`, `ch_`, `req_`) and a random body. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomBody(length: number): string {
  const bytes = randomBytes(length);
  // 62 does not divide 256: the slight bias is irrelevant for ids that only need to be unique.
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function objectId(prefix: 'pi' | 're' | 'ch' | 'req' | 'vqrtx'): string {
  return `${prefix}_${randomBody(24)}`;
}

let lastMs = 0;
let sequence = 0;

/**
 * Event ids sort by creation time (then by order of creation within this process), so the
 * events partition can be read newest first and paged with `starting_after` by key alone.
 */
export function eventId(nowMs: number): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = 0;
  } else {
    sequence += 1;
  }
  const time = lastMs.toString(36).padStart(9, '0');
  const seq = sequence.toString(36).padStart(4, '0');
  return `evt_${time}${seq}${randomBody(11)}`;
}
