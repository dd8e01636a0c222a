/**
 * GHTK's side of its shipment API (shared/carriers/ghtk.ts lists the routes and the sources),
 * under `/ghtk`: header `Token`, answers `{success, message, …}`, addresses by names (matched to
 * the former units, master-data.ts), the fee table of fees.ts, an `order.id` used twice refused
 * with `error.code` "ORDER_ID_EXIST" as GHTK does, PDF labels, and its status webhooks.
 */
import type { Context, Hono } from 'hono';
import { foldForSearch } from '../../../shared/domain/text.ts';
import { FEE_TABLES, deliveryBy } from './fees.ts';
import { formerUnits, provinceNamed, type FormerWard, type Zone } from './master-data.ts';
import { textPdf } from './pdf.ts';
import { type CarrierEmulation, type CarrierEmulator, type EmulatedParcel, type Step } from './emulator.ts';

const DT: Record<Zone, string> = { same_province: 'local', same_region: 'region', other_region: 'national' };
const NEXT: Record<string, Step[]> = {
  '1': ['picked'],
  '2': ['picked'],
  '12': ['picked'],
  '3': ['delivering'],
  '4': ['delivered', 'delivery_failed'],
  '9': ['delivering', 'returned'],
};

/** The former ward GHTK's names point at, or undefined. */
export function wardNamed(province: unknown, district: unknown, ward: unknown): FormerWard | undefined {
  const units = formerUnits();
  const p = typeof province === 'string' ? provinceNamed(province) : undefined;
  if (!p || typeof district !== 'string' || typeof ward !== 'string') return undefined;
  const d = units.districts.find(
    (x) => x.provinceId === p.id && foldForSearch(x.name) === foldForSearch(district),
  );
  if (!d) return undefined;
  return units.wards.find((w) => w.districtId === d.id && foldForSearch(w.name) === foldForSearch(ward));
}

function statusOf(p: EmulatedParcel) {
  const delivered = p.log.findLast((l) => l.status === '5');
  return {
    label_id: p.code,
    partner_id: p.clientCode,
    status: p.status,
    status_text: STATUS_TEXT[p.status] ?? p.status,
    created: vnTime(p.createdAt),
    modified: vnTime(p.log.at(-1)!.at),
    message: p.note,
    pick_date: p.log.find((l) => l.status === '3')
      ? vnTime(p.log.find((l) => l.status === '3')!.at).slice(0, 10)
      : null,
    deliver_date: delivered ? vnTime(delivered.at).slice(0, 10) : p.expectedDelivery.slice(0, 10),
    customer_fullname: p.to.name,
    customer_tel: p.to.phone,
    address: p.to.address,
    storage_day: 0,
    ship_money: p.fee.service + p.fee.cod,
    insurance: p.fee.insurance,
    value: p.insuredValue,
    weight: p.weightGrams,
    pick_money: p.codAmount,
    is_freeship: 1,
  };
}

const STATUS_TEXT: Record<string, string> = {
  '-1': 'Hủy đơn hàng',
  '2': 'Đã tiếp nhận',
  '3': 'Đã lấy hàng/Đã nhập kho',
  '4': 'Đã điều phối giao hàng/Đang giao hàng',
  '5': 'Đã giao hàng/Chưa đối soát',
  '9': 'Không giao được hàng',
  '21': 'Đã trả hàng',
};

