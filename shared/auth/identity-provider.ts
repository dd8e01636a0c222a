/**
 * The two ways the exchange reaches the digital-identity provider, behind one interface, so that
 * shared/auth/identity.ts runs one code path and which way is used is configuration:
 *
 * - **direct** (`createDirectIdentityProvider`): the exchange is the provider's OpenID Connect
 *   client itself (discovery at the provider's issuer, its client id and secret). Locally (`npm
 *   start`, against the local `oidc-provider`), and for a provider used without Cognito. A
 *   session after a sign-in is issued by the sign-in provider (`issueSession`), which the local
 *   issuer can do and Cognito cannot.
 * - **cognito** (`createCognitoIdentityProvider`): in AWS. The user pool holds the provider as an
 *   OIDC identity provider; the exchange is a client of the pool's OAuth endpoints (its domain's
 *   /oauth2/authorize and /oauth2/token, the site's app client, PKCE, state, nonce) and sends
 *   `identity_provider=<name>` so the citizen goes straight to the province's login. Cognito's
 *   ID token is checked (issuer = the pool, audience = the app client, `token_use` `id`, the
 *   signature against the pool's JWKS) and the identity is read from its `identities` claim:
 *   the entry of our provider, whose `userId` is the provider's `sub`. The link key is the
 *   provider's issuer + that `sub`, exactly what the direct flow stores, so links made either way
 *   serve both. Sessions are Cognito's own tokens: at link time `AdminLinkProviderForUser` maps
 *   the federated identity onto the phone user (after deleting the federated user Cognito made on
 *   the way, as it refuses to merge an existing one), so a later sign-in by identity returns
 *   tokens of the phone user — the same kind of access token a phone code gives.
 */
import * as client from 'openid-client';
import { DomainError, conflict, unavailable } from '../domain/errors.ts';
import type { Account } from '../db/accounts.ts';
import { required } from '../services.ts';
import { log } from '../observability/log.ts';
import type { SignInResult } from './sign-in.ts';

export const IDENTITY_SCOPE = 'openid profile';

/** The site's page the provider sends the browser back to (the redirect URI's path, everywhere). */
export const IDENTITY_RETURN_PATH = '/dang-nhap/dinh-danh/';

/** What the provider confirmed, once the code was exchanged and the ID token verified. */
export interface IdentityLogin {
  /** The identity provider's issuer: the first half of the link key. */
  issuer: string;
  /** The provider's subject for the citizen: the second half of the link key. */
  subject: string;
  /** The verified name (`name` claim), when given. */
  name?: string;
  /** Cognito only: the pool user the tokens were issued to, and the tokens themselves. */
  pool?: { sub: string; username: string; accessToken: string; expiresIn: number };
}

export interface AuthorizationRequest {
  codeChallenge: string;
  state: string;
  nonce: string;
}

export interface CodeChecks {
  codeVerifier: string;
  state: string;
  nonce: string;
}

/** One way of reaching the digital-identity provider (see the top of this file). */
export interface IdentityProvider {
  readonly kind: 'direct' | 'cognito';
  /** Where the browser comes back: the site's /dang-nhap/dinh-danh/ page. */
  readonly redirectUri: string;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /**
   * Exchanges the code (with the PKCE verifier) and verifies the ID token. Throws a DomainError:
   * 401 `identity.rejected` for anything refused, 503 `identity.unavailable` when unreachable.
   */
  exchange(callback: URL, checks: CodeChecks): Promise<IdentityLogin>;
  /** The identity was just linked to the account in the table: make the provider agree. */
  linked(account: Account, login: IdentityLogin): Promise<void>;
  /** The identity is linked to no account (or to another one): undo what the way in left behind. */
  refused(login: IdentityLogin): Promise<void>;
  /** The session of the linked account after a sign-in by identity. */
  session(account: Account, login: IdentityLogin): Promise<SignInResult>;
  /** The account removed its link to the provider's user `subject`: make the provider forget it. */
  unlinked(subject: string): Promise<void>;
}

/** The direct provider's registration (IDENTITY_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URI). */
export interface IdentityProviderSettings {
  /** The provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: the site's /dang-nhap/dinh-danh/ page. */
  redirectUri: string;
  /** Plain http (the local provider on loopback only). */
  allowHttp?: boolean;
  /** Another fetch for the provider's endpoints (tests). */
  fetch?: client.CustomFetch;
}

/** The pool's admin calls the Cognito-fronted provider makes (functions/adapters/cognito-federated-users.ts). */
export interface FederatedUsers {
  /** AdminLinkProviderForUser: the provider's user `subject` signs in as the pool user `destinationSub`. */
  link(providerName: string, subject: string, destinationSub: string): Promise<void>;
  /** AdminDeleteUser of the federated user Cognito created on a first sign-in through the provider. */
  deleteFederatedUser(username: string): Promise<void>;
  /** AdminDisableProviderForUser: the provider's user `subject` no longer signs in as a pool user. */
  unlink(providerName: string, subject: string): Promise<void>;
}

