/**
 * The programme's counters (shared/stats): kept from the table's stream, read by the public
 * statistics and open data routes.
 *
 *   STATS#<dimension>#<period> / <bucket>   stats_counter  numbers added with ADD (n, units, sales,
 *                                                          hours, delivered, deliveryHours,
 *                                                          inside, outside)
 *   STATSSOLD#<household> / SOLD            stats_sold     a household has had a part delivered
 *   STATSSEQ#<pk>#<sk> / SEQ                stats_seq      the last stream record of that item
 *                                                          counted (TTL: two days, past the
 *                                                          stream's 24 h retention)
 *
 * Exactly once per record. A batch's deltas are summed in memory first (one UpdateItem ADD per
 * counter for the whole batch, so no counter is written more than once per batch however busy it
 * is) and written in one TransactWriteItems together with a checkpoint of each counted item,
 * conditioned on `attribute_not_exists(seq) OR seq < :first` (the item's first sequence number
 * in the chunk): a retried batch, or a half of it after a bisect, fails that condition and adds
 * nothing twice. The checkpoint is kept per item rather than per shard because a Lambda stream
 * event does not name its shard; every record of one item is on one shard and in order (a child
 * shard is read only after its parent), so the item's checkpoint is the shard's, item by item.
 * A transaction holds at most 100 items: records are split in chunks that fit (counters,
 * checkpoints and household markers together), each chunk with its own checkpoints, and records
 * a checkpoint already covers are dropped before chunking, so a chunk is applied whole or not at
 * all and a retry resumes at the first chunk that was not.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  counterKey,
  recordEffect,
  referencedIds,
  STATS_ITEM_TYPES,
  sumDeltas,
  type CounterDelta,
  type StatsDimension,
  type StatsLookups,
} from '../stats/deltas.ts';
import type { CounterRow } from '../stats/publish.ts';
import { programmeIndexOps } from '../stats/programme.ts';
import { applyProgrammeOps } from './programme.ts';
import { db } from './client.ts';
import { queryAll, type TransactItem } from './items.ts';

/** A stream record as Lambda and DynamoDB Streams give it (images in DynamoDB JSON). */
export interface StatsStreamRecord {
  eventName?: string;
  dynamodb?: {
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber?: string;
  };
}

/** The result of a batch: records counted, and the index of the first record not applied. */
export interface StatsBatchResult {
  counted: number;
  /** Records whose checkpoint showed they were counted already (a retry). */
  skipped: number;
  /** Set when a chunk failed: this record and those after it were not applied. */
  failedAt?: number;
  error?: unknown;
}

const MAX_TRANSACTION_ITEMS = 100;
const CHECKPOINT_TTL_S = 2 * 24 * 3600;

const counterItemKey = (d: Pick<CounterDelta, 'dimension' | 'period' | 'bucket'>) => ({
  pk: `STATS#${d.dimension}#${d.period}`,
  sk: d.bucket,
});
const soldKey = (householdId: string) => ({ pk: `STATSSOLD#${householdId}`, sk: 'SOLD' });
const seqKey = (pk: string, sk: string) => ({ pk: `STATSSEQ#${pk}#${sk}`, sk: 'SEQ' });
/** Sequence numbers are decimal strings of 21 to 40 digits: padded, they compare as text. */
const padSeq = (seq: string) => seq.padStart(40, '0');

type Image = Record<string, unknown>;

interface Parsed {
  index: number;
  seq: string;
  pk: string;
  sk: string;
  oldImage?: Image;
  newImage?: Image;
}

const toImage = (image: Record<string, unknown> | undefined): Image | undefined =>
  image ? (unmarshall(image as Record<string, AttributeValue>) as Image) : undefined;

