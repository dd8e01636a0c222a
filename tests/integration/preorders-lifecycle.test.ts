/**
 * A pre-order's whole life over HTTP against DynamoDB Local, VNPay played by its emulator, with
 * the pre-order routes' clock injected (`preorderClock`): the cooperative opens a spring-tea
 * window → shoppers reserve and pay their deposits by VNPay (COD refused, quotas and the total
 * held) → the window closes → the manager allocates each household's picking with a shortfall
 * (first reserved, first served) → the short deposits are refunded through VNPay, once even when
 * allocating twice → a variable-weight pack is weighed (capped at its tolerance) → the balance is
 * paid online before dispatch, or in cash on delivery → delivered; an unpaid online balance
 * lapses after its grace period under the stated deposit rule. Then: a carrier shipment keeps the
 * dispatch rules and collects a COD balance; a cancel after the balance is paid refunds both
 * payments; a part is packed only once allocated; one reservation failing to lapse stops neither
 * the others nor the orders' expiry. Plus who may do what (a deposit never switches to COD), and
 * strict validation. Last, what an earlier review found: a crash between a settlement (or a lapse)
 * and its refund is finished by the retry, once; a second balance payment that succeeds is
 * refunded; a deposit paid after the allocation cancels its reservation and is refunded; a
 * household left out of the pickings is refused; reserving and listing never read the window's
 * reservations.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { preorderClock } from '../../functions/orders/preorders.ts';
import { DEV_DEFAULTS } from '../../shared/payments/settings.ts';
import { startVnpayEmulator, type RunningVnpayEmulator } from '../../infra/local/vnpay-emulator/index.ts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../../shared/db/client.ts';
import { partRefunded } from '../../shared/db/part-refunds.ts';
import { lapseUnpaidBalances, onBalancePaid } from '../../shared/preorders/settle.ts';
import { onPaymentSucceeded } from '../../shared/orders/lifecycle.ts';
import { EMULATOR_GHN_SHOP_ID } from '../../infra/local/carrier-emulators/index.ts';
import { applyCarrierEvents } from '../../shared/orders/shipments.ts';
import { runJob } from '../../functions/orders/jobs.ts';
import { SHARDS } from '../../shared/db/shards.ts';
import { orderKeys } from '../../shared/db/orders.ts';
import { deleteBalanceDue, getWindowRecord } from '../../shared/db/preorders.ts';
import { transactWrite } from '../../shared/db/retry.ts';
import {
  call,
  createShop,
  HANOI,
  moveSubOrder,
  newKey,
  OTHER_SHOPPER,
  SHOPPER,
  sentMessages,
  track,
  type Shop,
} from './orders-world.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, probed by assertions
type Json = any;

let shop: Shop;
let vnpay: RunningVnpayEmulator;
let clock = Date.parse('2027-02-10T03:00:00Z');

beforeAll(async () => {
  vnpay = await startVnpayEmulator({
    tmnCode: DEV_DEFAULTS.VNPAY_TMN_CODE,
    hashSecret: DEV_DEFAULTS.VNPAY_HASH_SECRET,
  });
  shop = await createShop({}, { vnpayHost: vnpay.url });
  preorderClock.now = () => new Date(clock);
});
afterAll(async () => {
  preorderClock.now = () => new Date();
  await vnpay.stop();
});

const WINDOW = {
  season: 'Chè xuân 2027 — vụ đầu',
  opensOn: '2027-02-10',
  closesOn: '2027-02-28',
  harvestFrom: '2027-03-10',
  harvestTo: '2027-04-10',
  packs: [
    { grams: 500, price: 400_000, tolerancePercent: 10 },
    { grams: 200, price: 180_000 },
  ],
  totalKg: 3,
  quotaKg: 2,
  depositPercent: 40,
  graceDays: 3,
};

const openWindow = (token: string, fulfillerId: string, body: Record<string, unknown>) =>
  call('POST', `/api/board/${fulfillerId}/preorders`, { token, body });

/** Each reservation a minute after the last: first reserved, first served. */
const reserve = (windowId: string, body: Record<string, unknown>, key: string | null = newKey()) => {
  clock += 60_000;
  return call('POST', `/api/preorders/${windowId}/reservations`, { body, key });
};

const reservation = (lines: { packId: string; quantity: number }[], over: Record<string, unknown> = {}) => ({
  lines,
  contact: SHOPPER,
  delivery: { method: 'shipping', address: HANOI },
  paymentMethod: 'vnpay',
  balanceMethod: 'online',
  ...over,
});

const ipn = async (query: string) => (await call('GET', `/api/payments/vnpay/ipn?${query}`)).body;

/** The shopper pays at the VNPay emulator; its IPN settles the payment. */
async function payAtVnpay(payment: Json): Promise<void> {
  const ref = vnpay.emulator.open(payment.next_action.redirect_to_url.url).txnRef;
  expect(await ipn(vnpay.emulator.pay(ref, 'success').query)).toMatchObject({ RspCode: '00' });
}

/** The refunds VNPay made of a payment, in đồng (VNPay counts amounts × 100). */
const vnpayRefunds = async (intentId: string) => {
  const intent = await shop.payments.paymentIntents.retrieve(intentId);
  return vnpay.emulator.transactions
    .get(intent.metadata.vnp_txn_ref!)!
    .refunds.map((r) => ({ ...r, amount: r.amount / 100 }));
};