/** The Cognito-fronted provider's settings (IDENTITY_COGNITO_*, the pool's issuer and app client). */
export interface CognitoIdentitySettings {
  /** The identity provider's own issuer: the link key, as the direct flow stores it. */
  identityIssuer: string;
  /** The provider's name in the user pool (`identity_provider=`, the `identities` claim). */
  providerName: string;
  /** The pool domain's base URL: /oauth2/authorize and /oauth2/token are under it. */
  domain: string;
  /** The issuer of the pool's tokens: https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  tokenIssuer: string;
  /** @default `${tokenIssuer}/.well-known/jwks.json` */
  jwksUrl?: string;
  /** The app client (confidential). */
  clientId: string;
  /** Its secret (read from Cognito once in AWS, as the phone sign-in does). */
  clientSecret: () => Promise<string>;
  redirectUri: string;
  users: FederatedUsers;
  allowHttp?: boolean;
  fetch?: client.CustomFetch;
}

const unreachable = (detail?: string) =>
  unavailable(
    'identity.unavailable',
    `Không kết nối được nhà cung cấp định danh, hãy thử lại sau / The identity provider cannot be reached${detail ? ` (${detail})` : ''}`,
  );

const rejected = () =>
  new DomainError(
    'unauthorized',
    'identity.rejected',
    'Không xác nhận được định danh điện tử, hãy thử lại từ đầu / The identity could not be verified: start again',
  );

/** Settles a configuration once; a failed one is tried again by the next request. */
function once(load: () => Promise<client.Configuration>): () => Promise<client.Configuration> {
  let found: Promise<client.Configuration> | undefined;
  return () => {
    found ??= load().catch((error: unknown) => {
      found = undefined;
      if (error instanceof DomainError) throw error;
      throw unreachable((error as Error).message);
    });
    return found;
  };
}

function tuned(
  config: client.Configuration,
  options: { allowHttp?: boolean; fetch?: client.CustomFetch },
): client.Configuration {
  // The ID token's signature is checked against the issuer's JWKS, not only trusted because it
  // came over the back channel.
  client.enableNonRepudiationChecks(config);
  if (options.allowHttp) client.allowInsecureRequests(config);
  if (options.fetch) config[client.customFetch] = options.fetch;
  return config;
}

function authorizationUrlOf(
  config: client.Configuration,
  redirectUri: string,
  request: AuthorizationRequest,
  extra: Record<string, string>,
): URL {
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: IDENTITY_SCOPE,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    state: request.state,
    nonce: request.nonce,
    ...extra,
  });
}

/** The code grant with every check of openid-client; refusals and outages as domain errors. */
async function grant(config: client.Configuration, callback: URL, checks: CodeChecks) {
  try {
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    return { tokens, claims };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof TypeError) throw unreachable();
    throw rejected();
  }
}

const nameOf = (claims: client.IDToken) =>
  typeof claims.name === 'string' && claims.name ? { name: claims.name.slice(0, 200) } : {};

/** The exchange as the provider's own OpenID Connect client (locally; a provider without Cognito). */
export function createDirectIdentityProvider(settings: IdentityProviderSettings): IdentityProvider {
  const configuration = once(() =>
    client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        {
          ...(settings.allowHttp ? { execute: [client.allowInsecureRequests] } : {}),
          ...(settings.fetch ? { [client.customFetch]: settings.fetch } : {}),
        },
      )
      .then((config) => tuned(config, { ...(settings.fetch ? { fetch: settings.fetch } : {}) })),
  );
  return {
    kind: 'direct',
    redirectUri: settings.redirectUri,
    async authorizationUrl(request) {
      // The citizen confirms who they are each time (no silent sign-in from an old session).
      return authorizationUrlOf(await configuration(), settings.redirectUri, request, { prompt: 'login' });
    },
    async exchange(callback, checks) {
      const { claims } = await grant(await configuration(), callback, checks);
      return { issuer: claims.iss, subject: claims.sub, ...nameOf(claims) };
    },
    async linked() {},
    async refused() {},
    async unlinked() {},
    async session(account) {
      const provider = required('signIn');
      if (!provider.issueSession) {
        throw unavailable(
          'identity.sign_in_unavailable',
          'Chưa đăng nhập được bằng định danh điện tử ở môi trường này, hãy đăng nhập bằng số điện thoại / Identity sign-in is not available here yet: use your phone',
        );
      }
      return provider.issueSession(account);
    },
  };
}

