/**
 * How a carrier's events move a shipment and its sub-order. Pure: no database, no clock, type
 * imports only (the tracking page and the board bundle the labels).
 *
 *  - An event already recorded (same stage, carrier status and time) changes nothing.
 *  - A new event is recorded, in time order; the shipment's stage moves only forward (an event
 *    older than or level with the current stage is kept in the list but moves nothing), and
 *    never out of a final stage (delivered, returned, cancelled). Out for delivery and a failed
 *    delivery are level: the later of them is the current stage.
 *  - The sub-order follows the stage through the `system` edges of TRANSITIONS: picked up (or
 *    anything after it) moves `packed` to `shipped`; delivered moves it on to `delivered` (a COD
 *    order's cash then counts as collected by the carrier); returned to the cooperative cancels
 *    it (the caller puts the stock back and refunds a paid part). A failed delivery stays
 *    `shipped`, shown with its reason.
 */
import type { CarrierEvent, CarrierId, ShipmentStage } from '../carriers/types.ts';
import type { OrderStatus, ShipmentRecord, SubOrder } from './model.ts';

const RANK: Readonly<Record<ShipmentStage, number>> = {
  created: 0,
  picked: 1,
  in_transit: 2,
  delivering: 3,
  delivery_failed: 3,
  returning: 4,
  delivered: 5,
  returned: 5,
  cancelled: 5,
};

export const FINAL_STAGES: readonly ShipmentStage[] = ['delivered', 'returned', 'cancelled'];

/** The stages in the shopper's words (tracking page, board). */
export const STAGE_LABELS: Readonly<Record<ShipmentStage, string>> = {
  created: 'Đã tạo vận đơn, chờ lấy hàng',
  picked: 'Đơn vị vận chuyển đã lấy hàng',
  in_transit: 'Đang vận chuyển',
  delivering: 'Đang giao hàng',
  delivered: 'Đã giao hàng',
  delivery_failed: 'Giao hàng không thành công',
  returning: 'Đang hoàn hàng về hợp tác xã',
  returned: 'Đã hoàn hàng về hợp tác xã',
  cancelled: 'Đã hủy vận đơn',
};

/** The same in English (the storefront's English pages). */
export const STAGE_LABELS_EN: Readonly<Record<ShipmentStage, string>> = {
  created: 'Shipment created, awaiting pickup',
  picked: 'Picked up by the carrier',
  in_transit: 'In transit',
  delivering: 'Out for delivery',
  delivered: 'Delivered',
  delivery_failed: 'Delivery attempt failed',
  returning: 'Returning to the cooperative',
  returned: 'Returned to the cooperative',
  cancelled: 'Shipment cancelled',
};

export const CARRIER_NAMES: Readonly<Record<CarrierId, string>> = {
  ghn: 'GHN',
  ghtk: 'GHTK',
  viettelpost: 'Viettel Post',
  manual: 'Tự giao',
};

/** The carrier's public tracking page for a parcel, where it has one. */
export function carrierTrackingUrl(carrier: CarrierId, carrierCode: string): string | undefined {
  const code = encodeURIComponent(carrierCode);
  switch (carrier) {
    case 'ghn':
      return `https://donhang.ghn.vn/?order_code=${code}`;
    case 'ghtk':
      return `https://i.ghtk.vn/${code}`;
    case 'viettelpost':
      return `https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?code=${code}`;
    default:
      return undefined;
  }
}

export interface EventPlan {
  /** The sub-order as the events leave it. */
  sub: SubOrder;
  /** The statuses it went through, in order (empty: it stays where it was). */
  steps: OrderStatus[];
  /** The shipment reached a final stage with these events. */
  finished?: 'delivered' | 'returned' | 'cancelled';
}

const sameEvent = (a: ShipmentRecord['events'][number], b: CarrierEvent) =>
  a.stage === b.stage && a.carrierStatus === b.carrierStatus && a.at === b.at;

/**
 * What `events` do to `sub` (its shipment and status), or null when they change nothing (none of
 * them is new, or none is for its shipment). `cod` says whether the order is paid on delivery.
 */
export function planCarrierEvents(
  sub: SubOrder,
  events: readonly CarrierEvent[],
  options: { cod: boolean; at: string },
): EventPlan | null {
  const before = sub.shipment;
  if (!before) return null;
  const shipment: ShipmentRecord = { ...before, events: [...before.events] };
  let recorded = false;
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at));
  for (const event of ordered) {
    if (event.carrier !== shipment.carrier || event.carrierCode !== shipment.carrierCode) continue;
    if (shipment.events.some((e) => sameEvent(e, event))) continue;
    const entry = {
      stage: event.stage,
      carrierStatus: event.carrierStatus,
      at: event.at,
      ...(event.reason ? { reason: event.reason } : {}),
    };
    const place = shipment.events.findIndex((e) => e.at > event.at);
    if (place === -1) shipment.events.push(entry);
    else shipment.events.splice(place, 0, entry);
    recorded = true;
    if (FINAL_STAGES.includes(shipment.stage)) continue;
    const latestLevel = shipment.events
      .filter((e) => e !== entry && e.stage === shipment.stage)
      .reduce((latest, e) => (e.at > latest ? e.at : latest), '');
    const forward = RANK[event.stage] > RANK[shipment.stage];
    const laterLevel = RANK[event.stage] === RANK[shipment.stage] && event.at > latestLevel;
    if (forward || laterLevel) {
      shipment.stage = event.stage;
      if (event.stage === 'delivered' && event.codCollected !== undefined) {
        shipment.codCollected = event.codCollected;
      }
    }
  }
  if (!recorded) return null;
  const steps: OrderStatus[] = [];
  let status = sub.status;
  const stage = shipment.stage;
  const moved = stage !== 'created' && stage !== 'cancelled';
  if (moved && status === 'packed' && stage !== 'returned') steps.push((status = 'shipped'));
  if (stage === 'delivered' && status === 'shipped') steps.push((status = 'delivered'));
  if (stage === 'returned' && (status === 'packed' || status === 'shipped'))
    steps.push((status = 'cancelled'));
  const delivered = steps.includes('delivered');
  if (delivered && options.cod && shipment.codCollected === undefined)
    shipment.codCollected = shipment.codAmount;
  const next: SubOrder = {
    ...sub,
    shipment,
    status,
    ...(delivered && options.cod ? { cashCollected: true } : {}),
    history: [
      ...sub.history,
      ...steps.map((s) => ({
        status: s,
        at: options.at,
        by: 'system',
        note: `${CARRIER_NAMES[shipment.carrier]}: ${STAGE_LABELS[stage]}`,
      })),
    ],
  };
  const finished =
    FINAL_STAGES.includes(stage) && !FINAL_STAGES.includes(before.stage)
      ? (stage as EventPlan['finished'])
      : undefined;
  return { sub: next, steps, ...(finished ? { finished } : {}) };
}
