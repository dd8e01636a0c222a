/**
 * Snapshots of the catalog index, one object per shard, so that a cold catalog container starts
 * from a few compressed objects instead of reading every shard of the index whole (at 20,000
 * listings about 6,500 read units and 11 s on DynamoDB Local per cold container).
 *
 * - `writeCatalogSnapshots` reads each shard whole, as a full load does, and stores its items with
 *   the time its read began (`mark`). A scheduled job runs it (functions/catalog/snapshot-handler.ts
 *   every 10 minutes in AWS; a timer in the local runtime).
 * - The read model (catalog-read-model.ts) loads a shard from its snapshot when one is at most
 *   `maxAgeMs` old, then reads that shard's changes since `mark` (less the overlap) from the index
 *   before it answers: the result is what a full read would have given, since the index orders
 *   each shard by change time and the model keeps each item's newest version. A missing, stale,
 *   unreadable or malformed snapshot falls back to reading the shard from the table.
 *
 * A snapshot names the table it was read from, by name and creation time: after the table is
 * restored or recreated under the same name, the old snapshots are ignored (their items could
 * include things the new table does not have, which a change read would never take back).
 *
 * The objects live in S3 in AWS (functions/adapters/s3-snapshot-store.ts) and in the data folder
 * locally (infra/local/file-snapshot-store.ts): both behind `SnapshotStore`.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { CatalogItem } from '../domain/catalog-query.ts';
import { log } from '../observability/log.ts';
import { readCatalogShard } from './catalog-input.ts';
import { db } from './client.ts';
import { CATALOG_SHARD_KEYS } from './items.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Where snapshots are kept: named objects, read and replaced whole. */
export interface SnapshotStore {
  /** The object's bytes, or undefined when there is none. */
  get(name: string): Promise<Uint8Array | undefined>;
  put(name: string, body: Uint8Array): Promise<void>;
}

export interface ShardSnapshot {
  shard: string;
  /** The table it was read from: `<name>@<creation time>` (tableIdentity). */
  table: string;
  /** When the read of the shard began (ms since the epoch): changes from then on are not in it. */
  mark: number;
  items: CatalogItem[];
}

/** Bumped when the stored shape changes: an object of another format is ignored (read whole). */
export const SNAPSHOT_FORMAT = 1;

/** A snapshot older than this is not used: the changes since it would cost more than it saves. */
export const SNAPSHOT_MAX_AGE_MS = 6 * 60 * 60 * 1000;

/** The table's name and creation time: what a snapshot must have been read from to be used. */
export async function tableIdentity(): Promise<string> {
  const { raw, tableName } = db();
  const { Table } = await raw.send(new DescribeTableCommand({ TableName: tableName }));
  return `${tableName}@${Table?.CreationDateTime?.toISOString() ?? 'unknown'}`;
}

export const snapshotName = (shard: string) => `catalog/${encodeURIComponent(shard)}.json.gz`;

export async function encodeSnapshot(snapshot: ShardSnapshot): Promise<Uint8Array> {
  return gzipAsync(JSON.stringify({ format: SNAPSHOT_FORMAT, ...snapshot }));
}

/** The snapshot in `body` if it is one of `shard` in this format; undefined otherwise. */
export async function decodeSnapshot(body: Uint8Array, shard: string): Promise<ShardSnapshot | undefined> {
  const value: unknown = JSON.parse((await gunzipAsync(body)).toString('utf8'));
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, shard: of, table, mark, items } = value as Record<string, unknown>;
  if (format !== SNAPSHOT_FORMAT || of !== shard || typeof table !== 'string') return undefined;
  if (typeof mark !== 'number' || !Number.isFinite(mark) || !Array.isArray(items)) return undefined;
  const wellFormed = items.every(
    (item: unknown) =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as CatalogItem).type === 'string' &&
      typeof (item as CatalogItem).version === 'string' &&
      typeof (item as CatalogItem).entity === 'object',
  );
  return wellFormed ? { shard, table, mark, items: items as CatalogItem[] } : undefined;
}

/**
 * The shard's snapshot when there is a usable one (well formed and at most `maxAgeMs` old at
 * `now`); undefined, with a warning for anything but "none yet", otherwise.
 */
export async function readShardSnapshot(
  store: SnapshotStore,
  shard: string,
  options: { now: number; table: string; maxAgeMs?: number },
): Promise<ShardSnapshot | undefined> {
  const maxAgeMs = options.maxAgeMs ?? SNAPSHOT_MAX_AGE_MS;
  try {
    const body = await store.get(snapshotName(shard));
    if (!body) return undefined;
    const snapshot = await decodeSnapshot(body, shard);
    if (!snapshot) {
      log().warn('catalog snapshot ignored: not a snapshot of this shard in this format', { shard });
      return undefined;
    }
    if (snapshot.table !== options.table) {
      log().warn('catalog snapshot ignored: read from another table', {
        shard,
        snapshotOf: snapshot.table,
        table: options.table,
      });
      return undefined;
    }
    const age = options.now - snapshot.mark;
    if (age > maxAgeMs) {
      log().warn('catalog snapshot ignored: too old', { shard, ageMs: age, maxAgeMs });
      return undefined;
    }
    return snapshot;
  } catch (error) {
    log().warn('catalog snapshot unreadable: the shard is read from the table', { shard, error });
    return undefined;
  }
}

export interface SnapshotReport {
  shards: number;
  items: number;
  /** Compressed bytes written, over all shards. */
  bytes: number;
  readUnits: number;
  ms: number;
}

/**
 * Reads every shard whole and stores its snapshot. Two shards at a time, so that only two
 * shards' items are in memory at once. Throws when a shard could not be read or stored (the
 * others are still written; the job is retried by its schedule).
 */
export async function writeCatalogSnapshots(
  store: SnapshotStore,
  options: { shards?: readonly string[]; now?: () => number } = {},
): Promise<SnapshotReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const shards = options.shards ?? CATALOG_SHARD_KEYS;
  const report: SnapshotReport = { shards: 0, items: 0, bytes: 0, readUnits: 0, ms: 0 };
  const failures: unknown[] = [];
  const table = await tableIdentity();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(2, shards.length) }, async () => {
      while (next < shards.length) {
        const shard = shards[next++]!;
        try {
          const mark = now();
          const read = await readCatalogShard(shard);
          const body = await encodeSnapshot({ shard, table, mark, items: read.items });
          await store.put(snapshotName(shard), body);
          report.shards++;
          report.items += read.count;
          report.bytes += body.byteLength;
          report.readUnits += read.readUnits;
        } catch (error) {
          failures.push(error);
          log().error('catalog snapshot of a shard failed', { shard, error });
        }
      }
    }),
  );
  report.ms = performance.now() - started;
  if (failures.length > 0) {
    throw new Error(`catalog snapshot: ${failures.length} of ${shards.length} shards failed`, {
      cause: failures[0],
    });
  }
  return report;
}
