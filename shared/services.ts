/**
 * The services the domain runs on, built in one place per process and installed here once:
 *
 * - in Lambda by `functions/services.ts` (from the validated AWS configuration, at cold start,
 *   in every handler entry before it takes its first event);
 * - locally by `infra/local/services.ts` (DynamoDB Local, the dev inbox, the local issuer, the
 *   VNPay emulator's settings), which the local runtime, the integration tests and the
 *   benchmarks all use.
 *
 * The domain reads them through typed accessors (`db()`, `messenger()`, `config()`, …) next to
 * the code that uses them; nothing else may replace a single service. A test that needs another
 * one installs a whole new set built from the current one (`provideServices({ ...services(), … })`).
 */
import type { AuthConfig } from './auth/tokens.ts';
import type { Carriers } from './carriers/types.ts';
import type { SignInProvider } from './auth/sign-in.ts';
import type { IdentityProvider, IdentityProviderSettings } from './auth/identity-provider.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { InvoiceProvider } from './invoices/provider.ts';
import type { ProviderCredentialStore } from './invoices/credentials.ts';
import type { Messenger } from './messaging/messenger.ts';
import type { Payments } from './payments/index.ts';
import type { PaymentSettings } from './payments/settings.ts';
import type { UploadTargets } from './seller/photos.ts';
import type { SnapshotStore } from './db/catalog-snapshot.ts';

/** The payment SDK and the settings it was built from. */
export interface LoadedPayments {
  settings: PaymentSettings;
  payments: Payments;
}

export interface Services {
  config: Config;
  db: Db;
  /** Sends SMS (SNS in AWS, the dev inbox locally). Absent where a function sends nothing. */
  messenger?: Messenger;
  /** Where photo uploads go (presigned S3 PUTs in AWS). */
  uploadTargets?: UploadTargets;
  /** Sends and checks sign-in codes (Cognito in AWS, the local issuer locally). */
  signIn?: SignInProvider;
  /**
   * The digital-identity provider (OpenID Connect) households may link and sign in with: a built
   * provider (the Cognito-fronted one in AWS), or the direct provider's settings (locally).
   */
  identity?: IdentityProvider | IdentityProviderSettings;
  /** How bearer tokens are verified. */
  auth?: AuthConfig;
  /**
   * The payment SDK. In AWS its secrets come from SSM on first use (then kept for the container;
   * a failed load is tried again by the next call), so this is a function.
   */
  payments?: () => Promise<LoadedPayments>;
  /**
   * The delivery companies (shared/carriers): GHN, GHTK … against their real hosts in AWS (their
   * tokens from SSM on first use, like payments), against the local emulators locally.
   */
  carriers?: () => Promise<Carriers>;
  /**
   * Where the catalog's snapshots are kept (shared/db/catalog-snapshot.ts): an S3 bucket in AWS,
   * the data folder locally. Only the catalog function and the snapshot job have it.
   */
  catalogSnapshots?: SnapshotStore;
  /** The e-invoice provider (shared/invoices): Viettel SInvoice in AWS, its emulator locally. */
  invoiceProvider?: () => Promise<InvoiceProvider>;
  /**
   * The sellers' own SInvoice accounts (shared/invoices/credentials.ts): SSM SecureStrings in
   * AWS (the board writes, the invoice lane reads), files in the data folder locally.
   */
  invoiceCredentials?: ProviderCredentialStore;
}

let installed: Services | undefined;

/** Installs the process's services; called by a composition root, never by domain code. */
export function provideServices(next: Services): void {
  installed = next;
}

export function services(): Services {
  if (!installed) {
    throw new Error(
      'No services installed: a composition root (functions/services.ts, infra/local/services.ts) runs first',
    );
  }
  return installed;
}

/** Whether a composition root has run (scripts that may run inside or outside one). */
export function servicesInstalled(): boolean {
  return installed !== undefined;
}

export function config(): Config {
  return services().config;
}

/** A service the running function must have; its absence is a wiring error, named. */
export function required<K extends keyof Services>(name: K): NonNullable<Services[K]> {
  const service = services()[name];
  if (service === undefined) throw new Error(`The ${name} service is not configured for this function`);
  return service as NonNullable<Services[K]>;
}
