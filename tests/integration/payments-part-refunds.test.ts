/**
 * A cooperative's manager records a manual refund (`POST /api/payments/{id}/manual-refunds`) on a
 * payment that covers two cooperatives' parts: it refunds only its own part, capped at what is
 * left of it, and the other part keeps its own refund path (its cancellation is still refunded).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getConsistent } from '../../shared/db/item-access.ts';
import { getOrderWithSubs } from '../../shared/db/orders.ts';
import { paymentIntentKeys } from '../../shared/db/payment-intents.ts';
import { partTotal } from '../../shared/orders/part-refunds.ts';
import {
  bankTransfer,
  call,
  createShop,
  moveSubOrder,
  notifyTransfer,
  orderBody,
  place,
  type Shop,
} from './orders-world.ts';

let shop: Shop;

beforeAll(async () => {
  shop = await createShop();
});

/** What the payment has given back so far (the SDK's own count). */
async function refunded(intentId: string): Promise<number> {
  return Number((await getConsistent(paymentIntentKeys.intent(intentId)))!.amountRefunded);
}

/** A paid VietQR order with a part for co-op A (a member's tea) and one for co-op B. */
async function paidTwoPartOrder() {
  const placed = await place(
    orderBody(
      [
        { variantId: shop.packs.memberTea.id, quantity: 2 },
        { variantId: shop.packs.coopBTea.id, quantity: 3 },
      ],
      { paymentMethod: 'vietqr' },
    ),
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  expect((await notifyTransfer(bankTransfer(shop, placed.body))).body).toEqual({ result: 'matched' });
  const { order, subs } = (await getOrderWithSubs(placed.body.order.code))!;
  const partA = partTotal(subs.find((s) => s.fulfillerId === shop.coopA.id)!);
  const partB = partTotal(subs.find((s) => s.fulfillerId === shop.coopB.id)!);
  expect(partA + partB).toBe(order.total);
  return { order, partA, partB };
}

const manualRefund = (intentId: string, token: string, body: Record<string, unknown>) =>
  call('POST', `/api/payments/${intentId}/manual-refunds`, {
    token,
    body: { method: 'cash', note: 'Khách trả lại hàng', ...body },
  });

describe('a cooperative manager’s manual refund', () => {
  it('without an amount refunds only its own part; the other part’s refund still happens', async () => {
    const { order, partA, partB } = await paidTwoPartOrder();
    const byA = await manualRefund(order.paymentIntentId, shop.actors.managerA.token, {});
    expect(byA.status, JSON.stringify(byA.body)).toBe(201);
    expect(byA.body).toMatchObject({ status: 'succeeded', amount: partA });
    expect(await refunded(order.paymentIntentId)).toBe(partA);

    // Nothing is left of A's part: a second refund by A is refused, whatever the amount.
    const again = await manualRefund(order.paymentIntentId, shop.actors.managerA.token, { amount: 1 });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment.part_refunded');
    expect(again.body.error.message).toContain('đã được hoàn đủ');
    expect(await refunded(order.paymentIntentId)).toBe(partA);

    // Co-op B cancels its part: its refund is made, for exactly its part.
    const cancelled = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'cancelled',
      note: 'Hết hàng',
    });
    expect(cancelled.status).toBe(200);
    expect(await refunded(order.paymentIntentId)).toBe(partA + partB);
  });

  it('is capped at what is left of its part, and counts what its part had back already', async () => {
    const { order, partB } = await paidTwoPartOrder();
    const tooMuch = await manualRefund(order.paymentIntentId, shop.actors.managerB.token, {
      amount: partB + 1,
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('payment.amount_too_large');
    expect(await refunded(order.paymentIntentId)).toBe(0);

    const some = await manualRefund(order.paymentIntentId, shop.actors.managerB.token, { amount: 10_000 });
    expect(some.status).toBe(201);
    const overLeft = await manualRefund(order.paymentIntentId, shop.actors.managerB.token, { amount: partB });
    expect(overLeft.status).toBe(400);
    expect(overLeft.body.error.code).toBe('payment.amount_too_large');
    const rest = await manualRefund(order.paymentIntentId, shop.actors.managerB.token, {});
    expect(rest.body).toMatchObject({ status: 'succeeded', amount: partB - 10_000 });

    // B's part cancelled afterwards: nothing more is refunded for it.
    const cancelled = await moveSubOrder(shop.actors.managerB.token, shop.coopB.id, order.code, {
      to: 'cancelled',
      note: 'Khách đổi ý',
    });
    expect(cancelled.status).toBe(200);
    expect(await refunded(order.paymentIntentId)).toBe(partB);
  });

  it('two refunds by one manager at once never take more than its part', async () => {
    const { order, partA } = await paidTwoPartOrder();
    const answers = await Promise.all(
      [0, 1, 2].map(() => manualRefund(order.paymentIntentId, shop.actors.managerA.token, { amount: partA })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 201)) expect(answer.status).toBeLessThan(500);
    expect(await refunded(order.paymentIntentId)).toBe(partA);
  });

  it('an admin may still refund the whole payment', async () => {
    const { order } = await paidTwoPartOrder();
    const byAdmin = await manualRefund(order.paymentIntentId, shop.actors.admin.token, {});
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.amount).toBe(order.total);
  });
});
