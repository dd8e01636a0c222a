/**
 * The catalog function's in-process read model of the catalog. A container reads every catalog
 * shard once (in parallel) on first use; after that, at most every `pollMs`, it reads from each
 * shard only the items changed since its last read of that shard and applies them to the model.
 * No container re-reads the whole catalog on a timer.
 *
 * With a snapshot store (catalog-snapshot.ts), a cold container takes each shard from its latest
 * snapshot instead of reading it whole, then reads that shard's changes since the snapshot before
 * it answers; a shard without a usable snapshot is read whole as before.
 *
 * The change time is written by whichever function made the change, and an index entry can reach
 * the GSI a little after it was written, so each read starts `overlapMs` before the previous read
 * began. Items seen twice are applied once (the model keeps each item's version). Browsing
 * tolerates the poll interval's staleness; checkout never reads stock from here.
 */
import { Catalog, type CatalogItem } from '../domain/catalog-query.ts';
import { readCatalogShard, type ShardRead } from './catalog-input.ts';
import { CATALOG_SHARD_KEYS } from './items.ts';
import { readShardSnapshot, tableIdentity, type SnapshotStore } from './catalog-snapshot.ts';
import { log } from '../observability/log.ts';

export interface CatalogReadModelOptions {
  /** Least time between two change reads. */
  pollMs: number;
  /** How far before the previous read's start a change read begins (clock skew, GSI lag). */
  overlapMs: number;
  /** Reads a shard whole (no `since`) or its changes; the DynamoDB reader by default. */
  read?: (shard: string, since?: string, onPage?: (items: CatalogItem[]) => void) => Promise<ShardRead>;
  shards?: readonly string[];
  /** Where the shards' snapshots are read from on a cold start; none: every shard is read whole. */
  snapshots?: () => SnapshotStore | undefined;
  /** Oldest snapshot used (catalog-snapshot.ts SNAPSHOT_MAX_AGE_MS by default). */
  snapshotMaxAgeMs?: number;
}

/** What the model has read so far: for tests and the bench. */
export interface CatalogReadStats {
  fullLoads: number;
  fullLoad?: {
    ms: number;
    items: number;
    bytes: number;
    readUnits: number;
    requests: number;
    /** Shards taken from a snapshot (then only their changes since were read from the table). */
    fromSnapshot: number;
    /** Items taken from snapshots. */
    snapshotItems: number;
  };
  polls: number;
  lastPoll?: {
    ms: number;
    items: number;
    applied: number;
    bytes: number;
    readUnits: number;
    requests: number;
  };
}

/**
 * Shards read at once by a full load: two, so that only two pages of raw items are in memory at
 * a time (the load's peak, which stays in the container's RSS, is lower than with eight).
 */
const FULL_LOAD_WIDTH = 2;

/** After this many missed polls a request waits for the changes instead of answering at once. */
const STALE_POLLS = 6;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function total(reads: readonly ShardRead[]) {
  return {
    items: reads.reduce((n, r) => n + r.count, 0),
    bytes: reads.reduce((n, r) => n + r.bytes, 0),
    readUnits: reads.reduce((n, r) => n + r.readUnits, 0),
    requests: reads.reduce((n, r) => n + r.requests, 0),
  };
}

