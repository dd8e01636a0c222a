/**
 * What a client may not choose: the address its limits are counted on (locally the socket's,
 * whatever the headers say; in Lambda CloudFront's, only with the origin-verify secret), the
 * size of a request body (1 MB of JSON), and who may read the dev inbox (this machine only).
 * A real server on a real socket, the real table.
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app as authApp } from '../../functions/auth/app.ts';
import { MAX_JSON_BODY_BYTES, ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http.ts';
import { createLocalIssuer } from '../../infra/local/auth-issuer.ts';
import { mountDevServices, newUploadSecret } from '../../infra/local/dev-services.ts';
import { createLocalApp } from '../../infra/local/server.ts';
import { createLocalSignInProvider } from '../../shared/auth/local-sign-in.ts';
import { SIGN_IN_LIMITS } from '../../shared/auth/sign-in.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { recompose } from '../../infra/local/services.ts';
import { config } from '../../shared/services.ts';

const servers: ServerType[] = [];
let loopbackUrl = '';
let port = 0;

function start(inboxForAnyAddress: boolean): Promise<ServerType> {
  const dir = mkdtempSync(join(tmpdir(), 'tn-trust-'));
  const app = createLocalApp({
    siteDir: dir,
    mediaDir: dir,
    mountLocalServices: (local) =>
      mountDevServices(local, {
        issuer: () => undefined,
        uploadSecret: newUploadSecret(),
        uploadsDir: dir,
        mediaDir: dir,
        log: () => {},
        inboxForAnyAddress,
      }),
  });
  return new Promise((ready) => {
    // Every interface, so the inbox can also be asked from this machine's LAN address.
    const s = serve({ fetch: app.fetch, port: 0, hostname: '0.0.0.0' }, () => ready(s));
    servers.push(s);
  });
}

/** An address of this machine that is not loopback (a LAN interface), if it has one. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

beforeAll(async () => {
  const server = await start(false);
  port = (server.address() as AddressInfo).port;
  loopbackUrl = `http://127.0.0.1:${port}`;
  recompose({
    messenger: devInbox,
    signIn: createLocalSignInProvider(await createLocalIssuer(`${loopbackUrl}/auth`)),
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});

let phoneSeq = 0;
const nextPhone = () =>
  `0912${String(Date.now() % 10_000).padStart(4, '0')}${String(phoneSeq++).padStart(2, '0')}`;

/** Headers a client might forge to look like another address each time. */
function forged(i: number): Record<string, string> {
  const ip = `198.51.100.${i + 1}`;
  return {
    'cloudfront-viewer-address': `${ip}:443`,
    'x-forwarded-for': ip,
    'x-real-ip': ip,
    [VIEWER_ADDRESS_HEADER]: ip,
    [ORIGIN_VERIFY_HEADER]: 'guessed',
  };
}

