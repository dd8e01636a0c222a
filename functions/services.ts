/**
 * The composition root of every Lambda function: at cold start the entry calls
 * `installLambdaServices(name, adapters)`, which reads the configuration once (shared/config.ts; a
 * missing or malformed setting throws here, naming every bad variable), builds the services the
 * function uses from it and installs them (shared/services.ts). Nothing else in the code builds an
 * AWS client for the domain or reads the environment. Every entry (HTTP handlers, job workers,
 * media, the storefront's invalidation) calls it at module load, before its first event.
 *
 * Each entry passes the adapters its function uses (`adapters` below) and imports only those, so
 * a function's bundle holds no other function's services: the catalog carries no payment SDK, no
 * SMS client, no sign-in provider. A function that needs an adapter it was not given fails its
 * cold start, naming it.
 */
import { CARRIER_FUNCTIONS, NOTICE_SENDER, SMS_FUNCTIONS, type FunctionName } from './routes.ts';
import type { createCognitoSignInProvider } from '../shared/auth/cognito-sign-in.ts';
import type { remoteAuthConfig } from '../shared/auth/tokens.ts';
import { loadConfig, type Config, type Env, type Setting } from '../shared/config.ts';
import { createDb } from '../shared/db/client.ts';
import { provideServices, servicesInstalled, type Services } from '../shared/services.ts';
import { withDeliveryMetrics } from '../shared/observability/messages.ts';
import { startObservability } from './observability.ts';
import type { createSnsMessenger } from './adapters/sns-messenger.ts';
import type { noticeRouter } from './adapters/zalo-messenger.ts';
import type { sqsNoticeQueue } from './adapters/sqs-notice-queue.ts';
import { queuedMessenger } from '../shared/messaging/notice-queue.ts';
import type { paymentsFromSsm } from './orders/payments.ts';
import type { carriersFromSsm } from './orders/carriers.ts';
import type { s3UploadTargets } from './producers/s3-upload-targets.ts';
import type { s3SnapshotStore } from './adapters/s3-snapshot-store.ts';
import type { cognitoIdentityProvider } from './adapters/cognito-identity.ts';
import type { ssmCredentialStore } from './adapters/ssm-credential-store.ts';
import type { createViettelProvider } from '../shared/invoices/viettel.ts';

/** Every Lambda function: the entries of FUNCTIONS and the storefront's invalidation function. */
export type LambdaName = FunctionName | 'siteInvalidate';

/** Signed-in routes verify bearer tokens against the user pool. */
const TOKENS: Setting[] = ['AUTH_ISSUER', 'AUTH_AUDIENCE'];
/** Payments: secrets under the SSM path; return and IPN URLs from the site's origin. */
const PAYMENTS: Setting[] = ['PAYMENTS_SSM_PATH', 'SITE_URL'];

/** What each function needs besides TABLE_NAME; its cold start fails without any of them. */
/** The API answers only requests that came through CloudFront (functions/http.ts). */
const VIA_CLOUDFRONT: Setting[] = ['ORIGIN_VERIFY_SECRET'];
/** The functions of SMS_FUNCTIONS put their messages on the Notices queue. */
const NOTICES: Setting[] = ['NOTICES_QUEUE_URL'];

