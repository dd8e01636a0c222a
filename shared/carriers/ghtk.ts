/**
 * Giao Hàng Tiết Kiệm (GHTK), over its shipment API (production
 * `https://services.giaohangtietkiem.vn`, staging `https://services-staging.ghtklab.com`; locally
 * the emulator in infra/local/carrier-emulators). Every call sends the header `Token` (the
 * exchange's API token) and, for a GHTK partner, `X-Client-Source` (its partner code); answers
 * are `{success, message, …}`. GHTK keys addresses by names, not ids (areas.ts).
 *
 *   GET  /services/shipment/fee?pick_province&pick_district&pick_ward&province&district&ward&weight&value&transport
 *                                             `fee.fee`, `fee.insurance_fee`, `fee.delivery` (false: not served)
 *   POST /services/shipment/order/?ver=1.5     `{products: […], order: {id, pick_*, name, address, province,
 *                                             district, ward, hamlet, tel, pick_money, value, …}}` →
 *                                             `order.label`, `order.fee`, `order.estimated_deliver_time`;
 *                                             an `order.id` used twice: `error.code` "ORDER_ID_EXIST" with
 *                                             `error.ghtk_label`
 *   GET  /services/shipment/v2/{label}         the parcel's status (`order.status`, `ship_money`, …)
 *   GET  /services/shipment/v2/partner_id:{id} the same by our code (the retry after a timeout)
 *   POST /services/shipment/cancel/{label}
 *   GET  /services/label/{label}               the label (PDF)
 *
 * Webhooks: GHTK posts each status change to the URL the shop registers, with `label_id`,
 * `partner_id`, `status_id`, `action_time`, `reason_code`, `reason`, `weight`, `fee`, `pick_money`
 * (JSON, or a form in older set-ups: both are read). It signs nothing, so the exchange registers
 * `https://<site>/api/carriers/ghtk/webhook?token=<GHTK webhook token>` and compares the token in
 * constant time, as for GHN.
 *
 * Estimated delivery: the fee answer has none, so a quote uses GHTK's published road times by the
 * fee's zone (`fee.dt`: "local" within a province a day, "region" within a region 3 days, else 5);
 * a shipment carries GHTK's own `estimated_deliver_time`.
 *
 * Sources: GHTK's API documentation (https://docs.giaohangtietkiem.vn, "Tính phí", "Đăng đơn hàng",
 * "Trạng thái đơn hàng", "Hủy đơn hàng", "In nhãn đơn hàng", "Webhook", "Danh sách trạng thái") and
 * public client code calling it (services/shipment/fee with Token and X-Client-Source headers).
 */
import * as z from 'zod';
import { areaOrRefuse, ghtkAreas, unservedError, type AreaLookup, type GhtkArea } from './areas.ts';
import {
  CARRIER_NAMES,
  carrierRequest,
  checkWebhookToken,
  vietnamDateAfter,
  type HttpSettings,
} from './common.ts';
import {
  CarrierError,
  type CarrierEvent,
  type CarrierProvider,
  type CreateShipmentRequest,
  type Shipment,
  type ShipmentStage,
} from './types.ts';

export interface GhtkSettings extends HttpSettings {
  token: string;
  webhookToken: string;
  /** The partner code (`X-Client-Source`), when the exchange is a GHTK partner. */
  clientSource?: string;
  /** 2025 commune → GHTK names. @default the committed mapping (areas.ts) */
  areas?: AreaLookup<GhtkArea>;
  clock?: () => Date;
}

