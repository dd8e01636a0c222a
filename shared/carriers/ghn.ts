/**
 * Giao Hàng Nhanh (GHN), over its public API "shiip/public-api" (production
 * `https://online-gateway.ghn.vn`, sandbox `https://dev-online-gateway.ghn.vn`; locally the
 * emulator in infra/local/carrier-emulators). Every call sends the headers `Token` (the
 * exchange's API token) and `ShopId` (the cooperative's shop at GHN, or the exchange's default
 * shop); every answer is the envelope `{code, message, data}`, `code` 200 on success.
 *
 *   POST /shiip/public-api/v2/shipping-order/fee                  fee (`data.total`)
 *   POST /shiip/public-api/v2/shipping-order/leadtime             `data.leadtime` (unix seconds)
 *   POST /shiip/public-api/v2/shipping-order/create               `data.order_code`, `total_fee`, `expected_delivery_time`
 *   POST /shiip/public-api/v2/shipping-order/detail               `{order_code}` → status and `log`
 *   POST /shiip/public-api/v2/shipping-order/detail-by-client-code `{client_order_code}`
 *   POST /shiip/public-api/v2/switch-status/cancel                `{order_codes}` → `[{order_code, result, message}]`
 *   POST /shiip/public-api/v2/a5/gen-token                        `{order_codes}` → `data.token`
 *   GET  /a5/public-api/printA5?token=                            the printable label (HTML)
 *   GET  /shiip/public-api/master-data/province|district|ward     (infra/tools/carrier-areas.ts)
 *
 * Webhooks: GHN calls the callback URL the shop registers (in its GHN account, "Cấu hình
 * webhook") with a JSON body `{OrderCode, ClientOrderCode, Status, Type, Time, CODAmount, ShopID,
 * Reason, …}` and signs nothing, so the exchange registers
 * `https://<site>/api/carriers/ghn/webhook?token=<GHN webhook token>` and compares the token in
 * constant time. Only `Type` "create" and "switch_status" move a parcel; weight, COD and fee
 * updates carry no status change.
 *
 * Sources: GHN's API documentation (https://api.ghn.vn/home/docs/detail, pages "Calculate Fee",
 * "Calculate the expected delivery time", "Create Order", "Order Info", "Cancel Order",
 * "Print order", "Callback (Webhook)", "Master data"), read with public client code that calls it
 * (congtuuit/GHST sources/GHSTShipping/Client/_test/create-order.js, hieukun1011/NAI_VN
 * addons/addons_hrm/pontusinc_shipping/util/api_ghn.py).
 */
import * as z from 'zod';
import { areaOrRefuse, ghnAreas, type AreaLookup, type GhnArea } from './areas.ts';
import {
  CARRIER_NAMES,
  carrierRequest,
  checkWebhookToken,
  vietnamDate,
  webhookJson,
  type HttpSettings,
} from './common.ts';
import {
  CarrierError,
  type CarrierEvent,
  type CarrierProvider,
  type CarrierQuote,
  type CreateShipmentRequest,
  type QuoteRequest,
  type Shipment,
  type ShipmentStage,
} from './types.ts';

export interface GhnSettings extends HttpSettings {
  token: string;
  /** The secret in the webhook URL registered with GHN. */
  webhookToken: string;
  /** The exchange's own shop, for a cooperative that has none of its own. */
  shopId?: string;
  /** GHN's service type: 2 light parcels ("Hàng nhẹ", the default), 5 heavy. */
  serviceTypeId?: number;
  /** 2025 commune → GHN keys. @default the committed mapping (areas.ts) */
  areas?: AreaLookup<GhnArea>;
  /** @default the current time */
  clock?: () => Date;
}

const API = '/shiip/public-api';

