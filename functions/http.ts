/**
 * What every API function shares: a Hono app whose validation failures, domain errors and
 * unknown paths all answer JSON `{ error: { code, message, issues? } }`, mapped in one place;
 * and operations declared once (method and path from the route table, schemas for validation
 * and for the OpenAPI document).
 */
import { config } from '../shared/services.ts';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { zValidator } from '@hono/zod-validator';
import type { Context, Env } from 'hono';
// PatternRouter: one compiled pattern per route, a few KB instead of SmartRouter's RegExp and trie
// routers, and plenty fast for a function's few dozen routes.
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { DomainError, type DomainErrorKind } from '../shared/domain/errors.ts';
import { isStoreUnavailable, StoreBusyError } from '../shared/db/retry.ts';
import { PaymentError } from '../shared/payments/errors.ts';
import { log } from '../shared/observability/log.ts';
import { currentLogScope, withLogScope } from '../shared/observability/scope.ts';
import { toHonoPath, type RouteDefinition } from './routes.ts';

const STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. product.not_found' }),
      message: z.string().meta({ description: 'What went wrong and what to do, for people' }),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorSchema>;

export function errorBody(code: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }) {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `Trường không được chấp nhận / Unknown field(s): ${issue.keys.join(', ')}`
        : issue.message,
  }));
}

/**
 * The largest request body an API route reads: every body is a JSON document of a form, far
 * below this. Photos go straight to storage through signed upload URLs, with their own limit.
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** A Hono app with the project's error mapping, JSON 404 and body limit. */
export function createApiApp<E extends Env = Env>(): Hono<E> {
  const app = new Hono<E>();
  app.use('*', logScope());
  app.use('*', requireOwnCloudFront());
  // Checked on the declared length and again while the body streams in (a body without
  // Content-Length, or one longer than declared, is cut off at the limit).
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: (c) =>
        c.json(
          errorBody(
            'request.too_large',
            'Nội dung yêu cầu quá lớn (tối đa 1 MB); hãy gửi ít dữ liệu hơn / Request body over 1 MB',
          ),
          413,
        ),
    }),
  );
  app.onError((error, c) => {
    // A conflict or throttle that outlived its retries (or met none), or DynamoDB failing on its
    // side: busy, not broken.
    if (isStoreUnavailable(error)) error = new StoreBusyError(1, error.name);
    if (error instanceof DomainError) {
      // Busy or rate-limited: say when to come back.
      const retryAfter = (error as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
      return c.json(errorBody(error.code, error.message), STATUS[error.kind]);
    }
    if (error instanceof PaymentError && error.type !== 'api_error') {
      // The SDK's Stripe-shaped errors: client mistakes keep their status and stable code.
      return c.json(
        errorBody(`payment.${error.code}`, error.message),
        error.statusCode as ContentfulStatusCode,
      );
    }
    if (error instanceof HTTPException) {
      return c.json(errorBody('request.http_error', error.message || 'Request failed'), error.status);
    }
    log().error('request failed', { method: c.req.method, path: c.req.path, error });
    return c.json(errorBody('server.error', 'Something went wrong on our side; please try again'), 500);
  });
  app.notFound((c) =>
    c.json(errorBody('route.not_found', `No route for ${c.req.method} ${c.req.path}`), 404),
  );
  return app;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** What an operation says in the OpenAPI document only: never read while serving a request. */
export interface OperationDocs {
  summary: string;
  description?: string;
  responses: Record<number, ResponseSpec>;
}

/** What serving an operation needs: where it is mounted and what its request must look like. */
export interface RouteOperation {
  operationId: string;
  method: string;
  /** API Gateway / OpenAPI syntax: `/api/catalog/products/{slug}`. */
  path: string;
  /** Hono syntax: `/api/catalog/products/:slug`. */
  honoPath: string;
  request?: { param?: z.ZodType; query?: z.ZodType; json?: z.ZodType };
}

/** An operation as the OpenAPI document takes it: its route joined with its documentation. */
export type Operation = RouteOperation & OperationDocs;

function routeOperation(routes: readonly RouteDefinition[], operationId: string) {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`operationId ${operationId} is not in its function's routes`);
  return { operationId, method: route.method, path: route.path, honoPath: toHonoPath(route.path) };
}

/**
 * Declares operations of one function: method and path come from its route list
 * (functions/<name>/routes.ts) by operationId, so the documented, locally mounted and CDK-wired
 * routes cannot disagree. An operation carries its route and request schemas only: its summary
 * and responses (schemas that only describe) sit in a `*.doc.ts` module beside it that only the
 * document builder imports (functions/api-document.ts), joined by `documented`, so no function's
 * bundle carries them.
 */
export function routeOperationDefiner(routes: readonly RouteDefinition[]) {
  return function defineOperation<
    const R extends NonNullable<RouteOperation['request']> = Record<never, never>,
  >(operationId: string, request?: R): RouteOperation & { request: R } {
    return { request: (request ?? {}) as R, ...routeOperation(routes, operationId) };
  };
}