/** The stream records of the types that can move a counter (the rest of a batch is ignored). */
function parse(records: readonly StatsStreamRecord[]): Parsed[] {
  const parsed: Parsed[] = [];
  records.forEach((record, index) => {
    const data = record.dynamodb;
    if (!data?.SequenceNumber || !data.Keys) return;
    const oldImage = toImage(data.OldImage);
    const newImage = toImage(data.NewImage);
    const type = (newImage ?? oldImage)?.type;
    if (!(STATS_ITEM_TYPES as readonly unknown[]).includes(type)) return;
    const keys = unmarshall(data.Keys as Record<string, AttributeValue>);
    parsed.push({
      index,
      seq: padSeq(data.SequenceNumber),
      pk: String(keys.pk),
      sk: String(keys.sk),
      ...(oldImage ? { oldImage } : {}),
      ...(newImage ? { newImage } : {}),
    });
  });
  return parsed;
}

/** Consistent BatchGetItem of many keys (100 a call, unprocessed keys retried). */
export async function batchGet(
  keys: { pk: string; sk: string }[],
  projection?: string,
  names?: Record<string, string>,
): Promise<Image[]> {
  const { doc, tableName } = db();
  const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  const found: Image[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt >= 8) throw new Error('stats: BatchGetItem left keys unprocessed after 8 attempts');
      const res = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: request,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection } : {}),
              ...(names ? { ExpressionAttributeNames: names } : {}),
            },
          },
        }),
      );
      found.push(...((res.Responses?.[tableName] ?? []) as Image[]));
      request = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
}

