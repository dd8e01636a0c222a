/**
 * Sign-in with a digital identity the AWS way (shared/auth/identity-provider.ts, Cognito-fronted):
 * the auth function is a client of the user pool's OAuth endpoints, the pool federates to the
 * province's provider. Here a stand-in for the pool (tests/integration/cognito-stand-in.ts:
 * Cognito's endpoints, token shapes and admin rules) federates to the real local provider
 * (`oidc-provider`), over HTTP, with DynamoDB Local and the real Cognito adapter
 * (functions/adapters/cognito-identity.ts) sending its SDK commands to the stand-in.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCognitoIdentityProvider,
  type CognitoIdentitySettings,
} from '../../shared/auth/identity-provider.ts';
import { createLocalSignInProvider } from '../../shared/auth/local-sign-in.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { linkIdentity } from '../../shared/db/identity-links.ts';
import { services } from '../../shared/services.ts';
import { recompose } from '../../infra/local/services.ts';
import {
  startIdentityProvider,
  type DemoCitizen,
  type RunningIdentityProvider,
} from '../../infra/local/identity-provider.ts';
import { cognitoFederatedUsers } from '../../functions/adapters/cognito-identity.ts';
import { startCognitoStandIn, type CognitoStandIn } from './cognito-stand-in.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/dang-nhap/dinh-danh/';
const PROVIDER = 'DinhDanhDienTu';
const tag = randomBytes(4).toString('hex');
const citizens: DemoCitizen[] = [
  'Nguyễn Văn Thành',
  'Trần Thị Hòa',
  'Hoàng Văn Dũng',
  'Lương Thị Mai',
  'Đinh Quang Khải',
  'Vi Thị Lan',
].map((name, i) => ({ sub: `citizen-${tag}-${i}`, name, note: 'thử nghiệm' }));
const [thanh, hoa, dung, mai, khai, lan] = citizens as [
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
];

let world: SellerWorld;
let idp: RunningIdentityProvider;
let pool: CognitoStandIn;
/** A second pool: another issuer and key, the same client registered. */
let otherPool: CognitoStandIn;
let settings: CognitoIdentitySettings;

async function federatedPool(): Promise<CognitoStandIn> {
  return startCognitoStandIn({
    providerName: PROVIDER,
    clientId: 'site-client',
    clientSecret: randomBytes(24).toString('base64url'),
    callbackUrls: [REDIRECT_URI],
  });
}

beforeAll(async () => {
  world = await createSellerWorld();
  pool = await federatedPool();
  otherPool = await federatedPool();
  const upstreamClient = { clientId: 'cognito', clientSecret: randomBytes(24).toString('base64url') };
  idp = await startIdentityProvider({
    port: 0,
    clients: [{ ...upstreamClient, redirectUris: [pool.idpResponseUrl, otherPool.idpResponseUrl] }],
    citizens,
  });
  for (const standIn of [pool, otherPool]) {
    await standIn.federate({ issuer: idp.issuer, ...upstreamClient });
    // The phone users, as the first phone sign-in made them (AdminCreateUser; username = sub).
    for (const actor of Object.values(world.actors))
      standIn.addPhoneUser(actor.account.sub, actor.account.groups);
  }
  settings = {
    identityIssuer: idp.issuer,
    providerName: PROVIDER,
    domain: pool.domain,
    tokenIssuer: pool.issuer,
    jwksUrl: pool.jwksUrl,
    clientId: pool.clientId,
    clientSecret: async () => pool.clientSecret,
    redirectUri: REDIRECT_URI,
    users: cognitoFederatedUsers(pool.cognito as never, pool.poolId),
    allowHttp: true,
  };
  recompose({
    signIn: createLocalSignInProvider(world.issuer),
    identity: createCognitoIdentityProvider(settings),
  });
});

afterAll(async () => {
  await idp?.stop();
  await pool?.stop();
  await otherPool?.stop();
});

/**
 * Plays the browser: follows redirects from the pool to the provider and back, keeps each host's
 * cookies, picks the citizen on the provider's page, stops at the site's return page.
 */
async function authorize(authorizationUrl: string, citizen: DemoCitizen): Promise<URLSearchParams> {
  const jars = new Map<string, Map<string, string>>();
  const visit = async (url: string, init: RequestInit = {}) => {
    const host = new URL(url).host;
    const jar = jars.get(host) ?? new Map<string, string>();
    jars.set(host, jar);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  };
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop++) {
    const res = await visit(url, init);
    init = {};
    if (res.status === 302 || res.status === 303) {
      const next = new URL(res.headers.get('location')!, url);
      if (`${next.origin}${next.pathname}` === REDIRECT_URI) return next.searchParams;
      url = next.href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('Chọn công dân đăng nhập');
    url = new URL(`${new URL(url).pathname}/login`, url).href;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ citizen: citizen.sub }).toString(),
    };
  }
  throw new Error('too many redirects');
}

