/**
 * Writes the province-scale catalog (scale-data.ts) through the project's own repositories:
 * `producers.create`, `accounts.create` and `products.create` (slug guard, product, packs,
 * certificate, lots), their writes gathered into transactions of up to 100 items
 * (createInTransactions: DynamoDB Local pays per transaction, not per item), a few in flight.
 *
 * `seedScale` writes into the table the process already uses (db()); `seedScaleDataDir` starts
 * DynamoDB Local on a DATA_DIR, creates the table, adds the demo catalog (so `npm start` on that
 * folder finds it seeded and does not write it on top), seeds, and leaves a manifest beside it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { accounts } from '../../../shared/db/accounts.ts';
import { db } from '../../../shared/db/client.ts';
import { provideServices } from '../../../shared/services.ts';
import { localConfig, localServices } from '../services.ts';
import { createTable } from '../../../shared/db/create-table.ts';
import { producers } from '../../../shared/db/producers.ts';
import { products } from '../../../shared/db/products.ts';
import type { MediaStore } from '../../../shared/images/pipeline.ts';
import { startDynamoDbLocal } from '../dynamodb-local.ts';
import { fileMediaStore } from '../media-store.ts';
import { demoSeededAt, seedDemoData } from './seed.ts';
import {
  DEFAULT_SCALE,
  scaleListing,
  scaleProducers,
  type ScaleListing,
  type ScaleSize,
} from './scale-data.ts';
import {
  categoryPhoto,
  createInTransactions,
  ignoreExisting,
  processDemoArtworks,
  producerAccount,
  runPool,
  type PoolProgress,
} from './seed-helpers.ts';

export interface SeedScaleOptions extends Partial<ScaleSize> {
  /** Where the listing photos go (a folder locally). */
  media: MediaStore;
  /** Transactions in flight (each up to 100 items). @default 4 */
  concurrency?: number;
  /** A sign-in account per producer (cooperatives get a manager). @default true */
  accounts?: boolean;
  log?: (line: string) => void;
}

export interface SeedScaleResult {
  size: ScaleSize;
  producers: number;
  accounts: number;
  listings: number;
  packs: number;
  lots: number;
  certificates: number;
  /** Items written (slug guards and phone claims included). */
  items: number;
  ms: number;
}

const MARKER = { pk: 'META', sk: 'SCALE_SEED' };

/** The size a store was seeded with by `seedScale`, if it was. */
export async function scaleSeededWith(): Promise<ScaleSize | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: MARKER }));
  return Item ? (Item.size as ScaleSize) : undefined;
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const count = (n: number) => n.toLocaleString('en-US');

function progressLine(phase: string, itemsPerUnit: number, log: (line: string) => void) {
  return ({ done, total, elapsedMs }: PoolProgress) => {
    const rate = done / Math.max(elapsedMs / 1000, 0.001);
    const eta = rate > 0 ? ((total - done) / rate) * 1000 : 0;
    log(
      `${phase} ${count(done)}/${count(total)} (${Math.floor((done / total) * 100)} %) · ` +
        `${rate.toFixed(0)}/s ≈ ${(rate * itemsPerUnit).toFixed(0)} items/s · ` +
        `${clock(elapsedMs)} elapsed${done < total ? ` · ETA ${clock(eta)}` : ''}`,
    );
  };
}

/**
 * Runs `write(indices)` over 0 … total-1 in groups of `groupSize`, `concurrency` groups at a
 * time, logging progress in units (not groups).
 */
function inGroups(
  total: number,
  groupSize: number,
  concurrency: number,
  write: (indices: number[]) => Promise<void>,
  progress: (p: PoolProgress) => void,
): Promise<void> {
  const groups = Math.ceil(total / groupSize);
  return runPool(
    groups,
    concurrency,
    (g) =>
      write(Array.from({ length: Math.min(groupSize, total - g * groupSize) }, (_, k) => g * groupSize + k)),
    (p) => progress({ ...p, done: Math.min(total, p.done * groupSize), total }),
  );
}

