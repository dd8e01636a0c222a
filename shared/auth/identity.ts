/**
 * Sign-in with a digital identity (ThaiNguyen ID, VNeID) over OpenID Connect.
 *
 * Design
 * - Linking first. A household or a manager signs in with the phone's one-time code as always,
 *   then chooses "Liên kết định danh điện tử": `startIdentitySignIn` (purpose `link`, with the
 *   session's bearer token) starts the authorization code flow with PKCE (S256), `state` and
 *   `nonce`. The three are kept server-side in the table (IDSTATE#<state>, shared/db/
 *   identity-links.ts), bound to the signed-in account, for 10 minutes, and used once: the
 *   callback deletes the item with a condition, so only one request ever gets it.
 * - The callback. The identity provider sends the browser back to the site's page
 *   /dang-nhap/dinh-danh/ with `code` and `state`; the page posts them to `finishIdentitySignIn`,
 *   which takes the stored request (an unknown, used or expired state is a 400), exchanges the
 *   code with the verifier (`openid-client` v6: the token endpoint with the client's secret) and
 *   verifies the ID token: issuer, audience, nonce, expiry, and its signature against the
 *   issuer's JWKS (`enableNonRepudiationChecks`). Anything refused is a 401 with a Vietnamese
 *   message; an identity provider that cannot be reached is a 503.
 * - The link. `iss` + `sub` are written as IDLINK#<iss>#<sub> with a condition in the same
 *   transaction that marks the account "đã định danh": an identity links to one account only (a
 *   second account is told 409), an account to one identity. What the account keeps is the
 *   issuer, the time and the verified name (`name` claim): enough for the admin's producer
 *   verification to rely on "this phone account was confirmed by the identity provider as this
 *   person". No national id number (CCCD) or birth date is asked for or stored: the exchange
 *   has no use for them, and a stored id number would be a liability.
 * - Later sign-ins. `startIdentitySignIn` without a session (purpose `signIn`) runs the same flow;
 *   `finishIdentitySignIn` then looks the identity's link up and signs in to the linked account.
 *   An identity not linked yet is told to sign in with the phone first (403).
 * - One code path, two ways to the provider (shared/auth/identity-provider.ts), chosen by
 *   configuration: the direct OpenID Connect client (locally against a real `oidc-provider`,
 *   infra/local/identity-provider.ts; the session then comes from the sign-in provider, as after
 *   a phone code), or, in AWS, the provider behind the Cognito user pool (its OAuth endpoints,
 *   `identity_provider=`, `AdminLinkProviderForUser` at link time; the session is Cognito's own
 *   access token for the phone's user). Both key the link by the provider's issuer and subject.
 */
import * as client from 'openid-client';
import * as z from 'zod';
import { conflict, forbidden, invalid, notFound, rateLimited, unavailable } from '../domain/errors.ts';
import { accounts } from '../db/accounts.ts';
import { producers } from '../db/producers.ts';
import { hit } from '../db/rate-limits.ts';
import {
  consumeIdentityRequest,
  identityLinkOf,
  linkedAccount,
  linkIdentity,
  unlinkIdentity as removeIdentityLink,
  putIdentityRequest,
  verifiedIdentityOf,
  type VerifiedIdentity,
} from '../db/identity-links.ts';
import { services } from '../services.ts';
import { log } from '../observability/log.ts';
import type { SignInResult } from './sign-in.ts';
import { UnauthorizedError } from './tokens.ts';
import {
  createDirectIdentityProvider,
  isIdentityProvider,
  type IdentityProvider,
  type IdentityProviderSettings,
} from './identity-provider.ts';

export type { IdentityProviderSettings } from './identity-provider.ts';
export { IDENTITY_SCOPE } from './identity-provider.ts';

export const IDENTITY_LIMITS = {
  /** Seconds an authorization request may take, from start to callback. */
  requestTtlSeconds: 10 * 60,
  startsPerIp: 30,
  windowSeconds: 15 * 60,
} as const;

export const StartIdentityBody = z
  .strictObject({
    purpose: z.enum(['link', 'signIn'], {
      error: 'purpose là "link" (liên kết tài khoản đang đăng nhập) hoặc "signIn" (đăng nhập)',
    }),
  })
  .meta({ id: 'StartIdentitySignIn' });

