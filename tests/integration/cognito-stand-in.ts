/**
 * A local stand-in for what the exchange uses of a Cognito user pool with an OIDC identity
 * provider (shared/auth/identity-provider.ts, the Cognito-fronted way): the domain's
 * /oauth2/authorize and /oauth2/token, the pool's JWKS at <issuer>/.well-known/jwks.json, tokens
 * in Cognito's shapes, and the admin calls (AdminLinkProviderForUser, AdminDisableProviderForUser, AdminDeleteUser) with
 * Cognito's rules. Federation is real: /oauth2/authorize sends the browser on to the upstream
 * provider (the local `oidc-provider`, infra/local/identity-provider.ts), whose answer comes back
 * to /oauth2/idpresponse and is exchanged with `openid-client`, as Cognito does.
 *
 * Cognito's rules mimicked here:
 * - a first sign-in through the provider creates a federated user `<Provider>_<sub>` (own sub,
 *   `identities` claim naming the provider and the upstream `sub` as `userId`);
 * - once AdminLinkProviderForUser linked the upstream `sub` to a user, sign-ins through the
 *   provider are that user's (its sub, its `cognito:username`, its groups);
 * - linking is refused while the federated user exists ("Merging is not currently supported").
 * The issuer is `<base>/<poolId>`, the way Cognito's is `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import * as client from 'openid-client';
import type {
  AdminDeleteUserCommandInput,
  AdminDisableProviderForUserCommandInput,
  AdminLinkProviderForUserCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';

export interface PoolUser {
  sub: string;
  username: string;
  groups: string[];
  /** Upstream identities linked to (or, for a federated user, making) this user. */
  identities: { providerName: string; userId: string; dateCreated: string }[];
  name?: string;
}

export interface CognitoStandIn {
  /** The domain's base URL (IDENTITY_COGNITO_DOMAIN). */
  domain: string;
  /** The pool's token issuer (AUTH_ISSUER). */
  issuer: string;
  jwksUrl: string;
  providerName: string;
  clientId: string;
  clientSecret: string;
  /** The upstream provider's redirect URI (register it with the upstream client). */
  idpResponseUrl: string;
  poolId: string;
  users: Map<string, PoolUser>;
  /**
   * Answers AdminLinkProviderForUser and AdminDeleteUser sent through the SDK's commands, with
   * Cognito's errors (the `send` of a CognitoIdentityProviderClient, for the real adapter).
   */
  cognito: { send(command: { input: object; constructor: { name: string } }): Promise<object> };
  /** A phone user, as AdminCreateUser made it on the first phone sign-in (username = sub). */
  addPhoneUser(sub: string, groups?: string[]): void;
  /** Points the pool at the upstream provider (known once it runs, as it needs our idpresponse URL). */
  federate(upstream: { issuer: string; clientId: string; clientSecret: string }): Promise<void>;
  stop(): Promise<void>;
}

interface Pending {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce?: string;
  codeChallenge: string;
  scope: string;
  upstreamVerifier: string;
}

interface IssuedCode {
  username: string;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge: string;
  scope: string;
  expiresAt: number;
}

