/**
 * The local stand-in for the stats worker's stream event source: reads DynamoDB Local's stream of
 * the table with the DynamoDB Streams API, shard by shard in order, and feeds each page of
 * records to the same function the Lambda runs (functions/stats/stream-worker.ts) with the same
 * batch shape. A batch that reports a failure is read again from the failed record at the next
 * poll, as the event source retries from the reported record; counting is exactly once either way
 * (shared/db/stats.ts), so starting again from the stream's oldest record is harmless.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { applyStatsBatch } from '../../functions/stats/stream-worker.ts';
import type { StatsStreamRecord } from '../../shared/db/stats.ts';

export interface StatsStreamOptions {
  endpoint: string;
  region: string;
  streamArn: string;
  /** How often the stream is read. @default 1000 ms; 0: only when `poll()` is called */
  intervalMs?: number;
  /** Records per GetRecords call (the Lambda mapping's batch size). @default 100 */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface RunningStatsStream {
  /** Reads every shard up to its end now; resolves when what was in the stream is counted. */
  poll(): Promise<void>;
  stop(): void;
}

export function startStatsStream(options: StatsStreamOptions): RunningStatsStream {
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const log = options.log ?? (() => {});
  /** Per shard: the last record handed over and counted, or where to read again after a failure. */
  const positions = new Map<string, { after?: string; at?: string; done?: boolean }>();
  let running: Promise<void> | undefined;
  let stopped = false;

  const iteratorOf = async (shard: Shard) => {
    const position = positions.get(shard.ShardId!) ?? {};
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: options.streamArn,
        ShardId: shard.ShardId!,
        ...(position.at
          ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: position.at }
          : position.after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  };

  const readShard = async (shard: Shard) => {
    const id = shard.ShardId!;
    if (positions.get(id)?.done) return;
    let iterator = await iteratorOf(shard);
    while (iterator && !stopped) {
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 100 }),
      );
      const records = page.Records ?? [];
      if (records.length > 0) {
        const result = await applyStatsBatch({ Records: records as StatsStreamRecord[] });
        const failed = result.batchItemFailures[0]?.itemIdentifier;
        if (failed) {
          positions.set(id, { at: failed });
          return;
        }
        positions.set(id, { after: records.at(-1)!.dynamodb!.SequenceNumber! });
      }
      // A closed shard read to its end is done; an open one is read again at the next poll.
      if (!page.NextShardIterator) {
        positions.set(id, { ...positions.get(id), done: true });
        return;
      }
      if (records.length === 0) return;
      iterator = page.NextShardIterator;
    }
  };

  const pollOnce = async () => {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: options.streamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    // Parents before children: an item's records stay in order across a shard split.
    const ids = new Set(shards.map((s) => s.ShardId));
    const ordered: Shard[] = [];
    const visit = (shard: Shard) => {
      if (ordered.includes(shard)) return;
      const parent = shards.find((s) => s.ShardId === shard.ParentShardId);
      if (parent && ids.has(parent.ShardId)) visit(parent);
      ordered.push(shard);
    };
    shards.forEach(visit);
    for (const shard of ordered) await readShard(shard);
  };

  const poll = () => {
    running ??= pollOnce()
      .catch((error: unknown) =>
        log(`stats stream: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (running = undefined));
    return running;
  };

  const interval = options.intervalMs ?? 1000;
  const timer = interval > 0 ? setInterval(() => void poll(), interval) : undefined;
  timer?.unref();
  return {
    poll: async () => {
      // A poll already under way may have listed the shards before the latest writes: read again.
      await running;
      await poll();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
