/**
 * The route table: the one list of API routes. The CDK API stack creates one HTTP API route per
 * entry, wired to the entry's function; the local runtime mounts the same functions' Hono apps
 * on the same paths. Paths use API Gateway's `{param}` syntax.
 */
import { AUTH_ROUTES } from './auth/routes.ts';
import { BOARD_ROUTES } from './board/routes.ts';
import { INVOICE_ROUTES, ORDER_INVOICE_ROUTES } from './board/invoice-routes.ts';
import { PROGRAMME_ROUTES } from './board/programme-routes.ts';
import { CALLBACK_ROUTES } from './callbacks/routes.ts';
import { CATALOG_ROUTES } from './catalog/routes.ts';
import { LABEL_ROUTES } from './labels/routes.ts';
import { OFFICE_ROUTES } from './office/routes.ts';
import { ORDERS_ROUTES } from './orders/routes.ts';
import { PRODUCERS_ROUTES } from './producers/routes.ts';
import { SEASONS_ROUTES } from './seasons/routes.ts';

/**
 * Functions reached over HTTP; `media` runs on S3 uploads, the job workers on their lanes' SQS
 * queues (functions/orders/jobs.ts), `statsStream` on the table's stream and `catalogSnapshot` on
 * its schedule instead.
 */
export type HttpFunctionName =
  'catalog' | 'auth' | 'producers' | 'labels' | 'orders' | 'callbacks' | 'board' | 'seasons' | 'office';
export type JobFunctionName = 'expiryJobs' | 'reconcileJobs' | 'deliveryJobs';
export type FunctionName =
  | HttpFunctionName
  | 'media'
  | JobFunctionName
  | 'statsStream'
  | 'catalogSnapshot'
  | 'iocFeed'
  | 'noticesJobs';

export interface FunctionDefinition {
  /** Entry file for NodejsFunction, relative to the repository root. */
  entry: string;
  /** What the function may do to the table: least privilege for the CDK grants. */
  tableAccess: 'read' | 'readWrite';
  memoryMiB: number;
}

