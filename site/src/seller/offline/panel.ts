/**
 * The offline part of every seller center and board page: registers the folder's service worker
 * (/ban-hang/sw.js or /hop-tac-xa/sw.js), shows "N thay đổi đang chờ gửi" in the header with the
 * list of waiting changes, sends them when the connection returns (Background Sync where the
 * browser has it, else on `online` and on every open), shows each photo's upload progress and
 * lets the household settle a stock conflict with both numbers in front of it.
 */
import { byId, fill, h, show } from '../dom.ts';
import { formatCount, formatDelta, formatVnd } from '../labels.ts';
import { formatBytes, putWithProgress, shrinkPhoto } from '../photos.ts';
import { loadSession } from '../session.ts';
import {
  countChanges,
  enqueue,
  listChanges,
  newKey,
  onQueueChanged,
  removeChange,
  saveChange,
  saveSyncToken,
  SYNC_TAG,
  type QueuedChange,
  type StockChangeItem,
} from './queue.ts';
import { syncQueue, type SyncResult } from './sync.ts';

const SCOPES = ['/ban-hang/', '/hop-tac-xa/'];
/** Fired on the document after a run that sent something: the page reloads what it shows. */
export const SYNCED_EVENT = 'tn:queue-synced';

let syncing = false;
const progress = new Map<number, HTMLProgressElement>();

export function startOffline(): void {
  const scope = SCOPES.find((s) => location.pathname.startsWith(s));
  if (scope && 'serviceWorker' in navigator) {
    void navigator.serviceWorker.register(`${scope}sw.js`, { scope }).catch(() => undefined);
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'synced') {
        document.dispatchEvent(new CustomEvent(SYNCED_EVENT));
        void render();
      }
    });
  }
  const session = loadSession();
  if (session) void saveSyncToken(session.token, session.expiresAt).catch(() => undefined);
  onQueueChanged(() => void render());
  window.addEventListener('online', () => void syncNow());
  window.addEventListener('offline', () => void render());
  void render().then(() => syncNow());
}

/** Sends the queue now if online; else asks for a Background Sync when the connection returns. */
export async function syncNow(): Promise<SyncResult | undefined> {
  const session = loadSession();
  if (!session || syncing) return undefined;
  if (!navigator.onLine) {
    await requestBackgroundSync();
    return undefined;
  }
  if ((await countChanges()) === 0) return undefined;
  syncing = true;
  await render();
  try {
    const result = await syncQueue({
      token: session.token,
      putPhoto: (slot, blob, item) =>
        putWithProgress(slot, blob, (fraction) => {
          const bar = progress.get(item.seq!);
          if (bar) bar.value = Math.round(fraction * 100);
        }),
    });
    if (result.offline) await requestBackgroundSync();
    if (result.sent > 0) document.dispatchEvent(new CustomEvent(SYNCED_EVENT));
    return result;
  } finally {
    syncing = false;
    await render();
  }
}

