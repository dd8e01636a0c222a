/** What every operation needs: the configuration of the SDK and the request being served. */
import type { TransactItem } from '../db/items.ts';
import type { ProviderMap } from './providers/provider.ts';

export interface PaymentsConfig {
  providers: ProviderMap;
  /** Injected so tests (and the reconciliation timer) control time; defaults to the system clock. */
  clock: () => Date;
  apiVersion: string;
  /** Written into each event's `pending_webhooks` (how many endpoints will receive it). */
  webhookEndpointCount: number;
  /** How long an idempotency key and its stored response are kept. Stripe keeps them 24 h. */
  idempotencyTtlSeconds: number;
  /** How long a request that finds its key in flight waits for the first one to finish. */
  idempotencyWaitMs: number;
}

export interface RequestContext {
  config: PaymentsConfig;
  nowMs: number;
  /** Unix seconds, as every `created` field. */
  now: number;
  request: { id: string | null; idempotency_key: string | null };
  /**
   * Writes `items` in one transaction. Under an idempotency key it also completes the key with
   * `response` in that same transaction, so a crash cannot leave a change without its replay.
   */
  commit<T>(items: TransactItem[], response: T): Promise<T>;
}
