/**
 * The market panel's routes: a household's panel for one of its products (seller center) and a
 * cooperative's reference prices per grade (board). The rules live in shared/market.
 */
import type { Hono } from 'hono';
import { noOpenDemand, type OpenPreorderDemand } from '../../shared/market/demand.ts';
import { marketPanel } from '../../shared/market/panel.ts';
import { referencePricesFor, setReferencePrices } from '../../shared/market/reference-prices.ts';
import { validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { marketOperations as o } from './market-operations.ts';

export interface MarketRouteDeps {
  /** Open pre-order demand per pack. */
  demand?: OpenPreorderDemand;
  now?: () => Date;
}

export function registerMarketRoutes(app: Hono<SignedInEnv>, deps: MarketRouteDeps = {}): void {
  const now = deps.now ?? (() => new Date());
  const demand = deps.demand ?? noOpenDemand;

  app.on(
    o.getMarketPanel.method,
    o.getMarketPanel.honoPath,
    validate('param', o.getMarketPanel.request.param),
    validate('query', o.getMarketPanel.request.query),
    async (c) =>
      c.json(await marketPanel(c.get('principal'), c.req.valid('param').productId, { now: now(), demand })),
  );

  app.on(
    o.listReferencePrices.method,
    o.listReferencePrices.honoPath,
    validate('param', o.listReferencePrices.request.param),
    async (c) =>
      c.json(await referencePricesFor(c.get('principal'), c.req.valid('param').fulfillerId, now())),
  );

  app.on(
    o.setReferencePrices.method,
    o.setReferencePrices.honoPath,
    validate('param', o.setReferencePrices.request.param),
    validate('json', o.setReferencePrices.request.json),
    async (c) =>
      c.json(
        await setReferencePrices(
          c.get('principal'),
          c.req.valid('param').fulfillerId,
          c.req.valid('json'),
          now(),
        ),
        201,
      ),
  );
}
