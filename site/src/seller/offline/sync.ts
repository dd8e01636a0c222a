/**
 * Sends the queued changes, oldest first, each with its own Idempotency-Key (the API applies a
 * key once and replays its first answer: shared/seller/idempotency.ts). Runs in a page (on
 * `online` and on every open) and in the service worker (Background Sync); a Web Lock keeps two
 * runs from sending at once.
 *  - A stock change is sent with the stock it was based on (`expectedStock`): if the pack no
 *    longer has it (an order, another phone) the exchange applies nothing and answers 409, and the
 *    change becomes a conflict that the household settles (panel.ts); later changes of that
 *    listing wait behind it. A retry after a lost answer replays the first answer (its key).
 *  - A price change of a listing under review waits until the review is over.
 *  - A photo of a queued draft waits for its draft; then its upload slot is asked with its key
 *    and the small photo is sent there.
 *  - No connection: the run stops, everything stays queued.
 */
import {
  draftProductId,
  listChanges,
  rememberDraft,
  removeChange,
  saveChange,
  type PhotoItem,
  type QueuedChange,
} from './queue.ts';

export interface SyncOptions {
  token: string;
  /** Sends a photo to its upload slot; the page's version shows progress. */
  putPhoto?: (slot: UploadSlot, blob: Blob, item: PhotoItem) => Promise<void>;
  /** Told before each change is sent. */
  onItem?: (item: QueuedChange) => void;
}

export interface UploadSlot {
  photoId: string;
  upload: { method: string; url: string; headers?: Record<string, string> };
}

export interface SyncResult {
  sent: number;
  conflicts: number;
  waiting: number;
  failed: number;
  offline: boolean;
}

class Offline extends Error {}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API, read field by field
  body: any;
}

async function call(token: string, method: string, path: string, body?: unknown, key?: string) {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new Offline();
  }
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    // no JSON body
  }
  // A service worker's offline answer for an API read (no network, nothing cached).
  if (response.status === 503 && response.headers.get('x-offline') === '1') throw new Offline();
  return { status: response.status, body: json } as Answer;
}

/** The API's words for a refusal, or a general one. */
function refusal(answer: Answer): string {
  const message = answer.body?.error?.message;
  return typeof message === 'string'
    ? message.split(' / ')[0]!
    : `Sàn không nhận thay đổi này (mã ${answer.status}).`;
}

async function defaultPut(slot: UploadSlot, blob: Blob): Promise<void> {
  let response: Response;
  try {
    response = await fetch(slot.upload.url, {
      method: slot.upload.method || 'PUT',
      headers: Object.fromEntries(
        Object.entries(slot.upload.headers ?? {}).filter(([n]) => !/^(content-length|host)$/i.test(n)),
      ),
      body: blob,
    });
  } catch {
    throw new Offline();
  }
  if (!response.ok) throw new Error(`upload ${response.status}`);
}