/** Every GHN status, mapped to the exchange's stages (undefined: no stage change). */
export const GHN_STATUSES: Readonly<Record<string, ShipmentStage | undefined>> = {
  ready_to_pick: 'created',
  picking: 'created',
  money_collect_picking: 'created',
  picked: 'picked',
  storing: 'in_transit',
  transporting: 'in_transit',
  sorting: 'in_transit',
  delivering: 'delivering',
  money_collect_delivering: 'delivering',
  delivered: 'delivered',
  delivery_fail: 'delivery_failed',
  waiting_to_return: 'returning',
  return: 'returning',
  return_transporting: 'returning',
  return_sorting: 'returning',
  returning: 'returning',
  return_fail: 'returning',
  returned: 'returned',
  cancel: 'cancelled',
  damage: 'delivery_failed',
  lost: 'delivery_failed',
  // Outside GHN's flow ("đơn hàng ngoại lệ"): recorded by GHN, no stage of ours.
  exception: undefined,
};

export function ghnStage(status: string): ShipmentStage | undefined {
  return Object.hasOwn(GHN_STATUSES, status) ? GHN_STATUSES[status] : undefined;
}

const Envelope = z.object({ code: z.number(), message: z.string().optional(), data: z.unknown() });
const FeeData = z.object({ total: z.number() });
const LeadtimeData = z.object({ leadtime: z.number() });
const CreateData = z.object({
  order_code: z.string(),
  total_fee: z.coerce.number(),
  expected_delivery_time: z.string().optional(),
});
const DetailData = z.object({
  order_code: z.string(),
  client_order_code: z.string().nullish(),
  status: z.string(),
  leadtime: z.string().nullish(),
  shop_id: z.number().optional(),
  updated_date: z.string().optional(),
  log: z.array(z.object({ status: z.string(), updated_date: z.string() })).nullish(),
});
const CancelData = z.array(
  z.object({ order_code: z.string(), result: z.boolean(), message: z.string().optional() }),
);
const TokenData = z.object({ token: z.string() });

const Webhook = z.object({
  OrderCode: z.string().min(1),
  ClientOrderCode: z.string().nullish(),
  Status: z.string().min(1),
  Type: z.string().min(1),
  Time: z.string().optional(),
  CODAmount: z.number().optional(),
  ShopID: z.number().optional(),
  Reason: z.string().nullish(),
});

