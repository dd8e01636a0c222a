/**
 * Write sharding for the partitions every order writes (the event log, the webhook outbox and its
 * due index, order expiry markers, VNPay pending markers). One partition takes about 1,000 write
 * units a second; a single `OUTBOX` key would saturate near 2,500 orders a minute. Each of those
 * keys is therefore split into SHARD_COUNT partitions `<base>#00` … `<base>#31`, the shard derived
 * from a hash of the item's own id (event id, order code, intent id), so the same item always
 * lands in the same shard and writes spread evenly. Readers read every shard (the background
 * workers one shard each, in parallel; `events.list` merges them).
 *
 * 32 shards: at 1,000 orders a minute each shard of the busiest family (the outbox, about three
 * events an order) takes about 1.6 writes a second, and no shard takes more than about 0.5 % of
 * an order's writes; the count can grow (a power of two) without touching any reader.
 */
import { withLogScope } from '../observability/scope.ts';
export const SHARD_COUNT = 32;

/** Every shard suffix, `00` … `31`. */
export const SHARDS: readonly string[] = Array.from({ length: SHARD_COUNT }, (_, i) =>
  String(i).padStart(2, '0'),
);

/** The shard of an id: FNV-1a (32 bit) of its UTF-16 code units, modulo SHARD_COUNT. */
export function shardOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % SHARD_COUNT).padStart(2, '0');
}

/** `<base>#<shard>`: the partition key of one shard. */
export const shardKey = (base: string, shard: string) => `${base}#${shard}`;

/** The partition key that `id` is written to. */
export const shardedKey = (base: string, id: string) => shardKey(base, shardOf(id));

/** Every shard's partition key of a base, in shard order. */
export const allShardKeys = (base: string) => SHARDS.map((shard) => shardKey(base, shard));

/** Is `shard` one of ours (a worker's message names one)? */
export const isShard = (shard: unknown): shard is string =>
  typeof shard === 'string' && SHARDS.includes(shard);

/**
 * Runs `work` on every item, at most `concurrency` at a time, each worker taking the next item
 * when it is done with one (the background lanes use it over shards, and over orders of a shard).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    // Each item in a log scope of its own: an order code it finds stays with its own entries.
    for (let item = queue.shift(); item !== undefined; item = queue.shift())
      await withLogScope({}, () => work(item));
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** Adds each count of `part` to `total` (reports of work done shard by shard). */
export function addCounts<T extends { [K in keyof T]: number }>(total: T, part: T): void {
  for (const key of Object.keys(part) as (keyof T)[]) {
    (total[key] as number) += part[key] as number;
  }
}
