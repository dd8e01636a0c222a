/**
 * What the demo catalog and the province-scale catalog write the same way: photos rendered once
 * and processed by the real pipeline, sign-in accounts for producers, resumable writes, and a
 * bounded pool of concurrent writers, many repository writes sent as one transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import type { Account } from '../../../shared/db/accounts.ts';
import { db } from '../../../shared/db/client.ts';
import type { TransactItem } from '../../../shared/db/items.ts';
import type { ImageRef } from '../../../shared/domain/common.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import type { Producer } from '../../../shared/domain/producer.ts';
import { processImage, type MediaStore, type ProcessedImage } from '../../../shared/images/pipeline.ts';
import { CATEGORY_ART, DEMO_ARTWORKS, demoArtworkSvg } from './demo-images.ts';

export type ArtworkPhotos = Map<string, ProcessedImage>;

/** Renders each demo artwork once and runs it through the photo pipeline (keys `demo/<art>`). */
export async function processDemoArtworks(store: MediaStore): Promise<ArtworkPhotos> {
  const entries = await Promise.all(
    DEMO_ARTWORKS.map(async (art) => {
      const jpeg = await sharp(demoArtworkSvg(art)).jpeg({ quality: 90 }).toBuffer();
      const processed = await processImage(jpeg, `demo/${art}`, store);
      return [art, processed] as const;
    }),
  );
  return new Map(entries);
}

/** The photo of a category's artwork, with the product's name as its alt text. */
export function categoryPhoto(photos: ArtworkPhotos, category: string, alt: string): ImageRef {
  const art = photos.get(CATEGORY_ART[category] ?? 'tea')!;
  return { key: art.key, alt, width: art.width, height: art.height };
}

/** A seed interrupted half-way is resumed: what is already there stays. */
export function ignoreExisting(error: unknown): void {
  if (error instanceof DomainError && error.kind === 'conflict') return;
  throw error;
}

/** The sign-in account of a producer: cooperatives get a manager. */
export function producerAccount(producer: Producer, createdAt: string): Account {
  return {
    sub: `demo-${producer.id}`,
    phone: producer.phone,
    groups: producer.kind === 'cooperative' ? ['producer', 'coop_manager'] : ['producer'],
    producerId: producer.id,
    createdAt,
  };
}

export interface PoolProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

/**
 * Runs `work(0 … total-1)` with at most `concurrency` in flight, in index order, calling
 * `progress` at most every `everyMs` and once at the end. The first failure stops the pool.
 */
export async function runPool(
  total: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
  progress?: (p: PoolProgress) => void,
  everyMs = 2000,
): Promise<void> {
  const started = Date.now();
  let next = 0;
  let done = 0;
  let reported = started;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (!failed && next < total) {
        const index = next++;
        try {
          await work(index);
        } catch (error) {
          failed = true;
          throw error;
        }
        done++;
        const now = Date.now();
        if (progress && now - reported >= everyMs) {
          reported = now;
          progress({ done, total, elapsedMs: now - started });
        }
      }
    }),
  );
  progress?.({ done, total, elapsedMs: Date.now() - started });
}

// ---------------------------------------------------------------------------------------------
// Many repository writes in one transaction.
//
// DynamoDB Local serializes transactions and pays a fixed cost per call (measured on 2 busy
// cores: ≈ 10 TransactWriteItems a second whether a call holds 7 items or 98), so one listing per
// transaction caps a seed near 100 items a second. The seeders still write through the
// repositories (`products.create`, `producers.create`, `accounts.create`: their validation, their
// item builders, their slug and phone guards), but with the client's writes collected instead of
// sent, then sent together, up to 100 items a transaction. A transaction that is cancelled (a
// resumed seed meets what is already there) is replayed entity by entity through the repository.

const collecting = new AsyncLocalStorage<TransactItem[]>();
const withCollector = new WeakSet<object>();
const MIDDLEWARE = 'seedCollectWrites';

function installCollector(doc: DynamoDBDocumentClient): void {
  if (withCollector.has(doc.middlewareStack)) return;
  withCollector.add(doc.middlewareStack);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const sink = collecting.getStore();
      if (!sink) return next(args);
      const input = args.input as Record<string, unknown>;
      switch (context.commandName) {
        case 'TransactWriteItemsCommand':
          sink.push(...(input.TransactItems as TransactItem[]));
          break;
        case 'PutItemCommand':
          sink.push({ Put: input as never });
          break;
        case 'UpdateItemCommand':
          sink.push({ Update: input as never });
          break;
        case 'DeleteItemCommand':
          sink.push({ Delete: input as never });
          break;
        default:
          return next(args); // reads go to the table
      }
      return { output: { $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: MIDDLEWARE },
  );
}

/** The writes `work` would make through the process-wide client, collected rather than sent. */
export async function collectWrites(work: () => Promise<unknown>): Promise<TransactItem[]> {
  installCollector(db().doc);
  const sink: TransactItem[] = [];
  await collecting.run(sink, work);
  return sink;
}

const MAX_TRANSACTION_ITEMS = 100;

function itemKey(item: TransactItem): string {
  const op = (item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck) as {
    TableName?: string;
    Item?: Record<string, unknown>;
    Key?: Record<string, unknown>;
  };
  const key = op.Key ?? op.Item ?? {};
  return `${op.TableName}|${String(key.pk)}|${String(key.sk)}`;
}

/**
 * Runs `create(i)` for every i in `indices` through collectWrites and sends the writes in as few
 * transactions as fit (≤ 100 items, no item twice). Returns the number of items written.
 * When a transaction is cancelled, each entity in it is created on its own with `replay(i)`.
 */
export async function createInTransactions(
  indices: readonly number[],
  create: (index: number) => Promise<unknown>,
  replay: (index: number) => Promise<unknown>,
): Promise<number> {
  const batches: { indices: number[]; items: TransactItem[]; keys: Set<string> }[] = [];
  for (const index of indices) {
    const items = await collectWrites(() => create(index));
    const keys = items.map(itemKey);
    let batch = batches.at(-1);
    if (
      !batch ||
      batch.items.length + items.length > MAX_TRANSACTION_ITEMS ||
      keys.some((k) => batch!.keys.has(k))
    ) {
      batch = { indices: [], items: [], keys: new Set() };
      batches.push(batch);
    }
    batch.indices.push(index);
    batch.items.push(...items);
    for (const k of keys) batch.keys.add(k);
  }
  let written = 0;
  const { doc } = db();
  for (const batch of batches) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: batch.items }));
      written += batch.items.length;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      for (const index of batch.indices) await replay(index);
    }
  }
  return written;
}
