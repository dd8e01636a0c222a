/**
 * The seller center's queue of changes made without a connection, kept on the device in
 * IndexedDB (through `idb`) so that it survives closing the browser: stock changes, price
 * changes, new draft listings and photos taken offline. Each change carries its own
 * Idempotency-Key, made when it was queued, so a replay after a lost answer applies it once.
 * Read and written by the pages (site/src/seller/offline/panel.ts) and by the service worker's
 * Background Sync (sw.ts), both through sync.ts.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type ChangeState = 'pending' | 'conflict' | 'waiting' | 'failed';

interface Base {
  seq?: number;
  /** The Idempotency-Key this change is sent with. */
  key: string;
  createdAt: string;
  state: ChangeState;
  /** Why it waits or failed, in Vietnamese. */
  note?: string;
}

/** A stock change: `delta` packs, decided when the pack had `baseStock`. */
export interface StockChangeItem extends Base {
  kind: 'stock';
  productId: string;
  productName: string;
  variantId: string;
  packLabel: string;
  delta: number;
  reason: string;
  baseStock: number;
  /** The stock on the exchange when it differed from `baseStock` (state `conflict`). */
  serverStock?: number;
}

export interface PriceChangeItem extends Base {
  kind: 'price';
  productId: string;
  productName: string;
  packs: { id: string; price: number }[];
}

export interface DraftItem extends Base {
  kind: 'draft';
  /** How the photos queued with it name it until it exists on the exchange. */
  localId: string;
  body: { name: { vi: string } } & Record<string, unknown>;
}

/** A photo already made small on the device; for a listing or a queued draft (`draftLocalId`). */
export interface PhotoItem extends Base {
  kind: 'photo';
  productId?: string;
  draftLocalId?: string;
  productName: string;
  blob: Blob;
  contentType: string;
  alt?: string;
  originalBytes: number;
}

export type QueuedChange = StockChangeItem | PriceChangeItem | DraftItem | PhotoItem;
export type NewChange = DistributiveOmit<QueuedChange, 'seq' | 'key' | 'createdAt' | 'state'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface OfflineDb extends DBSchema {
  changes: { key: number; value: QueuedChange };
  /** A queued draft's local id → the listing it became. */
  drafts: { key: string; value: { localId: string; productId: string } };
  /** The signed-in household's token, for the service worker's sync (it has no localStorage). */
  session: { key: string; value: { token: string; expiresAt: number } };
}

const DB_NAME = 'tn-seller-offline';
/** The Background Sync tag the pages ask for and the service worker answers. */
export const SYNC_TAG = 'tn-seller-queue';
let opening: Promise<IDBPDatabase<OfflineDb>> | undefined;

function database(): Promise<IDBPDatabase<OfflineDb>> {
  opening ??= openDB<OfflineDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('changes', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('drafts', { keyPath: 'localId' });
      db.createObjectStore('session');
    },
  });
  return opening;
}

export function newKey(): string {
  return `off-${crypto.randomUUID()}`;
}

export async function enqueue(change: NewChange): Promise<number> {
  const db = await database();
  const item = { ...change, key: newKey(), createdAt: new Date().toISOString(), state: 'pending' };
  const seq = await db.add('changes', item as QueuedChange);
  notifyChanged();
  return seq;
}

/** Every queued change, oldest first (the order they are sent in). */
export async function listChanges(): Promise<QueuedChange[]> {
  return (await database()).getAll('changes');
}

export async function countChanges(): Promise<number> {
  return (await database()).count('changes');
}

export async function saveChange(change: QueuedChange): Promise<void> {
  await (await database()).put('changes', change);
  notifyChanged();
}

export async function removeChange(seq: number): Promise<void> {
  await (await database()).delete('changes', seq);
  notifyChanged();
}

export async function rememberDraft(localId: string, productId: string): Promise<void> {
  await (await database()).put('drafts', { localId, productId });
}

export async function draftProductId(localId: string): Promise<string | undefined> {
  return (await (await database()).get('drafts', localId))?.productId;
}

export async function saveSyncToken(token: string, expiresAt: number): Promise<void> {
  await (await database()).put('session', { token, expiresAt }, 'current');
}

export async function syncToken(): Promise<string | undefined> {
  const session = await (await database()).get('session', 'current');
  return session && session.expiresAt > Date.now() ? session.token : undefined;
}

/** Sign-out: the next account on this phone finds nothing of this one's. */
export async function forgetEverything(): Promise<void> {
  const db = await database();
  await Promise.all([db.clear('changes'), db.clear('drafts'), db.clear('session')]);
  notifyChanged();
}

/** Other tabs and the service worker hear of every change to the queue. */
const CHANNEL = 'tn-seller-queue';
let channel: BroadcastChannel | undefined;
function notifyChanged(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel ??= new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  for (const listener of listeners) listener();
}
const listeners = new Set<() => void>();

/** Calls `listener` whenever the queue changes (here, in another tab or in the service worker). */
export function onQueueChanged(listener: () => void): void {
  listeners.add(listener);
  if (typeof BroadcastChannel === 'undefined') return;
  new BroadcastChannel(CHANNEL).addEventListener('message', () => listener());
}
