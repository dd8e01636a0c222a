/**
 * The configuration schema (shared/config.ts): read once per process by a composition root;
 * malformed values are errors everywhere, required settings are errors in Lambda, and one error
 * names every bad variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_TABLE_NAME, loadConfig } from '../../shared/config.ts';
import { REQUIRED_SETTINGS } from '../../functions/services.ts';

const LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'TnExchange-Api-producers', AWS_REGION: 'ap-southeast-1' };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration', () => {
  it('locally: dev defaults, and the runtime’s own values win', () => {
    const config = loadConfig(
      {},
      { overrides: { dynamodbEndpoint: 'http://127.0.0.1:8000', siteUrl: 'http://127.0.0.1:9090/' } },
    );
    expect(config).toMatchObject({
      inLambda: false,
      tableName: LOCAL_TABLE_NAME,
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      siteUrl: 'http://127.0.0.1:9090',
      sellerListingCap: 300,
      rateLimits: true,
      catalog: { pollMs: 5000, overlapMs: 10_000 },
    });
    expect(config.cursorSecret).toMatch(/dev/);
  });

  it('reads every knob', () => {
    const config = loadConfig({
      SELLER_LISTING_CAP: '40',
      CATALOG_POLL_MS: '1000',
      CATALOG_OVERLAP_MS: '0',
      RATE_LIMITS: 'off',
      SITE_URL: 'https://cho.example.vn/',
      AUTH_ISSUER: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_X',
      AUTH_AUDIENCE: 'client',
      SMS_SENDER_ID: 'OCOPTN',
    });
    expect(config).toMatchObject({
      sellerListingCap: 40,
      catalog: { pollMs: 1000, overlapMs: 0 },
      rateLimits: false,
      siteUrl: 'https://cho.example.vn',
      auth: {
        issuer: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_X',
        audience: 'client',
        jwksUrl: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_X/.well-known/jwks.json',
      },
      sms: { senderId: 'OCOPTN' },
    });
  });

  it('refuses malformed values even locally, naming each', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          SELLER_LISTING_CAP: 'lots',
          SITE_URL: 'cho.example.vn',
          CURSOR_SECRET: 'short',
          SMS_SENDER_ID: 'Sàn OCOP TN',
        }),
      ).map((p) => p.split(' ')[0]),
    ).toEqual(['SITE_URL', 'CURSOR_SECRET', 'SELLER_LISTING_CAP', 'SMS_SENDER_ID']);
  });

  it('in Lambda: no silent TABLE_NAME, no dev cursor secret, every missing setting named at once', () => {
    const problems = problemsOf(() => loadConfig(LAMBDA, { require: REQUIRED_SETTINGS.producers }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'TABLE_NAME is not set',
        'SITE_URL is not set',
        'CURSOR_SECRET is not set',
        'AUTH_ISSUER is not set',
        'MEDIA_BUCKET is not set',
      ]),
    );
    expect(() => loadConfig(LAMBDA)).toThrow(
      /function TnExchange-Api-producers is invalid: TABLE_NAME is not set/,
    );
    expect(loadConfig({ ...LAMBDA, TABLE_NAME: 't' }).cursorSecret).toBeUndefined();
  });

  it('every function requires what its composition builds on', () => {
    expect(REQUIRED_SETTINGS.producers).toEqual(
      expect.arrayContaining(['SITE_URL', 'MEDIA_BUCKET', 'AUTH_ISSUER']),
    );
    for (const name of ['orders', 'board', 'expiryJobs', 'reconcileJobs', 'deliveryJobs'] as const) {
      expect(REQUIRED_SETTINGS[name], name).toEqual(
        expect.arrayContaining(['PAYMENTS_SSM_PATH', 'SITE_URL']),
      );
    }
    // The board verifies tokens and pages; checkout's function does neither, so it loads no token code.
    expect(REQUIRED_SETTINGS.board).toEqual(expect.arrayContaining(['AUTH_ISSUER', 'CURSOR_SECRET']));
    expect(REQUIRED_SETTINGS.orders).not.toContain('AUTH_ISSUER');
    expect(REQUIRED_SETTINGS.auth).toEqual(
      expect.arrayContaining(['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID']),
    );
  });
});
