import { SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalSignInProvider } from '../../shared/auth/local-sign-in.ts';
import { SIGN_IN_LIMITS } from '../../shared/auth/sign-in.ts';
import { recompose } from '../../infra/local/services.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;

beforeAll(async () => {
  world = await createSellerWorld();
  recompose({ signIn: createLocalSignInProvider(world.issuer) });
});

const randomPhone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const e164 = (local: string) => `+84${local.slice(1)}`;

async function lastCode(phone: string): Promise<string> {
  const message = (await devInbox.list()).find((m) => m.to === e164(phone));
  return /(\d{6})/.exec(message?.text ?? '')![1]!;
}

/** A token signed like the issuer's, with overrides, by the issuer's key or another. */
async function forgedToken(claims: JWTPayload, options: { alg?: string; ownKey?: boolean } = {}) {
  const base = await world.issuer.sign(world.actors.member.account);
  if (options.ownKey === false) {
    const { privateKey } = await generateKeyPair('RS256');
    const payload = JSON.parse(Buffer.from(base.accessToken.split('.')[1]!, 'base64url').toString());
    return new SignJWT({ ...payload, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'attacker' })
      .sign(privateKey);
  }
  return base.accessToken;
}

describe('sign-in with a one-time code', () => {
  it('sends a code to the dev inbox and exchanges it for a token that the API accepts', async () => {
    const phone = randomPhone();
    const start = await call('POST', '/api/auth/start', { body: { phone } });
    expect(start.status).toBe(202);
    const verify = await call('POST', '/api/auth/verify', { body: { phone, code: await lastCode(phone) } });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      account: { phone: e164(phone), groups: [] },
    });
    const me = await call('GET', '/api/me', { token: verify.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ account: { phone: e164(phone) }, producer: null, isAdmin: false });
  });

  it('accepts a code only once', async () => {
    const phone = randomPhone();
    await call('POST', '/api/auth/start', { body: { phone } });
    const code = await lastCode(phone);
    expect((await call('POST', '/api/auth/verify', { body: { phone, code } })).status).toBe(200);
    expect((await call('POST', '/api/auth/verify', { body: { phone, code } })).status).toBe(401);
  });

  it('rejects numbers that are not Vietnamese mobiles, with a Vietnamese message', async () => {
    const res = await call('POST', '/api/auth/start', { body: { phone: '0243 123 4567' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Số điện thoại di động không hợp lệ/);
    expect((await call('POST', '/api/auth/start', { body: { phone: randomPhone(), extra: 1 } })).status).toBe(
      400,
    );
  });

  it('limits codes per phone', async () => {
    const phone = randomPhone();
    for (let i = 0; i < SIGN_IN_LIMITS.codesPerPhone; i++) {
      expect((await call('POST', '/api/auth/start', { body: { phone } })).status).toBe(202);
    }
    const refused = await call('POST', '/api/auth/start', { body: { phone } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('auth.too_many_codes');
  });

  it('locks the phone after a few wrong codes, even against the right one', async () => {
    const phone = randomPhone();
    await call('POST', '/api/auth/start', { body: { phone } });
    const code = await lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < SIGN_IN_LIMITS.attemptsPerPhone; i++) {
      expect((await call('POST', '/api/auth/verify', { body: { phone, code: wrong } })).status).toBe(401);
    }
    const locked = await call('POST', '/api/auth/verify', { body: { phone, code } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('auth.locked');
  });
});

describe('access tokens', () => {
  const me = (token?: string, raw?: string) =>
    raw !== undefined
      ? call('GET', '/api/me', { token: raw })
      : call('GET', '/api/me', { ...(token ? { token } : {}) });

  it('accepts a valid token', async () => {
    expect((await me(world.actors.member.token)).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expect((await me()).status).toBe(401);
  });

  it('answers 401 to an expired token', async () => {
    const expired = await signWithWorldKey({
      ...(await basePayload()),
      iat: 1_600_000_000,
      exp: 1_600_000_600,
    });
    const res = await me(expired);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/hết hạn/);
  });

  it('answers 401 to a token without an expiry', async () => {
    const { exp: _exp, ...forever } = await basePayload();
    const res = await me(await signWithWorldKey(forever));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('auth.unauthorized');
  });

  it('answers 401 to a token without a subject', async () => {
    const { sub: _sub, ...nobody } = await basePayload();
    expect((await me(await signWithWorldKey(nobody))).status).toBe(401);
  });

  it("binds the caller to the token's subject, never to its phone claim", async () => {
    // A new subject carrying the admin's phone: the phone belongs to another account, so the
    // caller is nobody (before, the admin's account was returned and the caller acted as admin).
    const admin = world.actors.admin.account;
    const stranger = await signWithWorldKey({
      ...(await basePayload()),
      sub: 'sub-not-an-account',
      username: 'sub-not-an-account',
      phone_number: admin.phone,
    });
    const res = await me(stranger);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/Tài khoản không tồn tại/);
    expect((await call('GET', '/api/admin/pending-producers', { token: stranger })).status).toBe(401);
    // A known subject with someone else's phone claim is still itself.
    const member = world.actors.member.account;
    const own = await signWithWorldKey({ ...(await basePayload()), phone_number: admin.phone });
    const mine = await me(own);
    expect(mine.status).toBe(200);
    expect(mine.body.account).toMatchObject({ sub: member.sub, phone: member.phone });
  });

  it('creates the account of a new subject from its first token', async () => {
    const phone = e164(randomPhone());
    const token = await signWithWorldKey({
      ...(await basePayload()),
      sub: `new-${phone}`,
      phone_number: phone,
    });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ sub: `new-${phone}`, phone });
  });

  it('answers 401 to a token from another issuer', async () => {
    const token = await signWithWorldKey({ ...(await basePayload()), iss: 'https://evil.example/auth' });
    expect((await me(token)).status).toBe(401);
  });

  it('answers 401 to a token for another app client', async () => {
    const token = await signWithWorldKey({ ...(await basePayload()), client_id: 'some-other-app' });
    expect((await me(token)).status).toBe(401);
  });

  it('answers 401 to an unsigned token (alg: none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(await basePayload())).toString('base64url');
    expect((await me(undefined, `${header}.${payload}.`)).status).toBe(401);
  });

  it('answers 401 to a token signed by another key', async () => {
    expect((await me(await forgedToken({}, { ownKey: false }))).status).toBe(401);
  });

  it('answers 401 to a tampered token', async () => {
    const [h, , s] = world.actors.member.token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...(await basePayload()), sub: world.actors.admin.account.sub }),
    ).toString('base64url');
    expect((await me(undefined, `${h}.${payload}.${s}`)).status).toBe(401);
  });

  it('answers 403 to a valid token without the right group', async () => {
    // A household's token on an admin route.
    const res = await call('GET', '/api/admin/pending-producers', { token: world.actors.member.token });
    expect(res.status).toBe(403);
    // Group claims in a token do not grant anything by themselves: the account decides.
    const claimsAdmin = await signWithWorldKey({ ...(await basePayload()), 'cognito:groups': ['admin'] });
    expect((await call('GET', '/api/admin/pending-producers', { token: claimsAdmin })).status).toBe(403);
    expect(
      (await call('GET', '/api/admin/pending-producers', { token: world.actors.admin.token })).status,
    ).toBe(200);
  });
});

async function basePayload(): Promise<Record<string, unknown>> {
  const token = world.actors.member.token;
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

/** Signs arbitrary claims with the world issuer's own private key (to test claim checks alone). */
async function signWithWorldKey(payload: Record<string, unknown>): Promise<string> {
  return world.issuer.signClaims(payload);
}
