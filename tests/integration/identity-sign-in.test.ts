/**
 * Sign-in with a digital identity (shared/auth/identity.ts) against a real OpenID Connect server
 * (the local identity provider, `oidc-provider`, over HTTP) and DynamoDB Local: link after the
 * phone sign-in, sign in by identity, and the checks of the flow (state, code, issuer, nonce,
 * one identity for one account).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityProviderSettings } from '../../shared/auth/identity.ts';
import { createLocalSignInProvider } from '../../shared/auth/local-sign-in.ts';
import { accounts } from '../../shared/db/accounts.ts';
import { recompose } from '../../infra/local/services.ts';
import {
  startIdentityProvider,
  type DemoCitizen,
  type RunningIdentityProvider,
} from '../../infra/local/identity-provider.ts';
import { app as authApp } from '../../functions/auth/app.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/dang-nhap/dinh-danh/';
const CLIENT = { clientId: 'tn-exchange', clientSecret: randomBytes(24).toString('base64url') };
const tag = randomBytes(4).toString('hex');
const citizens: DemoCitizen[] = [
  'Nguyễn Văn Thành',
  'Trần Thị Hòa',
  'Hoàng Văn Dũng',
  'Lương Thị Mai',
  'Đinh Quang Khải',
].map((name, i) => ({ sub: `citizen-${tag}-${i}`, name, note: 'thử nghiệm' }));
const [thanh, hoa, dung, mai, khai] = citizens as [
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
  DemoCitizen,
];

let world: SellerWorld;
let idp: RunningIdentityProvider;
/** A second provider with the same client registered: another issuer, another key. */
let otherIdp: RunningIdentityProvider;
let settings: IdentityProviderSettings;

beforeAll(async () => {
  world = await createSellerWorld();
  const client = { ...CLIENT, redirectUris: [REDIRECT_URI] };
  idp = await startIdentityProvider({ port: 0, clients: [client], citizens });
  otherIdp = await startIdentityProvider({ port: 0, clients: [client], citizens });
  settings = { issuer: idp.issuer, ...CLIENT, redirectUri: REDIRECT_URI, allowHttp: true };
  recompose({ signIn: createLocalSignInProvider(world.issuer), identity: settings });
});

afterAll(async () => {
  await idp?.stop();
  await otherIdp?.stop();
});

