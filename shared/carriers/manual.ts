/**
 * The manual carrier: the cooperative delivers itself, or books a carrier by hand and types its
 * tracking number. Priced by the cooperative's flat fees (shared/orders/shipping.ts; the caller
 * passes the fee its rules give as `flatFee`, so checkout asks every carrier the same way), with
 * the delivery days by region (shared/orders/regions.ts). No API and no webhooks: the cooperative
 * moves the order by hand on its board.
 */
import { DEFAULT_SHIPPING_RULES } from '../orders/shipping.ts';
import { DELIVERY_DAYS, regionOf } from '../orders/regions.ts';
import { CARRIER_NAMES, vietnamDateAfter } from './common.ts';
import { CarrierError, type CarrierProvider } from './types.ts';

export function createManualProvider(): CarrierProvider {
  return {
    id: 'manual',

    async quote(request) {
      const region = regionOf(request.to.provinceCode);
      return {
        carrier: 'manual',
        fee: request.flatFee ?? DEFAULT_SHIPPING_RULES.flatFee[region],
        estimatedDelivery: vietnamDateAfter(request.at, DELIVERY_DAYS[region][1]),
      };
    },

    async createShipment(request) {
      const region = regionOf(request.to.provinceCode);
      return {
        carrier: 'manual',
        carrierCode: request.trackingNumber?.trim() || request.clientCode,
        clientCode: request.clientCode,
        fee: request.flatFee ?? 0,
        estimatedDelivery: vietnamDateAfter(new Date(), DELIVERY_DAYS[region][1]),
      };
    },

    async cancelShipment() {
      // Nothing was booked with anyone: the cooperative simply does not deliver.
    },

    async label(carrierCode) {
      const code = carrierCode.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      return {
        contentType: 'text/html',
        body: `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Nhãn ${code}</title><body style="font-family:sans-serif"><h1>${code}</h1><p>${CARRIER_NAMES.manual}</p></body></html>`,
      };
    },

    async track() {
      return [];
    },

    parseWebhook() {
      throw new CarrierError('bad_request', `${CARRIER_NAMES.manual} không gửi webhook`, 'manual');
    },
  };
}