export const FinishIdentityBody = z
  .strictObject({
    code: z.string().min(1, 'Thiếu mã từ nhà cung cấp định danh').max(2048),
    state: z
      .string()
      .min(16, 'Mã phiên định danh không hợp lệ')
      .max(256)
      .regex(/^[\w-]+$/, 'Mã phiên định danh không hợp lệ'),
    /** The issuer the provider names in its answer (RFC 9207), when it does. */
    iss: z.url().max(512).optional(),
  })
  .meta({ id: 'FinishIdentitySignIn' });

const directProviders = new WeakMap<IdentityProviderSettings, IdentityProvider>();

/** The configured way to the identity provider (identity-provider.ts): direct or through Cognito. */
function provider(): IdentityProvider {
  const configured = services().identity;
  if (!configured) {
    throw unavailable(
      'identity.not_configured',
      'Đăng nhập bằng định danh điện tử chưa được bật / Digital-identity sign-in is not configured',
    );
  }
  if (isIdentityProvider(configured)) return configured;
  let direct = directProviders.get(configured);
  if (!direct) {
    direct = createDirectIdentityProvider(configured);
    directProviders.set(configured, direct);
  }
  return direct;
}

/** Starts the authorization code flow; `accountSub` is the signed-in account for `link`. */
export async function startIdentitySignIn(
  purpose: 'link' | 'signIn',
  accountSub: string | undefined,
  ip: string,
): Promise<{ authorizationUrl: string; expiresIn: number }> {
  if (!(await hit(`identity-ip#${ip}`, IDENTITY_LIMITS.startsPerIp, IDENTITY_LIMITS.windowSeconds))) {
    throw rateLimited(
      'auth.too_many_requests',
      'Quá nhiều yêu cầu, hãy thử lại sau 15 phút / Too many requests, try again in 15 minutes',
    );
  }
  if (purpose === 'link') {
    if (!accountSub) throw new UnauthorizedError('Hãy đăng nhập bằng số điện thoại trước / Sign in first');
    if (await verifiedIdentityOf(accountSub)) {
      throw conflict(
        'identity.account_verified',
        'Tài khoản này đã định danh điện tử rồi / This account already has a verified identity',
      );
    }
  }
  const way = provider();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await putIdentityRequest(state, {
    mode: purpose,
    ...(purpose === 'link' && accountSub ? { accountSub } : {}),
    codeVerifier,
    nonce,
    redirectUri: way.redirectUri,
    expiresAt: Math.floor(Date.now() / 1000) + IDENTITY_LIMITS.requestTtlSeconds,
  });
  const url = await way.authorizationUrl({
    codeChallenge: await client.calculatePKCECodeChallenge(codeVerifier),
    state,
    nonce,
  });
  return { authorizationUrl: url.href, expiresIn: IDENTITY_LIMITS.requestTtlSeconds };
}

export type FinishIdentityResult =
  | { mode: 'link'; identity: VerifiedIdentity }
  | { mode: 'signIn'; identity: VerifiedIdentity; session: SignInResult };

const badState = () =>
  invalid(
    'identity.bad_state',
    'Phiên định danh không hợp lệ, đã dùng hoặc đã hết hạn, hãy bắt đầu lại / Unknown, used or expired identity request: start again',
  );

