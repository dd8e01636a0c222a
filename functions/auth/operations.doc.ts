/**
 * What the sign-in facade's operations answer (functions/auth/operations.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this, so no bundle carries it.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { operations } from './operations.ts';

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

const VerifiedIdentity = z
  .object({
    issuer: z.string(),
    verifiedAt: z.string().meta({ description: 'ISO time the identity was verified' }),
    name: z.string().optional().meta({ description: 'The verified name (no national id number is kept)' }),
  })
  .meta({ id: 'VerifiedIdentity' });

export const operationsDocs: OperationDocsOf<typeof operations> = {
  startSignIn: {
    summary: 'Send a 6-digit sign-in code to a Vietnamese mobile number',
    responses: {
      202: jsonResponse(z.object({ sent: z.literal(true), expiresIn: z.int() }), 'Code sent'),
      400: errorResponse('Not a Vietnamese mobile number'),
      429: errorResponse('Too many codes for this phone or address'),
    },
  },
  verifySignIn: {
    summary: 'Exchange the code for an access token',
    responses: {
      200: jsonResponse(SignInTokens, 'Signed in'),
      400: errorResponse('Malformed phone or code'),
      401: errorResponse('Wrong or expired code'),
      429: errorResponse('Locked after too many wrong codes'),
    },
  },
  startIdentitySignIn: {
    summary:
      'Start the OpenID Connect authorization code flow (PKCE S256, state, nonce) with the digital-identity provider: `link` (bearer token required) links it to the signed-in account, `signIn` signs in to the account it is linked to',
    responses: {
      200: jsonResponse(
        z.object({ authorizationUrl: z.string(), expiresIn: z.int().meta({ description: 'Seconds' }) }),
        'Send the browser to authorizationUrl',
      ),
      400: errorResponse('Malformed request'),
      401: errorResponse('purpose `link` without a valid session'),
      409: errorResponse('The account already has a verified identity'),
      429: errorResponse('Too many requests from this address'),
      503: errorResponse('The identity provider cannot be reached or is not configured'),
    },
  },
  finishIdentitySignIn: {
    summary:
      'The callback: the code and state the identity provider sent back to /dang-nhap/dinh-danh/. Checks state (single use), exchanges the code with the PKCE verifier, verifies the ID token (issuer, audience, nonce, signature, expiry), then links the identity or signs in',
    responses: {
      200: jsonResponse(
        z.union([
          z.object({ mode: z.literal('link'), identity: VerifiedIdentity }),
          z.object({ mode: z.literal('signIn'), identity: VerifiedIdentity, session: SignInTokens }),
        ]),
        'Linked, or signed in',
      ),
      400: errorResponse('Unknown, used or expired state, or a malformed request'),
      401: errorResponse('The code or the ID token was refused'),
      403: errorResponse('The identity is not linked to any account: sign in with the phone first'),
      409: errorResponse('The identity is linked to another account, or the account to another identity'),
      503: errorResponse('The identity provider cannot be reached'),
    },
  },
  getIdentity: {
    summary: 'Whether the signed-in account has a verified digital identity ("đã định danh")',
    responses: {
      200: jsonResponse(z.object({ verified: VerifiedIdentity.nullable() }), "The account's identity state"),
      401: errorResponse('Not signed in'),
    },
  },
  unlinkIdentity: {
    summary:
      'Removes the signed-in account\'s link to its digital identity ("Hủy liên kết định danh điện tử"): the account is no longer "đã định danh" and the identity no longer signs in to it',
    responses: {
      200: jsonResponse(z.object({ verified: z.null() }), 'Unlinked'),
      401: errorResponse('Not signed in'),
      404: errorResponse('The account has no linked identity'),
      409: errorResponse('A link made before unlinking existed: the admins remove it'),
      503: errorResponse('The identity provider (the user pool) cannot be reached'),
    },
  },
  getProducerIdentity: {
    summary:
      "Whether a producer's account has a verified digital identity, and the verified name (admins, for producer verification)",
    responses: {
      200: jsonResponse(z.object({ verified: VerifiedIdentity.nullable() }), 'The identity state'),
      400: errorResponse('Malformed producer id'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Admins only'),
      404: errorResponse('No such producer'),
    },
  },
};
