/**
 * The composition root of the local runtime (and of the integration tests and benchmarks, which
 * use the same one): DynamoDB Local, the dev inbox as messenger, the local issuer for sign-in and
 * token verification, upload slots on the local server, payments against the VNPay emulator and
 * the carriers against their emulators (infra/local/carrier-emulators).
 * The configuration is the same schema as in Lambda (shared/config.ts); the runtime passes the
 * values only it knows (its table, DynamoDB Local's endpoint, its own origin) explicitly.
 */
import { localJwks, type AuthConfig } from '../../shared/auth/tokens.ts';
import { createLocalSignInProvider } from '../../shared/auth/local-sign-in.ts';
import { loadConfig, type Config, type Env, type LoadOptions } from '../../shared/config.ts';
import { createDb, type Db } from '../../shared/db/client.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import type { Messenger } from '../../shared/messaging/messenger.ts';
import { queuedMessenger, type NoticeQueue } from '../../shared/messaging/notice-queue.ts';
import { withDeliveryMetrics } from '../../shared/observability/messages.ts';
import type { PaymentSettings } from '../../shared/payments/settings.ts';
import type { UploadTargets } from '../../shared/seller/photos.ts';
import { provideServices, services, type Services } from '../../shared/services.ts';
import { paymentsFrom } from '../../functions/orders/payments.ts';
import { createCarriers, type CarrierSettings } from '../../shared/carriers/index.ts';
import type { Carriers } from '../../shared/carriers/types.ts';
import type { LocalIssuer } from './auth-issuer.ts';
import type { ProviderCredentialStore } from '../../shared/invoices/credentials.ts';
import { memoryCredentialStore } from './einvoice-credentials.ts';
import { EINVOICE_EMULATOR_ACCOUNT } from './einvoice-emulator.ts';

/** The local configuration: the environment's knobs, plus what the runtime itself decides. */
export function localConfig(overrides: LoadOptions['overrides'], env: Env = process.env): Config {
  return loadConfig(env, { overrides });
}

import type { SnapshotStore } from '../../shared/db/catalog-snapshot.ts';

export interface LocalServicesInput {
  config: Config;
  /** An existing table client (a second composition over the same table); built from config otherwise. */
  db?: Db;
  /** @default the dev inbox */
  messenger?: Messenger;
  /**
   * Where requests put their messages (infra/local/notice-queue.ts), as the Lambda functions put
   * them on the Notices queue; wins over `messenger`, whose sends then happen in the queue's worker.
   */
  noticeQueue?: NoticeQueue;
  issuer?: LocalIssuer;
  uploadTargets?: UploadTargets;
  payments?: PaymentSettings;
  /** The payment SDK's clock (tests). */
  clock?: () => Date;
  /**
   * The carriers: settings pointing at the emulators, or a source of them (the integration tests
   * start the emulators on first use). @default the manual carrier only
   */
  carriers?: CarrierSettings | (() => Promise<Carriers>);
  /** The catalog's snapshots (infra/local/catalog-snapshots.ts); none: the catalog is read whole. */
  catalogSnapshots?: SnapshotStore;
  /**
   * The sellers' SInvoice accounts. @default in memory, every seller defaulting to the SInvoice
   * emulator's demo account (infra/local/einvoice-credentials.ts)
   */
  invoiceCredentials?: ProviderCredentialStore;
}

/** A carriers source that always answers the providers built from these settings. */
export function carriersFrom(settings: CarrierSettings): () => Promise<Carriers> {
  const carriers = Promise.resolve(createCarriers(settings));
  return () => carriers;
}

/** Token verification against the local issuer's keys. */
export function localAuthConfig(issuer: LocalIssuer): AuthConfig {
  return { issuer: issuer.issuer, audience: issuer.audience, jwks: localJwks(issuer.jwks) };
}

export function localServices(input: LocalServicesInput): Services {
  return {
    config: input.config,
    db: input.db ?? createDb(input.config),
    // Counted like the SMS in AWS (SmsSent, SmsFailed): by the queue's worker when there is one.
    messenger: input.noticeQueue
      ? queuedMessenger(input.noticeQueue)
      : withDeliveryMetrics(input.messenger ?? devInbox),
    ...(input.issuer
      ? { auth: localAuthConfig(input.issuer), signIn: createLocalSignInProvider(input.issuer) }
      : {}),
    ...(input.uploadTargets ? { uploadTargets: input.uploadTargets } : {}),
    ...(input.payments ? { payments: paymentsFrom(input.payments, input.clock) } : {}),
    carriers: typeof input.carriers === 'function' ? input.carriers : carriersFrom(input.carriers ?? {}),
    ...(input.catalogSnapshots ? { catalogSnapshots: input.catalogSnapshots } : {}),
    invoiceCredentials:
      input.invoiceCredentials ?? memoryCredentialStore({ fallback: { ...EINVOICE_EMULATOR_ACCOUNT } }),
  };
}

/**
 * For tests and benchmarks: installs a new composition that differs from the current one in the
 * given parts (another table, a recording messenger, other payment settings, another limit).
 */
export function recompose(changes: Partial<Services>): Services {
  const next = { ...services(), ...changes };
  provideServices(next);
  return next;
}