describe('a spring-tea pre-order from window to delivery', () => {
  const S = { windowId: '', r1: {} as Json, r2: {} as Json, r3: {} as Json, r4: {} as Json };

  it('the cooperative opens a window for its member’s tea; the storefront lists it with what is left', async () => {
    const body = {
      ...WINDOW,
      productId: shop.packs.memberTea.productId,
      householdIds: [shop.member.id, shop.otherMember.id],
    };
    const opened = await openWindow(shop.actors.managerA.token, shop.coopA.id, body);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    S.windowId = opened.body.id;
    expect(opened.body).toMatchObject({ phase: 'open', leftGrams: 3000, depositPercent: 40, graceDays: 3 });
    expect(opened.body.packs[0]).toMatchObject({ id: 'p1', grams: 500, price: 400_000, deposit: 160_000 });
    expect(opened.body.depositRule.vi).toContain('không quá 30%');

    const listed = await call('GET', `/api/preorders?productId=${shop.packs.memberTea.productId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((w: Json) => w.id)).toEqual([S.windowId]);
    // One reservation is held by one household: at most its 2 kg quota, 4 packs of 500 g.
    expect(listed.body.items[0].packs.map((p: Json) => p.left)).toEqual([4, 10]);
  });

  it('a deposit is paid online: COD is refused with a message, and nothing is held', async () => {
    const res = await reserve(
      S.windowId,
      reservation([{ packId: 'p1', quantity: 1 }], { paymentMethod: 'cod' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('preorder.deposit_online_only');
    expect(res.body.error.message).toContain('Tiền cọc đặt trước chỉ thanh toán trực tuyến');
    const listed = await call('GET', `/api/preorders?productId=${shop.packs.memberTea.productId}`);
    expect(listed.body.items[0].leftGrams).toBe(3000);
  });

  it('shoppers reserve and pay their deposits with VNPay; the same key replays the same reservation', async () => {
    const key = newKey();
    const first = await reserve(S.windowId, reservation([{ packId: 'p1', quantity: 2 }]), key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await reserve(S.windowId, reservation([{ packId: 'p1', quantity: 2 }]), key);
    expect(again.body.order.code).toBe(first.body.order.code);
    S.r1 = first.body;
    // 2 × 400,000 ₫ = 800,000 ₫, deposit 40 % = 320,000 ₫ (the payment's amount).
    expect(S.r1.order.preorder).toMatchObject({ deposit: 320_000, grams: 1000, householdId: shop.member.id });
    expect((await shop.payments.paymentIntents.retrieve(S.r1.payment.id)).amount).toBe(320_000);

    const r2 = await reserve(
      S.windowId,
      reservation(
        [
          { packId: 'p1', quantity: 1 },
          { packId: 'p2', quantity: 1 },
        ],
        { contact: OTHER_SHOPPER, balanceMethod: 'cod' },
      ),
    );
    expect(r2.status, JSON.stringify(r2.body)).toBe(201);
    S.r2 = r2.body;
    // The household with most room left holds it.
    expect(S.r2.order.preorder).toMatchObject({ deposit: 232_000, householdId: shop.otherMember.id });
    const r3 = await reserve(S.windowId, reservation([{ packId: 'p1', quantity: 1 }]));
    S.r3 = r3.body;
    expect(S.r3.order.preorder.householdId).toBe(shop.otherMember.id);
    const r4 = await reserve(
      S.windowId,
      reservation([{ packId: 'p2', quantity: 1 }], { contact: OTHER_SHOPPER }),
    );
    S.r4 = r4.body;
    expect(S.r4.order.preorder.householdId).toBe(shop.member.id);

    // 2,400 g of 3,000 g taken: 1 kg more does not fit the total.
    const over = await reserve(S.windowId, reservation([{ packId: 'p1', quantity: 2 }]));
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('preorder.not_enough_left');

    for (const r of [S.r1, S.r2, S.r3, S.r4]) await payAtVnpay(r.payment);
    const tracked = await track(S.r1.order.code);
    expect(tracked.body.status).toBe('placed');
    const texts = (await sentMessages.list()).map((m) => m.text);
    expect(texts.some((t) => t.includes(`đã nhận 320.000`) && t.includes(S.r1.order.code))).toBe(true);
  });

  it('the window is allocated only after it closes', async () => {
    const early = await call('POST', `/api/board/${shop.coopA.id}/preorders/${S.windowId}/allocation`, {
      token: shop.actors.managerA.token,
      body: { pickings: [{ householdId: shop.member.id, grams: 700 }] },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('preorder.still_open');
  });

  it('allocation: first reserved first served; the short deposits are refunded through VNPay, once', async () => {
    clock = Date.parse('2027-03-12T02:00:00Z');
    const allocation = {
      pickings: [
        { householdId: shop.member.id, grams: 700 },
        { householdId: shop.otherMember.id, grams: 1000 },
      ],
    };
    const url = `/api/board/${shop.coopA.id}/preorders/${S.windowId}/allocation`;
    const done = await call('POST', url, { token: shop.actors.managerA.token, body: allocation });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const byCode = new Map(done.body.reservations.map((r: Json) => [r.code, r]));
    // member picked 700 g: r1 (first, 2 × 500 g) gets one pack, r4 (200 g) still fits.
    expect(byCode.get(S.r1.order.code)).toMatchObject({
      packs: { p1: 1 },
      shortGrams: 500,
      refunded: 160_000,
    });
    expect(byCode.get(S.r4.order.code)).toMatchObject({ shortGrams: 0, refunded: 0 });
    // otherMember picked 1,000 g: r2 (700 g) whole, r3 (500 g) nothing: cancelled, deposit back.
    expect(byCode.get(S.r2.order.code)).toMatchObject({ shortGrams: 0 });
    expect(byCode.get(S.r3.order.code)).toMatchObject({
      shortGrams: 500,
      refunded: 160_000,
      status: 'cancelled',
    });

    expect((await vnpayRefunds(S.r1.payment.id)).map((r: Json) => r.amount)).toEqual([160_000]);
    expect((await vnpayRefunds(S.r3.payment.id)).map((r: Json) => r.amount)).toEqual([160_000]);

    // Twice: the same answer, no second refund.
    const twice = await call('POST', url, { token: shop.actors.managerA.token, body: allocation });
    expect(twice.status).toBe(200);
    expect(twice.body.reservations).toEqual(done.body.reservations);
    expect(await partRefunded(S.r1.order.code, shop.coopA.id)).toBe(160_000);
    expect((await vnpayRefunds(S.r1.payment.id)).length).toBe(1);

    // As if an earlier call had stopped before marking the window: the run again sends each
    // refund under its key, which replays it — still one refund at VNPay, nothing counted twice.
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `PREORDER#${S.windowId}`, sk: 'WINDOW' },
        UpdateExpression: 'REMOVE allocatedAt',
      }),
    );
    const resumed = await call('POST', url, { token: shop.actors.managerA.token, body: allocation });
    expect(resumed.status).toBe(200);
    expect(resumed.body.reservations).toEqual(done.body.reservations);
    expect(await partRefunded(S.r1.order.code, shop.coopA.id)).toBe(160_000);
    expect(await partRefunded(S.r3.order.code, shop.coopA.id)).toBe(160_000);
    expect((await vnpayRefunds(S.r1.payment.id)).length).toBe(1);
    expect((await vnpayRefunds(S.r3.payment.id)).length).toBe(1);

    const r1 = (await track(S.r1.order.code)).body;
    expect(r1.lines).toMatchObject([{ quantity: 1, lineTotal: 400_000 }]);
    const texts = (await sentMessages.list()).map((m) => m.text);
    expect(
      texts.some((t) => t.includes(S.r1.order.code) && t.includes('thiếu hàng') && t.includes('160.000')),
    ).toBe(true);
  });

  it('weighed at packing: capped at +10 %; the balance is paid online before dispatch, then delivered', async () => {
    const code = S.r1.order.code;
    const manager = shop.actors.managerA.token;
    for (const to of ['confirmed', 'packed']) {
      expect((await moveSubOrder(manager, shop.coopA.id, code, { to })).status).toBe(200);
    }
    const unsettled = await moveSubOrder(manager, shop.coopA.id, code, {
      to: 'shipped',
      carrier: 'Viettel Post',
      trackingNumber: 'VTP2027000001',
    });
    expect(unsettled.status).toBe(409);
    expect(unsettled.body.error.code).toBe('preorder.not_settled');

    const weigh = await call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
      token: manager,
      body: { lines: [{ packId: 'p1', grams: 560 }] },
    });
    expect(weigh.status, JSON.stringify(weigh.body)).toBe(200);
    // 560 g is 12 % over "about 500 g": charged for 550 g (+10 %) = 440,000 ₫; deposit held
    // 320,000 − 160,000 refunded = 160,000 ₫; balance 280,000 ₫, due in 3 days.
    expect(weigh.body.preorder.settlement).toMatchObject({
      finalAmount: 440_000,
      balance: 280_000,
      status: 'due',
      dueBy: new Date(clock + 3 * 86_400_000).toISOString(),
    });
    const texts = (await sentMessages.list()).map((m) => m.text);
    expect(texts.some((t) => t.includes(code) && t.includes('còn phải trả 280.000'))).toBe(true);

    const unpaid = await moveSubOrder(manager, shop.coopA.id, code, {
      to: 'shipped',
      carrier: 'Viettel Post',
      trackingNumber: 'VTP2027000001',
    });
    expect(unpaid.body.error.code).toBe('preorder.balance_unpaid');

    const wrongPhone = await call('POST', `/api/orders/${code}/preorder-balance`, {
      body: { phone: OTHER_SHOPPER.phone, paymentMethod: 'vnpay' },
    });
    expect(wrongPhone.status).toBe(404);
    const balance = await call('POST', `/api/orders/${code}/preorder-balance`, {
      body: { phone: SHOPPER.phone, paymentMethod: 'vnpay' },
    });
    expect(balance.status, JSON.stringify(balance.body)).toBe(200);
    expect((await shop.payments.paymentIntents.retrieve(balance.body.payment.id)).amount).toBe(280_000);
    await payAtVnpay(balance.body.payment);
    expect((await track(code)).body.preorder.settlement.status).toBe('paid');

    const shipped = await moveSubOrder(manager, shop.coopA.id, code, {
      to: 'shipped',
      carrier: 'Viettel Post',
      trackingNumber: 'VTP2027000001',
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect((await moveSubOrder(manager, shop.coopA.id, code, { to: 'delivered' })).status).toBe(200);
    expect((await track(code)).body.status).toBe('delivered');
  });

  it('a COD balance is collected on delivery: lighter than estimated is charged for what is delivered', async () => {
    const code = S.r2.order.code;
    const manager = shop.actors.managerA.token;
    for (const to of ['confirmed', 'packed']) await moveSubOrder(manager, shop.coopA.id, code, { to });
    const weigh = await call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
      token: manager,
      body: {
        lines: [
          { packId: 'p1', grams: 480 },
          { packId: 'p2', grams: 200 },
        ],
      },
    });
    // 480/500 × 400,000 = 384,000 ₫ + 180,000 ₫ (fixed pack) = 564,000 ₫ − 232,000 ₫ deposit.
    expect(weigh.body.preorder.settlement).toMatchObject({
      finalAmount: 564_000,
      balance: 332_000,
      status: 'due',
    });
    expect(weigh.body.preorder.settlement.dueBy).toBeUndefined();
    const weighAgain = (p1: number) =>
      call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
        token: manager,
        body: {
          lines: [
            { packId: 'p1', grams: p1 },
            { packId: 'p2', grams: 200 },
          ],
        },
      });
    // The same weights again (a retry): the same settlement; other weights: refused.
    const same = await weighAgain(480);
    expect(same.status).toBe(200);
    expect(same.body.preorder.settlement).toEqual(weigh.body.preorder.settlement);
    const again = await weighAgain(490);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('preorder.settled');
    await moveSubOrder(manager, shop.coopA.id, code, {
      to: 'shipped',
      carrier: 'GHN',
      trackingNumber: 'GHN2027X1',
    });
    const noCash = await moveSubOrder(manager, shop.coopA.id, code, { to: 'delivered' });
    expect(noCash.body.error.code).toBe('order.cash_required');
    const delivered = await moveSubOrder(manager, shop.coopA.id, code, {
      to: 'delivered',
      cashCollected: true,
    });
    expect(delivered.status).toBe(200);
  });

  it('an online balance unpaid after the grace period cancels the reservation under the deposit rule', async () => {
    const code = S.r4.order.code;
    const manager = shop.actors.managerA.token;
    for (const to of ['confirmed', 'packed']) await moveSubOrder(manager, shop.coopA.id, code, { to });
    const weigh = await call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
      token: manager,
      body: { lines: [{ packId: 'p2', grams: 200 }] },
    });
    expect(weigh.body.preorder.settlement).toMatchObject({ finalAmount: 180_000, balance: 108_000 });
    // Not yet due: nothing happens.
    expect((await lapseUnpaidBalances(shop.payments, new Date(clock + 86_400_000))).lapsed).toBe(0);
    const report = await lapseUnpaidBalances(shop.payments, new Date(clock + 3 * 86_400_000 + 1000));
    expect(report.lapsed).toBe(1);
    // Kept: 30 % of 180,000 ₫ = 54,000 ₫ of the 72,000 ₫ deposit; 18,000 ₫ refunded by VNPay.
    expect((await vnpayRefunds(S.r4.payment.id)).map((r: Json) => r.amount)).toEqual([18_000]);
    const tracked = (await track(code, OTHER_SHOPPER.phone)).body;
    expect(tracked.status).toBe('cancelled');
    expect(tracked.preorder.settlement.status).toBe('lapsed');
    // Once only.
    expect((await lapseUnpaidBalances(shop.payments, new Date(clock + 5 * 86_400_000))).lapsed).toBe(0);
  });

  it('the board’s pre-orders view adds it up per window and per household', async () => {
    const board = await call('GET', `/api/board/${shop.coopA.id}/preorders`, {
      token: shop.actors.managerA.token,
    });
    expect(board.status).toBe(200);
    const w = board.body.items.find((x: Json) => x.id === S.windowId);
    expect(w.figures).toMatchObject({
      reservations: 4,
      reservedGrams: 2400,
      allocatedGrams: 1400,
      shortGrams: 1000,
      depositsPaid: 320_000 + 232_000 + 160_000 + 72_000,
      refunded: 320_000,
      // r1's online balance, and r2's COD balance collected on delivery.
      balancesPaid: 280_000 + 332_000,
    });
    const member = w.households.find((h: Json) => h.producerId === shop.member.id);
    expect(member).toMatchObject({ reservations: 2, reservedGrams: 1200, shortGrams: 500 });
    const denied = await call('GET', `/api/board/${shop.coopA.id}/preorders`, {
      token: shop.actors.managerB.token,
    });
    expect(denied.status).toBe(403);
  });
});