/** The callback: checks state, exchanges the code, verifies the ID token, links or signs in. */
export async function finishIdentitySignIn(
  body: z.infer<typeof FinishIdentityBody>,
): Promise<FinishIdentityResult> {
  const request = await consumeIdentityRequest(body.state);
  if (!request || request.expiresAt * 1000 < Date.now()) throw badState();
  const way = provider();
  const callback = new URL(request.redirectUri);
  callback.searchParams.set('code', body.code);
  callback.searchParams.set('state', body.state);
  if (body.iss) callback.searchParams.set('iss', body.iss);
  const login = await way.exchange(callback, {
    codeVerifier: request.codeVerifier,
    state: body.state,
    nonce: request.nonce,
  });
  const identity: VerifiedIdentity = {
    issuer: login.issuer,
    verifiedAt: new Date().toISOString(),
    ...(login.name ? { name: login.name } : {}),
  };

  if (request.mode === 'link') {
    const outcome = await linkIdentity(request.accountSub!, login.issuer, login.subject, identity);
    if (outcome === 'linked' || outcome === 'already_linked') {
      const account = await accounts.get(request.accountSub!);
      // Cognito maps the identity onto the phone's user from now on (a no-op for the direct way).
      if (account) await way.linked(account, login);
      return {
        mode: 'link',
        identity:
          outcome === 'linked' ? identity : ((await verifiedIdentityOf(request.accountSub!)) ?? identity),
      };
    }
    await way.refused(login);
    switch (outcome) {
      case 'identity_taken':
        throw conflict(
          'identity.linked_elsewhere',
          'Định danh điện tử này đã liên kết với một tài khoản khác. Hãy đăng nhập bằng số điện thoại của tài khoản đó / This identity is linked to another account',
        );
      case 'account_has_other':
        throw conflict(
          'identity.account_verified',
          'Tài khoản này đã liên kết một định danh điện tử khác / This account is linked to another identity',
        );
      case 'no_account':
        throw new UnauthorizedError(
          'Tài khoản không tồn tại, hãy đăng nhập lại / Unknown account: sign in again',
        );
    }
  }

  const accountSub = await linkedAccount(login.issuer, login.subject);
  const account = accountSub ? await accounts.get(accountSub) : undefined;
  if (!account) {
    await way.refused(login);
    throw forbidden(
      'identity.not_linked',
      'Định danh điện tử này chưa liên kết với tài khoản nào. Hãy đăng nhập bằng số điện thoại, rồi chọn "Liên kết định danh điện tử" / This identity is not linked yet: sign in with your phone first',
    );
  }
  return {
    mode: 'signIn',
    identity: (await verifiedIdentityOf(account.sub)) ?? identity,
    session: await way.session(account, login),
  };
}

/**
 * "Hủy liên kết định danh điện tử": the signed-in account removes its own link (no id is taken, so
 * no other account's link can be named); the provider forgets it too (Cognito: the identity no
 * longer signs in as the phone's user). The account is then "chưa định danh" and may link again.
 */
export async function unlinkIdentity(accountSub: string): Promise<{ verified: null }> {
  const notLinked = () =>
    notFound(
      'identity.not_linked_account',
      'Tài khoản này chưa liên kết định danh điện tử / This account has no linked identity',
    );
  const link = await identityLinkOf(accountSub);
  if (!link) {
    if (await verifiedIdentityOf(accountSub)) {
      throw conflict(
        'identity.unlink_unavailable',
        "Liên kết này được tạo trước khi sàn có chức năng hủy liên kết; hãy liên hệ quản trị sàn để hủy / This link predates unlinking: ask the exchange's admins",
      );
    }
    throw notLinked();
  }
  if ((await removeIdentityLink(accountSub, link.issuer, link.subject)) !== 'unlinked') throw notLinked();
  // The table decides who an identity signs in as, so the link is gone already; a pool that
  // cannot be reached keeps a mapping that leads nowhere (and is replaced if the identity links again).
  if (services().identity) {
    await provider()
      .unlinked(link.subject)
      .catch((error: unknown) => log().warn('identity provider did not forget the link', { error }));
  }
  return { verified: null };
}

/** The signed-in account's "đã định danh" state. */
export async function identityStatus(accountSub: string): Promise<{ verified: VerifiedIdentity | null }> {
  return { verified: (await verifiedIdentityOf(accountSub)) ?? null };
}

/**
 * For the admin's producer verification: whether the account that signed the producer up (its
 * phone's account, acting for it) has a verified identity, and the name the provider confirmed.
 */
export async function producerIdentity(producerId: string): Promise<{ verified: VerifiedIdentity | null }> {
  const producer = await producers.get(producerId);
  if (!producer) throw notFound('producer.not_found', 'Không tìm thấy nhà sản xuất / Producer not found');
  const account = await accounts.findByPhone(producer.phone);
  if (!account || account.producerId !== producer.id) return { verified: null };
  return identityStatus(account.sub);
}
