/**
 * The sign-in facade's operations: method and path from the route table and request schemas (used
 * to validate). What they answer is documented in operations.doc.ts, which only the OpenAPI
 * document imports.
 */
import * as z from 'zod';
import { StartSignInBody, VerifySignInBody } from '../../shared/auth/sign-in.ts';
import { FinishIdentityBody, StartIdentityBody } from '../../shared/auth/identity.ts';
import { routeOperationDefiner } from '../http.ts';
import { AUTH_ROUTES } from './routes.ts';

const defineOperation = routeOperationDefiner(AUTH_ROUTES);

export const ProducerIdentityParam = z.strictObject({
  producerId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/, 'Mã nhà sản xuất không hợp lệ / Invalid producer id'),
});

export const operations = {
  startSignIn: defineOperation('startSignIn', { json: StartSignInBody }),
  verifySignIn: defineOperation('verifySignIn', { json: VerifySignInBody }),
  startIdentitySignIn: defineOperation('startIdentitySignIn', { json: StartIdentityBody }),
  finishIdentitySignIn: defineOperation('finishIdentitySignIn', { json: FinishIdentityBody }),
  getIdentity: defineOperation('getIdentity'),
  unlinkIdentity: defineOperation('unlinkIdentity'),
  getProducerIdentity: defineOperation('getProducerIdentity', { param: ProducerIdentityParam }),
};
