/**
 * Open pre-order demand for the market panel: how many packs shoppers have reserved in the
 * pre-order windows still open for a household's products, per pack and season. The pre-order
 * module answers it (`openPreorderDemand(productIds, now)` in shared/preorders/demand.ts); the
 * panel takes it as a dependency, so it can be given any source.
 */

/** One pack's reservations in an open window. */
export interface PreorderDemand {
  productId: string;
  variantId: string;
  /** The season the window sells, e.g. "Vụ xuân 2027". */
  season: string;
  /** Packs reserved so far. */
  reservedQuantity: number;
  /** When the window closes (ISO). */
  windowClosesAt: string;
  /** How the seller center names the pack, when it is not one of the product's listed packs. */
  label?: string;
}

/** Where open demand comes from. */
export type OpenPreorderDemand = (productIds: readonly string[], now: Date) => Promise<PreorderDemand[]>;

/** No pre-order windows open: the source until the pre-order module is wired in. */
export const noOpenDemand: OpenPreorderDemand = async () => [];
