/**
 * The messages of the background lanes (jobs.ts): a lane and a group of shards. Kept apart from
 * the work itself so the CDK app can build each lane's schedule from the same definitions.
 */
import { isShard, SHARDS } from '../../shared/db/shards.ts';

export const JOB_KINDS = ['expiry', 'reconcile', 'delivery'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Shards per message: 32 shards in 4 groups, so each lane runs up to 4 workers at a time. */
export const SHARDS_PER_MESSAGE = 8;

/** The shard groups of one tick, one message each. */
export const SHARD_GROUPS: readonly (readonly string[])[] = Array.from(
  { length: Math.ceil(SHARDS.length / SHARDS_PER_MESSAGE) },
  (_, i) => SHARDS.slice(i * SHARDS_PER_MESSAGE, (i + 1) * SHARDS_PER_MESSAGE),
);

/** One unit of background work: a lane and the shards it covers. */
export interface JobMessage {
  kind: JobKind;
  shards: string[];
}

/** Every message of one tick of a lane. */
export const tickMessages = (kind: JobKind): JobMessage[] =>
  SHARD_GROUPS.map((shards) => ({ kind, shards: [...shards] }));

/** Reads a message body; throws on anything that is not a lane and known shards. */
export function parseJobMessage(body: string): JobMessage {
  const message = JSON.parse(body) as Partial<JobMessage>;
  if (!JOB_KINDS.includes(message.kind as JobKind)) throw new Error(`Unknown job kind ${message.kind}`);
  if (!Array.isArray(message.shards) || message.shards.length === 0 || !message.shards.every(isShard)) {
    throw new Error(`Job message names no known shards: ${JSON.stringify(message.shards)}`);
  }
  return { kind: message.kind as JobKind, shards: message.shards };
}

/** How one job message is run (each lane's runner in functions/orders/lanes/). */
export interface JobOptions {
  now?: Date;
  fetch?: typeof fetch;
  /** Stop starting new work at this time (ms since the epoch): the worker's own deadline. */
  stopAt?: number;
}