export const FUNCTIONS: Record<FunctionName, FunctionDefinition> = {
  catalog: { entry: 'functions/catalog/handler.ts', tableAccess: 'read', memoryMiB: 512 },
  auth: { entry: 'functions/auth/handler.ts', tableAccess: 'readWrite', memoryMiB: 256 },
  producers: { entry: 'functions/producers/handler.ts', tableAccess: 'readWrite', memoryMiB: 1024 },
  /**
   * A lot's printable label, rendered to PNG with sharp: reads the lot, its listing and household
   * (writes only the account a first sign-in creates, as every signed-in function may).
   */
  labels: { entry: 'functions/labels/handler.ts', tableAccess: 'readWrite', memoryMiB: 1024 },
  media: { entry: 'functions/media/handler.ts', tableAccess: 'readWrite', memoryMiB: 1536 },
  /** Checkout and shoppers' orders: public routes only. */
  orders: { entry: 'functions/orders/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The payment providers' and carriers' callbacks (IPN, bank notifications, webhooks): public routes only. */
  callbacks: { entry: 'functions/callbacks/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The signed-in side of orders: the cooperative board, a household's order lines. */
  board: { entry: 'functions/board/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** Pre-orders for the coming harvest (the shopper's and the manager's) and the market panel. */
  seasons: { entry: 'functions/seasons/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The back office of orders: e-invoice settings, COD statements, transfers and refunds by hand. */
  office: { entry: 'functions/office/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  // The background lanes, one worker each, fed every minute by their SQS queues.
  /** Expiry of unpaid online orders (stock released). */
  expiryJobs: { entry: 'functions/orders/expiry-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** VNPay reconciliation (querydr) and refunds of late payments. */
  reconcileJobs: { entry: 'functions/orders/reconcile-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** Webhook delivery from the outbox. */
  deliveryJobs: { entry: 'functions/orders/delivery-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The programme's counters, from the table's stream (functions/stats/stream-worker.ts). */
  statsStream: { entry: 'functions/stats/handler.ts', tableAccess: 'readWrite', memoryMiB: 256 },
  /** Snapshots of the catalog's shards every 10 minutes, for cold catalog containers to start from. */
  catalogSnapshot: { entry: 'functions/catalog/snapshot-handler.ts', tableAccess: 'read', memoryMiB: 1024 },
  /** The IOC feed's daily push, from its SQS queue (functions/stats/ioc-worker.ts). */
  iocFeed: { entry: 'functions/stats/ioc-handler.ts', tableAccess: 'read', memoryMiB: 256 },
  /** Sends the queued notices (SMS, Zalo) from the Notices queue (functions/messaging/notices-worker.ts). */
  noticesJobs: { entry: 'functions/messaging/notices-worker.ts', tableAccess: 'readWrite', memoryMiB: 256 },
};

/**
 * Functions that send text messages (consent codes, COD confirmation codes, order notices). They
 * put them on the Notices queue (functions/adapters/sqs-notice-queue.ts, `sqs:SendMessage`) and
 * never wait for SMS or Zalo; NOTICE_SENDER alone sends (SNS, Zalo: infra/constructs/notices.ts).
 * Sign-in codes are sent by Cognito, not by the auth function.
 */
export const SMS_FUNCTIONS: readonly FunctionName[] = [
  'producers',
  'orders',
  'callbacks',
  'board',
  'seasons',
  'office',
  'expiryJobs',
  'reconcileJobs',
];

/** The worker that sends the queued notices: the one function with SNS and the Zalo secrets. */
export const NOTICE_SENDER = 'noticesJobs' satisfies FunctionName;

/**
 * The functions that quote, ship and track with the carriers (shared/carriers): checkout and the
 * board (orders), the carriers' webhooks (callbacks) and the job workers (the tracking catch-up). Each gets `carriers`; with
 * CARRIERS_SSM_PATH unset, only the manual carrier.
 */
export const CARRIER_FUNCTIONS: readonly FunctionName[] = [
  'orders',
  'callbacks',
  'board',
  'expiryJobs',
  'reconcileJobs',
  'deliveryJobs',
];

/**
 * Who may call a route, checked before its handler by one middleware built from this table
 * (functions/guard.ts): `public` for anyone (a shopper's order is reached by its code and phone,
 * a payment by its client secret, the providers' callbacks by their signatures); `signedIn` for
 * a verified bearer token, whose object-level rights the domain then checks; `admin` for the
 * admin group only. Required on every entry, so a new route cannot be public by omission.
 */
export type RouteAuth = 'public' | 'signedIn' | 'admin';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  function: HttpFunctionName;
  operationId: string;
  auth: RouteAuth;
}

/**
 * Every route, for the CDK app, the local router, the API document and the tests. A function's
 * own code imports only its list (functions/<name>/routes.ts), so no bundle carries the others'.
 */
export const ROUTES: readonly RouteDefinition[] = /* @__PURE__ */ [
  CATALOG_ROUTES,
  AUTH_ROUTES,
  PRODUCERS_ROUTES,
  LABEL_ROUTES,
  ORDERS_ROUTES,
  CALLBACK_ROUTES,
  BOARD_ROUTES,
  OFFICE_ROUTES,
  PROGRAMME_ROUTES,
  SEASONS_ROUTES,
  INVOICE_ROUTES,
  ORDER_INVOICE_ROUTES,
].flat();

/**
 * For a function that must stay free of the sign-in code (orders: checkout's cold start and
 * bundle): fails at load, and so in every test, if a route of `fn` (in `routes`, its list) needs
 * a sign-in.
 */
export function assertPublicOnly(fn: HttpFunctionName, routes: readonly RouteDefinition[]): void {
  const guarded = routes.filter((r) => r.function === fn && r.auth !== 'public');
  if (guarded.length > 0) {
    throw new Error(
      `${fn} serves public routes only; move ${guarded.map((r) => r.operationId).join(', ')} to a function that guards them`,
    );
  }
}

/** `{slug}` → `:slug`, for Hono's router. */
export function toHonoPath(path: string): string {
  return path.replace(/\{(\w+)\+?\}/g, ':$1');
}
