/**
 * The sign-in facade: a one-time code to a phone, then an access token. In AWS the provider is
 * Cognito (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID); the local runtime sets the local issuer's.
 */
import * as z from 'zod';
import { createCognitoSignInProvider } from '../../shared/auth/cognito-sign-in.ts';
import {
  setSignInProvider,
  startSignIn,
  StartSignInBody,
  verifySignIn,
  VerifySignInBody,
} from '../../shared/auth/sign-in.ts';
import { clientIp, createApiApp, defineOperation, errorResponse, jsonResponse, validate } from '../http.ts';

if (process.env.COGNITO_USER_POOL_ID && process.env.COGNITO_CLIENT_ID) {
  setSignInProvider(
    createCognitoSignInProvider({
      userPoolId: process.env.COGNITO_USER_POOL_ID,
      clientId: process.env.COGNITO_CLIENT_ID,
    }),
  );
}

const SignInTokens = z
  .object({
    accessToken: z.string(),
    expiresIn: z.int().meta({ description: 'Seconds' }),
    tokenType: z.literal('Bearer'),
    account: z.object({
      sub: z.string(),
      phone: z.string(),
      groups: z.array(z.string()),
      producerId: z.string().optional(),
    }),
  })
  .meta({ id: 'SignInTokens' });

export const operations = {
  startSignIn: defineOperation('startSignIn', {
    summary: 'Send a 6-digit sign-in code to a Vietnamese mobile number',
    request: { json: StartSignInBody },
    responses: {
      202: jsonResponse(z.object({ sent: z.literal(true), expiresIn: z.int() }), 'Code sent'),
      400: errorResponse('Not a Vietnamese mobile number'),
      429: errorResponse('Too many codes for this phone or address'),
    },
  }),
  verifySignIn: defineOperation('verifySignIn', {
    summary: 'Exchange the code for an access token',
    request: { json: VerifySignInBody },
    responses: {
      200: jsonResponse(SignInTokens, 'Signed in'),
      400: errorResponse('Malformed phone or code'),
      401: errorResponse('Wrong or expired code'),
      429: errorResponse('Locked after too many wrong codes'),
    },
  }),
};

export const app = createApiApp();

app.on(
  operations.startSignIn.method,
  operations.startSignIn.honoPath,
  validate('json', StartSignInBody),
  async (c) => {
    const { phone } = c.req.valid('json');
    const { expiresIn } = await startSignIn(phone, clientIp(c));
    return c.json({ sent: true as const, expiresIn }, 202);
  },
);

app.on(
  operations.verifySignIn.method,
  operations.verifySignIn.honoPath,
  validate('json', VerifySignInBody),
  async (c) => {
    const { phone, code } = c.req.valid('json');
    c.header('Cache-Control', 'no-store');
    return c.json(await verifySignIn(phone, code));
  },
);