class CognitoError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export async function startCognitoStandIn(options: {
  providerName: string;
  clientId: string;
  clientSecret: string;
  callbackUrls: string[];
}): Promise<CognitoStandIn> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const poolId = `ap-southeast-1_${randomBytes(5).toString('hex')}`;
  const issuer = `${base}/${poolId}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(6).toString('hex');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } as JWK] };

  const users = new Map<string, PoolUser>();
  const pending = new Map<string, Pending>();
  const codes = new Map<string, IssuedCode>();
  let upstream: client.Configuration | undefined;

  const byLink = (providerName: string, userId: string) =>
    [...users.values()].find((u) =>
      u.identities.some((i) => i.providerName === providerName && i.userId === userId),
    );

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const redirect = (res: ServerResponse, location: string) => {
    res.writeHead(302, { location });
    res.end();
  };

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  async function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== options.clientId || !options.callbackUrls.includes(redirectUri)) {
      return send(res, 400, { error: 'invalid_request', error_description: 'redirect_mismatch' });
    }
    if (
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge') ||
      !q.get('state')
    ) {
      return send(res, 400, { error: 'invalid_request' });
    }
    // The app client allows this provider only; without identity_provider Cognito would show its page.
    if (q.get('identity_provider') !== options.providerName || !upstream) {
      return send(res, 400, { error: 'unauthorized_client', error_description: 'Unknown identity provider' });
    }
    const upstreamState = client.randomState();
    const upstreamVerifier = client.randomPKCECodeVerifier();
    pending.set(upstreamState, {
      clientId: options.clientId,
      redirectUri,
      state: q.get('state')!,
      ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}),
      codeChallenge: q.get('code_challenge')!,
      scope: q.get('scope') ?? 'openid',
      upstreamVerifier,
    });
    const next = client.buildAuthorizationUrl(upstream, {
      redirect_uri: `${base}/oauth2/idpresponse`,
      scope: 'openid profile',
      state: upstreamState,
      code_challenge: await client.calculatePKCECodeChallenge(upstreamVerifier),
      code_challenge_method: 'S256',
    });
    redirect(res, next.href);
  }

  async function idpResponse(url: URL, res: ServerResponse) {
    const state = url.searchParams.get('state') ?? '';
    const request = pending.get(state);
    if (!request || !upstream) return send(res, 400, { error: 'invalid_request' });
    pending.delete(state);
    const tokens = await client.authorizationCodeGrant(upstream, url, {
      pkceCodeVerifier: request.upstreamVerifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    const name = typeof claims.name === 'string' ? claims.name : undefined;
    let user = byLink(options.providerName, claims.sub);
    if (!user) {
      // First sign-in through the provider: Cognito makes a federated user.
      user = {
        sub: randomUUID(),
        username: `${options.providerName}_${claims.sub}`,
        groups: [],
        identities: [
          { providerName: options.providerName, userId: claims.sub, dateCreated: String(Date.now()) },
        ],
      };
      users.set(user.username, user);
    }
    if (name) user.name = name; // the attribute mapping (name → name) runs on every sign-in
    const code = randomUUID();
    codes.set(code, {
      username: user.username,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      codeChallenge: request.codeChallenge,
      scope: request.scope,
      expiresAt: Date.now() + 5 * 60_000,
    });
    const back = new URL(request.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', request.state);
    redirect(res, back.href);
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [];
    if (id !== options.clientId || secret !== options.clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const form = await readBody(req);
    const issued = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !issued ||
      issued.expiresAt < Date.now() ||
      issued.clientId !== id ||
      issued.redirectUri !== form.get('redirect_uri') ||
      issued.codeChallenge !== challenge
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const user = users.get(issued.username);
    if (!user) return send(res, 400, { error: 'invalid_grant' });
    const authTime = Math.floor(Date.now() / 1000);
    const identities = user.identities.map((i) => ({
      userId: i.userId,
      providerName: i.providerName,
      providerType: 'OIDC',
      issuer: null,
      primary: 'true',
      dateCreated: i.dateCreated,
    }));
    const groups = user.groups.length ? { 'cognito:groups': user.groups } : {};
    const idToken = await sign({
      sub: user.sub,
      aud: id,
      token_use: 'id',
      auth_time: authTime,
      'cognito:username': user.username,
      identities,
      ...(issued.nonce ? { nonce: issued.nonce } : {}),
      ...(user.name ? { name: user.name } : {}),
      ...groups,
    });
    const accessToken = await sign({
      sub: user.sub,
      token_use: 'access',
      client_id: id,
      username: user.username,
      scope: issued.scope,
      auth_time: authTime,
      jti: randomUUID(),
      ...groups,
    });
    send(
      res,
      200,
      {
        id_token: idToken,
        access_token: accessToken,
        refresh_token: randomBytes(32).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 3600,
      },
      { 'cache-control': 'no-store' },
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const route = `${req.method} ${url.pathname}`;
    const done = (error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: 'server_error', message: (error as Error).message });
    };
    if (route === 'GET /oauth2/authorize') authorize(url, res).catch(done);
    else if (route === 'GET /oauth2/idpresponse') idpResponse(url, res).catch(done);
    else if (route === 'POST /oauth2/token') token(req, res).catch(done);
    else if (route === `GET /${poolId}/.well-known/jwks.json`) send(res, 200, jwks);
    else send(res, 404, { error: 'not_found' });
  });

  const linkProviderForUser = (input: AdminLinkProviderForUserCommandInput) => {
    const { DestinationUser: to, SourceUser: from } = input;
    if (input.UserPoolId !== poolId || to?.ProviderName !== 'Cognito' || !from?.ProviderName) {
      throw new CognitoError('InvalidParameterException', 'Invalid pool or provider.');
    }
    if (from.ProviderAttributeName !== 'Cognito_Subject' || !from.ProviderAttributeValue) {
      throw new CognitoError('InvalidParameterException', 'SourceUser must name Cognito_Subject.');
    }
    const destination = users.get(to.ProviderAttributeValue ?? '');
    if (!destination) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    if (users.has(`${from.ProviderName}_${from.ProviderAttributeValue}`)) {
      throw new CognitoError(
        'InvalidParameterException',
        'Merging is not currently supported, provided SourceUser is already exists in the pool',
      );
    }
    if (byLink(from.ProviderName, from.ProviderAttributeValue)) {
      throw new CognitoError('AliasExistsException', 'The source user is already linked.');
    }
    destination.identities.push({
      providerName: from.ProviderName,
      userId: from.ProviderAttributeValue,
      dateCreated: String(Date.now()),
    });
  };
  const disableProviderForUser = (input: AdminDisableProviderForUserCommandInput) => {
    const { ProviderName: provider, ProviderAttributeValue: subject } = input.User ?? {};
    const user = input.UserPoolId === poolId && provider && subject ? byLink(provider, subject) : undefined;
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    user.identities = user.identities.filter((i) => !(i.providerName === provider && i.userId === subject));
  };
  const deleteUser = (input: AdminDeleteUserCommandInput) => {
    if (input.UserPoolId !== poolId || !users.delete(input.Username ?? '')) {
      throw new CognitoError('UserNotFoundException', 'User does not exist.');
    }
  };

  return {
    domain: base,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    providerName: options.providerName,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    idpResponseUrl: `${base}/oauth2/idpresponse`,
    poolId,
    users,
    cognito: {
      async send(command) {
        const name = command.constructor.name;
        if (name === 'AdminLinkProviderForUserCommand') {
          linkProviderForUser(command.input as AdminLinkProviderForUserCommandInput);
        } else if (name === 'AdminDisableProviderForUserCommand') {
          disableProviderForUser(command.input as AdminDisableProviderForUserCommandInput);
        } else if (name === 'AdminDeleteUserCommand') {
          deleteUser(command.input as AdminDeleteUserCommandInput);
        } else throw new CognitoError('NotImplemented', `${name} is not part of the stand-in`);
        return {};
      },
    },
    addPhoneUser(sub, groups = []) {
      users.set(sub, { sub, username: sub, groups, identities: [] });
    },
    async federate(settings) {
      upstream = await client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        { execute: [client.allowInsecureRequests] },
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