/** Every GHTK status id, mapped to the exchange's stages (undefined: no stage change). */
export const GHTK_STATUSES: Readonly<Record<string, ShipmentStage | undefined>> = {
  '-1': 'cancelled', // Hủy đơn hàng
  '1': 'created', // Chưa tiếp nhận
  '2': 'created', // Đã tiếp nhận
  '3': 'picked', // Đã lấy hàng / đã nhập kho
  '4': 'delivering', // Đã điều phối giao hàng / đang giao hàng
  '5': 'delivered', // Đã giao hàng / chưa đối soát
  '6': 'delivered', // Đã đối soát
  '7': 'created', // Không lấy được hàng
  '8': 'created', // Hoãn lấy hàng
  '9': 'delivery_failed', // Không giao được hàng
  '10': 'delivering', // Delay giao hàng
  '11': 'returned', // Đã đối soát công nợ trả hàng
  '12': 'created', // Đã điều phối lấy hàng / đang lấy hàng
  '13': 'delivery_failed', // Đơn hàng bồi hoàn
  '20': 'returning', // Đang trả hàng
  '21': 'returned', // Đã trả hàng
  '123': 'picked', // Shipper báo đã lấy hàng
  '127': 'created', // Shipper báo không lấy được hàng
  '128': 'created', // Shipper báo delay lấy hàng
  '45': 'delivered', // Shipper báo đã giao hàng
  '49': 'delivery_failed', // Shipper báo không giao được hàng
  '410': 'delivering', // Shipper báo delay giao hàng
};

export function ghtkStage(status: string): ShipmentStage | undefined {
  return Object.hasOwn(GHTK_STATUSES, status) ? GHTK_STATUSES[status] : undefined;
}

/** GHTK's published road delivery days by the fee's zone (`fee.dt`). */
export const GHTK_LEAD_DAYS: Readonly<Record<string, number>> = { local: 1, region: 3, national: 5 };

const Answer = z.object({ success: z.boolean(), message: z.string().nullish() });
const FeeAnswer = z.object({
  fee: z.object({
    name: z.string().optional(),
    fee: z.coerce.number(),
    insurance_fee: z.coerce.number().optional(),
    dt: z.string().optional(),
    delivery: z.boolean(),
  }),
});
const OrderAnswer = z.object({
  order: z.object({
    partner_id: z.string(),
    label: z.string(),
    fee: z.coerce.number(),
    insurance_fee: z.coerce.number().optional(),
    estimated_deliver_time: z.string().optional(),
  }),
});
const DuplicateAnswer = z.object({
  error: z.object({ code: z.literal('ORDER_ID_EXIST'), ghtk_label: z.string() }),
});
const StatusAnswer = z.object({
  order: z.object({
    label_id: z.string(),
    partner_id: z.string(),
    status: z.coerce.string(),
    modified: z.string().optional(),
    created: z.string().optional(),
    deliver_date: z.string().nullish(),
    ship_money: z.coerce.number().optional(),
    insurance: z.coerce.number().optional(),
    pick_money: z.coerce.number().optional(),
    message: z.string().nullish(),
  }),
});
const Webhook = z.object({
  label_id: z.string().min(1),
  partner_id: z.string().nullish(),
  status_id: z.coerce.string(),
  action_time: z.string().optional(),
  reason_code: z.coerce.string().nullish(),
  reason: z.string().nullish(),
  pick_money: z.coerce.number().optional(),
});

/** GHTK writes times as ISO or as "YYYY-MM-DD HH:mm:ss" in Vietnam time. */
export function ghtkTime(text: string | undefined, fallback: Date): string {
  if (!text) return fallback.toISOString();
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(text.trim());
  const parsed = local ? new Date(`${local[1]}T${local[2]}+07:00`) : new Date(text);
  return Number.isNaN(parsed.getTime()) ? fallback.toISOString() : parsed.toISOString();
}

