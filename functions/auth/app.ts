/**
 * The sign-in facade: a one-time code to a phone, then an access token. The provider comes from
 * the composition root: Cognito in AWS (functions/services.ts), the local issuer locally.
 */
import { startSignIn, StartSignInBody, verifySignIn, VerifySignInBody } from '../../shared/auth/sign-in.ts';
import {
  finishIdentitySignIn,
  FinishIdentityBody,
  identityStatus,
  producerIdentity,
  startIdentitySignIn,
  StartIdentityBody,
  unlinkIdentity,
} from '../../shared/auth/identity.ts';
import { clientIp, createApiApp, validate } from '../http.ts';
import { requireSignIn, type SignedInEnv } from '../principal.ts';
import type { Context } from 'hono';
import { guardRoutes } from '../guard.ts';
import { AUTH_ROUTES } from './routes.ts';
import { operations, ProducerIdentityParam } from './operations.ts';

export const app = createApiApp();

/** The signed-in caller, set by requireSignIn (the guard, or the handler for `link`). */
const principalOf = (c: Context) => (c as unknown as Context<SignedInEnv>).get('principal');
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

app.on(
  operations.startIdentitySignIn.method,
  operations.startIdentitySignIn.honoPath,
  validate('json', StartIdentityBody),
  async (c) => {
    const { purpose } = c.req.valid('json');
    // Linking needs the phone session: the request is bound to that account.
    let accountSub: string | undefined;
    if (purpose === 'link')
      await requireSignIn(c as unknown as Context<SignedInEnv>, async () => {
        accountSub = principalOf(c).sub;
      });
    c.header('Cache-Control', 'no-store');
    return c.json(await startIdentitySignIn(purpose, accountSub, clientIp(c)));
  },
);

app.on(
  operations.finishIdentitySignIn.method,
  operations.finishIdentitySignIn.honoPath,
  validate('json', FinishIdentityBody),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await finishIdentitySignIn(c.req.valid('json')));
  },
);

app.on(operations.getIdentity.method, operations.getIdentity.honoPath, async (c) =>
  c.json(await identityStatus(principalOf(c).sub)),
);

app.on(operations.unlinkIdentity.method, operations.unlinkIdentity.honoPath, async (c) =>
  c.json(await unlinkIdentity(principalOf(c).sub)),
);

app.on(
  operations.getProducerIdentity.method,
  operations.getProducerIdentity.honoPath,
  validate('param', ProducerIdentityParam),
  async (c) => c.json(await producerIdentity(c.req.valid('param').producerId)),
);