async function sendOne(item: QueuedChange, options: SyncOptions): Promise<'sent' | QueuedChange['state']> {
  const { token } = options;
  switch (item.kind) {
    case 'stock': {
      // Sent with the stock it was decided on: the exchange applies it only on that number, and a
      // retry of an applied change replays its first answer (its key), whatever came after it.
      const answer = await call(
        token,
        'POST',
        `/api/seller/products/${encodeURIComponent(item.productId)}/stock`,
        { variantId: item.variantId, delta: item.delta, reason: item.reason, expectedStock: item.baseStock },
        item.key,
      );
      if (answer.status === 200) return 'sent';
      if (answer.status === 409 && answer.body?.error?.code === 'idempotency.in_flight') return 'pending';
      // Changed meanwhile (an order, another phone): both numbers go to the household.
      if (answer.status === 409) {
        const read = await call(token, 'GET', `/api/seller/products/${encodeURIComponent(item.productId)}`);
        const now = (read.body?.packs as { id: string; stock: number }[] | undefined)?.find(
          (p) => p.id === item.variantId,
        );
        if (!now) return fail(item, 'Gói này không còn trên sàn.');
        // Back to the number it was based on (a race that undid itself): try again next run.
        return now.stock === item.baseStock ? 'pending' : conflict(item, now.stock);
      }
      return fail(item, refusal(answer));
    }
    case 'price': {
      const read = await call(token, 'GET', `/api/seller/products/${encodeURIComponent(item.productId)}`);
      if (read.status !== 200) return fail(item, refusal(read));
      if (read.body.status === 'in_review') {
        await saveChange({
          ...item,
          state: 'waiting',
          note: 'Sản phẩm đang chờ duyệt: giá mới sẽ được gửi khi duyệt xong.',
        });
        return 'waiting';
      }
      const answer = await call(
        token,
        'PATCH',
        `/api/seller/products/${encodeURIComponent(item.productId)}`,
        { packs: item.packs },
        item.key,
      );
      return answer.status === 200 ? 'sent' : fail(item, refusal(answer));
    }
    case 'draft': {
      const answer = await call(token, 'POST', '/api/seller/products', item.body, item.key);
      if (answer.status !== 201) return fail(item, refusal(answer));
      await rememberDraft(item.localId, answer.body.id as string);
      return 'sent';
    }
    case 'photo': {
      const productId = item.productId ?? (await draftProductId(item.draftLocalId ?? ''));
      if (!productId) return 'pending';
      const start = await call(
        token,
        'POST',
        `/api/seller/products/${encodeURIComponent(productId)}/photos`,
        { contentType: item.contentType, bytes: item.blob.size, ...(item.alt ? { alt: item.alt } : {}) },
        item.key,
      );
      if (start.status !== 201) return fail(item, refusal(start));
      await (options.putPhoto ?? defaultPut)(start.body as UploadSlot, item.blob, item);
      return 'sent';
    }
  }
}

async function conflict(item: QueuedChange & { kind: 'stock' }, serverStock: number) {
  await saveChange({ ...item, state: 'conflict', serverStock });
  return 'conflict' as const;
}

async function fail(item: QueuedChange, note: string) {
  await saveChange({ ...item, state: 'failed', note });
  return 'failed' as const;
}

/** The listing a change is about, to keep a listing's changes in order. */
function listingOf(item: QueuedChange): string {
  if (item.kind === 'draft') return `draft:${item.localId}`;
  if (item.kind === 'photo' && !item.productId) return `draft:${item.draftLocalId}`;
  return item.productId!;
}

async function run(options: SyncOptions): Promise<SyncResult> {
  const result: SyncResult = { sent: 0, conflicts: 0, waiting: 0, failed: 0, offline: false };
  /** Listings with a change that did not go: their later changes wait behind it. */
  const held = new Set<string>();
  for (const item of await listChanges()) {
    const listing = listingOf(item);
    if (item.state === 'conflict' || item.state === 'failed' || held.has(listing)) {
      held.add(listing);
      if (item.state === 'conflict') result.conflicts++;
      else if (item.state === 'failed') result.failed++;
      continue;
    }
    options.onItem?.(item);
    let outcome: Awaited<ReturnType<typeof sendOne>>;
    try {
      outcome = await sendOne(item, options);
    } catch (error) {
      if (error instanceof Offline) {
        result.offline = true;
        return result;
      }
      outcome = await fail(item, 'Chưa gửi được thay đổi này; hãy thử lại.');
    }
    if (outcome === 'sent') {
      await removeChange(item.seq!);
      result.sent++;
      continue;
    }
    held.add(listing);
    if (outcome === 'conflict') result.conflicts++;
    else if (outcome === 'waiting') result.waiting++;
    else if (outcome === 'failed') result.failed++;
  }
  return result;
}

/** One run at a time across the pages and the service worker. */
export async function syncQueue(options: SyncOptions): Promise<SyncResult> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return run(options);
  return locks.request('tn-seller-queue-sync', () => run(options));
}
