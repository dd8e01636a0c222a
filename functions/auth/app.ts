/**
 * The sign-in facade: a one-time code to a phone, then an access token. In AWS the provider is
 * Cognito (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID); the local runtime sets the local issuer's.
 */
import { createCognitoSignInProvider } from '../../shared/auth/cognito-sign-in.ts';
import {
  setSignInProvider,
  startSignIn,
  StartSignInBody,
  verifySignIn,
  VerifySignInBody,
} from '../../shared/auth/sign-in.ts';
import { clientIp, createApiApp, validate } from '../http.ts';
import { guardRoutes } from '../guard.ts';
import { operations } from './operations.ts';

if (process.env.COGNITO_USER_POOL_ID && process.env.COGNITO_CLIENT_ID) {
  setSignInProvider(
    createCognitoSignInProvider({
      userPoolId: process.env.COGNITO_USER_POOL_ID,
      clientId: process.env.COGNITO_CLIENT_ID,
      // The app client is confidential; its secret is read from Cognito, never from the template.
      readClientSecret: true,
    }),
  );
}

export const app = createApiApp();
guardRoutes(app, 'auth');

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
