/**
 * In AWS the API answers only requests that came through CloudFront (the origin-verify secret it
 * adds): every route, public catalog reads and health included, so nothing reaches a function
 * around the web firewall. Lambda events as API Gateway sends them, the real table.
 */
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app as authApp } from '../../functions/auth/app.ts';
import { app as catalogApp } from '../../functions/catalog/app.ts';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http.ts';
import { recompose } from '../../infra/local/services.ts';
import { config } from '../../shared/services.ts';

const SECRET = 'origin-verify-test-secret-2';

function event(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.vn', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 't' },
      domainName: 'api.example.vn',
      requestId: 'r',
      routeKey: `${method} ${path}`,
      stage: '$default',
      timeEpoch: Date.now(),
    },
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const invoke = (app: typeof catalogApp, e: APIGatewayProxyEventV2) =>
  (
    handle(app) as unknown as (e: unknown, c: LambdaContext) => Promise<{ statusCode: number; body?: string }>
  )(e, {} as LambdaContext);

describe('origin verification in Lambda', () => {
  // As the Lambda composition root does from ORIGIN_VERIFY_SECRET (functions/services.ts).
  beforeAll(() => {
    recompose({ config: { ...config(), originVerifySecret: SECRET } });
  });
  afterAll(() => {
    const { originVerifySecret: _, ...rest } = config();
    recompose({ config: rest });
  });

  const reads = ['/api/health', '/api/catalog/categories', '/api/catalog/products', '/api/openapi.json'];

  it.each(reads)('refuses GET %s without the secret: 403 with a Vietnamese message', async (path) => {
    const answer = await invoke(catalogApp, event('GET', path));
    expect(answer.statusCode).toBe(403);
    const body = JSON.parse(answer.body!) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('request.not_via_site');
    expect(body.error.message).toMatch(/Hãy gửi yêu cầu qua trang web của sàn/);
  });

  it('refuses a wrong secret too', async () => {
    const answer = await invoke(
      catalogApp,
      event('GET', '/api/health', { [ORIGIN_VERIFY_HEADER]: 'guessed' }),
    );
    expect(answer.statusCode).toBe(403);
  });

  it.each(reads)('answers GET %s with the secret', async (path) => {
    const answer = await invoke(catalogApp, event('GET', path, { [ORIGIN_VERIFY_HEADER]: SECRET }));
    expect(answer.statusCode).toBe(200);
  });

  it('refuses a write without the secret before reading its body', async () => {
    const answer = await invoke(authApp, event('POST', '/api/auth/start', {}, '{"phone":"0912345678"}'));
    expect(answer.statusCode).toBe(403);
  });
});