export function createCatalogReadModel(options: CatalogReadModelOptions) {
  let countBytes = false;
  const read =
    options.read ??
    ((shard: string, since?: string, onPage?: (items: CatalogItem[]) => void) =>
      readCatalogShard(shard, since, onPage, { countBytes }));
  const shards = options.shards ?? CATALOG_SHARD_KEYS;
  let state:
    | {
        catalog: Promise<Catalog>;
        /** Per shard: when its last successful read began (ms). */
        marks: Map<string, number>;
        polledAt: number;
        poll?: Promise<void>;
      }
    | undefined;
  const stats: CatalogReadStats = { fullLoads: 0, polls: 0 };

  async function fullLoad(now: number, marks: Map<string, number>): Promise<Catalog> {
    const started = performance.now();
    const catalog = new Catalog(dayOf(now));
    // A few shards at a time, each page applied as it arrives and the entries built once at the
    // end: the raw pages of the whole catalog are never in memory together.
    const reads: ShardRead[] = [];
    const store = options.snapshots?.();
    // Which table the snapshots must come from; without it (not readable) none is used.
    const table = store
      ? await tableIdentity().catch((error: unknown) => {
          log().warn('catalog snapshots not used: the table could not be described', { error });
          return undefined;
        })
      : undefined;
    let fromSnapshot = 0;
    let snapshotItems = 0;
    let next = 0;
    const applyPage = (items: CatalogItem[]) => catalog.apply(items, { defer: true });
    await Promise.all(
      Array.from({ length: Math.min(FULL_LOAD_WIDTH, shards.length) }, async () => {
        while (next < shards.length) {
          const shard = shards[next++]!;
          const snapshot =
            store &&
            table &&
            (await readShardSnapshot(store, shard, {
              now,
              table,
              ...(options.snapshotMaxAgeMs !== undefined ? { maxAgeMs: options.snapshotMaxAgeMs } : {}),
            }));
          if (snapshot) {
            applyPage(snapshot.items);
            fromSnapshot++;
            snapshotItems += snapshot.items.length;
            // What changed since the snapshot's read began (with the same overlap as a poll).
            const since = new Date(snapshot.mark - options.overlapMs).toISOString();
            reads.push(await read(shard, since, applyPage));
          } else {
            reads.push(await read(shard, undefined, applyPage));
          }
        }
      }),
    );
    catalog.flush();
    for (const shard of shards) marks.set(shard, now);
    stats.fullLoads++;
    stats.fullLoad = { ms: performance.now() - started, ...total(reads), fromSnapshot, snapshotItems };
    return catalog;
  }

  async function poll(catalog: Catalog, marks: Map<string, number>, now: number): Promise<void> {
    const started = performance.now();
    const reads = await Promise.all(
      shards.map(async (shard) => {
        const since = new Date((marks.get(shard) ?? 0) - options.overlapMs).toISOString();
        const result = await read(shard, since);
        marks.set(shard, now);
        return result;
      }),
    );
    const items: CatalogItem[] = reads.flatMap((r) => r.items);
    const applied = catalog.apply(items);
    stats.polls++;
    stats.lastPoll = { ms: performance.now() - started, applied, ...total(reads) };
  }

  const model = {
    /** The catalog, loaded on first use and brought up to date at most every `pollMs`. */
    async get(now = Date.now()): Promise<Catalog> {
      let current = state;
      if (!current) {
        const marks = new Map<string, number>();
        const catalog = fullLoad(now, marks);
        const loading = { catalog, marks, polledAt: now };
        current = state = loading;
        catalog.catch(() => {
          if (state === loading) state = undefined;
        });
      } else if (now - current.polledAt >= options.pollMs) {
        // Answer from the model as it is while its changes are read, unless it is so old (an
        // idle container just thawed) that the answer should wait for them.
        const age = now - current.polledAt;
        const poll = model.refresh(now);
        if (age >= options.pollMs * STALE_POLLS) await poll;
      }
      const catalog = await current.catalog;
      // A new day can expire an OCOP certificate: badges are recomputed, never carried past midnight.
      catalog.setDay(dayOf(now));
      return catalog;
    },

    /** Reads the changes of every shard now (a failed read is retried at the next poll). */
    async refresh(now = Date.now()): Promise<void> {
      const current = state;
      if (!current) return;
      if (current.poll) return current.poll;
      current.polledAt = now;
      current.poll = current.catalog
        .then((catalog) => poll(catalog, current.marks, now))
        .catch((error: unknown) => {
          log().warn('catalog poll failed', { error });
        })
        .finally(() => {
          current.poll = undefined;
        });
      return current.poll;
    },

    /** Counts the bytes of the items read in `stats` (serializes each item: for the bench). */
    countBytes(on: boolean): void {
      countBytes = on;
    },

    /** Forgets the model: the next `get` loads every shard again (tests that rebuild the table). */
    clear(): void {
      state = undefined;
    },

    stats,
  };
  return model;
}

export type CatalogReadModel = ReturnType<typeof createCatalogReadModel>;
