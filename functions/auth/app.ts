/**
 * The sign-in facade: a one-time code to a phone, then an access token. The provider comes from
 * the composition root: Cognito in AWS (functions/services.ts), the local issuer locally.
 */
import { startSignIn, StartSignInBody, verifySignIn, VerifySignInBody } from '../../shared/auth/sign-in.ts';
import { clientIp, createApiApp, validate } from '../http.ts';
import { guardRoutes } from '../guard.ts';
import { AUTH_ROUTES } from './routes.ts';
import { operations } from './operations.ts';

export const app = createApiApp();
guardRoutes(app, AUTH_ROUTES);

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
