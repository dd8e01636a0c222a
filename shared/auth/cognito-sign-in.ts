/**
 * The AWS sign-in provider: Cognito user pool, phone number as username, SMS one-time code as
 * the first factor (Essentials plan, USER_AUTH flow). Cognito sends the SMS and checks the code;
 * the session between the two steps is kept in the table for three minutes.
 *
 * The app client is confidential: every InitiateAuth and RespondToAuthChallenge carries a
 * SECRET_HASH made with the client's secret, which only this function can read (IAM:
 * DescribeUserPoolClient on the pool). Knowing the client id (it is in every access token) is
 * then not enough to start a sign-in around the API's per-phone and per-address limits.
 */
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { accounts } from '../db/accounts.ts';
import { deleteCognitoSession, getCognitoSession, putCognitoSession } from '../db/sign-in-codes.ts';
import type { SignInProvider } from './sign-in.ts';
import { instrumentClient } from '../observability/clients.ts';

export interface CognitoSignInConfig {
  userPoolId: string;
  clientId: string;
  /** The app client's secret, when known up front. */
  clientSecret?: string;
  /** Read the app client's secret from Cognito once, on first use (the deployed auth function). */
  readClientSecret?: boolean;
  client?: Pick<CognitoIdentityProviderClient, 'send'>;
}

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

/**
 * Reads the app client's secret from Cognito once (DescribeUserPoolClient) and keeps it for the
 * container; a failed read is tried again by the next caller.
 */
export function clientSecretReader(
  cognito: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  clientId: string,
): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () => {
    secret ??= cognito
      .send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))
      .then(({ UserPoolClient }) => {
        if (!UserPoolClient?.ClientSecret) throw new Error('The Cognito app client has no secret');
        return UserPoolClient.ClientSecret;
      })
      .catch((error: unknown) => {
        secret = undefined; // read again on the next call
        throw error;
      });
    return secret;
  };
}

export function createCognitoSignInProvider(config: CognitoSignInConfig): SignInProvider {
  const cognito = config.client ?? instrumentClient(new CognitoIdentityProviderClient({}));
  const readSecret = config.readClientSecret
    ? clientSecretReader(cognito, config.userPoolId, config.clientId)
    : undefined;
  const clientSecret = () => (readSecret ? readSecret() : Promise.resolve(config.clientSecret));
  const withSecretHash = async (username: string): Promise<Record<string, string>> => {
    const value = await clientSecret();
    return value ? { SECRET_HASH: secretHash(value, username, config.clientId) } : {};
  };
  return {
    async sendCode(phone) {
      // First sign-in creates the user: the phone is verified by the code itself.
      try {
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: config.userPoolId,
            Username: phone,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'phone_number', Value: phone },
              { Name: 'phone_number_verified', Value: 'true' },
            ],
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'UsernameExistsException') throw error;
      }
      const started = await cognito.send(
        new InitiateAuthCommand({
          ClientId: config.clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: {
            USERNAME: phone,
            PREFERRED_CHALLENGE: 'SMS_OTP',
            ...(await withSecretHash(phone)),
          },
        }),
      );
      await putCognitoSession(phone, {
        session: started.Session,
        expiresAt: Math.floor(Date.now() / 1000) + 180,
      });
    },

    async checkCode(phone, code) {
      const stored = await getCognitoSession(phone);
      if (!stored || stored.expiresAt * 1000 < Date.now()) return null;
      let result;
      try {
        result = await cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: config.clientId,
            ChallengeName: 'SMS_OTP',
            Session: String(stored.session),
            ChallengeResponses: { USERNAME: phone, SMS_OTP_CODE: code, ...(await withSecretHash(phone)) },
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        if (
          name === 'CodeMismatchException' ||
          name === 'NotAuthorizedException' ||
          name === 'ExpiredCodeException'
        )
          return null;
        throw error;
      }
      const tokens = result.AuthenticationResult;
      if (!tokens?.AccessToken) return null;
      await deleteCognitoSession(phone);
      const sub = String(decodeJwt(tokens.AccessToken).sub);
      const account =
        (await accounts.get(sub)) ??
        (await accounts.create({ sub, phone, groups: [], createdAt: new Date().toISOString() }));
      return {
        accessToken: tokens.AccessToken,
        expiresIn: tokens.ExpiresIn ?? 3600,
        tokenType: 'Bearer',
        account: {
          sub: account.sub,
          phone: account.phone,
          groups: account.groups,
          producerId: account.producerId,
        },
      };
    },
  };
}