const finishBody = (params: URLSearchParams) => ({ code: params.get('code')!, state: params.get('state')! });
const finish = (body: Record<string, string>) => call('POST', '/api/auth/identity/finish', { body });

async function start(purpose: 'link' | 'signIn', token?: string): Promise<string> {
  const res = await call('POST', '/api/auth/identity/start', {
    body: { purpose },
    ...(token ? { token } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const url = new URL(res.body.authorizationUrl);
  // Cognito's authorize endpoint, straight to the province's provider, code flow with PKCE.
  expect(`${url.origin}${url.pathname}`).toBe(`${pool.domain}/oauth2/authorize`);
  expect(url.searchParams.get('identity_provider')).toBe(PROVIDER);
  expect(url.searchParams.get('client_id')).toBe(pool.clientId);
  expect(url.searchParams.get('response_type')).toBe('code');
  expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(url.searchParams.get('state')).toBeTruthy();
  expect(url.searchParams.get('nonce')).toBeTruthy();
  return url.href;
}

/** The API trusting the pool's tokens, as every function does in AWS (AUTH_ISSUER). */
async function asPool<T>(run: () => Promise<T>): Promise<T> {
  const own = services().auth;
  recompose({
    auth: remoteAuthConfig({ issuer: pool.issuer, audience: pool.clientId, jwksUrl: pool.jwksUrl }),
  });
  try {
    return await run();
  } finally {
    recompose({ auth: own });
  }
}

describe('digital identity through the Cognito user pool', () => {
  it("links after the phone sign-in (the pool then maps the identity onto the phone user) and signs in with the pool's tokens", async () => {
    const member = world.actors.member;
    const linked = await finish(finishBody(await authorize(await start('link', member.token), thanh)));
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    // The link key is the provider's own issuer and subject, read from the `identities` claim.
    expect(linked.body).toMatchObject({ mode: 'link', identity: { issuer: idp.issuer, name: thanh.name } });
    // The federated user Cognito made on the way in is gone; the phone user carries the identity.
    expect(pool.users.has(`${PROVIDER}_${thanh.sub}`)).toBe(false);
    expect(pool.users.get(member.account.sub)!.identities).toMatchObject([
      { providerName: PROVIDER, userId: thanh.sub },
    ]);

    const signedIn = await finish(finishBody(await authorize(await start('signIn'), thanh)));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body).toMatchObject({
      mode: 'signIn',
      identity: { issuer: idp.issuer, name: thanh.name },
      session: { tokenType: 'Bearer', account: { sub: member.account.sub, phone: member.account.phone } },
    });
    // The session is the pool's access token for the phone user: the API takes it as any other.
    const me = await asPool(() =>
      call('GET', '/api/auth/identity', { token: signedIn.body.session.accessToken }),
    );
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.verified).toMatchObject({ issuer: idp.issuer, name: thanh.name });
    // No federated user was left behind by the sign-in.
    expect([...pool.users.keys()].filter((u) => u.startsWith(`${PROVIDER}_`))).toEqual([]);
  });

  it('tells an identity that is not linked yet to sign in with the phone and link; then it works', async () => {
    const refused = await finish(finishBody(await authorize(await start('signIn'), mai)));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('identity.not_linked');
    expect(refused.body.error.message).toMatch(
      /chưa liên kết với tài khoản nào. Hãy đăng nhập bằng số điện thoại, rồi chọn "Liên kết định danh điện tử"/,
    );
    // The federated user of that attempt is removed, so the link below can map the identity.
    expect(pool.users.has(`${PROVIDER}_${mai.sub}`)).toBe(false);

    const independent = world.actors.independent;
    const linked = await finish(finishBody(await authorize(await start('link', independent.token), mai)));
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    const signedIn = await finish(finishBody(await authorize(await start('signIn'), mai)));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.session.account.sub).toBe(independent.account.sub);
  });

  it('links an identity to one account only: a second account is told 409, and the pool is not changed', async () => {
    const first = await finish(
      finishBody(await authorize(await start('link', world.actors.managerA.token), hoa)),
    );
    expect(first.status).toBe(200);
    const second = await finish(
      finishBody(await authorize(await start('link', world.actors.otherMember.token), hoa)),
    );
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('identity.linked_elsewhere');
    expect(pool.users.get(world.actors.otherMember.account.sub)!.identities).toEqual([]);
    expect(pool.users.get(world.actors.managerA.account.sub)!.identities).toHaveLength(1);
  });

  it('repairs a link the table has but the pool lacks (made before the pool fronted the provider)', async () => {
    const admin = world.actors.admin;
    expect(
      await linkIdentity(admin.account.sub, idp.issuer, khai.sub, {
        issuer: idp.issuer,
        verifiedAt: new Date().toISOString(),
        name: khai.name,
      }),
    ).toBe('linked');
    const once = await finish(finishBody(await authorize(await start('signIn'), khai)));
    expect(once.status).toBe(409);
    expect(once.body.error.code).toBe('identity.sign_in_again');
    expect(once.body.error.message).toMatch(/Đăng nhập bằng định danh điện tử/);
    const again = await finish(finishBody(await authorize(await start('signIn'), khai)));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.session.account.sub).toBe(admin.account.sub);
  });
});

