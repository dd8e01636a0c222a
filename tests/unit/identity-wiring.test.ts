/**
 * Which way the auth function reaches the digital-identity provider is configuration
 * (shared/auth/identity-provider.ts): IDENTITY_COGNITO_* (set by the API stack) put it behind the
 * user pool; IDENTITY_CLIENT_ID/_SECRET without them make the exchange the provider's own client.
 */
import { describe, expect, it } from 'vitest';
import { buildLambdaServices } from '../../functions/services.ts';
import { cognitoIdentityProvider } from '../../functions/adapters/cognito-identity.ts';
import { createCognitoSignInProvider } from '../../shared/auth/cognito-sign-in.ts';
import { remoteAuthConfig } from '../../shared/auth/tokens.ts';
import { isIdentityProvider } from '../../shared/auth/identity-provider.ts';
import { loadConfig } from '../../shared/config.ts';

const lambda = {
  AWS_LAMBDA_FUNCTION_NAME: 'auth',
  TABLE_NAME: 'exchange',
  ORIGIN_VERIFY_SECRET: 'origin-secret',
  AUTH_ISSUER: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Abc',
  AUTH_AUDIENCE: 'site-client',
  COGNITO_USER_POOL_ID: 'ap-southeast-1_Abc',
  COGNITO_CLIENT_ID: 'site-client',
  IDENTITY_ISSUER: 'https://id.thainguyen.gov.vn',
  IDENTITY_REDIRECT_URI: 'https://chothainguyen.vn/dang-nhap/dinh-danh/',
};
const throughPool = {
  ...lambda,
  IDENTITY_COGNITO_PROVIDER: 'DinhDanhDienTu',
  IDENTITY_COGNITO_DOMAIN: 'https://chothainguyen-prod.auth.ap-southeast-1.amazoncognito.com',
};
const adapters = {
  signIn: createCognitoSignInProvider,
  tokens: remoteAuthConfig,
  identity: cognitoIdentityProvider,
};

describe('the way to the identity provider', () => {
  it('goes through the user pool when IDENTITY_COGNITO_* are set', async () => {
    expect(loadConfig(throughPool).identity).toEqual({
      via: 'cognito',
      issuer: 'https://id.thainguyen.gov.vn',
      providerName: 'DinhDanhDienTu',
      domain: 'https://chothainguyen-prod.auth.ap-southeast-1.amazoncognito.com',
      redirectUri: 'https://chothainguyen.vn/dang-nhap/dinh-danh',
    });
    const { identity } = buildLambdaServices('auth', throughPool, adapters);
    expect(identity && isIdentityProvider(identity) && identity.kind).toBe('cognito');
    // The pool's authorize endpoint, this provider, the site's return page.
    if (!identity || !isIdentityProvider(identity)) throw new Error('no provider');
    const url = await identity.authorizationUrl({
      codeChallenge: 'c'.repeat(43),
      state: 's'.repeat(22),
      nonce: 'n'.repeat(22),
    });
    expect(`${url.origin}${url.pathname}`).toBe(`${throughPool.IDENTITY_COGNITO_DOMAIN}/oauth2/authorize`);
    expect(url.searchParams.get('identity_provider')).toBe('DinhDanhDienTu');
    expect(url.searchParams.get('client_id')).toBe('site-client');
    expect(url.searchParams.get('redirect_uri')).toBe(throughPool.IDENTITY_REDIRECT_URI.replace(/\/$/, ''));
  });

  it('is the direct client with the provider registration and no IDENTITY_COGNITO_*', () => {
    const direct = { ...lambda, IDENTITY_CLIENT_ID: 'tn-exchange', IDENTITY_CLIENT_SECRET: 'secret' };
    expect(loadConfig(direct).identity).toMatchObject({ via: 'direct', clientId: 'tn-exchange' });
    const { identity } = buildLambdaServices('auth', direct, adapters);
    expect(identity && isIdentityProvider(identity)).toBe(false);
    expect(identity).toMatchObject({ issuer: 'https://id.thainguyen.gov.vn', clientId: 'tn-exchange' });
  });

  it('is off without a complete setting', () => {
    expect(loadConfig(lambda).identity).toBeUndefined();
    expect(buildLambdaServices('auth', lambda, adapters).identity).toBeUndefined();
  });

  it('needs the identity adapter in the auth entry when the pool fronts the provider', () => {
    expect(() =>
      buildLambdaServices('auth', throughPool, {
        signIn: createCognitoSignInProvider,
        tokens: remoteAuthConfig,
      }),
    ).toThrow(/identity adapter/);
  });
});
