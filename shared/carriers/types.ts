/**
 * The carrier interface: what the exchange asks of a delivery company, the same way
 * `shared/payments` is what it asks of a payment rail. Each provider (GHN, GHTK, Viettel Post,
 * and the manual carrier for pickup and a cooperative's own delivery) speaks its carrier's public
 * API on the wire and this shape to the domain; pointing a provider at the carrier's real host
 * with real credentials is a configuration change.
 *
 * Addresses are the 2025 two-level units (province + commune codes); a provider maps them to
 * what its carrier keys by (its own district and ward ids, or names) and refuses, with
 * `CarrierError('address_unserved')`, a commune its carrier cannot serve.
 *
 * Money is whole VND; weights are grams, sizes centimetres; dates are ISO.
 */

export const CARRIER_IDS = ['ghn', 'ghtk', 'viettelpost', 'manual'] as const;
export type CarrierId = (typeof CARRIER_IDS)[number];

/** Where a parcel is picked up or delivered, in the 2025 units. */
export interface ParcelPlace {
  provinceCode: string;
  wardCode: string;
  /** House number and street, when known (creating a shipment needs it; a quote does not). */
  street?: string;
}

/** A parcel as the packs make it: weight and size summed from its lines. */
export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  /** Declared (insured) value, VND: the goods' subtotal. */
  insuredValue: number;
}

export interface QuoteRequest {
  from: ParcelPlace;
  to: ParcelPlace;
  parcel: Parcel;
  /** Cash to collect on delivery, VND (0 for prepaid orders). Some carriers price COD in. */
  codAmount: number;
  /** The cooperative's account at the carrier (GHN's shop id …), when the carrier needs one. */
  shopId?: string;
  /** When the parcel would be handed over; estimates count from it. */
  at: Date;
  /**
   * The manual carrier's price: the cooperative's flat fee for this address (shared/orders/
   * shipping.ts `shippingFee`). The carriers with an API ignore it.
   */
  flatFee?: number;
}

export interface CarrierQuote {
  carrier: CarrierId;
  /** What the carrier charges for this parcel, VND. */
  fee: number;
  /** The carrier's estimated delivery date (YYYY-MM-DD, Vietnam time). */
  estimatedDelivery: string;
  /** The carrier's service the fee is for (GHN service_type_id, GHTK transport …), if any. */
  service?: string;
}

export interface Person {
  name: string;
  phone: string;
}

export interface CreateShipmentRequest {
  /**
   * The exchange's own code for this shipment, unique per cooperative part of an order
   * (`TN-ABCDE-1`): sent as the carrier's client/partner order code, so a retry after a timeout
   * finds the shipment already made instead of making a second one.
   */
  clientCode: string;
  from: ParcelPlace & Person;
  to: ParcelPlace & Person;
  parcel: Parcel;
  codAmount: number;
  shopId?: string;
  /** Lines for the carrier's item list (name, quantity, grams each). */
  items: { name: string; quantity: number; weightGrams: number }[];
  note?: string;
  /** The manual carrier: the tracking number the cooperative typed (a carrier booked by hand), if any. */
  trackingNumber?: string;
  /** The manual carrier: what the cooperative charges for it (its flat fee). */
  flatFee?: number;
}

export interface Shipment {
  carrier: CarrierId;
  /** The carrier's own code for the parcel (GHN order_code, GHTK label …). */
  carrierCode: string;
  clientCode: string;
  /** What the carrier says it will charge, VND. */
  fee: number;
  estimatedDelivery?: string;
}

/** A printable label. */
export interface ShipmentLabel {
  contentType: 'application/pdf' | 'text/html';
  body: Uint8Array | string;
}

/**
 * Where a parcel is, in the exchange's words. Each provider maps its carrier's statuses
 * (GHN `ready_to_pick` … `delivered`, GHTK status ids …) onto these.
 */
export type ShipmentStage =
  | 'created'
  | 'picked'
  | 'in_transit'
  | 'delivering'
  | 'delivered'
  | 'delivery_failed'
  | 'returning'
  | 'returned'
  | 'cancelled';

export interface CarrierEvent {
  carrier: CarrierId;
  carrierCode: string;
  /** Our code, when the carrier echoes it. */
  clientCode?: string;
  stage: ShipmentStage;
  /** The carrier's own status as sent (`delivering`, `5` …), kept for the record. */
  carrierStatus: string;
  at: string;
  /** The carrier's reason text (failed delivery …), if any. */
  reason?: string;
  /** COD the carrier says it collected, VND (on delivered). */
  codCollected?: number;
  /** The carrier's account the event is for (GHN ShopID …), checked against the shipment. */
  shopId?: string;
}

/** What a webhook request carries: its headers (lower-case names), query and raw body. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: string;
}

export interface CarrierProvider {
  readonly id: CarrierId;
  /** The fee and estimated delivery; `CarrierError('address_unserved')` when it cannot serve. */
  quote(request: QuoteRequest): Promise<CarrierQuote>;
  /**
   * Creates the shipment, or returns the one already made with this `clientCode` (a retry after
   * a lost answer never makes two).
   */
  createShipment(request: CreateShipmentRequest): Promise<Shipment>;
  cancelShipment(carrierCode: string, shopId?: string): Promise<void>;
  label(carrierCode: string, shopId?: string): Promise<ShipmentLabel>;
  /** The parcel's events as the carrier has them now (the poller's catch-up), oldest first. */
  track(carrierCode: string, shopId?: string): Promise<CarrierEvent[]>;
  /**
   * Checks a webhook's token or signature and reads its events; `CarrierError('unauthorized')`
   * when the check fails, `CarrierError('bad_request')` when the body is not the carrier's shape.
   */
  parseWebhook(request: WebhookRequest): CarrierEvent[];
}

export type CarrierErrorCode =
  | 'address_unserved'
  | 'parcel_refused'
  | 'timeout'
  | 'unavailable'
  | 'unauthorized'
  | 'bad_request'
  | 'not_found'
  | 'not_cancellable';

export class CarrierError extends Error {
  constructor(
    readonly code: CarrierErrorCode,
    message: string,
    readonly carrier?: CarrierId,
  ) {
    super(message);
    this.name = 'CarrierError';
  }
}

/** The providers a process has, by id (the manual carrier is always there). */
export type Carriers = Partial<Record<CarrierId, CarrierProvider>> & { manual: CarrierProvider };
