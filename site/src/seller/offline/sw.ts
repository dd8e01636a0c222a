/**
 * The seller center's service worker, served at /ban-hang/sw.js so that it controls /ban-hang/
 * only (the cooperative board gets its own copy at /hop-tac-xa/sw.js): the storefront has none. Bundled and given its precache list after `astro build`
 * (infra/local/service-worker.ts, Workbox's injectManifest).
 *  - The seller center's pages and their scripts and styles are precached: they open offline.
 *  - Pages come from the precache (a new build brings a new worker, and so the new pages);
 *    other addresses in the folder (with a query) go network first (3 s), then the precache.
 *  - The signed-in household's reads (account, listings, order lines): network first (3 s),
 *    then the last answer, kept per account so that another account on the phone never sees it.
 *  - Background Sync (tag `tn-seller-queue`): the queued changes are sent when the connection
 *    returns, even with the page closed (sync.ts); browsers without it send them on `online` and
 *    on the next open.
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { SYNC_TAG, syncToken } from './queue.ts';
import { syncQueue } from './sync.ts';

interface SyncEvent extends Event {
  tag: string;
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerScope {
  registration: { scope: string };
  clients: { matchAll(): Promise<{ postMessage(message: unknown): void }[]>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
  addEventListener(type: 'activate' | 'install', listener: (event: SyncEvent) => void): void;
}
const sw = self as unknown as WorkerScope;

cleanupOutdatedCaches();
// Written as Workbox's injectManifest looks for it (the build puts the precache list there).
// @ts-expect-error -- `self` is typed as a window here; in the worker it has the injected list.
precacheAndRoute(self.__WB_MANIFEST);
sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

const NETWORK_TIMEOUT_SECONDS = 3;
/** `/ban-hang/` (or `/hop-tac-xa/` for the cooperative board's copy of this worker). */
const SCOPE = new URL(sw.registration.scope).pathname;

registerRoute(
  new NavigationRoute(
    async (options) => {
      try {
        return await new NetworkFirst({
          cacheName: 'seller-pages',
          networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
        }).handle(options);
      } catch {
        const url = new URL(options.request.url);
        return (
          (await matchPrecache(`${url.pathname}index.html`)) ??
          (await matchPrecache(url.pathname)) ??
          (await matchPrecache(`${SCOPE}index.html`)) ??
          Response.error()
        );
      }
    },
    { allowlist: [new RegExp(`^${SCOPE}`)] },
  ),
);

/** The account a request is made for (the token's `sub`), so cached answers stay per account. */
function accountOf(request: Request): string {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: string;
    };
    return payload.sub ?? 'anonymous';
  } catch {
    return 'anonymous';
  }
}

const SELLER_READS = /^\/api\/(me|seller\/products(\/[^/]+)?|seller\/order-lines)$/;
registerRoute(
  ({ url, request }) =>
    request.method === 'GET' && url.origin === location.origin && SELLER_READS.test(url.pathname),
  async (options) => {
    try {
      return await new NetworkFirst({
        cacheName: 'seller-api',
        networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
        plugins: [
          {
            cacheKeyWillBeUsed: async ({ request }) => {
              const url = new URL(request.url);
              url.searchParams.set('__account', accountOf(options.request));
              return url.href;
            },
            cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null),
          },
        ],
      }).handle(options);
    } catch {
      return new Response(
        JSON.stringify({
          error: { code: 'network', message: 'Không có mạng và máy chưa lưu dữ liệu này.' },
        }),
        { status: 503, headers: { 'content-type': 'application/json', 'x-offline': '1' } },
      );
    }
  },
);

sw.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    (async () => {
      const token = await syncToken();
      if (!token) return;
      const result = await syncQueue({ token });
      for (const client of await sw.clients.matchAll()) client.postMessage({ type: 'synced', result });
      // Still offline: reject so that the browser tries the sync again later.
      if (result.offline) throw new Error('offline');
    })(),
  );
});
