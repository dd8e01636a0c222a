/**
 * Every route declares who may call it (`auth` on its ROUTES entry) and one middleware built
 * from the table applies it: anonymous callers get 401 on every non-public route, signed-in
 * non-admins get 403 on every admin route, and public routes never ask for a token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../functions/routes.ts';
import { createApiWorld, sendTo, type ApiWorld } from './api-world.ts';

// @ts-expect-error -- a route without an access rule does not compile
const _undeclared: RouteDefinition = { method: 'GET', path: '/api/x', function: 'catalog', operationId: 'x' };

let world: ApiWorld;

beforeAll(async () => {
  world = await createApiWorld();
});

/** The route's path with each `{param}` filled in (ids nobody owns). */
const concrete = (route: RouteDefinition) => route.path.replace(/\{(\w+)\+?\}/g, (_m, name) => `x-${name}`);

const send = (route: RouteDefinition, token?: string) =>
  sendTo(route, concrete(route), { token, ...(route.method === 'GET' ? {} : { body: '{}' }) });

describe('route access declarations', () => {
  it('every route declares public, signedIn or admin', () => {
    for (const route of ROUTES) {
      expect(['public', 'signedIn', 'admin'], route.operationId).toContain(route.auth);
    }
  });

  it('the sign-in facade, the catalog and the providers’ callbacks are the public routes', () => {
    // A change to this list is a change of the exchange's attack surface: review it as one.
    expect(
      ROUTES.filter((r) => r.auth === 'public')
        .map((r) => r.operationId)
        .sort(),
    ).toEqual(
      [
        'health',
        'openApiDocument',
        'apiDocs',
        'listProducts',
        'getProduct',
        'listProducers',
        'getProducer',
        'listCategories',
        'getLotTrace',
        'startSignIn',
        'verifySignIn',
        // Digital identity: starting a sign-in needs no session (linking checks the token itself);
        // finishing needs the single-use state that starting stored.
        'startIdentitySignIn',
        'finishIdentitySignIn',
        'placeOrder',
        // Reads and prices a cart, writes nothing.
        'quoteShipping',
        'getOrder',
        // An order's issued e-invoices: only with the order's phone, as getOrder.
        'listOrderInvoices',
        // Only with the order's phone, as getOrder and cancelOrder (the ownership matrix).
        'repayOrder',
        'confirmOrder',
        'cancelOrder',
        'vnpayIpn',
        'vnpayReturn',
        'vietqrNotification',
        'paymentWebhook',
        'getPaymentStatus',
        // The carriers' status callbacks: the provider checks the carrier's token or signature.
        'carrierWebhook',
        // A product's visible reviews (read only).
        'listProductReviews',
        // The programme's open statistics and each month's open data (read only, no personal data).
        'getStatistics',
        'downloadOpenData',
        // The IOC feed's pull: no sign-in, its own x-api-key checked in constant time (401 without).
        'getIocExport',
        // A buyer's review and its photos: only with the order's code and phone, for a delivered line.
        'startReviewPhotoUpload',
        'getReviewPhoto',
        'createReview',
        // Open pre-order windows, reserving in one (as placeOrder), and paying a balance (only
        // with the reservation's phone, as repayOrder).
        'listPreorderWindows',
        'reservePreorder',
        'payPreorderBalance',
      ].sort(),
    );
  });
});

describe('each route’s guard', () => {
  for (const route of ROUTES) {
    it(`${route.operationId} (${route.auth})`, async () => {
      const anonymous = await send(route);
      if (route.auth === 'public') {
        // A provider's callback may refuse a bad signature with 401, never ask for sign-in.
        expect(anonymous.body?.error?.code, anonymous.text).not.toBe('auth.unauthorized');
        expect(anonymous.status, anonymous.text).toBeLessThan(500);
        return;
      }
      expect(anonymous.status, anonymous.text).toBe(401);
      expect(anonymous.body.error.code).toBe('auth.unauthorized');
      const forged = await send(route, `${world.actors.admin.token.slice(0, -4)}AAAA`);
      expect(forged.status, forged.text).toBe(401);

      const shopper = await send(route, world.shopper.token);
      const manager = await send(route, world.actors.managerA.token);
      const admin = await send(route, world.actors.admin.token);
      for (const answer of [shopper, manager, admin]) expect(answer.status, answer.text).toBeLessThan(500);
      if (route.auth === 'admin') {
        for (const answer of [shopper, manager]) {
          expect(answer.status, answer.text).toBe(403);
          expect(answer.body.error.code).toBe('auth.admins_only');
        }
        expect([401, 403]).not.toContain(admin.status);
      } else {
        expect(shopper.status, shopper.text).not.toBe(401);
        expect(manager.status, manager.text).not.toBe(401);
      }
    });
  }
});