export function createGhtkProvider(settings: GhtkSettings): CarrierProvider {
  const areas = settings.areas ?? ghtkAreas;
  const now = settings.clock ?? (() => new Date());
  const name = CARRIER_NAMES.ghtk;
  const headers = {
    Token: settings.token,
    ...(settings.clientSource ? { 'X-Client-Source': settings.clientSource } : {}),
  };

  /** Calls GHTK; answers the parsed body (success or not), or throws for transport problems. */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await carrierRequest('ghtk', settings, path, { method, headers, body });
    const answer = Answer.safeParse(response.json);
    if (!answer.success) {
      throw new CarrierError(
        'unavailable',
        `${name} trả lời không đúng định dạng (HTTP ${response.status})`,
        'ghtk',
      );
    }
    return { ...answer.data, json: response.json };
  }

  function parse<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new CarrierError('unavailable', `${name} trả lời thiếu dữ liệu (${what})`, 'ghtk');
    return parsed.data;
  }

  function refusal(message: string | null | undefined): CarrierError {
    const text = `${name}: ${message || 'yêu cầu bị từ chối'}`;
    if (/không tìm thấy|not found|không tồn tại/i.test(message ?? ''))
      return new CarrierError('not_found', text, 'ghtk');
    return new CarrierError('bad_request', text, 'ghtk');
  }

  /** The order by GHTK's label, or by our code as `partner_id:<code>` (the colon stays as GHTK writes it). */
  async function status(id: { label: string } | { partnerId: string }) {
    const segment =
      'label' in id ? encodeURIComponent(id.label) : `partner_id:${encodeURIComponent(id.partnerId)}`;
    const answer = await call('GET', `/services/shipment/v2/${segment}`);
    if (!answer.success) throw refusal(answer.message);
    return parse(StatusAnswer, answer.json, 'trạng thái đơn').order;
  }

  function shipmentFrom(
    request: CreateShipmentRequest,
    order: z.infer<typeof StatusAnswer>['order'],
  ): Shipment {
    const deliverBy = order.deliver_date ? /\d{4}-\d{2}-\d{2}/.exec(order.deliver_date)?.[0] : undefined;
    return {
      carrier: 'ghtk',
      carrierCode: order.label_id,
      clientCode: request.clientCode,
      fee: (order.ship_money ?? 0) + (order.insurance ?? 0),
      ...(deliverBy ? { estimatedDelivery: deliverBy } : {}),
    };
  }

  return {
    id: 'ghtk',

    async quote(request) {
      const [from, to] = await Promise.all([
        areaOrRefuse('ghtk', areas, request.from.wardCode),
        areaOrRefuse('ghtk', areas, request.to.wardCode),
      ]);
      const query = new URLSearchParams({
        pick_province: from.province,
        pick_district: from.district,
        pick_ward: from.ward,
        province: to.province,
        district: to.district,
        ward: to.ward,
        weight: String(request.parcel.weightGrams),
        value: String(request.parcel.insuredValue),
        transport: 'road',
        deliver_option: 'none',
      });
      const answer = await call('GET', `/services/shipment/fee?${query}`);
      if (!answer.success) throw refusal(answer.message);
      const { fee } = parse(FeeAnswer, answer.json, 'phí');
      if (!fee.delivery) throw unservedError('ghtk', request.to.wardCode);
      return {
        carrier: 'ghtk',
        fee: fee.fee + (fee.insurance_fee ?? 0),
        estimatedDelivery: vietnamDateAfter(
          request.at,
          GHTK_LEAD_DAYS[fee.dt ?? ''] ?? GHTK_LEAD_DAYS.national!,
        ),
        service: 'road',
      };
    },

    async createShipment(request) {
      const [from, to] = await Promise.all([
        areaOrRefuse('ghtk', areas, request.from.wardCode),
        areaOrRefuse('ghtk', areas, request.to.wardCode),
      ]);
      const kg = (grams: number) => Math.round(grams) / 1000;
      let answer: Awaited<ReturnType<typeof call>>;
      try {
        answer = await call('POST', '/services/shipment/order/?ver=1.5', {
          products: request.items.map((i) => ({
            name: i.name,
            weight: kg(i.weightGrams),
            quantity: i.quantity,
          })),
          order: {
            id: request.clientCode,
            pick_name: request.from.name,
            pick_address: request.from.street ?? '',
            pick_province: from.province,
            pick_district: from.district,
            pick_ward: from.ward,
            pick_tel: request.from.phone,
            tel: request.to.phone,
            name: request.to.name,
            address: request.to.street ?? '',
            province: to.province,
            district: to.district,
            ward: to.ward,
            hamlet: 'Khác',
            is_freeship: '1', // the shop pays GHTK; the shopper paid the exchange
            pick_money: request.codAmount,
            note: request.note ?? '',
            value: request.parcel.insuredValue,
            transport: 'road',
            pick_option: 'cod',
            deliver_option: 'none',
            total_weight: kg(request.parcel.weightGrams),
          },
        });
      } catch (error) {
        // The order may have been made before the answer was lost (a timeout, a 5xx): look it up by
        // our code.
        if (!(error instanceof CarrierError && (error.code === 'timeout' || error.code === 'unavailable'))) {
          throw error;
        }
        try {
          return shipmentFrom(request, await status({ partnerId: request.clientCode }));
        } catch (lookup) {
          if (lookup instanceof CarrierError && lookup.code === 'not_found') throw error;
          throw lookup;
        }
      }
      if (!answer.success) {
        const duplicate = DuplicateAnswer.safeParse(answer.json);
        if (duplicate.success)
          return shipmentFrom(request, await status({ label: duplicate.data.error.ghtk_label }));
        throw refusal(answer.message);
      }
      const { order } = parse(OrderAnswer, answer.json, 'đăng đơn');
      const deliverBy = order.estimated_deliver_time
        ? /\d{4}-\d{2}-\d{2}/.exec(order.estimated_deliver_time)?.[0]
        : undefined;
      return {
        carrier: 'ghtk',
        carrierCode: order.label,
        clientCode: request.clientCode,
        fee: order.fee + (order.insurance_fee ?? 0),
        ...(deliverBy ? { estimatedDelivery: deliverBy } : {}),
      };
    },

    async cancelShipment(carrierCode) {
      const answer = await call('POST', `/services/shipment/cancel/${encodeURIComponent(carrierCode)}`);
      if (!answer.success) {
        const error = refusal(answer.message);
        if (error.code === 'not_found') throw error;
        throw new CarrierError(
          'not_cancellable',
          `${name} không hủy được đơn ${carrierCode}: ${answer.message ?? ''}`,
          'ghtk',
        );
      }
    },

    async label(carrierCode) {
      const response = await carrierRequest(
        'ghtk',
        settings,
        `/services/label/${encodeURIComponent(carrierCode)}?original=portrait&page_size=A6`,
        { method: 'GET', headers },
      );
      if (response.status !== 200 || !response.contentType.includes('pdf')) {
        throw new CarrierError('not_found', `${name} không có nhãn cho đơn ${carrierCode}`, 'ghtk');
      }
      return { contentType: 'application/pdf', body: response.bytes };
    },

    async track(carrierCode) {
      const order = await status({ label: carrierCode });
      const stage = ghtkStage(order.status);
      if (!stage) return [];
      return [
        {
          carrier: 'ghtk',
          carrierCode: order.label_id,
          clientCode: order.partner_id,
          stage,
          carrierStatus: order.status,
          at: ghtkTime(order.modified ?? order.created, now()),
          ...(order.message ? { reason: order.message } : {}),
          ...(stage === 'delivered' && order.pick_money !== undefined
            ? { codCollected: order.pick_money }
            : {}),
        } satisfies CarrierEvent,
      ];
    },

    parseWebhook(request) {
      checkWebhookToken('ghtk', request, settings.webhookToken);
      let raw: unknown;
      const text = request.body.trim();
      if (text.startsWith('{')) {
        try {
          raw = JSON.parse(text);
        } catch {
          raw = undefined;
        }
      } else raw = Object.fromEntries(new URLSearchParams(text));
      const parsed = Webhook.safeParse(raw);
      if (!parsed.success) {
        throw new CarrierError('bad_request', `Webhook ${name}: thiếu label_id hoặc status_id`, 'ghtk');
      }
      const body = parsed.data;
      const stage = ghtkStage(body.status_id);
      if (!stage) return [];
      return [
        {
          carrier: 'ghtk',
          carrierCode: body.label_id,
          ...(body.partner_id ? { clientCode: body.partner_id } : {}),
          stage,
          carrierStatus: body.status_id,
          at: ghtkTime(body.action_time, now()),
          ...(body.reason ? { reason: body.reason } : {}),
          ...(stage === 'delivered' && body.pick_money !== undefined
            ? { codCollected: body.pick_money }
            : {}),
        },
      ];
    },
  };
}
