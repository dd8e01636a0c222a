/**
 * GHN's side of its public API (shared/carriers/ghn.ts lists the routes and the sources), under
 * `/ghn`: headers `Token` and `ShopId`, the envelope `{code, message, data}` (HTTP 400 with
 * `code` 400 for a refused request, 401 for a bad token), master data from the former units
 * (master-data.ts), the fee table of fees.ts, a client_order_code used twice refused as GHN does,
 * and its status callbacks (`Type` "create", then "switch_status").
 */
import type { Context, Hono } from 'hono';
import { FEE_TABLES, deliveryBy } from './fees.ts';
import { formerUnits, shortProvinceName, type FormerWard } from './master-data.ts';
import {
  parcelCode,
  type CarrierEmulation,
  type CarrierEmulator,
  type EmulatedParcel,
  type Step,
} from './emulator.ts';

const API = '/ghn/shiip/public-api';
const DEFAULT_SHOP = '885';

const NEXT: Record<string, Step[]> = {
  ready_to_pick: ['picked'],
  picking: ['picked'],
  picked: ['in_transit', 'delivering'],
  transporting: ['delivering'],
  delivering: ['delivered', 'delivery_failed'],
  delivery_fail: ['delivering', 'returned'],
};

function ok(c: Context, data: unknown) {
  return c.json({ code: 200, message: 'Success', data });
}
function refuse(c: Context, message: string, codeMessage = 'USER_ERR_COMMON') {
  return c.json({ code: 400, message, data: null, code_message: codeMessage }, 400);
}

