/**
 * The whole exchange on one machine: DynamoDB Local, the table, demo data, the API functions,
 * media and the built storefront on one origin. Used by `npm start`, `npm run build:site`, the
 * end-to-end tests and the benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createTable, ensureStream } from '../../shared/db/create-table.ts';
import { catalogCache } from '../../functions/catalog/app.ts';
import { demoSeededAt, seedDemoData } from './demo/seed.ts';
import { StartupError, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { fileMediaStore } from './media-store.ts';
import { createLocalApp, siteSnapshot, type SiteSnapshot } from './server.ts';
import { createLocalIssuer, type LocalIssuer } from './auth-issuer.ts';
import { localUploadTargets, mountDevServices, newUploadSecret } from './dev-services.ts';
import { ensureSiteBuilt, SITE_DIST } from './site-build.ts';
import { startJobLanes, type RunningJobLanes } from '../../functions/orders/jobs.ts';
import { paymentSettings } from '../../shared/payments/settings.ts';
import { startVnpayEmulator, type RunningVnpayEmulator } from './vnpay-emulator/server.ts';
import { startCarrierEmulators, type RunningCarrierEmulators } from './carrier-emulators/server.ts';
import {
  emulatorMessenger,
  recordInDevInbox,
  startZaloEmulator,
  type RunningZaloEmulator,
} from './zalo-emulator.ts';
import { startIdentityProvider, type RunningIdentityProvider } from './identity-provider.ts';
import {
  EINVOICE_EMULATOR_ACCOUNT,
  emulatorInvoiceProvider,
  startEinvoiceEmulator,
  type RunningEinvoiceEmulator,
} from './einvoice-emulator.ts';
import { fileCredentialStore, memoryCredentialStore } from './einvoice-credentials.ts';
import { provideServices } from '../../shared/services.ts';
import { localConfig, localServices } from './services.ts';
import { startStatsStream, type RunningStatsStream } from './stats-stream.ts';
import {
  fileSnapshotStore,
  startCatalogSnapshots,
  type RunningCatalogSnapshots,
} from './catalog-snapshots.ts';
import { startIocReceiver, type RunningIocReceiver } from './ioc-receiver.ts';
import { localNoticeQueue, type LocalNoticeQueue } from './notice-queue.ts';
import { withDeliveryMetrics } from '../../shared/observability/messages.ts';
import { iocSettings } from '../../shared/stats/ioc-push.ts';

export interface ExchangeOptions {
  port: number;
  host?: string;
  /** Folder for DynamoDB data and media; undefined runs DynamoDB in memory with media in `mediaDir`. */
  dataDir?: string;
  mediaDir?: string;
  seed?: boolean;
  site?: 'auto' | 'always' | 'never';
  log?: (line: string) => void;
  /**
   * Port of the VNPay sandbox emulator. @default `VNPAY_EMULATOR_PORT`, else the next port after
   * `port` (a free one when `port` is 0)
   */
  vnpayEmulatorPort?: number;
  /**
   * The origin the storefront's canonical, hreflang and sitemap URLs name. @default `SITE_URL`,
   * else the exchange's own URL (so `PORT=8090 npm start` links to port 8090)
   */
  siteUrl?: string;
  /**
   * Port of the carriers' emulators (GHN, GHTK). @default `CARRIER_EMULATOR_PORT`, else two after
   * `port` (a free one when `port` is 0)
   */
  carrierEmulatorPort?: number;
  /**
   * Port of the Zalo ZNS emulator. @default `ZALO_EMULATOR_PORT`, else three after `port` (a free
   * one when `port` is 0)
   */
  zaloEmulatorPort?: number;
  /** How often each jobs lane (expiry, reconciliation, webhook delivery) runs. @default `PAYMENT_JOBS_INTERVAL_MS` or 5 s; 0 disables */
  paymentJobsIntervalMs?: number;
}

export interface RunningExchange {
  url: string;
  issuer: LocalIssuer;
  dynamodb: DynamoDbLocal;
  vnpay: RunningVnpayEmulator;
  carriers: RunningCarrierEmulators;
  zalo: RunningZaloEmulator;
  /** The digital-identity provider (a real OpenID Connect server with demo citizens). */
  identity: RunningIdentityProvider;
  /** The SInvoice emulator the e-invoices are issued with (infra/local/einvoice-emulator.ts). */
  einvoice: RunningEinvoiceEmulator;
  /** The programme's counters kept from the table's stream (`poll()` counts what is in it now). */
  statsStream: RunningStatsStream;
  /** The IOC feed's local receiver (four ports after the server's; none if that port is taken). */
  ioc?: RunningIocReceiver;
  /** The notice queue: requests put their messages here, its worker sends them (`drained()`). */
  notices: LocalNoticeQueue;
  stop(): Promise<void>;
}