/** The producers' kind and commune and the products' category the records' lines name. */
async function lookupsFor(records: readonly Parsed[]): Promise<StatsLookups> {
  const producerIds = new Set<string>();
  const productIds = new Set<string>();
  for (const r of records) {
    const ids = referencedIds(r.oldImage, r.newImage);
    ids.producers.forEach((id) => producerIds.add(id));
    ids.products.forEach((id) => productIds.add(id));
  }
  const [producers, products] = await Promise.all([
    batchGet(
      [...producerIds].map((id) => ({ pk: `PRODUCER#${id}`, sk: 'PRODUCER' })),
      'id, kind, address',
    ),
    batchGet(
      [...productIds].map((id) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' })),
      'id, category',
    ),
  ]);
  return {
    producers: new Map(
      producers.map((p) => [
        String(p.id),
        {
          kind: String(p.kind),
          communeCode: String((p.address as { communeCode?: string } | undefined)?.communeCode ?? 'unknown'),
        },
      ]),
    ),
    products: new Map(products.map((p) => [String(p.id), { category: String(p.category) }])),
  };
}

function counterUpdate(d: CounterDelta): TransactItem {
  const names = Object.keys(d.values);
  return {
    Update: {
      TableName: db().tableName,
      Key: counterItemKey(d),
      UpdateExpression: `SET #type = :type ADD ${names.map((_, i) => `#v${i} :v${i}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#type': 'type',
        ...Object.fromEntries(names.map((name, i) => [`#v${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':type': 'stats_counter',
        ...Object.fromEntries(names.map((name, i) => [`:v${i}`, d.values[name]])),
      },
    },
  };
}

function checkpointUpdate(pk: string, sk: string, first: string, last: string, now: number): TransactItem {
  return {
    Update: {
      TableName: db().tableName,
      Key: seqKey(pk, sk),
      UpdateExpression: 'SET #type = :type, seq = :last, expiresAt = :ttl',
      ConditionExpression: 'attribute_not_exists(seq) OR seq < :first',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'stats_seq',
        ':last': last,
        ':first': first,
        ':ttl': Math.floor(now / 1000) + CHECKPOINT_TTL_S,
      },
    },
  };
}

function markerPut(householdId: string, at: string): TransactItem {
  return {
    Put: {
      TableName: db().tableName,
      Item: { ...soldKey(householdId), type: 'stats_sold', householdId, at },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

interface Counted {
  record: Parsed;
  counters: CounterDelta[];
  households: string[];
}

/** One chunk's transaction: summed counters, one checkpoint per item, the new households' markers. */
function chunkItems(chunk: readonly Counted[], now: number): TransactItem[] {
  const byItem = new Map<string, { pk: string; sk: string; first: string; last: string }>();
  for (const { record } of chunk) {
    const key = `${record.pk}|${record.sk}`;
    const found = byItem.get(key);
    if (found) found.last = record.seq;
    else byItem.set(key, { pk: record.pk, sk: record.sk, first: record.seq, last: record.seq });
  }
  const at = new Date(now).toISOString();
  return [
    ...sumDeltas(chunk.flatMap((c) => c.counters)).map(counterUpdate),
    ...[...byItem.values()].map((c) => checkpointUpdate(c.pk, c.sk, c.first, c.last, now)),
    ...chunk.flatMap((c) => c.households.map((h) => markerPut(h, at))),
  ];
}

/** How many transaction items a chunk of these records needs (distinct counters and items). */
function chunkSize(chunk: readonly Counted[]): number {
  const counters = new Set(chunk.flatMap((c) => c.counters.map(counterKey)));
  const items = new Set(chunk.map((c) => `${c.record.pk}|${c.record.sk}`));
  return counters.size + items.size + chunk.reduce((n, c) => n + c.households.length, 0);
}

/**
 * Applies one batch of stream records (in the stream's order) to the counters, exactly once per
 * record. Stops at the first chunk that fails and says which record it started with: the caller
 * reports it (ReportBatchItemFailures) and the stream delivers it and the rest again.
 */
export async function applyStatsRecords(
  records: readonly StatsStreamRecord[],
  now: number = Date.now(),
): Promise<StatsBatchResult> {
  const parsed = parse(records);
  if (parsed.length === 0) return { counted: 0, skipped: 0 };
  let lookups: StatsLookups;
  let effects: { record: Parsed; effect: ReturnType<typeof recordEffect> }[];
  let seen: Map<string, string>;
  let sold: Set<string>;
  try {
    lookups = await lookupsFor(parsed);
    effects = parsed
      .map((record) => ({ record, effect: recordEffect(record.oldImage, record.newImage, lookups) }))
      .filter(({ effect }) => effect.counters.length > 0 || effect.firstSales.length > 0);
    const checkpoints = await batchGet(effects.map(({ record }) => seqKey(record.pk, record.sk)));
    seen = new Map(checkpoints.map((c) => [String(c.pk), String(c.seq)]));
    const households = [
      ...new Set(effects.flatMap(({ effect }) => effect.firstSales.map((f) => f.householdId))),
    ];
    const markers = await batchGet(households.map(soldKey), 'householdId');
    sold = new Set(markers.map((m) => String(m.householdId)));
    // The programme report's indexes (shared/db/programme.ts), in the stream's order: each write
    // is idempotent, so a retried batch writes the same again.
    await applyProgrammeOps(parsed.flatMap((r) => programmeIndexOps(r.oldImage, r.newImage, lookups)));
  } catch (error) {
    return { counted: 0, skipped: 0, failedAt: parsed[0]!.index, error };
  }

  const pending: Counted[] = [];
  let skipped = 0;
  for (const { record, effect } of effects) {
    const last = seen.get(seqKey(record.pk, record.sk).pk);
    if (last !== undefined && last >= record.seq) {
      skipped++;
      continue;
    }
    const counters = [...effect.counters];
    const households: string[] = [];
    for (const first of effect.firstSales) {
      if (sold.has(first.householdId)) continue;
      sold.add(first.householdId);
      households.push(first.householdId);
      counters.push(...first.counters);
    }
    pending.push({ record, counters, households });
  }

  const chunks: Counted[][] = [];
  for (const counted of pending) {
    const current = chunks.at(-1);
    if (current && chunkSize([...current, counted]) <= MAX_TRANSACTION_ITEMS) current.push(counted);
    else {
      if (chunkSize([counted]) > MAX_TRANSACTION_ITEMS)
        throw new Error(`stats: one record moves more than ${MAX_TRANSACTION_ITEMS - 1} counters`);
      chunks.push([counted]);
    }
  }

  let counted = 0;
  for (const chunk of chunks) {
    try {
      await db().doc.send(new TransactWriteCommand({ TransactItems: chunkItems(chunk, now) }));
    } catch (error) {
      return { counted, skipped, failedAt: chunk[0]!.record.index, error };
    }
    counted += chunk.length;
  }
  return { counted, skipped };
}

const COUNTER_FIELDS = [
  'n',
  'units',
  'sales',
  'hours',
  'delivered',
  'deliveryHours',
  'inside',
  'outside',
] as const;

/** Every counter of one dimension and period (one partition, one Query; a few hundred rows at most). */
export async function readCounters(dimension: StatsDimension, period: string): Promise<CounterRow[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `STATS#${dimension}#${period}` },
  });
  return items.map((item) => {
    const values: Record<string, number> = {};
    for (const field of COUNTER_FIELDS) if (typeof item[field] === 'number') values[field] = item[field];
    return { bucket: String(item.sk), values };
  });
}

/**
 * Recomputes every counter from the table (`npm run stats:rebuild`), for the first deploy: reads
 * the table in pages, keeps the items the stream worker counts, and replaces the counters and
 * household markers with what they add up to. Run it once, right after the first deploy and
 * before the exchange takes orders: a change made while it reads may be counted by both it and
 * the stream worker.
 */
export async function rebuildStats(
  options: { pageSize?: number; onPage?: (read: number) => void } = {},
): Promise<{ items: number; counters: number; households: number }> {
  const { doc, tableName } = db();
  const kept: Image[] = [];
  const oldCounters: { pk: string; sk: string }[] = [];
  let read = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        Limit: options.pageSize ?? 500,
        FilterExpression: '#type IN (:a, :b, :c, :d, :e, :f, :g)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':a': 'producer',
          ':b': 'product',
          ':c': 'ocop',
          ':d': 'order',
          ':e': 'sub_order',
          ':f': 'stats_counter',
          ':g': 'stats_sold',
        },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.type === 'stats_counter' || item.type === 'stats_sold')
        oldCounters.push({ pk: String(item.pk), sk: String(item.sk) });
      else kept.push(item);
    }
    read += page.ScannedCount ?? 0;
    options.onPage?.(read);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);

  const producers = new Map(
    kept
      .filter((i) => i.type === 'producer')
      .map((p) => [
        String(p.id),
        {
          kind: String(p.kind),
          communeCode: String((p.address as { communeCode?: string } | undefined)?.communeCode ?? 'unknown'),
        },
      ]),
  );
  const products = new Map(
    kept.filter((i) => i.type === 'product').map((p) => [String(p.id), { category: String(p.category) }]),
  );
  const all: CounterDelta[] = [];
  const households = new Set<string>();
  for (const item of kept) {
    const effect = recordEffect(undefined, item, { producers, products });
    all.push(...effect.counters);
    for (const first of effect.firstSales) {
      if (households.has(first.householdId)) continue;
      households.add(first.householdId);
      all.push(...first.counters);
    }
  }
  await applyProgrammeOps(
    kept.flatMap((item) => programmeIndexOps(undefined, item, { producers, products })),
  );
  const counters = sumDeltas(all);
  const written = new Set<string>();
  for (const c of counters) {
    const key = counterItemKey(c);
    written.add(`${key.pk}|${key.sk}`);
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...key, type: 'stats_counter', ...c.values } }),
    );
  }
  const at = new Date().toISOString();
  for (const householdId of households) {
    const key = soldKey(householdId);
    written.add(`${key.pk}|${key.sk}`);
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...key, type: 'stats_sold', householdId, at } }),
    );
  }
  for (const old of oldCounters) {
    if (!written.has(`${old.pk}|${old.sk}`))
      await doc.send(new DeleteCommand({ TableName: tableName, Key: old }));
  }
  return { items: kept.length, counters: counters.length, households: households.size };
}