/** The documentation of each operation of a set declared with routeOperationDefiner. */
export type OperationDocsOf<T extends Record<string, RouteOperation>> = { [K in keyof T]: OperationDocs };

/** A set of operations joined with its documentation, in the set's order, for the document. */
export function documented<T extends Record<string, RouteOperation>>(
  operations: T,
  docs: OperationDocsOf<T>,
): Operation[] {
  return Object.entries(operations).map(([key, op]) => ({ ...op, ...docs[key as keyof T] }));
}

/** Validates one part of the request against a schema; failures answer 400 with every issue. */
export function validate<Target extends 'param' | 'query' | 'json', S extends z.ZodType>(
  target: Target,
  schema: S,
) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issues = describeIssues(result.error);
      const first = issues[0];
      const message = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid request';
      return c.json(errorBody('request.invalid', message, issues), 400);
    }
  });
}

export const errorResponse = (description: string): ResponseSpec => ({ description, schema: ErrorSchema });
export const jsonResponse = (schema: z.ZodType, description: string): ResponseSpec => ({
  description,
  schema,
});

/**
 * Each request logs under its own keys (shared/observability/scope.ts): in Lambda the invocation's
 * scope is already open (functions/observability.ts); locally, where requests run side by side in
 * one process, each gets a scope with a fresh request id as its correlation id until an order
 * code replaces it.
 */
export function logScope() {
  return async (_c: Context, next: () => Promise<void>) => {
    if (currentLogScope().correlationId) return next();
    const id = randomUUID();
    return withLogScope({ correlationId: id, requestId: id }, next);
  };
}

/**
 * In AWS, CloudFront adds this header to every request it sends to the API, with a value from
 * Secrets Manager (infra/stacks/site-stack.ts); the functions get the same value as
 * `ORIGIN_VERIFY_SECRET`. A request without it did not come through CloudFront.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/**
 * The viewer's address as CloudFront saw it, set by the distribution's viewer-request function
 * on `/api/*` (it overwrites whatever the client sent under that name).
 */
export const VIEWER_ADDRESS_HEADER = 'x-viewer-address';

interface RuntimeBindings {
  /** API Gateway (hono/aws-lambda). */
  requestContext?: { http?: { sourceIp?: string } };
  /** The local server (@hono/node-server). */
  incoming?: { socket?: { remoteAddress?: string } };
}

/** Whether the request carries CloudFront's origin-verify secret (false when none is configured). */
export function fromOwnCloudFront(c: Context, secret = config().originVerifySecret): boolean {
  const given = c.req.header(ORIGIN_VERIFY_HEADER);
  if (!secret || !given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/**
 * In Lambda with `ORIGIN_VERIFY_SECRET` set, every request that did not come through CloudFront
 * (the API's own host or execute-api endpoint called directly) is refused, reads and health
 * included: the web firewall and its rate limits sit on CloudFront, and the viewer address and
 * every limit keyed on it would be the caller's to choose. The site's renderer and scheduled
 * build, which read the catalog directly, send the secret too (site/src/lib/catalog.ts).
 */
export function requireOwnCloudFront() {
  return async (c: Context, next: () => Promise<void>) => {
    const inLambda = !!(c.env as RuntimeBindings | undefined)?.requestContext;
    const secret = inLambda ? config().originVerifySecret : undefined;
    if (inLambda && secret && !fromOwnCloudFront(c, secret)) {
      return c.json(
        errorBody(
          'request.not_via_site',
          "Hãy gửi yêu cầu qua trang web của sàn / Send requests through the exchange's site",
        ),
        403,
      );
    }
    await next();
  };
}

/**
 * The shopper's address, for rate limits, from a source the client cannot forge:
 *  - locally, the socket's peer address; every header is ignored;
 *  - in Lambda, the viewer address CloudFront's function set, only on a request that carries
 *    the origin-verify secret; else API Gateway's source IP (the caller's own connection).
 */
/**
 * The caller's address as a payment provider wants it (VNPay requires one): `clientIp`, or the
 * loopback address behind a test client that has none.
 */
export function paymentClientIp(c: Context): string {
  const ip = clientIp(c);
  return isIP(ip) ? ip : '127.0.0.1';
}

export function clientIp(c: Context): string {
  const env = c.env as RuntimeBindings | undefined;
  if (env?.requestContext) {
    if (fromOwnCloudFront(c)) {
      const viewer = c.req.header(VIEWER_ADDRESS_HEADER)?.trim();
      if (viewer && isIP(viewer)) return viewer;
    }
    return env.requestContext.http?.sourceIp ?? 'unknown';
  }
  return env?.incoming?.socket?.remoteAddress?.replace(/^::ffff:/i, '') ?? 'unknown';
}
