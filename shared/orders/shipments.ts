/**
 * Shipments with the carriers, from the board: create one for a packed part ("Giao cho vận
 * chuyển"), cancel it before pickup, print its label; then the carriers' events (webhooks, and
 * the poller's catch-up) move the part along the transition table (shipment-events.ts).
 *
 * Never two shipments for one part:
 *  1. claim: one claim item per part (db/shipments.ts), taken with a conditional write and held
 *     by a lease while the carrier is called;
 *  2. call the carrier with the part's client code (`TN-ABCDE-1`, the same on every retry);
 *  3. record the shipment on the sub-order and mark the claim made, in one transaction.
 * A double click finds the claim taken and waits for the first request's answer. A carrier
 * timeout leaves the claim `creating` with its lease given back: the next click (or the poller)
 * calls the carrier again with the same client code, which the carrier resolves to the parcel it
 * made, if it made one.
 */
import type {
  CarrierEvent,
  CarrierId,
  CarrierProvider,
  Carriers,
  CreateShipmentRequest,
  ShipmentLabel,
} from '../carriers/types.ts';
import { CarrierError } from '../carriers/types.ts';
import { parcelOf } from '../carriers/parcel.ts';
import type { TransactItem } from '../db/items.ts';
import { getOrderWithSubs, getShippingRules } from '../db/orders.ts';
import { producers } from '../db/producers.ts';
import { forEachConcurrently, SHARDS } from '../db/shards.ts';
import {
  closeClaimItem,
  findShipmentCode,
  getClaim,
  gramsOfVariants,
  openShipmentsPage,
  putCodDueItem,
  putNewClaim,
  recordedClaimItems,
  refuseClaim,
  releaseLease,
  retakeClaim,
  type ShipmentClaim,
} from '../db/shipments.ts';
import { conflict, DomainError, forbidden, notFound, unavailable } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { log } from '../observability/log.ts';
import { withOrder } from '../observability/scope.ts';
import type { Payments } from '../payments/index.ts';
import {
  canManageSubOrder,
  captureCod,
  changeOrder,
  fulfillerView,
  isLive,
  refundPart,
  refuseUnsettledPreorder,
  releaseItems,
  settleCancelledPayment,
  type OrderView,
} from './lifecycle.ts';
import type { Order, ShipmentRecord, SubOrder } from './model.ts';
import { notifyShopper } from './notifications.ts';
import { CARRIER_NAMES, planCarrierEvents } from './shipment-events.ts';

export interface ShipmentDeps {
  /** Loaded only once the caller's rights and the part's state allow the carrier call. */
  carriers: () => Promise<Carriers>;
  payments: Payments;
  now: Date;
}

/** How long a caller holds a part's claim while it waits for the carrier. */
export const CLAIM_LEASE_MS = 30_000;
/** How long a second click waits for the first one's shipment before answering "in progress". */
const WAIT_FOR_FIRST_MS = 12_000;
const WAIT_STEP_MS = 200;

const carrierName = (carrier: CarrierId) => CARRIER_NAMES[carrier];

/** The part's own code at the carrier: the order code and the part's place in the order. */
export function clientCodeOf(order: Order, fulfillerId: string, attempt: number): string {
  const part = order.fulfillerIds.indexOf(fulfillerId) + 1;
  return attempt > 1 ? `${order.code}-${part}-${attempt}` : `${order.code}-${part}`;
}

function requireManager(principal: Principal, fulfillerId: string): void {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden(
      'order.forbidden',
      'Bạn không quản lý phần đơn hàng này / You do not manage this part of the order',
    );
  }
}

async function partOf(code: string, fulfillerId: string): Promise<{ order: Order; sub: SubOrder }> {
  const found = await getOrderWithSubs(code);
  const sub = found?.subs.find((s) => s.fulfillerId === fulfillerId);
  if (!found || !sub)
    throw notFound('order.not_found', `Không có đơn ${code} của đơn vị này / No such order`);
  return { order: found.order, sub };
}