/** "YYYY-MM-DD HH:mm:ss" in Vietnam time, as GHTK writes it. */
function vnTime(iso: string): string {
  return new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export const ghtkEmulation: CarrierEmulation = {
  id: 'ghtk',
  name: 'Giao Hàng Tiết Kiệm (GHTK)',
  initial: '2',
  steps: { picked: '3', delivering: '4', delivered: '5', delivery_failed: '9', returned: '21' },
  final: ['5', '6', '21', '-1'],
  cancellable: ['1', '2', '12'],
  next: (status) => NEXT[status] ?? [],

  webhookBody(parcel, status, at) {
    return {
      partner_id: parcel.clientCode,
      label_id: parcel.code,
      status_id: Number(status),
      action_time: new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00',
      reason_code: status === '9' ? '130' : '',
      reason: status === '9' ? (parcel.reason ?? '') : '',
      weight: parcel.weightGrams / 1000,
      fee: parcel.fee.total,
      pick_money: status === '5' ? (parcel.codCollected ?? parcel.codAmount) : parcel.codAmount,
      return_part_package: 0,
    };
  },

  statement: {
    columns: [
      'Mã đơn hàng',
      'Mã đơn KH',
      'Ngày giao',
      'Tiền thu hộ',
      'Phí ship',
      'Phí bảo hiểm',
      'Trạng thái',
    ],
    row: (p) => [
      p.code,
      p.clientCode,
      vnTime(p.log.findLast((l) => l.status === '5')!.at),
      p.codCollected ?? p.codAmount,
      p.fee.service + p.fee.cod,
      p.fee.insurance,
      'Đã giao hàng/Chưa đối soát',
    ],
  },

  routes(app: Hono, emulator: CarrierEmulator) {
    const base = '/ghtk/services';
    app.use(`${base}/*`, async (c, next) => {
      if (c.req.header('Token') !== emulator.options.tokens.ghtk.api) {
        return c.json({ success: false, message: 'Token không hợp lệ' }, 401);
      }
      return next();
    });
    const fail = (c: Context, message: string, extra: Record<string, unknown> = {}) =>
      c.json({ success: false, message, ...extra });

    app.get(`${base}/shipment/fee`, (c) => {
      const q = c.req.query();
      const from = wardNamed(q.pick_province, q.pick_district, q.pick_ward);
      const to = wardNamed(q.province, q.district, q.ward);
      if (!from) return fail(c, 'Địa chỉ lấy hàng không hợp lệ');
      const weight = Number(q.weight);
      if (!Number.isInteger(weight) || weight <= 0) return fail(c, 'weight: số gram nguyên dương');
      if (!to) {
        return c.json({
          success: true,
          message: '',
          fee: {
            name: '',
            fee: 0,
            insurance_fee: 0,
            delivery_type: '',
            a: 0,
            dt: '',
            extFees: [],
            delivery: false,
          },
        });
      }
      const { zone, fee } = emulator.quoteFor('ghtk', from, to, {
        weightGrams: weight,
        codAmount: 0,
        insuredValue: Number(q.value ?? 0),
      });
      return c.json({
        success: true,
        message: '',
        fee: {
          name: `area${Object.keys(DT).indexOf(zone) + 1}`,
          fee: fee.service,
          insurance_fee: fee.insurance,
          include_vat: 0,
          cost_id: 0,
          delivery_type: 'standard',
          a: 0,
          dt: DT[zone],
          extFees: [],
          delivery: true,
        },
      });
    });

    const createOrder = async (c: Context) => {
      const body = (await c.req.json().catch(() => undefined)) as
        | {
            products?: { name?: unknown; weight?: unknown; quantity?: unknown }[];
            order?: Record<string, unknown>;
          }
        | undefined;
      const order = body?.order;
      if (!order || !Array.isArray(body.products)) return fail(c, 'Thiếu products hoặc order');
      const id = typeof order.id === 'string' ? order.id : '';
      if (!id) return fail(c, 'order.id là bắt buộc');
      const existing = emulator.byClientCode('ghtk', id);
      if (existing) {
        return fail(c, `Mã đơn hàng ${id} đã tồn tại trong hệ thống`, {
          error: {
            code: 'ORDER_ID_EXIST',
            partner_id: id,
            ghtk_label: existing.code,
            created: vnTime(existing.createdAt),
            status: Number(existing.status),
          },
        });
      }
      const from = wardNamed(order.pick_province, order.pick_district, order.pick_ward);
      const to = wardNamed(order.province, order.district, order.ward);
      if (!from) return fail(c, 'Địa chỉ lấy hàng không hợp lệ');
      if (!to) return fail(c, 'Địa chỉ giao hàng không hợp lệ');
      for (const field of ['name', 'tel', 'address', 'pick_name', 'pick_tel'] as const) {
        if (typeof order[field] !== 'string' || !order[field]) return fail(c, `order.${field} là bắt buộc`);
      }
      const codAmount = Number(order.pick_money ?? 0);
      if (!Number.isInteger(codAmount) || codAmount < 0) return fail(c, 'pick_money: số đồng nguyên');
      const grams = Math.round(
        Number(order.total_weight ?? 0) * 1000 ||
          body.products.reduce((s, p) => s + Number(p.weight ?? 0) * Number(p.quantity ?? 1) * 1000, 0),
      );
      if (!(grams > 0)) return fail(c, 'Khối lượng đơn hàng không hợp lệ');
      const insuredValue = Number(order.value ?? 0);
      const { zone, fee } = emulator.quoteFor('ghtk', from, to, {
        weightGrams: grams,
        codAmount,
        insuredValue,
      });
      const expected = deliveryBy(emulator.now(), FEE_TABLES.ghtk.leadDays[zone]);
      const parcel = emulator.add({
        carrier: 'ghtk',
        code: `S885.A${Object.keys(DT).indexOf(zone) + 1}.${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
        clientCode: id,
        shopId: '885',
        fee,
        zone,
        codAmount,
        insuredValue,
        weightGrams: grams,
        size: { length: 0, width: 0, height: 0 },
        from: {
          name: String(order.pick_name),
          phone: String(order.pick_tel),
          address: String(order.pick_address ?? ''),
          ward: from,
        },
        to: { name: String(order.name), phone: String(order.tel), address: String(order.address), ward: to },
        items: body.products.map((p) => ({
          name: String(p.name ?? ''),
          quantity: Number(p.quantity ?? 1),
          weight: Math.round(Number(p.weight ?? 0) * 1000),
        })),
        note: String(order.note ?? ''),
        expectedDelivery: expected.toISOString(),
      });
      const day = vnTime(parcel.expectedDelivery).slice(0, 10);
      return c.json({
        success: true,
        message:
          'Các đơn hàng đã được add vào hệ thống GHTK thành công. Thông tin đơn hàng thành công được trả về trong trường success_orders.',
        order: {
          partner_id: id,
          label: parcel.code,
          area: String(Object.keys(DT).indexOf(zone) + 1),
          fee: String(fee.service + fee.cod),
          insurance_fee: String(fee.insurance),
          estimated_pick_time: `Sáng ${vnTime(parcel.createdAt).slice(0, 10)}`,
          estimated_deliver_time: `Chiều ${day}`,
          products: [],
          status_id: 2,
          tracking_id: Number(parcel.code.split('.').at(-1)),
          sorting_code: `${to.districtId}`,
        },
      });
    };
    app.post(`${base}/shipment/order`, createOrder);
    app.post(`${base}/shipment/order/`, createOrder);

    const find = (id: string) =>
      id.startsWith('partner_id:')
        ? emulator.byClientCode('ghtk', id.slice('partner_id:'.length))
        : emulator.parcel('ghtk', id);
    app.get(`${base}/shipment/v2/:id`, (c) => {
      const parcel = find(c.req.param('id'));
      return parcel
        ? c.json({ success: true, message: '', order: statusOf(parcel) })
        : fail(c, 'Không tìm thấy đơn hàng');
    });
    app.post(`${base}/shipment/cancel/:id`, (c) => {
      const parcel = find(c.req.param('id'));
      if (!parcel) return fail(c, 'Không tìm thấy đơn hàng');
      if (!ghtkEmulation.cancellable.includes(parcel.status)) {
        return fail(c, 'Đơn hàng đã được lấy, không thể hủy', { log_id: null });
      }
      emulator.setStatus(parcel, '-1');
      return c.json({ success: true, message: '', log_id: `${Date.now()}` });
    });
    app.get(`${base}/label/:label`, (c) => {
      const parcel = emulator.parcel('ghtk', c.req.param('label'));
      if (!parcel) return fail(c, 'Không tìm thấy đơn hàng');
      const pdf = textPdf([
        'Giao Hang Tiet Kiem',
        parcel.code,
        `Ma don KH: ${parcel.clientCode}`,
        `Gui: ${parcel.from.name} ${parcel.from.phone}`,
        `Nhan: ${parcel.to.name} ${parcel.to.phone}`,
        `${parcel.to.address}, ${parcel.to.ward.name}`,
        `Thu ho: ${parcel.codAmount} d - ${parcel.weightGrams} g`,
      ]);
      return c.body(pdf.buffer as ArrayBuffer, 200, { 'Content-Type': 'application/pdf' });
    });
  },
};