export function createGhnProvider(settings: GhnSettings): CarrierProvider {
  const areas = settings.areas ?? ghnAreas;
  const now = settings.clock ?? (() => new Date());
  const serviceTypeId = settings.serviceTypeId ?? 2;
  const name = CARRIER_NAMES.ghn;

  async function call<T>(path: string, schema: z.ZodType<T>, body: unknown, shopId?: string): Promise<T> {
    const response = await carrierRequest('ghn', settings, `${API}${path}`, {
      method: 'POST',
      headers: headers(shopId),
      body,
    });
    const envelope = Envelope.safeParse(response.json);
    if (!envelope.success) {
      throw new CarrierError(
        'unavailable',
        `${name} trả lời không đúng định dạng (HTTP ${response.status})`,
        'ghn',
      );
    }
    if (envelope.data.code !== 200) throw ghnError(envelope.data.code, envelope.data.message ?? '');
    const data = schema.safeParse(envelope.data.data);
    if (!data.success)
      throw new CarrierError('unavailable', `${name} trả lời thiếu dữ liệu (${path})`, 'ghn');
    return data.data;
  }

  function headers(shopId?: string): Record<string, string> {
    const shop = shopId ?? settings.shopId;
    return { Token: settings.token, ...(shop ? { ShopId: shop } : {}) };
  }

  async function quoteOf(request: QuoteRequest): Promise<CarrierQuote> {
    const [from, to] = await Promise.all([
      areaOrRefuse('ghn', areas, request.from.wardCode),
      areaOrRefuse('ghn', areas, request.to.wardCode),
    ]);
    const route = {
      from_district_id: from.districtId,
      from_ward_code: from.wardCode,
      to_district_id: to.districtId,
      to_ward_code: to.wardCode,
    };
    const { parcel } = request;
    const [fee, leadtime] = await Promise.all([
      call(
        '/v2/shipping-order/fee',
        FeeData,
        {
          service_type_id: serviceTypeId,
          ...route,
          weight: parcel.weightGrams,
          length: parcel.lengthCm,
          width: parcel.widthCm,
          height: parcel.heightCm,
          insurance_value: parcel.insuredValue,
          cod_value: request.codAmount,
          coupon: null,
        },
        request.shopId,
      ),
      call(
        '/v2/shipping-order/leadtime',
        LeadtimeData,
        { service_type_id: serviceTypeId, ...route },
        request.shopId,
      ),
    ]);
    return {
      carrier: 'ghn',
      fee: fee.total,
      estimatedDelivery: vietnamDate(new Date(leadtime.leadtime * 1000)),
      service: String(serviceTypeId),
    };
  }

  async function findByClientCode(request: CreateShipmentRequest): Promise<Shipment | undefined> {
    let detail: z.infer<typeof DetailData>;
    try {
      detail = await call(
        '/v2/shipping-order/detail-by-client-code',
        DetailData,
        { client_order_code: request.clientCode },
        request.shopId,
      );
    } catch (error) {
      if (error instanceof CarrierError && error.code === 'not_found') return undefined;
      throw error;
    }
    // The detail carries no fee: the same parcel on the same route is quoted again.
    const quote = await quoteOf({ ...request, at: now() });
    return {
      carrier: 'ghn',
      carrierCode: detail.order_code,
      clientCode: request.clientCode,
      fee: quote.fee,
      ...(detail.leadtime ? { estimatedDelivery: vietnamDate(new Date(detail.leadtime)) } : {}),
    };
  }

  return {
    id: 'ghn',
    quote: quoteOf,

    async createShipment(request) {
      const [from, to] = await Promise.all([
        areaOrRefuse('ghn', areas, request.from.wardCode),
        areaOrRefuse('ghn', areas, request.to.wardCode),
      ]);
      const { parcel } = request;
      try {
        const created = await call(
          '/v2/shipping-order/create',
          CreateData,
          {
            payment_type_id: 1, // the shop pays GHN; the shopper paid the exchange
            note: request.note ?? '',
            required_note: 'CHOXEMHANGKHONGTHU',
            client_order_code: request.clientCode,
            from_name: request.from.name,
            from_phone: request.from.phone,
            from_address: request.from.street ?? '',
            return_phone: request.from.phone,
            return_address: request.from.street ?? '',
            return_district_id: from.districtId,
            return_ward_code: from.wardCode,
            to_name: request.to.name,
            to_phone: request.to.phone,
            to_address: request.to.street ?? '',
            to_ward_code: to.wardCode,
            to_district_id: to.districtId,
            cod_amount: request.codAmount,
            content: request.items.map((i) => `${i.name} x${i.quantity}`).join(', '),
            weight: parcel.weightGrams,
            length: parcel.lengthCm,
            width: parcel.widthCm,
            height: parcel.heightCm,
            insurance_value: parcel.insuredValue,
            service_type_id: serviceTypeId,
            items: request.items.map((i) => ({ name: i.name, quantity: i.quantity, weight: i.weightGrams })),
          },
          request.shopId,
        );
        return {
          carrier: 'ghn',
          carrierCode: created.order_code,
          clientCode: request.clientCode,
          fee: created.total_fee,
          ...(created.expected_delivery_time
            ? { estimatedDelivery: vietnamDate(new Date(created.expected_delivery_time)) }
            : {}),
        };
      } catch (error) {
        // GHN refuses a client_order_code it already has; after a timeout or a 5xx the order may
        // exist. Either way the one already made is the answer.
        const retryable =
          error instanceof CarrierError &&
          (error.code === 'timeout' ||
            error.code === 'unavailable' ||
            (error.code === 'bad_request' && /client_order_code|tồn tại|exist/i.test(error.message)));
        if (!retryable) throw error;
        const found = await findByClientCode(request);
        if (found) return found;
        throw error;
      }
    },

    async cancelShipment(carrierCode, shopId) {
      const results = await call(
        '/v2/switch-status/cancel',
        CancelData,
        { order_codes: [carrierCode] },
        shopId,
      );
      const result = results.find((r) => r.order_code === carrierCode);
      if (!result?.result) {
        throw new CarrierError(
          'not_cancellable',
          `${name} không hủy được đơn ${carrierCode}${result?.message ? `: ${result.message}` : ''}`,
          'ghn',
        );
      }
    },

    async label(carrierCode, shopId) {
      const { token } = await call('/v2/a5/gen-token', TokenData, { order_codes: [carrierCode] }, shopId);
      const response = await carrierRequest(
        'ghn',
        settings,
        `/a5/public-api/printA5?token=${encodeURIComponent(token)}`,
        { method: 'GET', headers: {} },
      );
      if (response.status !== 200) {
        throw new CarrierError('not_found', `${name} không có nhãn cho đơn ${carrierCode}`, 'ghn');
      }
      return { contentType: 'text/html', body: new TextDecoder().decode(response.bytes) };
    },

    async track(carrierCode, shopId) {
      const detail = await call('/v2/shipping-order/detail', DetailData, { order_code: carrierCode }, shopId);
      const log = detail.log?.length
        ? detail.log
        : [{ status: detail.status, updated_date: detail.updated_date ?? now().toISOString() }];
      return log.flatMap((entry): CarrierEvent[] => {
        const stage = ghnStage(entry.status);
        if (!stage) return [];
        return [
          {
            carrier: 'ghn',
            carrierCode: detail.order_code,
            ...(detail.client_order_code ? { clientCode: detail.client_order_code } : {}),
            stage,
            carrierStatus: entry.status,
            at: new Date(entry.updated_date).toISOString(),
            ...(detail.shop_id !== undefined ? { shopId: String(detail.shop_id) } : {}),
          },
        ];
      });
    },

    parseWebhook(request) {
      checkWebhookToken('ghn', request, settings.webhookToken);
      const parsed = Webhook.safeParse(webhookJson('ghn', request.body));
      if (!parsed.success) {
        throw new CarrierError('bad_request', `Webhook ${name}: thiếu OrderCode, Status hoặc Type`, 'ghn');
      }
      const body = parsed.data;
      if (body.Type !== 'create' && body.Type !== 'switch_status') return [];
      const stage = ghnStage(body.Status);
      if (!stage) return [];
      const at = body.Time && !Number.isNaN(Date.parse(body.Time)) ? new Date(body.Time) : now();
      return [
        {
          carrier: 'ghn',
          carrierCode: body.OrderCode,
          ...(body.ClientOrderCode ? { clientCode: body.ClientOrderCode } : {}),
          stage,
          carrierStatus: body.Status,
          at: at.toISOString(),
          ...(body.Reason ? { reason: body.Reason } : {}),
          ...(stage === 'delivered' && body.CODAmount !== undefined ? { codCollected: body.CODAmount } : {}),
          ...(body.ShopID !== undefined ? { shopId: String(body.ShopID) } : {}),
        },
      ];
    },
  };
}

/** GHN's refusals, in the exchange's codes. */
function ghnError(code: number, message: string): CarrierError {
  const text = `${CARRIER_NAMES.ghn}: ${message || `mã lỗi ${code}`}`;
  if (code === 401 || code === 403) return new CarrierError('unauthorized', text, 'ghn');
  if (code === 404 || /not found|không tìm thấy|không tồn tại/i.test(message)) {
    return new CarrierError('not_found', text, 'ghn');
  }
  if (code >= 500) return new CarrierError('unavailable', text, 'ghn');
  return new CarrierError('bad_request', text, 'ghn');
}