/** Cognito's `identities` claim: one entry per provider identity linked to the pool user. */
function identityIn(claims: client.IDToken, providerName: string): { userId: string } | undefined {
  let identities: unknown = claims.identities;
  // Cognito sends an array; some of its answers have carried it as a JSON string.
  if (typeof identities === 'string') {
    try {
      identities = JSON.parse(identities);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(identities)) return undefined;
  const entry = identities.find(
    (item): item is { userId: string; providerName: string } =>
      typeof item === 'object' &&
      item !== null &&
      (item as { providerName?: unknown }).providerName === providerName &&
      typeof (item as { userId?: unknown }).userId === 'string' &&
      (item as { userId: string }).userId.length > 0,
  );
  return entry ? { userId: entry.userId } : undefined;
}

/** The exchange as a client of the user pool's OAuth endpoints, the provider behind Cognito (AWS). */
export function createCognitoIdentityProvider(settings: CognitoIdentitySettings): IdentityProvider {
  const domain = settings.domain.replace(/\/$/, '');
  const configuration = once(async () =>
    tuned(
      // Cognito's endpoints are known: no discovery round trip at cold start.
      new client.Configuration(
        {
          issuer: settings.tokenIssuer,
          authorization_endpoint: `${domain}/oauth2/authorize`,
          token_endpoint: `${domain}/oauth2/token`,
          jwks_uri: settings.jwksUrl ?? `${settings.tokenIssuer}/.well-known/jwks.json`,
        },
        settings.clientId,
        undefined,
        // The secret is read when the token endpoint is called, not to build a sign-in link.
        async (...args) => client.ClientSecretBasic(await settings.clientSecret())(...args),
      ),
      settings,
    ),
  );
  /** The federated user Cognito made for this identity, when the tokens are that user's. */
  const federatedUser = (login: IdentityLogin) =>
    login.pool && login.pool.username.startsWith(`${settings.providerName}_`)
      ? login.pool.username
      : undefined;
  /** Maps the identity onto the account's pool user, so Cognito's next tokens are that user's. */
  const attach = async (account: Account, login: IdentityLogin) => {
    if (login.pool?.sub === account.sub) return;
    try {
      const shadow = federatedUser(login);
      if (shadow) await settings.users.deleteFederatedUser(shadow);
      await settings.users.link(settings.providerName, login.subject, account.sub);
    } catch (error) {
      // The table holds the link; the next sign-in by identity maps it in the pool (`session`).
      log().error('the user pool did not link the identity', { error });
      throw unreachable();
    }
  };
  return {
    kind: 'cognito',
    redirectUri: settings.redirectUri,
    async authorizationUrl(request) {
      return authorizationUrlOf(await configuration(), settings.redirectUri, request, {
        // Straight to the province's login, no Cognito page in between.
        identity_provider: settings.providerName,
      });
    },
    async exchange(callback, checks) {
      const { tokens, claims } = await grant(await configuration(), callback, checks);
      const identity = identityIn(claims, settings.providerName);
      const username = claims['cognito:username'];
      // An access token or a token of another provider in the pool is not an identity sign-in.
      if (claims.token_use !== 'id' || !identity || typeof username !== 'string' || !tokens.access_token) {
        throw rejected();
      }
      return {
        issuer: settings.identityIssuer,
        subject: identity.userId,
        ...nameOf(claims),
        pool: {
          sub: claims.sub,
          username,
          accessToken: tokens.access_token,
          expiresIn: tokens.expiresIn() ?? 3600,
        },
      };
    },
    linked: attach,
    async unlinked(subject) {
      await settings.users.unlink(settings.providerName, subject);
    },
    async refused(login) {
      const shadow = federatedUser(login);
      // Housekeeping only: the pool's federated user gets no session from the exchange anyway.
      if (shadow) {
        await settings.users
          .deleteFederatedUser(shadow)
          .catch((error: unknown) => log().warn('federated user not deleted', { error }));
      }
    },
    async session(account, login) {
      if (!login.pool || login.pool.sub !== account.sub) {
        // Linked in the table but not yet in the pool (a link made before Cognito fronted the
        // provider): link it now; these tokens are the federated user's, the next ones the account's.
        await attach(account, login);
        throw conflict(
          'identity.sign_in_again',
          'Đã cập nhật liên kết định danh điện tử. Hãy bấm "Đăng nhập bằng định danh điện tử" thêm một lần / The link was updated: sign in by identity once more',
        );
      }
      return {
        accessToken: login.pool.accessToken,
        expiresIn: login.pool.expiresIn,
        tokenType: 'Bearer',
        account: {
          sub: account.sub,
          phone: account.phone,
          groups: account.groups,
          ...(account.producerId ? { producerId: account.producerId } : {}),
        },
      };
    },
  };
}

/** Whether the service is a built provider or a direct provider's settings (the local runtime's form). */
export function isIdentityProvider(
  value: IdentityProvider | IdentityProviderSettings,
): value is IdentityProvider {
  return typeof (value as IdentityProvider).exchange === 'function';
}