async function body(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET') return Object.fromEntries(new URL(c.req.url).searchParams);
  const parsed: unknown = await c.req.json().catch(() => undefined);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function detailOf(parcel: EmulatedParcel) {
  return {
    shop_id: Number(parcel.shopId),
    client_id: 1,
    order_code: parcel.code,
    client_order_code: parcel.clientCode,
    status: parcel.status,
    to_name: parcel.to.name,
    to_phone: parcel.to.phone,
    to_address: parcel.to.address,
    to_ward_code: parcel.to.ward.code,
    to_district_id: parcel.to.ward.districtId,
    weight: parcel.weightGrams,
    length: parcel.size.length,
    width: parcel.size.width,
    height: parcel.size.height,
    cod_amount: parcel.codAmount,
    insurance_value: parcel.insuredValue,
    content: parcel.items.map((i) => `${i.name} x${i.quantity}`).join(', '),
    items: parcel.items,
    leadtime: parcel.expectedDelivery,
    order_date: parcel.createdAt,
    updated_date: parcel.log.at(-1)!.at,
    log: parcel.log.map((l) => ({ status: l.status, updated_date: l.at })),
  };
}

export const ghnEmulation: CarrierEmulation = {
  id: 'ghn',
  name: 'Giao Hàng Nhanh (GHN)',
  initial: 'ready_to_pick',
  steps: {
    picked: 'picked',
    in_transit: 'transporting',
    delivering: 'delivering',
    delivered: 'delivered',
    delivery_failed: 'delivery_fail',
    returned: 'returned',
  },
  final: ['delivered', 'returned', 'cancel'],
  cancellable: ['ready_to_pick', 'picking', 'money_collect_picking'],
  next: (status) => NEXT[status] ?? [],

  webhookBody(parcel, status, at) {
    return {
      CODAmount: parcel.codAmount,
      CODTransferDate: null,
      ClientOrderCode: parcel.clientCode,
      ConvertedWeight: parcel.weightGrams,
      Description: status,
      Fee: {
        CODFailedFee: 0,
        CODFee: parcel.fee.cod,
        Coupon: 0,
        DeliverRemoteAreasFee: 0,
        DocumentReturn: 0,
        DoubleCheck: 0,
        Insurance: parcel.fee.insurance,
        MainService: parcel.fee.service,
        PickRemoteAreasFee: 0,
        R2S: 0,
        Return: 0,
        StationDO: 0,
        StationPU: 0,
        Total: parcel.fee.total,
      },
      Height: parcel.size.height,
      IsPartialReturn: false,
      Length: parcel.size.length,
      OrderCode: parcel.code,
      PartialReturnCode: '',
      PaymentType: 1,
      Reason: status === 'delivery_fail' ? (parcel.reason ?? '') : '',
      ReasonCode: status === 'delivery_fail' ? 'GHN-DFC1A2' : '',
      ShopID: Number(parcel.shopId),
      Status: status,
      Time: at.toISOString(),
      TotalFee: parcel.fee.total,
      Type: status === 'ready_to_pick' ? 'create' : 'switch_status',
      Warehouse: 'Bưu cục Thái Nguyên',
      Weight: parcel.weightGrams,
      Width: parcel.size.width,
    };
  },

  statement: {
    columns: [
      'Mã đơn GHN',
      'Mã đơn khách hàng',
      'Ngày giao thành công',
      'Tiền thu hộ (COD)',
      'Tổng phí',
      'Trạng thái',
    ],
    row: (p) => [
      p.code,
      p.clientCode,
      p.log.findLast((l) => l.status === 'delivered')!.at,
      p.codCollected ?? p.codAmount,
      p.fee.total,
      'Đã giao',
    ],
  },

  routes(app: Hono, emulator: CarrierEmulator) {
    const units = formerUnits();
    const token = () => emulator.options.tokens.ghn.api;

    app.use(`${API}/*`, async (c, next) => {
      if (c.req.header('Token') !== token())
        return c.json({ code: 401, message: 'Token is not valid!', data: null }, 401);
      return next();
    });

    const shopOf = (c: Context) => c.req.header('ShopId') ?? DEFAULT_SHOP;
    const ward = (districtId: unknown, wardCode: unknown): FormerWard | undefined => {
      const w = units.wardByCode.get(String(wardCode ?? ''));
      return w && w.districtId === Number(districtId) ? w : undefined;
    };

    // Master data: GET or POST, ids in the query or the body as GHN takes them.
    app.on(['GET', 'POST'], `${API}/master-data/province`, (c) =>
      ok(
        c,
        units.provinces.map((p) => ({
          ProvinceID: p.id,
          ProvinceName: shortProvinceName(p.name),
          Code: String(p.id),
          NameExtension: [p.name, shortProvinceName(p.name)],
        })),
      ),
    );
    app.on(['GET', 'POST'], `${API}/master-data/district`, async (c) => {
      const provinceId = Number((await body(c)).province_id);
      return ok(
        c,
        units.districts
          .filter((d) => !provinceId || d.provinceId === provinceId)
          .map((d) => ({
            DistrictID: d.id,
            ProvinceID: d.provinceId,
            DistrictName: d.name,
            SupportType: 3,
            NameExtension: [d.name],
          })),
      );
    });
    app.on(['GET', 'POST'], `${API}/master-data/ward`, async (c) => {
      const districtId = Number((await body(c)).district_id);
      if (!districtId) return refuse(c, 'district_id is required');
      return ok(
        c,
        units.wards
          .filter((w) => w.districtId === districtId)
          .map((w) => ({
            WardCode: w.code,
            DistrictID: w.districtId,
            WardName: w.name,
            NameExtension: [w.name],
          })),
      );
    });

    app.post(`${API}/v2/shipping-order/fee`, async (c) => {
      const b = await body(c);
      const from = ward(b.from_district_id, b.from_ward_code);
      const to = ward(b.to_district_id, b.to_ward_code);
      if (!from || !to)
        return refuse(
          c,
          'Không tìm thấy tuyến: mã quận/huyện hoặc phường/xã không hợp lệ',
          'ROUTE_NOT_FOUND',
        );
      const weight = Number(b.weight);
      if (!Number.isInteger(weight) || weight <= 0 || weight > 50_000)
        return refuse(c, 'weight: 1–50000 gram');
      const { fee } = emulator.quoteFor('ghn', from, to, {
        weightGrams: weight,
        codAmount: Number(b.cod_value ?? 0),
        insuredValue: Number(b.insurance_value ?? 0),
      });
      return ok(c, {
        total: fee.total,
        service_fee: fee.service,
        insurance_fee: fee.insurance,
        pick_station_fee: 0,
        coupon_value: 0,
        r2s_fee: 0,
        return_again: 0,
        document_return: 0,
        double_check: 0,
        cod_fee: fee.cod,
        pick_remote_areas_fee: 0,
        deliver_remote_areas_fee: 0,
        cod_failed_fee: 0,
      });
    });

    app.post(`${API}/v2/shipping-order/leadtime`, async (c) => {
      const b = await body(c);
      const from = ward(b.from_district_id, b.from_ward_code);
      const to = ward(b.to_district_id, b.to_ward_code);
      if (!from || !to)
        return refuse(
          c,
          'Không tìm thấy tuyến: mã quận/huyện hoặc phường/xã không hợp lệ',
          'ROUTE_NOT_FOUND',
        );
      const { zone } = emulator.quoteFor('ghn', from, to, {
        weightGrams: 500,
        codAmount: 0,
        insuredValue: 0,
      });
      const now = emulator.now();
      return ok(c, {
        leadtime: Math.floor(deliveryBy(now, FEE_TABLES.ghn.leadDays[zone]).getTime() / 1000),
        order_date: Math.floor(now.getTime() / 1000),
      });
    });

    app.post(`${API}/v2/shipping-order/create`, async (c) => {
      const b = await body(c);
      const shopId = shopOf(c);
      const clientCode = typeof b.client_order_code === 'string' ? b.client_order_code : '';
      if (clientCode && emulator.byClientCode('ghn', clientCode, shopId)) {
        return refuse(
          c,
          `Mã đơn hàng của khách hàng (client_order_code) ${clientCode} đã tồn tại`,
          'ORDER_CODE_EXISTED',
        );
      }
      const to = ward(b.to_district_id, b.to_ward_code);
      if (!to) return refuse(c, 'to_ward_code, to_district_id: phường/xã không hợp lệ');
      for (const field of ['to_name', 'to_phone', 'to_address'] as const) {
        if (typeof b[field] !== 'string' || !b[field]) return refuse(c, `${field} is required`);
      }
      const weight = Number(b.weight);
      if (!Number.isInteger(weight) || weight <= 0 || weight > 50_000)
        return refuse(c, 'weight: 1–50000 gram');
      const from = ward(b.return_district_id, b.return_ward_code) ?? to;
      const codAmount = Number(b.cod_amount ?? 0);
      if (!Number.isInteger(codAmount) || codAmount < 0 || codAmount > 50_000_000)
        return refuse(c, 'cod_amount: 0–50000000');
      const insuredValue = Number(b.insurance_value ?? 0);
      const { zone, fee } = emulator.quoteFor('ghn', from, to, {
        weightGrams: weight,
        codAmount,
        insuredValue,
      });
      const expected = deliveryBy(emulator.now(), FEE_TABLES.ghn.leadDays[zone]);
      const parcel = emulator.add({
        carrier: 'ghn',
        code: parcelCode('G', 7),
        clientCode: clientCode || parcelCode('GHN', 8),
        shopId,
        fee,
        zone,
        codAmount,
        insuredValue,
        weightGrams: weight,
        size: { length: Number(b.length ?? 0), width: Number(b.width ?? 0), height: Number(b.height ?? 0) },
        from: {
          name: String(b.from_name ?? ''),
          phone: String(b.from_phone ?? ''),
          address: String(b.from_address ?? ''),
          ward: from,
        },
        to: { name: String(b.to_name), phone: String(b.to_phone), address: String(b.to_address), ward: to },
        items: Array.isArray(b.items)
          ? (b.items as { name?: unknown; quantity?: unknown; weight?: unknown }[]).map((i) => ({
              name: String(i.name ?? ''),
              quantity: Number(i.quantity ?? 1),
              weight: Number(i.weight ?? 0),
            }))
          : [],
        note: String(b.note ?? ''),
        expectedDelivery: expected.toISOString(),
      });
      return ok(c, {
        order_code: parcel.code,
        sort_code: `${to.districtId}-${to.code.slice(-2)}`,
        trans_type: 'truck',
        ward_encode: '',
        district_encode: '',
        fee: {
          main_service: fee.service,
          insurance: fee.insurance,
          station_do: 0,
          station_pu: 0,
          return: 0,
          r2s: 0,
          coupon: 0,
          cod_failed_fee: 0,
        },
        total_fee: fee.total,
        expected_delivery_time: parcel.expectedDelivery,
      });
    });

    app.post(`${API}/v2/shipping-order/detail`, async (c) => {
      const parcel = emulator.parcel('ghn', String((await body(c)).order_code ?? ''));
      return parcel ? ok(c, detailOf(parcel)) : refuse(c, 'Không tìm thấy đơn hàng', 'ORDER_NOT_FOUND');
    });
    app.post(`${API}/v2/shipping-order/detail-by-client-code`, async (c) => {
      const parcel = emulator.byClientCode('ghn', String((await body(c)).client_order_code ?? ''), shopOf(c));
      return parcel ? ok(c, detailOf(parcel)) : refuse(c, 'Không tìm thấy đơn hàng', 'ORDER_NOT_FOUND');
    });

    app.post(`${API}/v2/switch-status/cancel`, async (c) => {
      const codes = (await body(c)).order_codes;
      if (!Array.isArray(codes) || codes.length === 0) return refuse(c, 'order_codes is required');
      return ok(
        c,
        codes.map((code) => {
          const parcel = emulator.parcel('ghn', String(code));
          if (!parcel) return { order_code: String(code), result: false, message: 'Không tìm thấy đơn hàng' };
          if (!ghnEmulation.cancellable.includes(parcel.status)) {
            return {
              order_code: parcel.code,
              result: false,
              message: 'Đơn hàng không thể hủy ở trạng thái hiện tại',
            };
          }
          emulator.setStatus(parcel, 'cancel');
          return { order_code: parcel.code, result: true, message: 'OK' };
        }),
      );
    });

    const printTokens = new Map<string, string[]>();
    app.post(`${API}/v2/a5/gen-token`, async (c) => {
      const codes = (await body(c)).order_codes;
      if (!Array.isArray(codes) || codes.length === 0) return refuse(c, 'order_codes is required');
      const missing = codes.find((code) => !emulator.parcel('ghn', String(code)));
      if (missing) return refuse(c, `Không tìm thấy đơn hàng ${String(missing)}`, 'ORDER_NOT_FOUND');
      const printToken = crypto.randomUUID();
      printTokens.set(printToken, codes.map(String));
      return ok(c, { token: printToken });
    });
    app.get('/ghn/a5/public-api/printA5', (c) => {
      const codes = printTokens.get(c.req.query('token') ?? '');
      if (!codes) return c.html('<!doctype html><p>Token không hợp lệ hoặc đã hết hạn</p>', 404);
      const labels = codes
        .map((code) => emulator.parcel('ghn', code)!)
        .map(labelHtml)
        .join('');
      return c.html(
        `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Nhãn GHN</title>` +
          `<style>body{font-family:sans-serif}.label{border:2px solid #000;padding:12px;margin:8px;width:560px;page-break-after:always}.code{font-size:28px;font-weight:bold;letter-spacing:2px}</style>` +
          `</head><body>${labels}</body></html>`,
      );
    });
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function labelHtml(p: EmulatedParcel): string {
  return (
    `<div class="label"><div>Giao Hàng Nhanh</div><div class="code">${escapeHtml(p.code)}</div>` +
    `<div>Mã đơn khách hàng: ${escapeHtml(p.clientCode)}</div>` +
    `<div>Gửi: ${escapeHtml(p.from.name)} — ${escapeHtml(p.from.phone)}</div>` +
    `<div>Nhận: ${escapeHtml(p.to.name)} — ${escapeHtml(p.to.phone)}</div>` +
    `<div>${escapeHtml(p.to.address)}, ${escapeHtml(p.to.ward.name)}</div>` +
    `<div>Thu hộ (COD): ${p.codAmount.toLocaleString('vi-VN')} đ · ${p.weightGrams} g</div></div>`
  );
}
