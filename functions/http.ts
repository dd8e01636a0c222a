/**
 * What every API function shares: a Hono app whose validation failures, domain errors and
 * unknown paths all answer JSON `{ error: { code, message, issues? } }`, mapped in one place;
 * and operations declared once (method and path from the route table, schemas for validation
 * and for the OpenAPI document).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context, type Env } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { DomainError, type DomainErrorKind } from '../shared/domain/errors.ts';
import { isStoreUnavailable, StoreBusyError } from '../shared/db/retry.ts';
import { PaymentError } from '../shared/payments/errors.ts';
import { ROUTES, toHonoPath } from './routes.ts';

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

/** A Hono app with the project's error mapping and JSON 404. */
export function createApiApp<E extends Env = Env>(): Hono<E> {
  const app = new Hono<E>();
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
    console.error(
      JSON.stringify({
        level: 'error',
        path: c.req.path,
        message: String(error),
        stack: (error as Error).stack,
      }),
    );
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

export interface Operation {
  operationId: string;
  method: string;
  /** API Gateway / OpenAPI syntax: `/api/catalog/products/{slug}`. */
  path: string;
  /** Hono syntax: `/api/catalog/products/:slug`. */
  honoPath: string;
  summary: string;
  description?: string;
  request?: { param?: z.ZodType; query?: z.ZodType; json?: z.ZodType };
  responses: Record<number, ResponseSpec>;
}

/**
 * Declares an operation: method and path come from the route table by operationId, so the
 * documented, locally mounted and CDK-wired routes cannot disagree.
 */
export function defineOperation<const R extends NonNullable<Operation['request']>>(
  operationId: string,
  spec: Omit<Operation, 'operationId' | 'method' | 'path' | 'honoPath' | 'request'> & { request?: R },
): Operation & { request: R } {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`operationId ${operationId} is not in functions/routes.ts`);
  return {
    ...spec,
    request: (spec.request ?? {}) as R,
    operationId,
    method: route.method,
    path: route.path,
    honoPath: toHonoPath(route.path),
  };
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
 * The shopper's address, for rate limits: CloudFront's viewer address when it forwards one, else
 * API Gateway's source IP, else the local socket's.
 */
export function clientIp(c: Context): string {
  const viewer = c.req.header('cloudfront-viewer-address');
  if (viewer) return viewer.replace(/:\d+$/, '');
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
