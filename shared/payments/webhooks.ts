/** `webhooks.constructEvent`: verify the signature on the raw body, then parse it. */
import { SignatureVerificationError } from './errors.ts';
import {
  DEFAULT_TOLERANCE_SECONDS,
  signatureHeader,
  verifySignatureHeader,
  type RawBody,
} from './signature.ts';
import type { PaymentEvent } from './types.ts';

export function webhooksResource(clock: () => Date) {
  return {
    constructEvent(
      payload: RawBody,
      header: string | string[] | undefined,
      secret: string,
      tolerance = DEFAULT_TOLERANCE_SECONDS,
    ): PaymentEvent {
      verifySignatureHeader(payload, header, secret, tolerance, Math.floor(clock().getTime() / 1000));
      const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
      try {
        return JSON.parse(text) as PaymentEvent;
      } catch {
        throw new SignatureVerificationError('The payload is not valid JSON.');
      }
    },

    /** Like stripe-node's `generateTestHeaderString`: a valid header for tests and tools. */
    generateTestHeaderString(opts: { payload: string; secret: string; timestamp?: number }): string {
      const timestamp = opts.timestamp ?? Math.floor(clock().getTime() / 1000);
      return signatureHeader(opts.payload, opts.secret, timestamp);
    },
  };
}