async function requestBackgroundSync(): Promise<void> {
  try {
    const registration = (await navigator.serviceWorker?.getRegistration()) as
      (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // No Background Sync here: the queue goes on `online` or on the next open.
  }
}

/** Queues a change and tries to send it at once (it stays queued without a connection). */
export async function queueChange(change: Parameters<typeof enqueue>[0]): Promise<void> {
  await enqueue(change);
  await render();
  void syncNow();
}

/** A network failure (no connection, or nothing cached offline): the change can be queued. */
export function isOfflineError(error: unknown): boolean {
  if (!navigator.onLine) return true;
  const e = error as { status?: number; code?: string } | null;
  return e?.status === 0 || e?.code === 'network';
}

function describe(item: QueuedChange): string {
  switch (item.kind) {
    case 'stock':
      return `Kho “${item.productName} · ${item.packLabel}”: ${formatDelta(item.delta)} gói (${item.reason})`;
    case 'price':
      return `Giá “${item.productName}”: ${item.packs.map((p) => formatVnd(p.price)).join(', ')}`;
    case 'draft':
      return `Sản phẩm nháp mới “${item.body.name.vi}”`;
    case 'photo':
      return `Ảnh cho “${item.productName}” (${formatBytes(item.blob.size)}, ảnh gốc ${formatBytes(item.originalBytes)})`;
  }
}

/** The stock conflict's words and the household's three choices. */
function conflictChoices(item: StockChangeItem): HTMLElement {
  const server = item.serverStock ?? item.baseStock;
  const wanted = item.baseStock + item.delta;
  const added = server + item.delta;
  const choose = async (next: StockChangeItem | null) => {
    if (next === null || next.delta === 0) await removeChange(item.seq!);
    else await saveChange(next);
    void syncNow();
  };
  const again = (delta: number): StockChangeItem => ({
    ...item,
    delta,
    baseStock: server,
    key: newKey(),
    state: 'pending',
  });
  return h(
    'div',
    { class: 'notice notice--warn', role: 'alert', 'data-conflict': String(item.seq) },
    h(
      'p',
      null,
      `Số gói “${item.productName} · ${item.packLabel}” đã thay đổi khi bạn không có mạng (có đơn hàng mới hoặc sửa trên máy khác). `,
      `Trên máy bạn: ${formatCount(item.baseStock)} gói, bạn muốn ${formatDelta(item.delta)} → ${formatCount(wanted)} gói. `,
      `Trên sàn bây giờ: ${formatCount(server)} gói.`,
    ),
    h(
      'div',
      { class: 'btn-row' },
      button(`Đặt thành ${formatCount(wanted)} gói (số của tôi)`, () => choose(again(wanted - server))),
      added >= 0
        ? button(`Thêm thay đổi của tôi: ${formatCount(added)} gói`, () => choose(again(item.delta)))
        : null,
      button(`Giữ ${formatCount(server)} gói trên sàn`, () => choose(null)),
    ),
  );
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', class: 'btn btn--small' }, label);
  el.addEventListener('click', onClick);
  return el;
}

/** A queued draft takes photos too: made small on the phone now, sent after the draft. */
function draftPhotoInput(item: QueuedChange & { kind: 'draft' }): HTMLElement {
  const id = `draft-photo-${item.seq}`;
  const input = h('input', { id, type: 'file', accept: 'image/*', capture: 'environment' });
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const small = await shrinkPhoto(file);
    await queueChange({
      kind: 'photo',
      draftLocalId: item.localId,
      productName: item.body.name.vi,
      blob: small,
      contentType: small === file ? file.type || 'image/jpeg' : 'image/jpeg',
      originalBytes: file.size,
    });
    input.value = '';
  });
  return h('span', { class: 'offline-queue__photo' }, h('label', { for: id }, 'Thêm ảnh'), ' ', input);
}

let rendering: Promise<void> = Promise.resolve();
function render(): Promise<void> {
  rendering = rendering.then(draw, draw);
  return rendering;
}

async function draw(): Promise<void> {
  const bar = document.getElementById('offline-bar');
  if (!bar) return;
  const items = await listChanges();
  const offline = !navigator.onLine;
  show(bar, items.length > 0 || offline);
  fill(
    byId('offline-state'),
    offline ? 'Đang không có mạng: bạn vẫn xem và sửa được, thay đổi sẽ gửi khi có mạng. ' : '',
  );
  fill(
    byId('offline-count'),
    items.length
      ? `${items.length} thay đổi đang chờ gửi${syncing ? ' — đang gửi…' : ''}`
      : 'Không có thay đổi chờ gửi',
  );
  progress.clear();
  const list = byId('offline-list');
  fill(
    list,
    items.map((item) => {
      const row = h('li', { 'data-kind': item.kind, 'data-state': item.state }, describe(item));
      if (item.state === 'waiting' || item.state === 'failed')
        row.append(h('span', { class: 'hint' }, ` — ${item.note ?? ''}`));
      if (item.kind === 'stock' && item.state === 'conflict') row.append(conflictChoices(item));
      if (item.kind === 'draft') row.append(draftPhotoInput(item));
      if (item.kind === 'photo') {
        const meter = h('progress', { max: '100', value: '0', 'aria-label': 'Tải ảnh lên' });
        progress.set(item.seq!, meter);
        row.append(' ', meter);
      }
      if (item.state === 'failed')
        row.append(
          ' ',
          button('Bỏ thay đổi này', () => void removeChange(item.seq!)),
        );
      return row;
    }),
  );
  const conflicts = items.filter((i) => i.state === 'conflict').length;
  if (conflicts) byId('offline-details').setAttribute('open', '');
}
