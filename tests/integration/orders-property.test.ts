/**
 * Property: whatever shoppers and cooperatives do at once, stock is conserved. Each run resets a
 * few shared packs to random stock, places 2–6 random carts concurrently (COD or VietQR), then,
 * all at once, some are cancelled by the shopper, some lose a part to its cooperative, some are
 * confirmed and then cancelled, some VietQR orders are paid by transfer, and sometimes the expiry
 * job runs as if 16 minutes had passed. Afterwards, for every pack:
 *   stock + quantity held by live sub-orders (not cancelled/expired/refunded) = initial stock,
 * stock is never negative, every answer is a documented one (no 5xx), and each order's status
 * is the aggregate of its parts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expireUnpaidOrders } from '../../shared/orders/lifecycle.ts';
import { aggregateStatus, type OrderStatus } from '../../shared/orders/model.ts';
import type { Variant } from '../../shared/domain/product.ts';
import {
  bankTransfer,
  cancelOrder,
  createShop,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  place,
  setStock,
  stockOf,
  track,
  type Answer,
  type Shop,
} from './orders-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order JSON, probed by assertions
type Json = any;

let shop: Shop;
let packs: Variant[];
/** Who manages each fulfiller's part. */
let managers: Map<string, string>;

beforeAll(async () => {
  shop = await createShop();
  const p = shop.packs;
  // Two member households (one co-op A part), co-op B, an independent household.
  packs = [p.memberTea, p.memberTeaBig, p.otherMemberTea, p.coopBTea, p.independentTea];
  managers = new Map([
    [shop.coopA.id, shop.actors.managerA.token],
    [shop.coopB.id, shop.actors.managerB.token],
    [shop.independent.id, shop.actors.independent.token],
  ]);
});

const LIVE_EXCLUDED: readonly OrderStatus[] = ['cancelled', 'expired', 'refunded'];
const ACTIONS = ['keep', 'shopperCancel', 'partCancel', 'confirmThenCancel', 'pay'] as const;
type Action = (typeof ACTIONS)[number];

const cart = fc.record({
  lines: fc
    .subarray([0, 1, 2, 3, 4], { minLength: 1 })
    .chain((indices) =>
      fc.tuple(...indices.map((i) => fc.integer({ min: 1, max: 5 }).map((quantity) => ({ i, quantity })))),
    ),
  paymentMethod: fc.constantFrom('cod' as const, 'vietqr' as const),
  action: fc.constantFrom(...ACTIONS),
});

const scenario = fc.record({
  initial: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }),
  carts: fc.array(cart, { minLength: 2, maxLength: 6 }),
  expireDuringRun: fc.boolean(),
});

const soon = () => new Date(Date.now() + 16 * 60_000);

/** What happens to one placed order after checkout. Returns every HTTP answer it got. */
async function act(action: Action, placed: Json): Promise<Answer[]> {
  const code = placed.order.code as string;
  const firstPart = placed.order.subOrders[0];
  const token = managers.get(firstPart.fulfillerId)!;
  switch (action) {
    case 'keep':
      return [];
    case 'shopperCancel':
      return [await cancelOrder(code)];
    case 'partCancel':
      return [await moveSubOrder(token, firstPart.fulfillerId, code, { to: 'cancelled' })];
    case 'confirmThenCancel': {
      const confirmed = await moveSubOrder(token, firstPart.fulfillerId, code, { to: 'confirmed' });
      const cancelled = await moveSubOrder(token, firstPart.fulfillerId, code, { to: 'cancelled' });
      return [confirmed, cancelled];
    }
    case 'pay':
      if (placed.order.paymentMethod !== 'vietqr') return [];
      return [await notifyTransfer(bankTransfer(shop, placed))];
  }
}

describe('stock is conserved under concurrent checkouts, cancels, payments and expiry', () => {
  it('200 random runs', async () => {
    let runs = 0;
    let placedTotal = 0;
    let refusedTotal = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ initial, carts, expireDuringRun }) => {
        runs += 1;
        await Promise.all(packs.map((v, i) => setStock(v, initial[i]!)));

        const answers = await Promise.all(
          carts.map((c) =>
            place(
              orderBody(
                c.lines.map(({ i, quantity }) => ({ variantId: packs[i]!.id, quantity })),
                { paymentMethod: c.paymentMethod },
              ),
            ),
          ),
        );
        const placed: { body: Json; action: Action }[] = [];
        answers.forEach((a, k) => {
          if (a.status === 201) placed.push({ body: a.body, action: carts[k]!.action });
          else {
            expect(a.status, JSON.stringify(a.body)).toBe(409);
            expect(a.body.error.code).toBe('order.out_of_stock');
          }
        });
        placedTotal += placed.length;
        refusedTotal += answers.length - placed.length;

        // Everything after checkout at once, the expiry job included.
        const [acted] = await Promise.all([
          Promise.all(placed.map((p) => act(p.action, p.body))),
          expireDuringRun ? expireUnpaidOrders(shop.payments, soon()) : Promise.resolve(undefined),
        ]);
        for (const a of acted.flat()) {
          expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
          expect([200, 409], JSON.stringify(a.body)).toContain(a.status);
        }

        const held = packs.map(() => 0);
        const orders = await Promise.all(placed.map((p) => track(p.body.order.code)));
        for (const seen of orders) {
          expect(seen.status).toBe(200);
          const statuses = seen.body.subOrders.map((s: Json) => s.status as OrderStatus);
          expect(seen.body.status).toBe(aggregateStatus(statuses));
          for (const s of seen.body.subOrders) {
            if (LIVE_EXCLUDED.includes(s.status)) continue;
            for (const line of s.lines)
              held[packs.findIndex((v) => v.id === line.variantId)]! += line.quantity;
          }
        }
        const stock = await Promise.all(packs.map(stockOf));
        for (let i = 0; i < packs.length; i++) {
          expect(stock[i], `pack ${i} stock`).toBeGreaterThanOrEqual(0);
          expect(stock[i]! + held[i]!, `pack ${i}: stock ${stock[i]} + held ${held[i]}`).toBe(initial[i]);
        }

        // Leave no unpaid order behind for the next run (its stock would come back mid-run).
        if (orders.some((o) => o.body.status === 'pending_payment')) {
          await expireUnpaidOrders(shop.payments, soon());
        }
      }),
      { numRuns: 200 },
    );
    expect(runs).toBeGreaterThanOrEqual(200);
    // The runs did contend: some carts were refused for stock, and many were placed.
    expect(refusedTotal).toBeGreaterThan(0);
    expect(placedTotal).toBeGreaterThan(200);
  }, 300_000);
});
