/** The sign-in facade's operations (route table + schemas), for validation and the OpenAPI document. */
import * as z from 'zod';
import { StartSignInBody, VerifySignInBody } from '../../shared/auth/sign-in.ts';
import { operationDefiner, errorResponse, jsonResponse } from '../http.ts';
import { AUTH_ROUTES } from './routes.ts';

const defineOperation = operationDefiner(AUTH_ROUTES);

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
