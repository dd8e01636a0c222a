/**
 * Access-token verification, the same in AWS and locally: RS256 JWTs in Cognito's access-token
 * shape (`token_use: 'access'`, `client_id` = the app client, `cognito:groups`), checked against
 * the configured issuer's JWKS. Locally the issuer is the local runtime's; in AWS, Cognito's.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { DomainError } from '../domain/errors.ts';
import { services } from '../services.ts';

export const GROUPS = ['producer', 'coop_manager', 'admin'] as const;
export type Group = (typeof GROUPS)[number];

export interface AccessClaims {
  sub: string;
  phone?: string;
  groups: Group[];
}

export interface AuthConfig {
  issuer: string;
  /** The app client id: Cognito access tokens carry it as `client_id` (they have no `aud`). */
  audience: string;
  jwks: JWTVerifyGetKey;
}

export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super('unauthorized', 'auth.unauthorized', message);
  }
}

/** Verification against a remote issuer (Cognito in AWS): AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL. */
export function remoteAuthConfig(settings: {
  issuer: string;
  audience: string;
  jwksUrl: string;
}): AuthConfig {
  return {
    issuer: settings.issuer,
    audience: settings.audience,
    jwks: createRemoteJWKSet(new URL(settings.jwksUrl)),
  };
}

export function localJwks(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

function currentConfig(): AuthConfig {
  const configured = services().auth;
  if (!configured) throw new Error('Auth is not configured: set AUTH_ISSUER and AUTH_AUDIENCE');
  return configured;
}

/** Verifies a bearer token and returns its claims; any failure is a 401 with a short reason. */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const config = currentConfig();
  let payload: Record<string, unknown>;
  try {
    // A token without `exp` would never run out: refused like any other malformed token.
    ({ payload } = await jwtVerify(token, config.jwks, {
      issuer: config.issuer,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UnauthorizedError(
      code === 'ERR_JWT_EXPIRED'
        ? 'Phiên đăng nhập đã hết hạn, hãy đăng nhập lại / Session expired, sign in again'
        : 'Mã đăng nhập không hợp lệ / Invalid access token',
    );
  }
  if (
    payload.token_use !== 'access' ||
    payload.client_id !== config.audience ||
    typeof payload.sub !== 'string'
  ) {
    throw new UnauthorizedError('Mã đăng nhập không dành cho ứng dụng này / Token not issued for this app');
  }
  const groups = Array.isArray(payload['cognito:groups'])
    ? (payload['cognito:groups'] as unknown[]).filter((g): g is Group => GROUPS.includes(g as Group))
    : [];
  return {
    sub: payload.sub,
    groups,
    ...(typeof payload.phone_number === 'string' ? { phone: payload.phone_number } : {}),
  };
}
