/**
 * What every API function shares: an OpenAPIHono app whose validation failures, domain errors
 * and unknown paths all answer JSON `{ error: { code, message, issues? } }`, mapped in one place.
 */
import { OpenAPIHono, createRoute, type RouteConfig } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z, type ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../shared/domain/errors.ts';
import { ROUTES } from './routes.ts';

const STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export function errorBody(code: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

function describeIssues(error: ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message:
      issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** A Hono app with the project's validation hook, error mapping and JSON 404. */
export function createApiApp(): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = describeIssues(result.error);
        const first = issues[0];
        const message = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid request';
        return c.json(errorBody('request.invalid', message, issues), 400);
      }
    },
  });
  app.onError((error, c) => {
    if (error instanceof DomainError) return c.json(errorBody(error.code, error.message), STATUS[error.kind]);
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

/**
 * An OpenAPI route whose method and path come from the route table, looked up by operationId,
 * so the documented, locally mounted and CDK-wired routes cannot disagree.
 */
export function tableRoute<R extends Omit<RouteConfig, 'method' | 'path'>>(operationId: string, config: R) {
  const entry = ROUTES.find((r) => r.operationId === operationId);
  if (!entry) throw new Error(`operationId ${operationId} is not in functions/routes.ts`);
  return createRoute({
    ...config,
    operationId,
    method: entry.method.toLowerCase() as Lowercase<typeof entry.method>,
    path: entry.path,
  });
}

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