export async function startExchange(options: ExchangeOptions): Promise<RunningExchange> {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const mediaDir = resolve(options.mediaDir ?? join(dataDir ?? '.data', 'media'));
  mkdirSync(mediaDir, { recursive: true });
  // The site folder exists from the start, so the server can be created before the first build.
  mkdirSync(SITE_DIST, { recursive: true });

  const dynamodb = await startDynamoDbLocal({ dataDir: dataDir && join(dataDir, 'dynamodb') });
  let server: ServerType | undefined;
  let vnpay: RunningVnpayEmulator | undefined;
  let carriers: RunningCarrierEmulators | undefined;
  let zalo: RunningZaloEmulator | undefined;
  let identity: RunningIdentityProvider | undefined;
  let einvoice: RunningEinvoiceEmulator | undefined;
  let ioc: RunningIocReceiver | undefined;
  let jobLanes: RunningJobLanes | undefined;
  let statsStream: RunningStatsStream | undefined;
  let catalogSnapshots: RunningCatalogSnapshots | undefined;
  let site: SiteSnapshot | undefined;
  let notices: LocalNoticeQueue | undefined;
  const stop = async () => {
    // What requests queued is sent before the table goes away.
    await notices?.drained(5_000);
    notices?.stop();
    jobLanes?.stop();
    statsStream?.stop();
    catalogSnapshots?.stop();
    site?.close();
    await vnpay?.stop();
    await carriers?.stop();
    await zalo?.stop();
    await identity?.stop();
    await einvoice?.stop();
    await ioc?.stop();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await dynamodb.stop();
  };
  try {
    log(
      `DynamoDB Local on ${dynamodb.endpoint}${dataDir ? ` (data in ${join(dataDir, 'dynamodb')})` : ' (in memory)'}`,
    );
    // The configuration is read once; the runtime adds what only it knows (DynamoDB Local's
    // endpoint now, its own origin once the server listens).
    const config = localConfig({ dynamodbEndpoint: dynamodb.endpoint, region: 'local' });
    const { tableName } = config;
    // Seeding needs the table before the server (and so the issuer and origin) exists: a first
    // composition with the table only, replaced by the whole one below.
    // Kept with the data, so that a restart starts the catalog from them (a data set in memory
    // lives only as long as this process: no snapshots then).
    const snapshotStore = dataDir ? fileSnapshotStore(join(dataDir, 'catalog-snapshots')) : undefined;
    const base = localServices({ config, ...(snapshotStore ? { catalogSnapshots: snapshotStore } : {}) });
    const { db } = base;
    provideServices(base);
    catalogCache.clear();
    if (await createTable(db.raw, tableName)) log(`created table ${tableName}`);
    // The counters of /thong-ke/ are kept from the table's stream, read as Lambda reads it in AWS.
    statsStream = startStatsStream({
      endpoint: dynamodb.endpoint,
      region: 'local',
      streamArn: await ensureStream(db.raw, tableName),
      log,
    });
    if (options.seed !== false && !(await demoSeededAt())) {
      const started = Date.now();
      const counts = await seedDemoData(fileMediaStore(mediaDir), log);
      log(
        `seeded ${counts.producers} producers and ${counts.products} products in ${Date.now() - started} ms`,
      );
    }

    // Filled in once the server knows its port (the issuer's URL includes it).
    const localAuth: { issuer?: LocalIssuer } = {};
    let origin = '';
    const uploadSecret = newUploadSecret();
    site = siteSnapshot(SITE_DIST);
    // Until everything below is up (payments, jobs, the storefront's build), storefront pages
    // answer a short 503 "starting" page and /api/health/ready answers 503.
    let starting = true;
    const app = createLocalApp({
      site,
      starting: () => starting,
      siteDir: SITE_DIST,
      mediaDir,
      mountLocalServices: (local) =>
        mountDevServices(local, {
          issuer: () => localAuth.issuer,
          uploadSecret,
          uploadsDir: join(dataDir ?? mediaDir, 'uploads'),
          mediaDir,
          log,
          inboxForAnyAddress: config.local.inboxForAnyAddress,
          notices: () => notices,
        }),
    });
    server = await new Promise<ServerType>((ready, fail) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? '127.0.0.1' }, () =>
        ready(s),
      );
      s.once('error', fail);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
    origin = url;
    // The local issuer stands in for Cognito; its key is kept with the data so tokens survive a restart.
    const issuer = await createLocalIssuer(
      `${url}/auth`,
      dataDir && join(dataDir, 'auth', 'issuer-key.json'),
    );
    localAuth.issuer = issuer;

    // Payments: the VNPay sandbox cannot be reached from here, so an emulator plays VNPay on its
    // own port and calls our IPN route like VNPay would; a timer runs what AWS schedules.
    const emulatorPort =
      options.vnpayEmulatorPort ?? config.local.vnpayEmulatorPort ?? (options.port === 0 ? 0 : port + 1);
    const emulatorHost = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
    const payments = paymentSettings({
      env: process.env,
      origin: url,
      vnpayHost: `http://${emulatorHost}:${emulatorPort}`,
    });
    vnpay = await startVnpayEmulator({
      port: emulatorPort,
      host: emulatorHost,
      tmnCode: payments.vnpay.tmnCode,
      hashSecret: payments.vnpay.hashSecret,
      ipnUrl: payments.vnpayIpnUrl,
      ipnRetryIntervalMs: config.local.vnpayIpnRetryMs,
    }).catch((error: unknown) => {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      if (!inUse) throw error;
      throw new StartupError(
        `Port ${emulatorPort} (the VNPay emulator) is already in use: free it or set VNPAY_EMULATOR_PORT to another port`,
      );
    });
    // With port 0 the emulator's real port is known only now.
    if (!process.env.VNPAY_PAY_URL) payments.vnpay.payUrl = `${vnpay.url}/paymentv2/vpcpay.html`;
    if (!process.env.VNPAY_API_URL) payments.vnpay.apiUrl = `${vnpay.url}/merchant_webapi/api/transaction`;
    // Links in texts and labels, and the storefront's canonical URLs, are absolute: SITE_URL when
    // set, else this server's origin.
    const siteUrl = config.siteUrl ?? url;
    // Carriers: GHN and GHTK are played by one emulator server; it calls our carrier webhooks on
    // this server's origin, as the carriers call the one registered with them.
    const carrierPort =
      options.carrierEmulatorPort ?? config.local.carrierEmulatorPort ?? (options.port === 0 ? 0 : port + 2);
    carriers = await startCarrierEmulators({
      port: carrierPort,
      host: emulatorHost,
      siteUrl: url,
      webhookRetryMs: config.local.carrierWebhookRetryMs,
    }).catch((error: unknown) => {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      if (!inUse) throw error;
      throw new StartupError(
        `Port ${carrierPort} (the carriers' emulators) is already in use: free it or set CARRIER_EMULATOR_PORT to another port`,
      );
    });
    log(`carrier emulators (GHN, GHTK) on ${carriers.url}`);
    // Zalo ZNS: the emulator plays both Zalo hosts; what it delivers lands in the dev inbox
    // (marked Zalo), and the channel router sends SMS into the dev inbox directly.
    const zaloPort =
      options.zaloEmulatorPort ?? config.local.zaloEmulatorPort ?? (options.port === 0 ? 0 : port + 3);
    zalo = await startZaloEmulator({
      port: zaloPort,
      host: emulatorHost,
      noZaloPhones: config.local.zaloNoAccountPhones,
      onMessage: (message) => recordInDevInbox(message),
    }).catch((error: unknown) => {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      if (!inUse) throw error;
      throw new StartupError(
        `Port ${zaloPort} (the Zalo emulator) is already in use: free it or set ZALO_EMULATOR_PORT to another port`,
      );
    });
    log(`Zalo ZNS emulator on ${zalo.url}`);
    // Digital identity: a real OpenID Connect server plays the province's identity provider; the
    // app talks to it exactly as to the real one (shared/auth/identity.ts), by configuration.
    const identityPort = options.port === 0 ? 0 : port + 4;
    const identityClient = {
      clientId: 'tn-exchange',
      clientSecret: randomBytes(24).toString('base64url'),
      redirectUris: [`${url}/dang-nhap/dinh-danh/`],
    };
    identity = await startIdentityProvider({
      port: identityPort,
      host: emulatorHost,
      clients: [identityClient],
    }).catch((error: unknown) => {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      if (!inUse) throw error;
      throw new StartupError(`Port ${identityPort} (the identity provider) is already in use: free it`);
    });
    log(`identity provider (OpenID Connect) on ${identity.issuer}`);
    // E-invoices: Viettel SInvoice's API played by its emulator (port +5 or EINVOICE_EMULATOR_PORT).
    const einvoicePort = process.env.EINVOICE_EMULATOR_PORT
      ? Number(process.env.EINVOICE_EMULATOR_PORT)
      : options.port === 0
        ? 0
        : port + 5;
    einvoice = await startEinvoiceEmulator({ port: einvoicePort, host: emulatorHost }).catch(
      (error: unknown) => {
        const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
        if (!inUse) throw error;
        throw new StartupError(
          `Port ${einvoicePort} (the SInvoice emulator) is already in use: free it or set EINVOICE_EMULATOR_PORT to another port`,
        );
      },
    );
    log(`SInvoice emulator on ${einvoice.url}`);
    const invoiceProvider = Promise.resolve(emulatorInvoiceProvider(einvoice));
    // Sellers' own SInvoice accounts, kept with the data (files of mode 0600); a seller that
    // entered none uses the emulator's demo account, so the demo issues invoices out of the box.
    const demoAccount = { fallback: { ...EINVOICE_EMULATOR_ACCOUNT } };
    const invoiceCredentials = dataDir
      ? fileCredentialStore(join(dataDir, 'einvoice-accounts'), demoAccount)
      : memoryCredentialStore(demoAccount);
    // The IOC feed's receiver: shows each delivery of `npm run ioc:push` (infra/local/ioc-receiver.ts).
    ioc = await startIocReceiver({
      port: options.port === 0 ? 0 : port + 6,
      host: emulatorHost,
      secret: iocSettings().signingSecret!,
      log,
    }).catch((error: unknown) => {
      log(`IOC receiver not started: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    // Requests queue their messages; the queue's worker sends them through the channel router
    // (SMS into the dev inbox, Zalo through the emulator), as the notices worker does in AWS.
    notices = localNoticeQueue({ router: withDeliveryMetrics(emulatorMessenger(zalo)), log });
    provideServices({
      identity: {
        issuer: identity.issuer,
        clientId: identityClient.clientId,
        clientSecret: identityClient.clientSecret,
        redirectUri: identityClient.redirectUris[0]!,
        allowHttp: true,
      },
      invoiceProvider: () => invoiceProvider,
      ...localServices({
        config: { ...config, siteUrl },
        db,
        issuer,
        uploadTargets: localUploadTargets(() => origin, uploadSecret),
        payments,
        carriers: carriers.settings(),
        noticeQueue: notices,
        invoiceCredentials,
        ...(snapshotStore ? { catalogSnapshots: snapshotStore } : {}),
      }),
    });
    // What the catalogSnapshot job does every 10 minutes in AWS.
    if (snapshotStore) {
      catalogSnapshots = startCatalogSnapshots({ store: snapshotStore, everyMs: 10 * 60_000, log });
    }
    log(`VNPay sandbox emulator on ${vnpay.url}`);
    const interval = options.paymentJobsIntervalMs ?? config.local.paymentJobsIntervalMs;
    // Expiry, reconciliation and webhook delivery: each lane on its own timer, its shard groups at
    // once, as the queues and workers do in AWS (functions/orders/jobs.ts).
    if (interval > 0) jobLanes = startJobLanes({ intervalMs: interval, log });

    if (options.site !== 'never') {
      await ensureSiteBuilt({
        apiUrl: url,
        siteUrl: options.siteUrl ?? siteUrl,
        catalogVersion: `${dataDir ?? 'memory'}:${(await demoSeededAt()) ?? 'unseeded'}`,
        force: options.site === 'always',
        log,
      }).catch((error: unknown) => {
        // Asked for a site, a failed build is an error; on `npm start` the API stays up.
        if (options.site === 'always') throw error;
        log(`the storefront could not be built; the API is still running.\n${String(error)}`);
      });
      site.refresh(); // the build's files, at once (the watcher would see them a moment later)
    }
    starting = false;
    return {
      url,
      issuer,
      dynamodb,
      vnpay,
      carriers,
      zalo,
      identity,
      einvoice,
      statsStream,
      ...(ioc ? { ioc } : {}),
      notices,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