/** A shipment the carrier still holds (not cancelled). */
const liveShipment = (sub: SubOrder): ShipmentRecord | undefined =>
  sub.shipment && sub.shipment.stage !== 'cancelled' ? sub.shipment : undefined;

function providerOf(carriers: Carriers, carrier: CarrierId): CarrierProvider {
  const provider = carriers[carrier];
  if (!provider) {
    throw unavailable(
      'shipment.carrier_unavailable',
      `Chưa kết nối được với ${carrierName(carrier)}; hãy thử lại sau / The carrier is not configured`,
    );
  }
  return provider;
}

/** "Giao cho vận chuyển": the part's shipment with its cooperative's carrier (the same one on a retry). */
export async function createShipment(
  principal: Principal,
  code: string,
  fulfillerId: string,
  deps: ShipmentDeps,
): Promise<OrderView> {
  requireManager(principal, fulfillerId);
  return shipPart(code, fulfillerId, deps, { wait: true });
}

async function shipPart(
  code: string,
  fulfillerId: string,
  deps: ShipmentDeps,
  options: { wait: boolean },
): Promise<OrderView> {
  const { order, sub } = await partOf(code, fulfillerId);
  if (liveShipment(sub)) return fulfillerView(order, sub);
  if (order.delivery.method !== 'shipping') {
    throw conflict(
      'shipment.pickup',
      'Người mua nhận hàng tại hợp tác xã: đơn này không cần gửi vận chuyển / Pickup order: nothing to ship',
    );
  }
  if (sub.status !== 'packed') {
    throw conflict(
      'shipment.not_packed',
      'Hãy chuyển đơn sang “Đã đóng gói” trước khi giao cho vận chuyển / Pack the order first',
    );
  }
  // A pre-order leaves with the same rules as by hand: weighed, and its online balance paid.
  if (order.preorder) refuseUnsettledPreorder(order);
  const rules = await getShippingRules(fulfillerId);
  const carrier: CarrierId = sub.shippingQuote?.carrier ?? rules?.carrier?.id ?? 'manual';
  if (carrier === 'manual') {
    throw conflict(
      'shipment.manual',
      'Hợp tác xã tự giao hoặc gửi vận chuyển thủ công: hãy chọn “Đã gửi” và nhập đơn vị vận chuyển, mã vận đơn / ' +
        'This cooperative ships by hand: mark it shipped with the carrier and tracking number',
    );
  }
  const provider = providerOf(await deps.carriers(), carrier);
  const shopId = rules?.carrier?.id === carrier ? rules.carrier.shopId : undefined;
  const nowMs = deps.now.getTime();
  const fresh = (attempt: number): ShipmentClaim => ({
    orderCode: code,
    fulfillerId,
    carrier,
    ...(shopId ? { shopId } : {}),
    attempt,
    clientCode: clientCodeOf(order, fulfillerId, attempt),
    state: 'creating',
    leaseUntil: nowMs + CLAIM_LEASE_MS,
    claimedAt: deps.now.toISOString(),
  });
  let claim = fresh(1);
  if (!(await putNewClaim(claim))) {
    const held = await getClaim(code, fulfillerId);
    if (!held) return shipPart(code, fulfillerId, deps, options);
    if (held.state === 'created' || held.state === 'closed') return waitForShipment(code, fulfillerId, held);
    if (held.state === 'creating' && held.leaseUntil > nowMs) {
      if (!options.wait) throw inProgress(carrier);
      return waitForShipment(code, fulfillerId, held);
    }
    // A lease that ran out (a timeout): the same attempt again. A cancelled shipment: a new one.
    claim =
      held.state === 'creating'
        ? { ...held, leaseUntil: nowMs + CLAIM_LEASE_MS }
        : { ...fresh(held.attempt + 1), claimedAt: deps.now.toISOString() };
    if (!(await retakeClaim(held, claim))) return waitForShipment(code, fulfillerId, held);
  }
  return callCarrier(provider, claim, order, sub, deps);
}