/** Seeds the province catalog into the current table. Resumable: what exists already is kept. */
export async function seedScale(options: SeedScaleOptions): Promise<SeedScaleResult> {
  const size: ScaleSize = {
    producers: options.producers ?? DEFAULT_SCALE.producers,
    listings: options.listings ?? DEFAULT_SCALE.listings,
    seed: options.seed ?? DEFAULT_SCALE.seed,
  };
  const concurrency = options.concurrency ?? 4;
  const log = options.log ?? (() => {});
  const started = Date.now();
  let items = 0;

  const photos = await processDemoArtworks(options.media);
  log(`photos: ${photos.size} processed once by the sharp pipeline in ${Date.now() - started} ms`);

  const people = scaleProducers(size);
  log(
    `producers: ${count(people.cooperatives.length)} cooperatives, ${count(people.enterprises.length)} enterprises, ` +
      `${count(people.households.length)} households (${count(people.households.filter((h) => h.membership).length)} members)`,
  );
  // Cooperatives come first in the list: households name them.
  const all = people.all;
  const createProducer = (i: number) => producers.create(all[i]!).then(() => undefined, ignoreExisting);
  await inGroups(
    all.length,
    50,
    concurrency,
    async (group) => {
      const written = await createInTransactions(group, createProducer, createProducer);
      items += written;
    },
    progressLine('producers', 2, log),
  );
  const withAccounts = options.accounts !== false;
  if (withAccounts) {
    const createdAt = '2025-09-01T08:00:00.000Z';
    const createAccount = (i: number) => accounts.create(producerAccount(all[i]!, createdAt));
    await inGroups(
      all.length,
      50,
      concurrency,
      async (group) => {
        const written = await createInTransactions(group, createAccount, createAccount);
        items += written;
      },
      progressLine('accounts', 2, log),
    );
  }

  const byId = new Map(all.map((p) => [p.id, p]));
  const totals = { packs: 0, lots: 0, certificates: 0 };
  const createListing = (listing: ScaleListing) => {
    const product = {
      ...listing.product,
      images: [categoryPhoto(photos, listing.product.category, listing.product.name.vi)],
    };
    return products.create({ ...listing, product }, byId.get(product.producerId)!).then(
      () => listing,
      (error: unknown) => (ignoreExisting(error), listing),
    );
  };
  await inGroups(
    size.listings,
    12,
    concurrency,
    async (group) => {
      // Each listing is generated once: written from it, then counted.
      const listings = new Map(group.map((i) => [i, scaleListing(i, people, size)]));
      const create = (i: number) => createListing(listings.get(i)!);
      items += await createInTransactions(group, create, create);
      for (const listing of listings.values()) {
        totals.packs += listing.variants.length;
        totals.lots += listing.lots.length;
        totals.certificates += listing.certificates.length;
      }
    },
    progressLine('listings', 7, log),
  );

  const { doc, tableName } = db();
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...MARKER, size } }));
  return {
    size,
    producers: all.length,
    accounts: withAccounts ? all.length : 0,
    listings: size.listings,
    ...totals,
    items,
    ms: Date.now() - started,
  };
}

/** What `seedScaleDataDir` leaves in DATA_DIR: read by `npm start` and by benches. */
export interface ScaleManifest extends SeedScaleResult {
  /** The demo catalog (and its accounts, the admin among them) was seeded first. */
  demo: boolean;
  seededAt: string;
}

export const SCALE_MANIFEST = 'scale-seed.json';

/** The manifest of a DATA_DIR seeded by `npm run seed:scale`, if any. */
export function readScaleManifest(dataDir: string): ScaleManifest | undefined {
  const file = join(resolve(dataDir), SCALE_MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ScaleManifest) : undefined;
}

/**
 * Seeds a DATA_DIR that `DATA_DIR=… npm start` can run on: DynamoDB Local on
 * `<dataDir>/dynamodb`, photos in `<dataDir>/media`, the manifest in `<dataDir>/scale-seed.json`.
 * The exchange must not be running on the same folder.
 */
export async function seedScaleDataDir(
  options: Omit<SeedScaleOptions, 'media'> & { dataDir: string; demo?: boolean },
): Promise<ScaleManifest> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => {});
  const dynamodb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  try {
    const services = localServices({
      config: localConfig({ dynamodbEndpoint: dynamodb.endpoint, region: 'local' }),
    });
    provideServices(services);
    const local = services.db;
    await createTable(local.raw, local.tableName);
    const media = fileMediaStore(join(dataDir, 'media'));
    const demo = options.demo !== false;
    if (demo && !(await demoSeededAt())) {
      const counts = await seedDemoData(media);
      log(`demo catalog: ${counts.producers} producers, ${counts.products} listings, demo accounts`);
    }
    const result = await seedScale({ ...options, media });
    const manifest: ScaleManifest = { ...result, demo, seededAt: new Date().toISOString() };
    writeFileSync(join(dataDir, SCALE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await dynamodb.stop();
  }
}
