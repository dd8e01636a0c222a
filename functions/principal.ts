/**
 * Who is calling: the bearer token is verified (issuer, client, signature, expiry), then the
 * account of its subject (`sub`) and the producer it acts for are loaded, so permission checks see
 * current facts. The token's phone claim only seeds a first account; it never selects one.
 */
import { createMiddleware } from 'hono/factory';
import { UnauthorizedError, verifyAccessToken } from '../shared/auth/tokens.ts';
import { accounts } from '../shared/db/accounts.ts';
import { producers } from '../shared/db/producers.ts';
import type { Principal } from '../shared/domain/permissions.ts';

export type SignedInEnv = { Variables: { principal: Principal } };

export const requireSignIn = createMiddleware<SignedInEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(header);
  if (!match) throw new UnauthorizedError('Hãy đăng nhập / Sign in first');
  const claims = await verifyAccessToken(match[1]!);
  const account =
    (await accounts.get(claims.sub)) ??
    (claims.phone
      ? await accounts.create({
          sub: claims.sub,
          phone: claims.phone,
          groups: [],
          createdAt: new Date().toISOString(),
        })
      : undefined);
  // The caller is the token's subject. Creating an account for a phone that another account
  // already holds returns that other account: never let a phone claim stand in for the subject.
  if (!account || account.sub !== claims.sub) {
    throw new UnauthorizedError('Tài khoản không tồn tại / Unknown account');
  }
  const producer = account.producerId ? await producers.get(account.producerId) : undefined;
  c.set('principal', {
    sub: account.sub,
    phone: account.phone,
    groups: account.groups,
    ...(producer ? { producer } : {}),
  });
  await next();
});