describe('client address (local server)', () => {
  it('counts sign-in codes on the socket address: the 21st is refused whatever the headers say', async () => {
    expect(SIGN_IN_LIMITS.codesPerIp).toBe(20);
    const send = (i: number) =>
      fetch(`${loopbackUrl}/api/auth/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...forged(i) },
        body: JSON.stringify({ phone: nextPhone() }),
      });
    for (let i = 0; i < SIGN_IN_LIMITS.codesPerIp; i++) expect((await send(i)).status).toBe(202);
    const refused = await send(SIGN_IN_LIMITS.codesPerIp);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('auth.too_many_requests');
    expect(body.error.message).toMatch(/Quá nhiều yêu cầu/);
    // 21 sign-ins through the local server one after another: minutes on a loaded CI machine.
  }, 120_000);
});

describe('client address (Lambda behind CloudFront)', () => {
  const SECRET = 'origin-verify-test-secret';
  const handler = handle(authApp);
  const event = (headers: Record<string, string>, sourceIp: string) =>
    ({
      version: '2.0',
      routeKey: 'POST /api/auth/start',
      rawPath: '/api/auth/start',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'abc.execute-api.example', ...headers },
      requestContext: {
        http: { method: 'POST', path: '/api/auth/start', protocol: 'HTTP/1.1', sourceIp, userAgent: 't' },
        domainName: 'abc.execute-api.example',
        requestId: 'r',
        routeKey: 'POST /api/auth/start',
        stage: '$default',
        timeEpoch: Date.now(),
      },
      body: JSON.stringify({ phone: nextPhone() }),
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2 & { body: string };
  const invoke = (e: APIGatewayProxyEventV2 & { body: string }) =>
    (handler as unknown as (e: unknown, c: LambdaContext) => Promise<{ statusCode: number; body?: string }>)(
      e,
      {} as LambdaContext,
    );

  beforeAll(() => {
    recompose({ config: { ...config(), originVerifySecret: SECRET } });
  });
  afterAll(() => {
    const { originVerifySecret: _, ...rest } = config();
    recompose({ config: rest });
  });

  it('refuses a request that did not come through CloudFront (execute-api called directly)', async () => {
    const direct = await invoke(event(forged(0), '203.0.113.50'));
    expect(direct.statusCode).toBe(403);
    expect(JSON.parse(direct.body!).error.message).toMatch(/qua trang web của sàn/);
  });

  it("counts on the viewer address CloudFront's function set, never on CloudFront-Viewer-Address", async () => {
    // From CloudFront: one viewer (set by the edge function) behind changing edge addresses, with
    // a forged CloudFront-Viewer-Address each time.
    const viaCloudFront = (i: number) =>
      invoke(
        event(
          {
            [ORIGIN_VERIFY_HEADER]: SECRET,
            [VIEWER_ADDRESS_HEADER]: '203.0.113.77',
            'cloudfront-viewer-address': `198.51.100.${i + 1}:1234`,
          },
          `15.158.50.${i + 1}`,
        ),
      );
    for (let i = 0; i < SIGN_IN_LIMITS.codesPerIp; i++) expect((await viaCloudFront(i)).statusCode).toBe(202);
    expect((await viaCloudFront(SIGN_IN_LIMITS.codesPerIp)).statusCode).toBe(429);
    // Another viewer is not affected.
    const other = await invoke(
      event({ [ORIGIN_VERIFY_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: '203.0.113.78' }, '15.158.50.1'),
    );
    expect(other.statusCode).toBe(202);
  });
});

describe('request body limit', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${loopbackUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'body-limit-1', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  it('still reads a body under the limit (and validates it: 400, not 413)', async () => {
    const res = await post(JSON.stringify({ note: 'x'.repeat(MAX_JSON_BODY_BYTES - 1000) }));
    expect(res.status).toBe(400);
  });

  /** On its own connection (the server answers before reading the rest, then closes it). */
  const rawPost = (chunks: string[], declareLength: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
      const req = request(`${loopbackUrl}/api/orders`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'body-limit-2',
          ...(declareLength ? { 'content-length': String(length) } : {}),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      // Writing on after the answer may fail: the answer is what counts.
      req.on('error', () => {});
      req.on('close', () => setTimeout(() => reject(new Error('no answer')), 1000));
      let sent = 0;
      const write = () => {
        while (sent < chunks.length) {
          if (!req.write(chunks[sent++])) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });

  it('answers 413 with a Vietnamese message to JSON over 1 MB, declared or streamed', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(MAX_JSON_BODY_BYTES + 10) });
    const declared = await rawPost([big], true);
    expect(declared.status).toBe(413);
    const body = JSON.parse(declared.body) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'request.too_large' });
    expect(body.error.message).toMatch(/quá lớn \(tối đa 1 MB\)/);
    // No Content-Length (chunked): the body is cut off at the limit while it streams in.
    const streamed = await rawPost(
      Array.from({ length: 20 }, () => 'x'.repeat(64 * 1024)),
      false,
    );
    expect(streamed.status).toBe(413);
  });
});

describe('dev inbox', () => {
  it('answers on loopback', async () => {
    expect((await fetch(`${loopbackUrl}/dev/inbox`)).status).toBe(200);
    expect((await fetch(`${loopbackUrl}/dev/inbox/`)).status).toBe(200);
  });

  it.runIf(lanAddress)('does not exist for another address, whatever X-Forwarded-For says', async () => {
    for (const path of ['/dev/inbox', '/dev/inbox/']) {
      const res = await fetch(`http://${lanAddress}:${port}${path}`, {
        headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' },
      });
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toMatch(/Mã đăng nhập/);
    }
  });

  it.runIf(lanAddress)(
    'answers another address when explicitly enabled (DEV_INBOX_REMOTE=1)',
    async () => {
      const open = await start(true);
      const openPort = (open.address() as AddressInfo).port;
      expect((await fetch(`http://${lanAddress}:${openPort}/dev/inbox`)).status).toBe(200);
      // A second local server's first answer: slow on a loaded CI machine.
    },
    120_000,
  );
});