describe('who may do what', () => {
  let windowId = '';
  beforeAll(async () => {
    clock = Date.parse('2027-05-01T03:00:00Z');
    const opened = await openWindow(shop.actors.independent.token, shop.independent.id, {
      ...WINDOW,
      opensOn: '2027-05-01',
      closesOn: '2027-05-10',
      harvestFrom: '2027-05-12',
      harvestTo: '2027-05-20',
      productId: shop.packs.independentTea.productId,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    // An independent household's window has one member: itself.
    expect(opened.body.households.map((h: Json) => h.producerId)).toEqual([shop.independent.id]);
    windowId = opened.body.id;
  });

  it('another cooperative cannot open a window for, allocate or settle what it does not fulfil', async () => {
    const body = {
      ...WINDOW,
      opensOn: '2027-05-01',
      closesOn: '2027-05-10',
      harvestFrom: '2027-05-12',
      harvestTo: '2027-05-20',
      productId: shop.packs.memberTea.productId,
    };
    expect((await openWindow(shop.actors.managerB.token, shop.coopA.id, body)).status).toBe(403);
    // Under its own name, the product is not among those it fulfils.
    expect((await openWindow(shop.actors.managerB.token, shop.coopB.id, body)).status).toBe(404);
    // A member household does not open windows: its cooperative fulfils its product.
    expect((await openWindow(shop.actors.member.token, shop.member.id, body)).status).toBe(404);
    const allocate = await call(
      'POST',
      `/api/board/${shop.independent.id}/preorders/${windowId}/allocation`,
      {
        token: shop.actors.managerB.token,
        body: { pickings: [{ householdId: shop.independent.id, grams: 100 }] },
      },
    );
    expect(allocate.status).toBe(403);
    const asOwnFulfiller = await call(
      'POST',
      `/api/board/${shop.coopB.id}/preorders/${windowId}/allocation`,
      {
        token: shop.actors.managerB.token,
        body: { pickings: [{ householdId: shop.independent.id, grams: 100 }] },
      },
    );
    expect(asOwnFulfiller.status).toBe(404);
  });

  it('a shopper cannot read or pay another’s reservation', async () => {
    const r = await reserve(
      windowId,
      reservation([{ packId: 'p2', quantity: 1 }], { paymentMethod: 'vietqr' }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await track(r.body.order.code, OTHER_SHOPPER.phone)).status).toBe(404);
    const settle = await call(
      'POST',
      `/api/board/${shop.coopB.id}/orders/${r.body.order.code}/preorder-weight`,
      {
        token: shop.actors.managerB.token,
        body: { lines: [{ packId: 'p2', grams: 200 }] },
      },
    );
    expect(settle.status).toBe(404);
  });

  it('an unpaid deposit cannot be switched to cash on delivery; paying it another way online still works', async () => {
    const r = await reserve(windowId, reservation([{ packId: 'p2', quantity: 1 }]));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const code = r.body.order.code;
    const repay = (paymentMethod: string) =>
      call('POST', `/api/orders/${code}/payment`, {
        body: { phone: SHOPPER.phone, paymentMethod, replaces: r.body.order.paymentIntentId },
      });
    const cod = await repay('cod');
    expect(cod.status, JSON.stringify(cod.body)).toBe(422);
    expect(cod.body.error.code).toBe('preorder.deposit_online_only');
    expect(cod.body.error.message).toContain('Tiền cọc đặt trước chỉ thanh toán trực tuyến');
    // Nothing changed: the deposit payment is still the one to pay.
    const tracked = (await track(code)).body;
    expect(tracked).toMatchObject({ paymentMethod: 'vnpay', paymentIntentId: r.body.order.paymentIntentId });
    expect((await shop.payments.paymentIntents.retrieve(r.body.payment.id)).status).not.toBe('canceled');
    const qr = await repay('vietqr');
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    expect((await shop.payments.paymentIntents.retrieve(qr.body.payment.id)).amount).toBe(
      r.body.order.preorder.deposit,
    );
  });

  it('strict validation: unknown fields, impossible or out-of-order dates, bounds', async () => {
    const base = {
      ...WINDOW,
      opensOn: '2027-05-01',
      closesOn: '2027-05-10',
      harvestFrom: '2027-05-12',
      harvestTo: '2027-05-20',
      productId: shop.packs.independentTea.productId,
    };
    const send = (body: Record<string, unknown>) =>
      openWindow(shop.actors.independent.token, shop.independent.id, body);
    for (const bad of [
      { ...base, extra: 1 },
      { ...base, closesOn: '2027-02-30' },
      { ...base, closesOn: '2027-04-30' },
      { ...base, harvestFrom: '2027-05-05' },
      { ...base, depositPercent: 5 },
      { ...base, depositPercent: 30.5 },
      { ...base, graceDays: 0 },
      { ...base, quotaKg: 5 },
      { ...base, packs: [{ grams: 500, price: 400_000, tolerancePercent: 50 }] },
    ]) {
      const res = await send(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    const past = await send({ ...base, opensOn: '2027-04-01', closesOn: '2027-04-20' });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('preorder.closes_in_past');
    const extraReserve = await reserve(windowId, {
      ...reservation([{ packId: 'p1', quantity: 1 }]),
      coupon: 'X',
    });
    expect(extraReserve.status).toBe(400);
    const noPack = await reserve(windowId, reservation([{ packId: 'p9', quantity: 1 }]));
    expect(noPack.status).toBe(422);
    const noKey = await reserve(windowId, reservation([{ packId: 'p1', quantity: 1 }]), null);
    expect(noKey.status).toBe(400);
  });
});

describe('dispatch through the carrier, and cancelling after the balance', () => {
  const T = { windowId: '', online: {} as Json, cod: {} as Json, manual: {} as Json };
  const manager = () => shop.actors.managerA.token;
  const ship = (code: string) =>
    call('POST', `/api/board/${shop.coopA.id}/orders/${code}/shipment`, { token: manager() });
  const weigh = (code: string, grams: number) =>
    call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
      token: manager(),
      body: { lines: [{ packId: 'p1', grams }] },
    });

  beforeAll(async () => {
    clock = Date.parse('2027-06-01T03:00:00Z');
    const rules = await call('PUT', `/api/board/${shop.coopA.id}/shipping`, {
      token: manager(),
      body: {
        flatFee: { in_province: 15_000, north: 25_000, elsewhere: 35_000 },
        freeAbove: null,
        pickup: true,
        carrier: { id: 'ghn', shopId: EMULATOR_GHN_SHOP_ID },
      },
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const opened = await openWindow(manager(), shop.coopA.id, {
      ...WINDOW,
      season: 'Chè hè 2027',
      opensOn: '2027-06-01',
      closesOn: '2027-06-10',
      harvestFrom: '2027-06-12',
      harvestTo: '2027-06-20',
      productId: shop.packs.memberTea.productId,
      householdIds: [shop.member.id, shop.otherMember.id],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    T.windowId = opened.body.id;
    const online = await reserve(T.windowId, reservation([{ packId: 'p1', quantity: 1 }]));
    const cod = await reserve(
      T.windowId,
      reservation([{ packId: 'p1', quantity: 1 }], { contact: OTHER_SHOPPER, balanceMethod: 'cod' }),
    );
    const manual = await reserve(T.windowId, reservation([{ packId: 'p1', quantity: 1 }]));
    expect([online.status, cod.status, manual.status]).toEqual([201, 201, 201]);
    T.online = online.body;
    T.cod = cod.body;
    T.manual = manual.body;
    for (const r of [T.online, T.cod, T.manual]) await payAtVnpay(r.payment);
    clock = Date.parse('2027-06-13T02:00:00Z');
    const allocated = await call('POST', `/api/board/${shop.coopA.id}/preorders/${T.windowId}/allocation`, {
      token: manager(),
      body: {
        pickings: [
          { householdId: shop.member.id, grams: 2000 },
          { householdId: shop.otherMember.id, grams: 2000 },
        ],
      },
    });
    expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
    for (const r of [T.online, T.cod, T.manual]) {
      for (const to of ['confirmed', 'packed']) {
        const moved = await moveSubOrder(manager(), shop.coopA.id, r.order.code, { to });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
    }
  });

  it('the carrier is not called before the weighing, nor before an online balance is paid', async () => {
    const code = T.online.order.code;
    const unweighed = await ship(code);
    expect(unweighed.status, JSON.stringify(unweighed.body)).toBe(409);
    expect(unweighed.body.error.code).toBe('preorder.not_settled');
    expect(unweighed.body.error.message).toContain('hãy nhập khối lượng thực tế');

    expect((await weigh(code, 500)).status).toBe(200);
    const unpaid = await ship(code);
    expect(unpaid.status, JSON.stringify(unpaid.body)).toBe(409);
    expect(unpaid.body.error.code).toBe('preorder.balance_unpaid');
    expect(unpaid.body.error.message).toContain('chưa thanh toán phần còn lại');
    const tracked = (await track(code)).body;
    expect(tracked.status).toBe('packed');
    expect(tracked.subOrders[0].shipment).toBeUndefined();
  });

  it('a COD balance is what the carrier collects at the door', async () => {
    const code = T.cod.order.code;
    const weighed = await weigh(code, 500);
    expect(weighed.status, JSON.stringify(weighed.body)).toBe(200);
    // 400,000 ₫ + shipping, less the 40 % deposit held.
    const { balance } = weighed.body.preorder.settlement;
    expect(balance).toBe(weighed.body.total - T.cod.order.preorder.deposit);
    expect(balance).toBeGreaterThan(0);
    const shipped = await ship(code);
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    const shipment = shipped.body.subOrders[0].shipment;
    expect(shipment).toMatchObject({ carrier: 'ghn', codAmount: balance });

    // The carrier delivers: the part is delivered with its cash collected.
    const at = (minutes: number) => new Date(clock + minutes * 60_000).toISOString();
    const event = { carrier: 'ghn' as const, carrierCode: shipment.carrierCode };
    await applyCarrierEvents(
      [
        { ...event, stage: 'picked', carrierStatus: 'picked', at: at(1) },
        { ...event, stage: 'delivered', carrierStatus: 'delivered', at: at(2) },
      ],
      { payments: shop.payments, now: new Date(clock + 3 * 60_000) },
    );
    const delivered = (await track(code, OTHER_SHOPPER.phone)).body;
    expect(delivered.status).toBe('delivered');
    expect(delivered.subOrders[0]).toMatchObject({
      cashCollected: true,
      shipment: { codCollected: balance },
    });
  });

  /** The shopper pays the online balance at VNPay: its payment. */
  async function payBalance(code: string): Promise<Json> {
    const balance = await call('POST', `/api/orders/${code}/preorder-balance`, {
      body: { phone: SHOPPER.phone, paymentMethod: 'vnpay' },
    });
    expect(balance.status, JSON.stringify(balance.body)).toBe(200);
    await payAtVnpay(balance.body.payment);
    expect((await track(code)).body.preorder.settlement.status).toBe('paid');
    return balance.body.payment;
  }

  it('cancelled after the balance is paid: the deposit and the balance both go back through VNPay', async () => {
    const code = T.online.order.code;
    const balance = await payBalance(code);
    const settlement = (await track(code)).body.preorder.settlement;
    const cancelled = await moveSubOrder(manager(), shop.coopA.id, code, { to: 'cancelled' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect((await vnpayRefunds(T.online.payment.id)).map((r: Json) => r.amount)).toEqual([
      T.online.order.preorder.deposit,
    ]);
    expect((await vnpayRefunds(balance.id)).map((r: Json) => r.amount)).toEqual([settlement.balance]);
  });

  it('a manager’s manual refund may cover the balance paid, not more than deposit and balance', async () => {
    const code = T.manual.order.code;
    expect((await weigh(code, 500)).status).toBe(200);
    const balance = await payBalance(code);
    const { deposit } = T.manual.order.preorder;
    const { balance: paid } = (await track(code)).body.preorder.settlement;
    expect(paid).toBeGreaterThan(deposit);
    const refund = (amount: number) =>
      call('POST', `/api/payments/${balance.id}/manual-refunds`, {
        token: manager(),
        body: { method: 'cash', note: 'Khách trả lại hàng', amount },
      });
    const tooMuch = await refund(deposit + paid + 1);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('payment.amount_too_large');
    const recorded = await refund(paid);
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body.amount).toBe(paid);
    expect(await partRefunded(code, shop.coopA.id)).toBe(paid);
  });
});

describe('packing after allocation, and the expiry lane', () => {
  const W = { good: {} as Json, bad: {} as Json, unpaid: {} as Json };
  const manager = () => shop.actors.managerA.token;

  it('a reservation is packed only once its harvest is allocated', async () => {
    clock = Date.parse('2027-07-01T03:00:00Z');
    const opened = await openWindow(manager(), shop.coopA.id, {
      ...WINDOW,
      season: 'Chè thu 2027',
      opensOn: '2027-07-01',
      closesOn: '2027-07-10',
      harvestFrom: '2027-07-12',
      harvestTo: '2027-07-20',
      productId: shop.packs.memberTea.productId,
      householdIds: [shop.member.id, shop.otherMember.id],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const windowId = opened.body.id;
    [W.good, W.bad, W.unpaid] = [
      await reserve(windowId, reservation([{ packId: 'p2', quantity: 1 }])),
      await reserve(windowId, reservation([{ packId: 'p2', quantity: 1 }])),
      await reserve(windowId, reservation([{ packId: 'p2', quantity: 1 }])),
    ].map((r) => r.body);
    for (const r of [W.good, W.bad]) {
      await payAtVnpay(r.payment);
      const confirmed = await moveSubOrder(manager(), shop.coopA.id, r.order.code, { to: 'confirmed' });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    }
    const early = await moveSubOrder(manager(), shop.coopA.id, W.good.order.code, { to: 'packed' });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(early.body.error.code).toBe('preorder.not_allocated');
    expect(early.body.error.message).toContain('chưa được phân bổ');
    expect((await track(W.good.order.code)).body.status).toBe('confirmed');

    clock = Date.parse('2027-07-13T02:00:00Z');
    const allocated = await call('POST', `/api/board/${shop.coopA.id}/preorders/${windowId}/allocation`, {
      token: manager(),
      body: {
        pickings: [
          { householdId: shop.member.id, grams: 2000 },
          { householdId: shop.otherMember.id, grams: 2000 },
        ],
      },
    });
    expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
    // Both confirmed reservations were allocated (none left behind as packed too early).
    expect(allocated.body.reservations.map((r: Json) => r.shortGrams)).toEqual([0, 0]);
    for (const r of [W.good, W.bad]) {
      const packed = await moveSubOrder(manager(), shop.coopA.id, r.order.code, { to: 'packed' });
      expect(packed.status, JSON.stringify(packed.body)).toBe(200);
    }
  });

  it('one reservation that fails to lapse stops neither the others nor the orders’ expiry', async () => {
    const { good, bad, unpaid } = W;
    for (const r of [good, bad]) {
      const weighed = await call(
        'POST',
        `/api/board/${shop.coopA.id}/orders/${r.order.code}/preorder-weight`,
        { token: manager(), body: { lines: [{ packId: 'p2', grams: 200 }] } },
      );
      expect(weighed.body.preorder.settlement.status).toBe('due');
    }
    // A balance payment the provider no longer knows: asking about it fails.
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: orderKeys.order(bad.order.code),
        UpdateExpression: 'SET preorder.settlement.intentId = :id',
        ExpressionAttributeValues: { ':id': 'pi_gone' },
      }),
    );
    const dueMs = Date.parse((await track(bad.order.code)).body.preorder.settlement.dueBy);
    try {
      const job = await runJob(
        { kind: 'expiry', shards: [...SHARDS] },
        { now: new Date(clock + 4 * 86_400_000) },
      );
      expect(job.kind).toBe('expiry');
      expect((job as Json).lapsed).toMatchObject({ lapsed: 1, failed: 1 });
      expect((await track(unpaid.order.code)).body.status).toBe('expired');
      expect((await track(good.order.code)).body.preorder.settlement.status).toBe('lapsed');
      // The failed one is left as it was, to be tried again on the next run.
      const left = (await track(bad.order.code)).body;
      expect(left.status).toBe('packed');
      expect(left.preorder.settlement.status).toBe('due');
    } finally {
      await transactWrite([deleteBalanceDue(dueMs, bad.order.code)]);
    }
  });
});

describe('a crash before a refund, a second balance payment, a late deposit, a forgotten household', () => {
  const R = { windowId: '', a: {} as Json, b: {} as Json, e: {} as Json, c: {} as Json };
  const manager = () => shop.actors.managerA.token;
  const pickings = () => [
    { householdId: shop.member.id, grams: 2000 },
    { householdId: shop.otherMember.id, grams: 2000 },
  ];
  const allocationUrl = () => `/api/board/${shop.coopA.id}/preorders/${R.windowId}/allocation`;
  const weigh = (code: string, grams: number) =>
    call('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
      token: manager(),
      body: { lines: [{ packId: 'p1', grams }] },
    });
  const pickup = (over: Record<string, unknown> = {}) =>
    reservation([{ packId: 'p1', quantity: 1 }], { delivery: { method: 'pickup' }, ...over });

  /** The provider is asked for this payment's refund once in vain: the process stops first. */
  function stopOnceBeforeRefundOf(intentId: string) {
    const refunds = shop.payments.refunds;
    const create = refunds.create.bind(refunds);
    let stopped = false;
    return vi.spyOn(refunds, 'create').mockImplementation((params, options) => {
      if (!stopped && params.payment_intent === intentId) {
        stopped = true;
        return Promise.reject(new Error('the process stopped'));
      }
      return create(params, options);
    });
  }

  /** Every item the table answered while `run` ran (queries, gets, batch gets). */
  async function itemsRead(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
    const { doc } = db();
    const send = doc.send.bind(doc);
    const seen: Record<string, unknown>[] = [];
    const spy = vi.spyOn(doc, 'send').mockImplementation((async (command: Json) => {
      const out: Json = await send(command);
      seen.push(...(out?.Items ?? []), ...(out?.Item ? [out.Item] : []));
      for (const list of Object.values(out?.Responses ?? {})) seen.push(...(list as Json[]));
      return out;
    }) as Json);
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    return seen;
  }
  const reservationsOf = (items: Record<string, unknown>[]) =>
    items.filter((i) => i.pk === `PREORDER#${R.windowId}` && String(i.sk).startsWith('RES#'));

  beforeAll(async () => {
    clock = Date.parse('2027-08-01T03:00:00Z');
    const opened = await openWindow(manager(), shop.coopA.id, {
      ...WINDOW,
      season: 'Chè thu muộn 2027',
      opensOn: '2027-08-01',
      closesOn: '2027-08-10',
      harvestFrom: '2027-08-12',
      harvestTo: '2027-08-20',
      packs: [{ grams: 500, price: 400_000, tolerancePercent: 10 }],
      depositPercent: 100,
      productId: shop.packs.memberTea.productId,
      householdIds: [shop.member.id, shop.otherMember.id],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    R.windowId = opened.body.id;
    for (const k of ['a', 'b', 'e'] as const) {
      const r = await reserve(R.windowId, pickup());
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      R[k] = r.body;
      await payAtVnpay(r.body.payment);
    }
    // Its deposit is paid only after the allocation.
    const c = await reserve(R.windowId, pickup());
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    R.c = c.body;
  });

  it('reserving and listing read the window’s holds, never its reservations; the board reads them', async () => {
    const read = await itemsRead(async () => {
      const listed = await call('GET', `/api/preorders?productId=${shop.packs.memberTea.productId}`);
      expect(listed.body.items.find((w: Json) => w.id === R.windowId).leftGrams).toBe(1000);
      // Left unpaid.
      const d = await reserve(R.windowId, pickup({ contact: OTHER_SHOPPER }));
      expect(d.status, JSON.stringify(d.body)).toBe(201);
    });
    expect(read.some((i) => i.pk === `PREORDER#${R.windowId}` && i.sk === 'HOLD')).toBe(true);
    expect(reservationsOf(read)).toEqual([]);
    const board = await itemsRead(async () => {
      const res = await call('GET', `/api/board/${shop.coopA.id}/preorders`, { token: manager() });
      expect(res.status).toBe(200);
    });
    expect(reservationsOf(board)).toHaveLength(5);
  });

  it('allocating without the picking of a household that holds paid reservations is refused, naming it', async () => {
    clock = Date.parse('2027-08-13T02:00:00Z');
    const households = [shop.member, shop.otherMember];
    const held = new Set([R.a, R.b, R.e].map((r) => r.order.preorder.householdId));
    expect(held.size).toBe(2);
    const forgotten = households.find((h) => h.id === R.b.order.preorder.householdId)!;
    const kept = households.find((h) => h.id !== forgotten.id)!;
    const res = await call('POST', allocationUrl(), {
      token: manager(),
      body: { pickings: [{ householdId: kept.id, grams: 2000 }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('preorder.picking_missing');
    expect(res.body.error.message).toContain('Hãy nhập sản lượng thực tế');
    expect(res.body.error.message).toContain(forgotten.name);
    // Nothing was allocated, cancelled or refunded.
    for (const r of [R.a, R.b, R.e]) {
      const tracked = (await track(r.order.code)).body;
      expect(tracked.status).toBe('placed');
      expect(tracked.preorder.allocation).toBeUndefined();
      expect(await vnpayRefunds(r.payment.id)).toEqual([]);
    }
  });

  it('the harvest is allocated: each paid reservation is served, the unpaid one is left out', async () => {
    clock = Date.parse('2027-08-13T02:00:00Z');
    const done = await call('POST', allocationUrl(), { token: manager(), body: { pickings: pickings() } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.reservations.map((r: Json) => r.code).sort()).toEqual(
      [R.a, R.b, R.e].map((r) => r.order.code).sort(),
    );
  });

  it('a deposit paid after the allocation cancels its reservation at once: hold back, deposit refunded', async () => {
    const before = (await getWindowRecord(R.windowId))!.holds;
    const code = R.c.order.code;
    await payAtVnpay(R.c.payment);
    const tracked = (await track(code)).body;
    expect(tracked.status).toBe('cancelled');
    expect(tracked.preorder.allocation).toMatchObject({ refunded: 400_000, late: true });
    expect((await vnpayRefunds(R.c.payment.id)).map((r: Json) => r.amount)).toEqual([400_000]);
    expect(await partRefunded(code, shop.coopA.id)).toBe(400_000);
    const after = (await getWindowRecord(R.windowId))!.holds;
    expect(after.leftGrams).toBe(before.leftGrams + 500);
    const household = R.c.order.preorder.householdId;
    expect(after.households[household]).toBe(before.households[household]! + 500);
    const texts = (await sentMessages.list()).map((m) => m.text);
    expect(texts.some((t) => t.includes(code) && t.includes('đến sau khi vụ'))).toBe(true);

    // Allocating again (or the payment's settling again) changes nothing and refunds nothing more.
    const again = await call('POST', allocationUrl(), { token: manager(), body: { pickings: pickings() } });
    expect(again.status).toBe(200);
    await onPaymentSucceeded(shop.payments, code, new Date());
    expect((await vnpayRefunds(R.c.payment.id)).length).toBe(1);
    expect((await getWindowRecord(R.windowId))!.holds.leftGrams).toBe(after.leftGrams);
  });

  it('a crash between settling and refunding what the deposit overpaid: the retry refunds it, once', async () => {
    const code = R.a.order.code;
    for (const to of ['confirmed', 'packed']) {
      expect((await moveSubOrder(manager(), shop.coopA.id, code, { to })).status).toBe(200);
    }
    const spy = stopOnceBeforeRefundOf(R.a.payment.id);
    try {
      // 450 g of "about 500 g": 360,000 ₫; the 400,000 ₫ deposit paid 40,000 ₫ too much.
      expect((await weigh(code, 450)).status).toBe(500);
      expect((await track(code)).body.preorder.settlement).toMatchObject({
        finalAmount: 360_000,
        balance: 0,
      });
      expect(await vnpayRefunds(R.a.payment.id)).toEqual([]);
      const retry = await weigh(code, 450);
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(retry.body.preorder.settlement).toMatchObject({
        finalAmount: 360_000,
        status: 'none',
        refunded: 40_000,
      });
      expect((await weigh(code, 450)).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect((await vnpayRefunds(R.a.payment.id)).map((r: Json) => r.amount)).toEqual([40_000]);
    expect(await partRefunded(code, shop.coopA.id)).toBe(40_000);
    // Other weights are still refused.
    const other = await weigh(code, 470);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('preorder.settled');
  });
  it('a crash between lapsing and refunding: the due marker stays, the next run refunds, once', async () => {
    const code = R.b.order.code;
    for (const to of ['confirmed', 'packed']) await moveSubOrder(manager(), shop.coopA.id, code, { to });
    // 550 g: 440,000 ₫, 40,000 ₫ more than the deposit, due in 3 days.
    const weighed = await weigh(code, 550);
    expect(weighed.body.preorder.settlement).toMatchObject({ balance: 40_000, status: 'due' });
    const late = new Date(clock + 3 * 86_400_000 + 1000);
    const spy = stopOnceBeforeRefundOf(R.b.payment.id);
    try {
      expect((await lapseUnpaidBalances(shop.payments, late)).failed).toBe(1);
      expect((await track(code)).body.preorder.settlement.status).toBe('lapsed');
      expect(await vnpayRefunds(R.b.payment.id)).toEqual([]);
      // Kept: 30 % of 440,000 ₫ = 132,000 ₫ of the deposit; 268,000 ₫ refunded.
      expect((await lapseUnpaidBalances(shop.payments, late)).lapsed).toBe(1);
      expect((await lapseUnpaidBalances(shop.payments, late)).lapsed).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect((await vnpayRefunds(R.b.payment.id)).map((r: Json) => r.amount)).toEqual([268_000]);
    expect(await partRefunded(code, shop.coopA.id)).toBe(268_000);
    expect((await track(code)).body.status).toBe('cancelled');
  });

  it('two balance payments both succeed: the first settles the balance, the second goes back in full', async () => {
    const code = R.e.order.code;
    for (const to of ['confirmed', 'packed']) await moveSubOrder(manager(), shop.coopA.id, code, { to });
    expect((await weigh(code, 550)).body.preorder.settlement).toMatchObject({ balance: 40_000 });
    const pay = async () => {
      const res = await call('POST', `/api/orders/${code}/preorder-balance`, {
        body: { phone: SHOPPER.phone, paymentMethod: 'vnpay' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.payment;
    };
    const first = await pay();
    // Cancelling the first payment fails (the provider did not answer): it stays payable.
    const cancel = vi
      .spyOn(shop.payments.paymentIntents, 'cancel')
      .mockRejectedValueOnce(new Error('VNPay did not answer'));
    let second: Json;
    try {
      second = await pay();
    } finally {
      cancel.mockRestore();
    }
    expect(second.id).not.toBe(first.id);
    await payAtVnpay(first);
    await payAtVnpay(second);
    const settlement = (await track(code)).body.preorder.settlement;
    expect(settlement).toMatchObject({ status: 'paid', intentId: first.id });
    expect(await vnpayRefunds(first.id)).toEqual([]);
    expect((await vnpayRefunds(second.id)).map((r: Json) => r.amount)).toEqual([40_000]);
    // Settling the second again refunds nothing more and leaves the paid balance as it is.
    await onBalancePaid(shop.payments, code, second.id, new Date());
    expect((await vnpayRefunds(second.id)).length).toBe(1);
    expect((await track(code)).body.preorder.settlement).toMatchObject({
      status: 'paid',
      intentId: first.id,
    });
  });
});
