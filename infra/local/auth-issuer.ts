/**
 * The local stand-in for Cognito's token issuer: an RSA key (kept in DATA_DIR so tokens survive a
 * restart), access tokens in Cognito's shape, and a JWKS the API verifies against.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet } from 'jose';
import type { Account } from '../../shared/db/accounts.ts';
import type { TokenSigner } from '../../shared/auth/local-sign-in.ts';

export const LOCAL_AUDIENCE = 'tn-exchange-web';
const TOKEN_SECONDS = 3600;

export interface LocalIssuer extends TokenSigner {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  /** Signs exactly the given claims with the issuer's key (for tests of the verifier's checks). */
  signClaims(claims: Record<string, unknown>): Promise<string>;
}

async function loadOrCreateKey(file: string | undefined): Promise<JWK> {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: 'RS256' };
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

/** `keyFile` undefined keeps the key in memory (tests). */
export async function createLocalIssuer(issuer: string, keyFile?: string): Promise<LocalIssuer> {
  const privateJwk = await loadOrCreateKey(keyFile);
  const privateKey = await importJWK(privateJwk, 'RS256');
  const { kid, n, e, kty } = privateJwk;
  const publicJwk: JWK = { kty, n, e, kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [publicJwk] },
    signClaims(claims) {
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: kid! }).sign(privateKey);
    },
    async sign(account: Account) {
      const accessToken = await new SignJWT({
        token_use: 'access',
        client_id: LOCAL_AUDIENCE,
        scope: 'aws.cognito.signin.user.admin',
        'cognito:groups': account.groups,
        phone_number: account.phone,
        username: account.sub,
      })
        .setProtectedHeader({ alg: 'RS256', kid: kid! })
        .setIssuer(issuer)
        .setSubject(account.sub)
        .setIssuedAt()
        .setJti(crypto.randomUUID())
        .setExpirationTime(`${TOKEN_SECONDS}s`)
        .sign(privateKey);
      return { accessToken, expiresIn: TOKEN_SECONDS };
    },
  };
}
