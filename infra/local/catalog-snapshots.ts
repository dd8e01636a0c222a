/**
 * The catalog's snapshots on this machine: the local stand-in for the snapshot bucket (a folder in
 * the data folder) and the timer that plays the `catalogSnapshot` job's schedule. With them a
 * restart of `npm start` on a large data set (npm run seed:scale) starts the catalog from the
 * snapshots instead of reading every shard whole, as a cold catalog container does in AWS.
 */
import { join } from 'node:path';
import { writeCatalogSnapshots, type SnapshotStore } from '../../shared/db/catalog-snapshot.ts';
import { readIfPresent, writeWhole } from './files.ts';

export function fileSnapshotStore(root: string): SnapshotStore {
  return {
    get: (name) => readIfPresent(join(root, name)),
    put: (name, body) => writeWhole(join(root, name), body),
  };
}

export interface RunningCatalogSnapshots {
  stop(): void;
}

/** Writes the snapshots `firstAfterMs` after start, then every `everyMs`; failures are logged. */
export function startCatalogSnapshots(options: {
  store: SnapshotStore;
  everyMs: number;
  firstAfterMs?: number;
  log: (line: string) => void;
}): RunningCatalogSnapshots {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const report = await writeCatalogSnapshots(options.store);
      options.log(
        `catalog snapshot: ${report.items} items of ${report.shards} shards, ${(report.bytes / 1024).toFixed(0)} KB, ${report.ms.toFixed(0)} ms`,
      );
    } catch (error) {
      options.log(`catalog snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), options.firstAfterMs ?? 30_000);
  const timer = setInterval(() => void run(), options.everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