/** Plays the browser at the provider: follows its redirects, keeps its cookies, picks a citizen. */
async function authorize(authorizationUrl: string, citizen: DemoCitizen): Promise<URLSearchParams> {
  const jar = new Map<string, string>();
  const visit = async (url: string, init: RequestInit = {}) => {
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
  let res = await visit(authorizationUrl);
  expect(res.status, await res.clone().text()).toBe(303);
  const base = new URL(authorizationUrl).origin;
  const interaction = new URL(res.headers.get('location')!, base).href;
  const page = await visit(interaction);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Chọn công dân đăng nhập');
  expect(html).toContain(citizen.name);
  res = await visit(`${interaction}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ citizen: citizen.sub }).toString(),
  });
  expect(res.status).toBe(303);
  res = await visit(new URL(res.headers.get('location')!, base).href);
  expect(res.status).toBe(303);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
  return back.searchParams;
}

const finishBody = (params: URLSearchParams) => ({
  code: params.get('code')!,
  state: params.get('state')!,
  ...(params.get('iss') ? { iss: params.get('iss')! } : {}),
});

async function start(purpose: 'link' | 'signIn', token?: string): Promise<string> {
  const res = await call('POST', '/api/auth/identity/start', {
    body: { purpose },
    ...(token ? { token } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const url = new URL(res.body.authorizationUrl);
  expect(url.origin).toBe(idp.issuer);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(url.searchParams.get('state')).toBeTruthy();
  expect(url.searchParams.get('nonce')).toBeTruthy();
  return url.href;
}

const finish = (body: Record<string, string>) => call('POST', '/api/auth/identity/finish', { body });

describe('linking a digital identity, then signing in with it', () => {
  it('links after the phone sign-in, shows "đã định danh", and signs in to the same account', async () => {
    const member = world.actors.member;
    const before = await call('GET', '/api/auth/identity', { token: member.token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ verified: null });

    const linked = await finish(finishBody(await authorize(await start('link', member.token), thanh)));
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body).toMatchObject({ mode: 'link', identity: { issuer: idp.issuer, name: thanh.name } });

    const after = await call('GET', '/api/auth/identity', { token: member.token });
    expect(after.body.verified).toMatchObject({ issuer: idp.issuer, name: thanh.name });
    // What the account keeps: issuer, time, verified name — not the provider's subject or any id number.
    const stored = (await accounts.get(member.account.sub)) as unknown as Record<string, unknown>;
    expect(Object.keys(stored.identity as object).sort()).toEqual(['issuer', 'name', 'verifiedAt']);

    const signedIn = await finish(finishBody(await authorize(await start('signIn'), thanh)));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body).toMatchObject({
      mode: 'signIn',
      session: { tokenType: 'Bearer', account: { sub: member.account.sub, phone: member.account.phone } },
    });
    const me = await call('GET', '/api/me', { token: signedIn.body.session.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.account.sub).toBe(member.account.sub);

    // The admin's producer verification sees it; nobody else may ask.
    const asAdmin = await authApp.request(`/api/admin/producers/${world.member.id}/identity`, {
      headers: { authorization: `Bearer ${world.actors.admin.token}` },
    });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toMatchObject({ verified: { issuer: idp.issuer, name: thanh.name } });
    const unverified = await authApp.request(`/api/admin/producers/${world.otherMember.id}/identity`, {
      headers: { authorization: `Bearer ${world.actors.admin.token}` },
    });
    expect(await unverified.json()).toEqual({ verified: null });
    const asManager = await authApp.request(`/api/admin/producers/${world.member.id}/identity`, {
      headers: { authorization: `Bearer ${world.actors.managerA.token}` },
    });
    expect(asManager.status).toBe(403);

    // Linking again is refused: the account already has its identity.
    const again = await call('POST', '/api/auth/identity/start', {
      body: { purpose: 'link' },
      token: member.token,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/đã định danh/);
  });

  it('tells an identity that is not linked yet to sign in with the phone first', async () => {
    const res = await finish(finishBody(await authorize(await start('signIn'), mai)));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('identity.not_linked');
    expect(res.body.error.message).toMatch(/Hãy đăng nhập bằng số điện thoại/);
  });

  it('needs the phone session to link', async () => {
    const res = await call('POST', '/api/auth/identity/start', { body: { purpose: 'link' } });
    expect(res.status).toBe(401);
  });

  it('links an identity to one account only: a second account is told 409', async () => {
    const first = await finish(
      finishBody(await authorize(await start('link', world.actors.independent.token), hoa)),
    );
    expect(first.status).toBe(200);
    const second = await finish(
      finishBody(await authorize(await start('link', world.actors.otherMember.token), hoa)),
    );
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('identity.linked_elsewhere');
    expect(second.body.error.message).toMatch(/đã liên kết với một tài khoản khác/);
    expect((await call('GET', '/api/auth/identity', { token: world.actors.otherMember.token })).body).toEqual(
      {
        verified: null,
      },
    );
  });
});

describe('the checks of the flow', () => {
  it('refuses a wrong state, and a state that was never issued', async () => {
    const params = await authorize(await start('link', world.actors.managerA.token), dung);
    const wrong = await finish({ ...finishBody(params), state: randomBytes(24).toString('base64url') });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('identity.bad_state');
    expect(wrong.body.error.message).toMatch(/Phiên định danh không hợp lệ/);
    // The request stays usable by its own state.
    expect((await finish(finishBody(params))).status).toBe(200);
  });

  it('refuses a replayed code: the state is used once, and the provider takes the code once', async () => {
    const params = await authorize(await start('signIn'), thanh);
    expect((await finish(finishBody(params))).status).toBe(200);
    const replay = await finish(finishBody(params));
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('identity.bad_state');
    // The same code under a fresh state: the provider refuses it (used, and another PKCE verifier).
    const fresh = new URL(await start('signIn')).searchParams.get('state')!;
    const reused = await finish({ ...finishBody(params), state: fresh });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/Không xác nhận được định danh điện tử/);
  });

  it('refuses an ID token with another nonce than the one stored', async () => {
    const url = new URL(await start('signIn'));
    url.searchParams.set('nonce', randomBytes(16).toString('base64url'));
    const res = await finish(finishBody(await authorize(url.href, thanh)));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('identity.rejected');
  });

  it('refuses an ID token from another issuer (another provider and key)', async () => {
    // The token endpoint answer comes from the other provider: its ID token names that issuer
    // and is signed by its key, for the same client, nonce and PKCE verifier.
    const own = new URL(idp.issuer);
    const other = new URL(otherIdp.issuer);
    recompose({
      identity: {
        ...settings,
        fetch: (url, init) => {
          const target = new URL(url);
          if (target.pathname.endsWith('/token')) target.host = other.host;
          return fetch(target, init as RequestInit);
        },
      },
    });
    try {
      const url = new URL(await start('signIn'));
      expect(url.host).toBe(own.host);
      url.host = other.host;
      // The answer claims to come from the configured issuer (RFC 9207 `iss`), as a forger would.
      const res = await finish({ ...finishBody(await authorize(url.href, thanh)), iss: idp.issuer });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('identity.rejected');
    } finally {
      recompose({ identity: settings });
    }
  });

  it('validates strictly, with Vietnamese messages', async () => {
    const extra = await call('POST', '/api/auth/identity/start', { body: { purpose: 'signIn', x: 1 } });
    expect(extra.status).toBe(400);
    const purpose = await call('POST', '/api/auth/identity/start', { body: { purpose: 'other' } });
    expect(purpose.status).toBe(400);
    expect(purpose.body.error.message).toMatch(/liên kết tài khoản/);
    const badState = await finish({ code: 'x', state: 'short' });
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toMatch(/Mã phiên định danh không hợp lệ/);
  });
});

describe('unlinking ("Hủy liên kết định danh điện tử")', () => {
  const unlink = (token?: string) => call('DELETE', '/api/auth/identity', token ? { token } : {});

  it("removes the caller's own link only: another account cannot touch it, and the identity then signs in to nobody", async () => {
    const owner = world.actors.managerB;
    const linked = await finish(finishBody(await authorize(await start('link', owner.token), khai)));
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);

    // Another signed-in account has no link of its own: 404, and the owner's link stands.
    const other = await unlink(world.actors.otherMember.token);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('identity.not_linked_account');
    expect((await call('GET', '/api/auth/identity', { token: owner.token })).body.verified).toMatchObject({
      name: khai.name,
    });
    const stillOwner = await finish(finishBody(await authorize(await start('signIn'), khai)));
    expect(stillOwner.status).toBe(200);
    expect(stillOwner.body.session.account.sub).toBe(owner.account.sub);
    // Not signed in: 401.
    expect((await unlink()).status).toBe(401);

    const removed = await unlink(owner.token);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body).toEqual({ verified: null });
    expect((await call('GET', '/api/auth/identity', { token: owner.token })).body).toEqual({
      verified: null,
    });
    expect((await unlink(owner.token)).status).toBe(404);

    const refused = await finish(finishBody(await authorize(await start('signIn'), khai)));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('identity.not_linked');

    // The identity is free again: another account may link it.
    const relinked = await finish(
      finishBody(await authorize(await start('link', world.actors.otherMember.token), khai)),
    );
    expect(relinked.status, JSON.stringify(relinked.body)).toBe(200);
  });

  it("refuses to delete a link item that names another account, even if the caller's account points at it", async () => {
    const { unlinkIdentity } = await import('../../shared/db/identity-links.ts');
    // otherMember now holds khai's link; managerA (linked to dung) names it: the condition refuses.
    expect(await unlinkIdentity(world.actors.managerA.account.sub, idp.issuer, khai.sub)).toBe('not_linked');
    const holder = await finish(finishBody(await authorize(await start('signIn'), khai)));
    expect(holder.body.session.account.sub).toBe(world.actors.otherMember.account.sub);
  });
});