describe('unlinking through the pool', () => {
  it('removes the link in the table and in the pool: the identity then signs in to nobody', async () => {
    const member = world.actors.member; // linked to Thành above
    const res = await call('DELETE', '/api/auth/identity', { token: member.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(pool.users.get(member.account.sub)!.identities).toEqual([]);
    const refused = await finish(finishBody(await authorize(await start('signIn'), thanh)));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('identity.not_linked');
    expect(pool.users.has(`${PROVIDER}_${thanh.sub}`)).toBe(false);
    // And links again, mapped anew in the pool.
    const again = await finish(finishBody(await authorize(await start('link', member.token), thanh)));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(pool.users.get(member.account.sub)!.identities).toHaveLength(1);
  });
});

describe('the checks of the flow through the pool', () => {
  it('refuses a wrong state, and keeps the request usable by its own', async () => {
    const params = await authorize(await start('link', world.actors.managerB.token), dung);
    const wrong = await finish({ ...finishBody(params), state: randomBytes(24).toString('base64url') });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('identity.bad_state');
    expect(wrong.body.error.message).toMatch(/Phiên định danh không hợp lệ/);
    expect((await finish(finishBody(params))).status).toBe(200);
  });

  it('refuses a replayed code', async () => {
    const params = await authorize(await start('signIn'), thanh);
    expect((await finish(finishBody(params))).status).toBe(200);
    expect((await finish(finishBody(params))).status).toBe(400);
  });

  it('refuses tokens from another issuer (another pool and key, the same client)', async () => {
    const own = new URL(pool.domain);
    const other = new URL(otherPool.domain);
    recompose({
      identity: createCognitoIdentityProvider({
        ...settings,
        // The token endpoint's answer comes from the other pool, for the same client and code checks.
        fetch: (url, init) => {
          const target = new URL(url);
          if (target.pathname === '/oauth2/token') target.host = other.host;
          return fetch(target, init as RequestInit);
        },
      }),
    });
    try {
      const url = new URL(await start('signIn'));
      expect(url.host).toBe(own.host);
      url.host = other.host;
      const res = await finish(finishBody(await authorize(url.href, thanh)));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('identity.rejected');
    } finally {
      recompose({ identity: createCognitoIdentityProvider(settings) });
    }
  });

  it('refuses a pool token without the provider in its `identities` (another provider of the pool)', async () => {
    // An ID token naming only DinhDanhDienTu, read by a client expecting another provider: refused.
    const params = await authorize(await start('signIn'), thanh);
    recompose({ identity: createCognitoIdentityProvider({ ...settings, providerName: 'AnotherProvider' }) });
    try {
      const res = await finish(finishBody(params));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('identity.rejected');
    } finally {
      recompose({ identity: createCognitoIdentityProvider(settings) });
    }
  });

  it('answers 503, not 500, when the pool cannot link, and maps the link at the next sign-in', async () => {
    const failing = {
      ...settings.users,
      link: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      },
    };
    recompose({ identity: createCognitoIdentityProvider({ ...settings, users: failing }) });
    const account = world.actors.otherMember;
    try {
      const res = await finish(finishBody(await authorize(await start('link', account.token), lan)));
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('identity.unavailable');
    } finally {
      recompose({ identity: createCognitoIdentityProvider(settings) });
    }
    // The table has the link ("đã định danh"); the first sign-in by identity maps it in the pool.
    const once = await finish(finishBody(await authorize(await start('signIn'), lan)));
    expect(once.status).toBe(409);
    expect(once.body.error.code).toBe('identity.sign_in_again');
    expect(pool.users.get(account.account.sub)!.identities).toMatchObject([{ userId: lan.sub }]);
    const signedIn = await finish(finishBody(await authorize(await start('signIn'), lan)));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.session.account.sub).toBe(account.account.sub);
  });
});
