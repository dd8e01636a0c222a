/**
 * The AWS sign-in provider against a fake Cognito client (Cognito cannot be reached from here):
 * the protocol calls it makes, and what it does with Cognito's answers. The table is real.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createCognitoSignInProvider } from '../../shared/auth/cognito-sign-in.ts';
import { accounts } from '../../shared/db/accounts.ts';

type Command = { constructor: { name: string }; input: Record<string, unknown> };

function fakeCognito(answers: Record<string, (input: Record<string, unknown>) => unknown>) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  return {
    calls,
    client: {
      send: async (command: Command) => {
        const name = command.constructor.name;
        calls.push({ name, input: command.input });
        const answer = answers[name];
        if (!answer) throw new Error(`unexpected ${name}`);
        return answer(command.input);
      },
    },
  };
}

const error = (name: string) => Object.assign(new Error(name), { name });
const accessToken = (sub: string) =>
  new SignJWT({ token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .sign(new Uint8Array(32));

describe('Cognito sign-in provider', () => {
  it('creates the user on first sign-in, starts USER_AUTH with SMS_OTP, and answers the challenge', async () => {
    const sub = `cognito-${Date.now()}`;
    const token = await accessToken(sub);
    const cognito = fakeCognito({
      AdminCreateUserCommand: () => ({}),
      InitiateAuthCommand: () => ({ ChallengeName: 'SMS_OTP', Session: 'session-1' }),
      RespondToAuthChallengeCommand: () => ({
        AuthenticationResult: { AccessToken: token, ExpiresIn: 3600 },
      }),
    });
    const provider = createCognitoSignInProvider({
      userPoolId: 'pool',
      clientId: 'client',
      client: cognito.client as never,
    });
    const phone = '+84912340001';
    await provider.sendCode(phone);
    const result = await provider.checkCode(phone, '123456');
    expect(result).toMatchObject({ accessToken: token, expiresIn: 3600, account: { sub, phone } });
    expect(cognito.calls.map((c) => c.name)).toEqual([
      'AdminCreateUserCommand',
      'InitiateAuthCommand',
      'RespondToAuthChallengeCommand',
    ]);
    expect(cognito.calls[0]!.input).toMatchObject({
      UserPoolId: 'pool',
      Username: phone,
      MessageAction: 'SUPPRESS',
    });
    expect(cognito.calls[1]!.input).toMatchObject({
      ClientId: 'client',
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: phone, PREFERRED_CHALLENGE: 'SMS_OTP' },
    });
    expect(cognito.calls[2]!.input).toMatchObject({
      ChallengeName: 'SMS_OTP',
      Session: 'session-1',
      ChallengeResponses: { USERNAME: phone, SMS_OTP_CODE: '123456' },
    });
    expect((await accounts.get(sub))?.phone).toBe(phone);
  });

  it('treats an existing user as fine and a wrong code as a wrong code', async () => {
    const cognito = fakeCognito({
      AdminCreateUserCommand: () => {
        throw error('UsernameExistsException');
      },
      InitiateAuthCommand: () => ({ ChallengeName: 'SMS_OTP', Session: 'session-2' }),
      RespondToAuthChallengeCommand: () => {
        throw error('CodeMismatchException');
      },
    });
    const provider = createCognitoSignInProvider({
      userPoolId: 'pool',
      clientId: 'client',
      client: cognito.client as never,
    });
    await provider.sendCode('+84912340002');
    expect(await provider.checkCode('+84912340002', '000000')).toBeNull();
  });

  it('has nothing to check without a started session', async () => {
    const cognito = fakeCognito({});
    const provider = createCognitoSignInProvider({
      userPoolId: 'pool',
      clientId: 'client',
      client: cognito.client as never,
    });
    expect(await provider.checkCode('+84912340003', '123456')).toBeNull();
    expect(cognito.calls).toEqual([]);
  });

  it('signs every call with SECRET_HASH from the client secret it reads from Cognito once', async () => {
    const sub = `cognito-secret-${Date.now()}`;
    const token = await accessToken(sub);
    const cognito = fakeCognito({
      DescribeUserPoolClientCommand: () => ({ UserPoolClient: { ClientSecret: 'the-client-secret' } }),
      AdminCreateUserCommand: () => ({}),
      InitiateAuthCommand: () => ({ ChallengeName: 'SMS_OTP', Session: 'session-s' }),
      RespondToAuthChallengeCommand: () => ({
        AuthenticationResult: { AccessToken: token, ExpiresIn: 3600 },
      }),
    });
    const provider = createCognitoSignInProvider({
      userPoolId: 'pool',
      clientId: 'client',
      readClientSecret: true,
      client: cognito.client as never,
    });
    const phone = '+84912340004';
    await provider.sendCode(phone);
    await provider.sendCode(phone);
    expect(await provider.checkCode(phone, '654321')).toMatchObject({ account: { sub } });
    // Cognito's definition, computed independently: Base64(HMAC-SHA256(secret, username + clientId)).
    const expected = createHmac('sha256', 'the-client-secret').update(`${phone}client`).digest('base64');
    expect(cognito.calls.filter((c) => c.name === 'DescribeUserPoolClientCommand')).toEqual([
      { name: 'DescribeUserPoolClientCommand', input: { UserPoolId: 'pool', ClientId: 'client' } },
    ]);
    const initiate = cognito.calls.filter((c) => c.name === 'InitiateAuthCommand');
    expect(initiate).toHaveLength(2);
    for (const call of initiate) {
      expect(call.input.AuthParameters).toMatchObject({ USERNAME: phone, SECRET_HASH: expected });
    }
    expect(cognito.calls.find((c) => c.name === 'RespondToAuthChallengeCommand')!.input).toMatchObject({
      ChallengeResponses: { USERNAME: phone, SMS_OTP_CODE: '654321', SECRET_HASH: expected },
    });
  });
});