function inProgress(carrier: CarrierId): DomainError {
  return unavailable(
    'shipment.carrier_timeout',
    `Đang chờ ${carrierName(carrier)} trả lời, hãy thử lại sau ít phút / Waiting for the carrier: try again in a few minutes`,
  );
}

/** Another request holds the claim: its shipment, once recorded (or "in progress"). */
async function waitForShipment(code: string, fulfillerId: string, held: ShipmentClaim): Promise<OrderView> {
  const until = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const { order, sub } = await partOf(code, fulfillerId);
    if (liveShipment(sub)) return fulfillerView(order, sub);
    const claim = await getClaim(code, fulfillerId);
    if (!claim || claim.state !== 'creating' || claim.leaseUntil === 0 || Date.now() >= until) {
      if (claim?.state === 'cancelled') {
        throw conflict('shipment.refused', 'Đơn vị vận chuyển đã từ chối vận đơn; hãy xem lại và thử lại');
      }
      throw inProgress(held.carrier);
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

async function shipmentRequest(
  order: Order,
  sub: SubOrder,
  claim: ShipmentClaim,
): Promise<CreateShipmentRequest> {
  const fulfiller = await producers.get(sub.fulfillerId);
  if (!fulfiller) throw notFound('producer.not_found', 'Không tìm thấy hợp tác xã / No such cooperative');
  if (order.delivery.method !== 'shipping') throw new Error('a pickup order has no shipment');
  const missing = sub.lines.filter((l) => l.grams === undefined);
  const grams = missing.length > 0 ? await gramsOfVariants(missing) : new Map<string, number>();
  const lines = sub.lines.map((l) => ({ grams: l.grams ?? grams.get(l.variantId), quantity: l.quantity }));
  const parcel = parcelOf(lines, sub.subtotal);
  const address = order.delivery.address;
  return {
    clientCode: claim.clientCode,
    from: {
      provinceCode: fulfiller.address.provinceCode,
      wardCode: fulfiller.address.communeCode,
      ...(fulfiller.address.street ? { street: fulfiller.address.street } : {}),
      name: fulfiller.name,
      phone: fulfiller.phone,
    },
    to: {
      provinceCode: address.provinceCode,
      wardCode: address.wardCode,
      street: address.street,
      name: order.contact.name,
      phone: order.contact.phone,
    },
    parcel,
    codAmount: codAmountOf(order, sub),
    ...(claim.shopId ? { shopId: claim.shopId } : {}),
    items: sub.lines.map((l, i) => ({
      name: `${l.productName} ${l.pack}`.trim(),
      quantity: l.quantity,
      weightGrams: lines[i]!.grams ?? parcel.weightGrams,
    })),
    ...(order.note ? { note: order.note.slice(0, 500) } : {}),
  };
}

/**
 * What the carrier collects at the door: the part's goods and the shopper's fee (COD only); for a
 * pre-order (its deposit paid online), the balance when it is to be paid in cash and still due.
 */
export function codAmountOf(order: Order, sub: SubOrder): number {
  const preorder = order.preorder;
  if (preorder) {
    const settlement = preorder.settlement;
    return preorder.balanceMethod === 'cod' && settlement?.status === 'due' ? settlement.balance : 0;
  }
  return order.paymentMethod === 'cod' ? sub.subtotal + sub.shippingFee : 0;
}

async function callCarrier(
  provider: CarrierProvider,
  claim: ShipmentClaim,
  order: Order,
  sub: SubOrder,
  deps: ShipmentDeps,
): Promise<OrderView> {
  let request: CreateShipmentRequest;
  let made;
  try {
    request = await shipmentRequest(order, sub, claim);
    made = await provider.createShipment(request);
  } catch (error) {
    if (error instanceof CarrierError && error.code !== 'timeout' && error.code !== 'unavailable') {
      // The carrier said no: nothing was made, the part may be shipped again after a fix.
      await refuseClaim(claim);
      throw new DomainError(
        error.code === 'address_unserved' || error.code === 'parcel_refused'
          ? 'unprocessable'
          : 'unavailable',
        `shipment.${error.code}`,
        `${carrierName(claim.carrier)} không nhận vận đơn: ${error.message}`,
      );
    }
    await releaseLease(claim);
    if (error instanceof CarrierError) throw inProgress(claim.carrier);
    throw error;
  }
  const at = deps.now.toISOString();
  const quoted = sub.shippingQuote?.fee ?? sub.shippingFee;
  const record: ShipmentRecord = {
    carrier: claim.carrier,
    carrierCode: made.carrierCode,
    clientCode: claim.clientCode,
    fee: made.fee,
    codAmount: request.codAmount,
    stage: 'created',
    events: [{ stage: 'created', carrierStatus: 'created', at }],
    createdAt: at,
    ...(made.fee > quoted ? { extraCost: made.fee - quoted } : {}),
    ...(claim.shopId ? { shopId: claim.shopId } : {}),
  };
  const result = await changeOrder(claim.orderCode, (_order, subs) => {
    const current = subs.find((s) => s.fulfillerId === claim.fulfillerId)!;
    if (liveShipment(current)) return null;
    const next: SubOrder = {
      ...current,
      carrier: carrierName(claim.carrier),
      trackingNumber: made.carrierCode,
      shipment: record,
    };
    return { subs: [next], extra: recordedClaimItems(claim, made.carrierCode) };
  });
  if (!result) {
    const { order: now, sub: part } = await partOf(claim.orderCode, claim.fulfillerId);
    return fulfillerView(now, part);
  }
  log().info('shipment created', { carrier: claim.carrier, clientCode: claim.clientCode });
  return fulfillerView(result.order, result.changed[0]!);
}

/** "Hủy vận đơn": before the carrier picked the parcel up; the part stays packed, ready to ship again. */
export async function cancelShipment(
  principal: Principal,
  code: string,
  fulfillerId: string,
  deps: ShipmentDeps,
): Promise<OrderView> {
  requireManager(principal, fulfillerId);
  const { sub } = await partOf(code, fulfillerId);
  const shipment = liveShipment(sub);
  if (!shipment) {
    throw conflict('shipment.none', 'Phần đơn này chưa có vận đơn nào để hủy / No shipment to cancel');
  }
  const notCancellable = () =>
    conflict(
      'shipment.not_cancellable',
      `${carrierName(shipment.carrier)} đã lấy hàng nên không hủy được vận đơn nữa / Already picked up`,
    );
  if (shipment.stage !== 'created') throw notCancellable();
  try {
    await providerOf(await deps.carriers(), shipment.carrier).cancelShipment(
      shipment.carrierCode,
      shipment.shopId,
    );
  } catch (error) {
    if (!(error instanceof CarrierError)) throw error;
    if (error.code === 'not_cancellable') throw notCancellable();
    throw inProgress(shipment.carrier);
  }
  const at = deps.now.toISOString();
  const result = await changeOrder(code, (_order, subs) => {
    const current = subs.find((s) => s.fulfillerId === fulfillerId)!;
    if (current.shipment?.carrierCode !== shipment.carrierCode || current.shipment.stage === 'cancelled') {
      return null;
    }
    const { carrier: _c, trackingNumber: _t, ...rest } = current;
    const next: SubOrder = {
      ...rest,
      shipment: {
        ...current.shipment,
        stage: 'cancelled',
        events: [...current.shipment.events, { stage: 'cancelled', carrierStatus: 'cancel', at }],
      },
    };
    return { subs: [next], extra: [closeClaimItem(code, fulfillerId, 'cancelled')] };
  });
  const { order, sub: after } = result
    ? { order: result.order, sub: result.changed[0]! }
    : await partOf(code, fulfillerId);
  return fulfillerView(order, after);
}

/** "In nhãn": the carrier's label for the part's shipment. */
export async function getShipmentLabel(
  principal: Principal,
  code: string,
  fulfillerId: string,
  deps: Pick<ShipmentDeps, 'carriers'>,
): Promise<ShipmentLabel> {
  requireManager(principal, fulfillerId);
  const { sub } = await partOf(code, fulfillerId);
  const shipment = liveShipment(sub);
  if (!shipment) {
    throw conflict(
      'shipment.none',
      'Phần đơn này chưa có vận đơn; hãy “Giao cho vận chuyển” trước / No shipment yet',
    );
  }
  try {
    return await providerOf(await deps.carriers(), shipment.carrier).label(
      shipment.carrierCode,
      shipment.shopId,
    );
  } catch (error) {
    if (error instanceof CarrierError) throw inProgress(shipment.carrier);
    throw error;
  }
}

/* ---------- the carriers' events ---------- */

export interface AppliedEvents {
  /** Events that changed a shipment (recorded, and maybe moved its part). */
  applied: number;
  /** Events that changed nothing: duplicates, stale ones, unknown codes, another account's. */
  ignored: number;
}

/**
 * Applies a carrier's events (from its webhook or its tracking) to the parts they are for. An
 * event for a code the exchange never made, or whose account (shop id) is not the one the
 * shipment was made with, changes nothing.
 */
export async function applyCarrierEvents(
  events: readonly CarrierEvent[],
  deps: Pick<ShipmentDeps, 'payments' | 'now'>,
): Promise<AppliedEvents> {
  const report: AppliedEvents = { applied: 0, ignored: 0 };
  const byParcel = new Map<string, CarrierEvent[]>();
  for (const event of events) {
    const key = `${event.carrier}#${event.carrierCode}`;
    byParcel.set(key, [...(byParcel.get(key) ?? []), event]);
  }
  for (const group of byParcel.values()) {
    const first = group[0]!;
    const part = await findShipmentCode(first.carrier, first.carrierCode);
    const mine = group.filter((e) => part && (!e.shopId || !part.shopId || e.shopId === part.shopId));
    report.ignored += group.length - mine.length;
    if (!part || mine.length === 0) continue;
    const applied = await withOrder(part.orderCode, () =>
      applyToPart(part.orderCode, part.fulfillerId, mine, deps),
    );
    report.applied += applied;
    report.ignored += mine.length - applied;
  }
  return report;
}

async function applyToPart(
  code: string,
  fulfillerId: string,
  events: readonly CarrierEvent[],
  deps: Pick<ShipmentDeps, 'payments' | 'now'>,
): Promise<number> {
  const at = deps.now.toISOString();
  let planned: ReturnType<typeof planCarrierEvents> = null;
  let codCapture = false;
  let wholeOrderCancelled = false;
  const result = await changeOrder(code, (order, subs) => {
    const sub = subs.find((s) => s.fulfillerId === fulfillerId);
    const cod = order.paymentMethod === 'cod';
    // A pre-order's COD balance is cash collected at the door too (its deposit was paid online).
    const collects = cod || (sub?.shipment?.codAmount ?? 0) > 0;
    planned = sub ? planCarrierEvents(sub, events, { cod: collects, at }) : null;
    if (!sub || !planned) return null;
    const next = planned.sub;
    const shipment = next.shipment!;
    const extra: TransactItem[] = [];
    if (planned.finished)
      extra.push(
        closeClaimItem(code, fulfillerId, planned.finished === 'cancelled' ? 'cancelled' : 'closed'),
      );
    if (planned.steps.includes('delivered') && shipment.codAmount > 0) {
      extra.push(
        putCodDueItem(fulfillerId, {
          orderCode: code,
          carrier: shipment.carrier,
          carrierCode: shipment.carrierCode,
          expected: shipment.codCollected ?? shipment.codAmount,
          deliveredAt: at,
        }),
      );
    }
    if (planned.steps.includes('cancelled')) extra.push(...releaseItems(sub));
    const after = subs.map((s) => (s.fulfillerId === fulfillerId ? next : s));
    codCapture =
      cod &&
      planned.steps.includes('delivered') &&
      after.filter(isLive).every((s) => s.status === 'delivered' || s.status === 'completed');
    wholeOrderCancelled = planned.steps.includes('cancelled') && after.every((s) => s.status === 'cancelled');
    return { subs: [next], extra };
  });
  if (!result) return 0;
  const plan = planned as ReturnType<typeof planCarrierEvents>;
  const last = plan?.steps.at(-1);
  if (last) await notifyShopper(result.order, last, result.changed[0]);
  if (codCapture) await captureCod(deps.payments, result.order, result.subs);
  if (wholeOrderCancelled) await settleCancelledPayment(deps.payments, result.order);
  else if (last === 'cancelled') await refundPart(deps.payments, result.order, result.changed[0]!);
  return events.length;
}

/* ---------- the poller ---------- */

export interface PollOptions {
  shards?: readonly string[];
  /** Claims read at a time per shard. @default 25 */
  limit?: number;
  concurrency?: number;
  /** No new page is read after this time (ms since the epoch). */
  stopAt?: number;
}

export interface PollReport {
  /** Open shipments asked about. */
  tracked: number;
  /** Shipments left `creating` by a timeout that were made (or found) now. */
  created: number;
  /** Events that changed a shipment. */
  applied: number;
  /** Carrier calls that failed (tried again next time). */
  failed: number;
}

/**
 * Catches up missed webhooks: pages through the open shipments of its shards (the sparse
 * `SHIPOPEN#<shard>` index, never a scan) and asks each carrier for the parcel's events,
 * applying them as a webhook would; a shipment still `creating` after its lease (a timeout
 * nobody retried) is created again with its client code.
 */
export async function pollShipments(deps: ShipmentDeps, options: PollOptions = {}): Promise<PollReport> {
  const report: PollReport = { tracked: 0, created: 0, applied: 0, failed: 0 };
  await forEachConcurrently(options.shards ?? SHARDS, options.concurrency ?? 4, async (shard) => {
    let after: Record<string, unknown> | undefined;
    do {
      const page = await openShipmentsPage(shard, {
        limit: options.limit ?? 25,
        ...(after ? { after } : {}),
      });
      for (const claim of page.claims) await pollOne(claim, deps, report);
      after = page.next;
    } while (after && (options.stopAt === undefined || Date.now() < options.stopAt));
  });
  return report;
}

const NOTHING_TO_SHIP = ['shipment.not_packed', 'shipment.pickup', 'shipment.manual'];

async function pollOne(claim: ShipmentClaim, deps: ShipmentDeps, report: PollReport): Promise<void> {
  await withOrder(claim.orderCode, async () => {
    try {
      if (claim.state === 'creating') {
        if (claim.leaseUntil > deps.now.getTime()) return;
        try {
          const view = await shipPart(claim.orderCode, claim.fulfillerId, deps, { wait: false });
          if (view.subOrders[0]?.shipment) report.created += 1;
        } catch (error) {
          // The part was cancelled (or unpacked) since: nothing left to ship, the claim closes.
          if (!(error instanceof DomainError && NOTHING_TO_SHIP.includes(error.code))) throw error;
          await refuseClaim(claim);
        }
        return;
      }
      if (!claim.carrierCode) return;
      const provider = (await deps.carriers())[claim.carrier];
      if (!provider) return;
      report.tracked += 1;
      const events = await provider.track(claim.carrierCode, claim.shopId);
      report.applied += await applyToPart(claim.orderCode, claim.fulfillerId, events, deps);
    } catch (error) {
      report.failed += 1;
      log().warn('shipment not caught up', { clientCode: claim.clientCode, error });
    }
  });
}
