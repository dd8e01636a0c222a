/**
 * A table that does not answer costs a call a bounded time: the client's request timeout and
 * retries (shared/db/client.ts) end it with an error the API answers 503 with Retry-After
 * (functions/http.ts), instead of waiting for the function's timeout. A real socket that accepts
 * and never answers stands in for a stalled DynamoDB; a closed port for a stopped one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/http.ts';
import { createDb } from '../../shared/db/client.ts';
import { isStoreUnavailable } from '../../shared/db/retry.ts';
import { ConfigError, DB_TIMEOUT_DEFAULTS, loadConfig } from '../../shared/config.ts';

let silent: Server;
const sockets: Socket[] = [];
let silentPort = 0;
let closedPort = 0;

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket)); // reads nothing, answers nothing
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentPort = (silent.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

const get = (port: number, timeouts: { requestTimeoutMs?: number; maxAttempts?: number } = {}) => {
  const db = createDb({
    dynamodbEndpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    tableName: 't',
    dynamodbTimeouts: timeouts,
  });
  return db.doc
    .send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))
    .finally(() => db.raw.destroy());
};

describe('the table client', () => {
  it('reads its timeouts from the environment, with bounded defaults', () => {
    expect(DB_TIMEOUT_DEFAULTS).toMatchObject({
      connectTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxAttempts: 2,
    });
    expect(loadConfig({}).dynamodbTimeouts).toEqual({});
    expect(
      loadConfig({ DYNAMODB_REQUEST_TIMEOUT_MS: '500', DYNAMODB_MAX_ATTEMPTS: '3' }).dynamodbTimeouts,
    ).toEqual({ requestTimeoutMs: 500, maxAttempts: 3 });
    // A malformed bound is refused, naming the variable, rather than silently replaced.
    expect(() => loadConfig({ DYNAMODB_CONNECT_TIMEOUT_MS: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DYNAMODB_CONNECT_TIMEOUT_MS: 'x' })).toThrow(/DYNAMODB_CONNECT_TIMEOUT_MS/);
  });

  it('gives up on a stalled store after attempts × request timeout', async () => {
    const started = Date.now();
    const error = await get(silentPort, { requestTimeoutMs: 300, maxAttempts: 2 }).catch((e: unknown) => e);
    const ms = Date.now() - started;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(isStoreUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(3000);
  });

  it('fails at once on a stopped store, as unavailable', async () => {
    const started = Date.now();
    const error = await get(closedPort).catch((e: unknown) => e);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the API over a store that does not answer', () => {
  it('answers 503 server.busy with Retry-After, in Vietnamese first', async () => {
    const app = createApiApp();
    app.get('/api/probe', async (c) =>
      c.json(await get(silentPort, { requestTimeoutMs: 200, maxAttempts: 2 })),
    );
    const res = await app.request('/api/probe');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('server.busy');
    expect(body.error.message).toMatch(/^Hệ thống đang bận/);
  });
});