export const REQUIRED_SETTINGS: Record<LambdaName, readonly Setting[]> = {
  catalog: [...VIA_CLOUDFRONT, 'CURSOR_SECRET', 'CATALOG_SNAPSHOT_BUCKET'],
  auth: [...VIA_CLOUDFRONT, ...TOKENS, 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'],
  // Consent codes by SMS, links with the site's address, photo uploads to the media bucket.
  producers: [...VIA_CLOUDFRONT, ...TOKENS, ...NOTICES, 'CURSOR_SECRET', 'SITE_URL', 'MEDIA_BUCKET'],
  // QR labels with the site's address.
  labels: [...VIA_CLOUDFRONT, ...TOKENS, 'SITE_URL'],
  media: ['MEDIA_BUCKET', 'MEDIA_PREFIX'],
  // Checkout: public routes, so no tokens and no paging.
  orders: [...VIA_CLOUDFRONT, ...PAYMENTS, ...NOTICES],
  // The providers' and carriers' callbacks: public routes, so no tokens and no paging.
  callbacks: [...VIA_CLOUDFRONT, ...PAYMENTS, ...NOTICES],
  board: [...VIA_CLOUDFRONT, ...TOKENS, ...PAYMENTS, ...NOTICES, 'CURSOR_SECRET'],
  // Deposits and balances (payments), the manager's and the panel's routes (tokens); no paging.
  seasons: [...VIA_CLOUDFRONT, ...TOKENS, ...PAYMENTS, ...NOTICES],
  // Transfers and refunds by hand (payments, paging), and saves the sellers' SInvoice accounts
  // (invoice settings) under EINVOICE_SSM_PATH.
  office: [...VIA_CLOUDFRONT, ...TOKENS, ...PAYMENTS, ...NOTICES, 'CURSOR_SECRET', 'EINVOICE_SSM_PATH'],
  expiryJobs: [...PAYMENTS, ...NOTICES],
  reconcileJobs: [...PAYMENTS, ...NOTICES],
  // The invoice lane rides the delivery lane: SInvoice's URL and the sellers' accounts.
  deliveryJobs: [...PAYMENTS, 'EINVOICE_BASE_URL', 'EINVOICE_SSM_PATH'],
  statsStream: [],
  catalogSnapshot: ['CATALOG_SNAPSHOT_BUCKET'],
  iocFeed: [],
  // The texts arrive written (links included): the worker only sends them.
  noticesJobs: [],
  siteInvalidate: ['DISTRIBUTION_ID'],
};

/** The builders of the services backed by other AWS services, as each entry passes them. */
export interface Adapters {
  /** SMS through Amazon SNS: the notices worker (NOTICE_SENDER) only. */
  messenger?: typeof createSnsMessenger;
  /** The channel router over SMS (and Zalo when configured): the notices worker. */
  router?: typeof noticeRouter;
  /** The Notices queue: every function of SMS_FUNCTIONS puts its messages there. */
  noticeQueue?: typeof sqsNoticeQueue;
  /** The payment SDK with its secrets from Parameter Store: orders, callbacks, board, seasons, office and the job lanes. */
  payments?: typeof paymentsFromSsm;
  /** Presigned uploads to the media bucket: producers. */
  uploadTargets?: typeof s3UploadTargets;
  /** Sign-in through the Cognito user pool: auth. */
  signIn?: typeof createCognitoSignInProvider;
  /** The digital-identity provider behind the user pool (IDENTITY_COGNITO_*): auth. */
  identity?: typeof cognitoIdentityProvider;
  /** The carriers with their tokens from Parameter Store: every function of CARRIER_FUNCTIONS. */
  carriers?: typeof carriersFromSsm;
  /**
   * Bearer tokens checked against the user pool's keys: every function that requires
   * AUTH_ISSUER. Passed by those entries only, so a function of public routes (orders) does not
   * load the token code at all.
   */
  tokens?: typeof remoteAuthConfig;
  /** The catalog's snapshots in S3: catalog (reads them) and catalogSnapshot (writes them). */
  snapshots?: typeof s3SnapshotStore;
  /** The sellers' SInvoice accounts in Parameter Store: office (writes) and deliveryJobs (reads). */
  invoiceCredentials?: typeof ssmCredentialStore;
  /** Viettel SInvoice: deliveryJobs, where the invoice lane issues. */
  invoiceProvider?: typeof createViettelProvider;
}

function adapter<K extends keyof Adapters>(name: LambdaName, adapters: Adapters, key: K) {
  const build = adapters[key];
  if (!build)
    throw new Error(`The ${name} function needs the ${key} adapter: pass it to installLambdaServices`);
  return build as NonNullable<Adapters[K]>;
}

/** The services of one function, built from its validated configuration. */
export function buildLambdaServices(name: LambdaName, env: Env, adapters: Adapters = {}): Services {
  const config = loadConfig(env, { require: REQUIRED_SETTINGS[name] });
  const services: Services = { config, db: createDb(config) };
  if ((SMS_FUNCTIONS as readonly LambdaName[]).includes(name) && config.noticesQueueUrl) {
    // Requests never wait for SMS or Zalo: the message goes on the queue, the worker sends it.
    const queue = adapter(name, adapters, 'noticeQueue')({ queueUrl: config.noticesQueueUrl });
    services.messenger = queuedMessenger(queue);
  }
  if (name === NOTICE_SENDER) {
    const createSnsMessenger = adapter(name, adapters, 'messenger');
    const sms = createSnsMessenger(config.sms.senderId ? { senderId: config.sms.senderId } : {});
    // Always the channel router, Zalo or not: a message the queue delivers twice goes out once.
    // With Zalo configured, recipients who chose it get ZNS messages (SMS when Zalo fails).
    services.messenger = withDeliveryMetrics(adapter(name, adapters, 'router')(sms, config.zalo));
  }
  if (config.auth && REQUIRED_SETTINGS[name].includes('AUTH_ISSUER')) {
    services.auth = adapter(name, adapters, 'tokens')(config.auth);
  }
  if (name === 'auth' && config.cognito) {
    services.signIn = adapter(
      name,
      adapters,
      'signIn',
    )({
      ...config.cognito,
      // The app client is confidential; its secret is read from Cognito, never from the template.
      readClientSecret: true,
    });
  }
  if ((name === 'catalog' || name === 'catalogSnapshot') && config.catalog.snapshotBucket) {
    services.catalogSnapshots = adapter(name, adapters, 'snapshots')(config.catalog.snapshotBucket);
  }
  // The digital-identity sign-in (shared/auth/identity.ts) runs in the auth function only: through
  // the user pool where it fronts the provider (AWS), else the direct client (identity-provider.ts).
  if (name === 'auth' && config.identity?.via === 'cognito') {
    if (!config.cognito || !config.auth) {
      throw new Error('IDENTITY_COGNITO_* needs COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID and AUTH_ISSUER');
    }
    services.identity = adapter(
      name,
      adapters,
      'identity',
    )({
      ...config.cognito,
      tokenIssuer: config.auth.issuer,
      jwksUrl: config.auth.jwksUrl,
      identityIssuer: config.identity.issuer,
      providerName: config.identity.providerName,
      domain: config.identity.domain,
      redirectUri: config.identity.redirectUri,
    });
  } else if (name === 'auth' && config.identity?.via === 'direct') {
    const { issuer, clientId, clientSecret, redirectUri } = config.identity;
    services.identity = { issuer, clientId, clientSecret, redirectUri };
  }
  if (name === 'producers' && config.media) {
    services.uploadTargets = adapter(name, adapters, 'uploadTargets')(config.media.bucket);
  }
  const payments = paymentsSettingsOf(config);
  if (payments && REQUIRED_SETTINGS[name].includes('PAYMENTS_SSM_PATH')) {
    services.payments = adapter(name, adapters, 'payments')({ env, ...payments });
  }
  const { einvoice } = config;
  if (einvoice.ssmPath && REQUIRED_SETTINGS[name].includes('EINVOICE_SSM_PATH')) {
    services.invoiceCredentials = adapter(name, adapters, 'invoiceCredentials')({ path: einvoice.ssmPath });
  }
  if (einvoice.baseUrl && REQUIRED_SETTINGS[name].includes('EINVOICE_BASE_URL')) {
    const provider = adapter(
      name,
      adapters,
      'invoiceProvider',
    )({
      baseUrl: einvoice.baseUrl,
      ...(einvoice.lookupUrl ? { lookupBaseUrl: einvoice.lookupUrl } : {}),
    });
    services.invoiceProvider = () => Promise.resolve(provider);
  }
  if ((CARRIER_FUNCTIONS as readonly LambdaName[]).includes(name)) {
    const { ssmPath, ghnHost, ghnShopId, ghtkHost, ghtkClientSource } = config.carriers;
    services.carriers = adapter(
      name,
      adapters,
      'carriers',
    )({
      ...(ssmPath ? { ssmPath } : {}),
      ...(ghnHost ? { ghnHost } : {}),
      ...(ghnShopId ? { ghnShopId } : {}),
      ...(ghtkHost ? { ghtkHost } : {}),
      ...(ghtkClientSource ? { ghtkClientSource } : {}),
    });
  }
  return services;
}

function paymentsSettingsOf(config: Config) {
  const { ssmPath, vnpayHost } = config.payments;
  if (!ssmPath || !config.siteUrl) return undefined;
  return { ssmPath, siteUrl: config.siteUrl, ...(vnpayHost ? { vnpayHost } : {}) };
}

let installedFor: LambdaName | undefined;

/**
 * Builds and installs the function's services, once per process: the first call of a cold start
 * does the work (and throws on bad configuration); later calls return at once.
 */
export function installLambdaServices(
  name: LambdaName,
  adapters: Adapters = {},
  env: Env = process.env,
): void {
  if (installedFor === name) return;
  // Outside Lambda a process that imports an entry (the local runtime, a test) already has its
  // own composition root: it is kept.
  if (!env.AWS_LAMBDA_FUNCTION_NAME && servicesInstalled()) return;
  // Before any client is built: each is captured for tracing as it is made (instrumentClient).
  startObservability(name);
  provideServices(buildLambdaServices(name, env, adapters));
  installedFor = name;
}
