/**
 * The AWS sign-in provider: Cognito user pool, phone number as username, SMS one-time code as
 * the first factor (Essentials plan, USER_AUTH flow). Cognito sends the SMS and checks the code;
 * the session between the two steps is kept in the table for three minutes.
 */
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { accounts } from '../db/accounts.ts';
import { deleteCognitoSession, getCognitoSession, putCognitoSession } from '../db/sign-in-codes.ts';
import type { SignInProvider } from './sign-in.ts';

export interface CognitoSignInConfig {
  userPoolId: string;
  clientId: string;
  client?: Pick<CognitoIdentityProviderClient, 'send'>;
}

export function createCognitoSignInProvider(config: CognitoSignInConfig): SignInProvider {
  const cognito = config.client ?? new CognitoIdentityProviderClient({});
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
          AuthParameters: { USERNAME: phone, PREFERRED_CHALLENGE: 'SMS_OTP' },
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
            ChallengeResponses: { USERNAME: phone, SMS_OTP_CODE: code },
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
