/**
 * The cooperative's order reports, computed from its sub-orders: the day's packing list, the
 * settlement with each household, and the weekly sales. Pure: no database, no clock (callers
 * pass `today`), type-only imports — the seller pages bundle this file.
 *
 * Days are Vietnamese days (UTC+7, no daylight saving): an order placed at 23:30 in Thái
 * Nguyên belongs to that day, although it is the next day in UTC.
 */
import type { Order, OrderLine, OrderStatus, SubOrder } from './model.ts';

/* ---------- days ---------- */

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The Vietnamese calendar day (YYYY-MM-DD) of an instant. */
export function vnDay(at: string | Date): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** A day `n` days after (or before, for negative `n`) `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string | null | undefined): value is string {
  return typeof value === 'string' && ISO_DAY.test(value) && addDays(value, 0) === value;
}

/** The Monday of the week `day` falls in. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/**
 * The API's `from`/`to` filter compares UTC dates: asking from the day before covers the
 * Vietnamese morning hours (00:00–07:00 is the previous UTC day). Filter with `inDays` after.
 */
export function apiRange(from: string, to: string): { from: string; to: string } {
  return { from: addDays(from, -1), to };
}

export function inDays(sub: Pick<SubOrder, 'createdAt'>, from: string, to: string): boolean {
  const day = vnDay(sub.createdAt);
  return day >= from && day <= to;
}

/* ---------- what a manager may do next ---------- */

/**
 * The manager's next steps from each status: the `manager` edges of TRANSITIONS in model.ts
 * (kept here so the browser need not bundle the checkout schemas; a unit test holds the two
 * together). Refunds go through the payment pages, not this board.
 */
export const MANAGER_NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['cancelled'],
  placed: ['confirmed', 'cancelled'],
  confirmed: ['packed', 'cancelled'],
  packed: ['shipped', 'cancelled'],
  shipped: ['delivered', 'cancelled'],
  delivered: ['completed'],
  completed: [],
  cancelled: [],
  refunded: [],
  expired: [],
};

/**
 * Who took a step, in the board's words. The history stores `shopper` (placing, confirming a COD
 * order from the phone, cancelling), `payment` (an online payment that succeeded), `system`
 * (expiry, automatic completion) or the account id of the manager (or admin) who acted.
 */
export function stepActor(by: string): string {
  if (by === 'shopper') return 'Người mua';
  if (by === 'payment') return 'Hệ thống (thanh toán trực tuyến)';
  if (by === 'system') return 'Hệ thống';
  return 'Quản lý HTX';
}

/* ---------- packing list ---------- */

/** Sub-orders still to be packed: new and confirmed ones. */
export const TO_PACK: readonly OrderStatus[] = ['placed', 'confirmed'];

export interface PackingProduct {
  productId: string;
  productName: string;
  packs: { variantId: string; pack: string; quantity: number }[];
  /** Packs of every size together. */
  quantity: number;
}

export interface PackingHousehold {
  producerId: string;
  producerName: string;
  items: { variantId: string; productName: string; pack: string; quantity: number; orderCodes: string[] }[];
  quantity: number;
}

/**
 * A sub-order as the board's list gives it (shared/orders/board.ts): with its order's payment
 * method, buyer and delivery.
 */
export type BoardListItem = SubOrder & Partial<Pick<Order, 'paymentMethod' | 'contact' | 'delivery'>>;

/** What the packing list reads: sub-orders, with the buyer and delivery when known. */
export type PackingInput = SubOrder & Partial<Pick<Order, 'contact' | 'delivery'>>;

export interface PackingOrder extends Partial<Pick<Order, 'contact' | 'delivery'>> {
  orderCode: string;
  status: OrderStatus;
  createdAt: string;
  quantity: number;
}

export interface PackingList {
  /** Oldest first, each with where it goes (when the input had it). */
  orders: PackingOrder[];
  products: PackingProduct[];
  households: PackingHousehold[];
  quantity: number;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'vi');

/**
 * What to pack: total packs per product and size, and who supplies what (household by
 * household, with the orders each line is for). Sub-orders outside `statuses` are left out.
 */
export function packingList(
  subOrders: readonly PackingInput[],
  statuses: readonly OrderStatus[] = TO_PACK,
): PackingList {
  const chosen = subOrders
    // A pre-order waits for its harvest: packed only once allocated (shared/preorders).
    .filter((s) => statuses.includes(s.status) && (!s.preorder || s.preorder.allocatedAt))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orderCode.localeCompare(b.orderCode));
  const products = new Map<string, PackingProduct>();
  const households = new Map<string, PackingHousehold>();
  for (const sub of chosen) {
    for (const line of sub.lines) {
      const product = products.get(line.productId) ?? {
        productId: line.productId,
        productName: line.productName,
        packs: [],
        quantity: 0,
      };
      products.set(line.productId, product);
      const pack = product.packs.find((p) => p.variantId === line.variantId);
      if (pack) pack.quantity += line.quantity;
      else product.packs.push({ variantId: line.variantId, pack: line.pack, quantity: line.quantity });
      product.quantity += line.quantity;

      const household = households.get(line.producerId) ?? {
        producerId: line.producerId,
        producerName: line.producerName,
        items: [],
        quantity: 0,
      };
      households.set(line.producerId, household);
      const item = household.items.find((i) => i.variantId === line.variantId);
      if (item) {
        item.quantity += line.quantity;
        if (!item.orderCodes.includes(sub.orderCode)) item.orderCodes.push(sub.orderCode);
      } else {
        household.items.push({
          variantId: line.variantId,
          productName: line.productName,
          pack: line.pack,
          quantity: line.quantity,
          orderCodes: [sub.orderCode],
        });
      }
      household.quantity += line.quantity;
    }
  }
  const productList = [...products.values()].sort((a, b) => byName(a.productName, b.productName));
  for (const p of productList) p.packs.sort((a, b) => byName(a.pack, b.pack));
  const householdList = [...households.values()].sort((a, b) => byName(a.producerName, b.producerName));
  for (const hh of householdList)
    hh.items.sort((a, b) => byName(a.productName, b.productName) || byName(a.pack, b.pack));
  return {
    orders: chosen.map((s) => ({
      orderCode: s.orderCode,
      status: s.status,
      createdAt: s.createdAt,
      quantity: s.lines.reduce((n, l) => n + l.quantity, 0),
      ...(s.contact ? { contact: s.contact } : {}),
      ...(s.delivery ? { delivery: s.delivery } : {}),
    })),
    products: productList,
    households: householdList,
    quantity: productList.reduce((n, p) => n + p.quantity, 0),
  };
}

/* ---------- settlement ---------- */

/** Sold means delivered to the shopper (or completed after that); refunds are not sold. */
export const SOLD: readonly OrderStatus[] = ['delivered', 'completed'];

export interface SettlementOptions {
  /** The cooperative's commission on sales, in percent (0–100); 0 by default. */
  commissionPercent?: number;
  /**
   * The cooperative the sub-orders belong to: its own products are its own row (`kind:
   * 'cooperative'`), not a household's. Every other producer in its orders is a member household.
   */
  fulfillerId?: string;
}

export interface SettlementProduct {
  variantId: string;
  productId: string;
  productName: string;
  pack: string;
  quantity: number;
  amount: number;
}

export interface SettlementHousehold {
  producerId: string;
  producerName: string;
  /** A member household, or the cooperative itself (its own products). */
  kind: 'household' | 'cooperative';
  products: SettlementProduct[];
  quantity: number;
  /** Value of the household's sold lines (unit price × quantity), shipping not included. */
  amount: number;
  /** Part of `amount` the cooperative collected in cash on delivery (COD). */
  codCollected: number;
  /** Part of `amount` paid online (VNPay, VietQR): it reaches the cooperative by payout. */
  paidOnline: number;
  /** The cooperative's commission, rounded to whole đồng. */
  commission: number;
  /** What the cooperative owes the household: amount − commission. */
  owed: number;
}

export interface Settlement {
  commissionPercent: number;
  /** Every producer with sold lines: the member households, and the cooperative's own row. */
  households: SettlementHousehold[];
  /** How many of them are households ("hộ"): the cooperative's own row is not counted. */
  householdCount: number;
  totals: Omit<SettlementHousehold, 'producerId' | 'producerName' | 'kind' | 'products'>;
  /**
   * The carriers' side (sold parts shipped with GHN, GHTK …): the COD they collected for the
   * cooperative, what their statements paid out of it, and their fees above the checkout quotes
   * (the cooperative's cost).
   */
  carriers: CarrierSettlement;
}

export interface CarrierSettlement {
  /** Sold parts with a carrier's shipment. */
  shipments: number;
  /** COD the carriers collected (or were to collect), VND. */
  codExpected: number;
  /** COD the carriers' imported statements paid, VND. */
  codRemitted: number;
  /** Parts whose COD no statement has paid yet. */
  codOutstanding: number;
  /** What the carriers charged above the checkout quotes, VND. */
  extraCost: number;
}

/**
 * What the cooperative owes each household for the sub-orders given (the caller picks the
 * date range): the household's lines in delivered or completed sub-orders, less the
 * cooperative's commission. Cash collected on delivery is shown apart, since the cooperative
 * holds it already; cancelled, refunded and undelivered orders owe nothing.
 */
export function settlement(subOrders: readonly SubOrder[], options: SettlementOptions = {}): Settlement {
  const percent = options.commissionPercent ?? 0;
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError('commissionPercent must be between 0 and 100');
  }
  const households = new Map<string, SettlementHousehold>();
  for (const sub of subOrders) {
    if (!SOLD.includes(sub.status)) continue;
    for (const line of sub.lines) {
      const hh =
        households.get(line.producerId) ??
        emptyHousehold(line, line.producerId === options.fulfillerId ? 'cooperative' : 'household');
      households.set(line.producerId, hh);
      const product = hh.products.find((p) => p.variantId === line.variantId);
      if (product) {
        product.quantity += line.quantity;
        product.amount += line.lineTotal;
      } else {
        hh.products.push({
          variantId: line.variantId,
          productId: line.productId,
          productName: line.productName,
          pack: line.pack,
          quantity: line.quantity,
          amount: line.lineTotal,
        });
      }
      hh.quantity += line.quantity;
      hh.amount += line.lineTotal;
      if (sub.cashCollected === true) hh.codCollected += line.lineTotal;
      else hh.paidOnline += line.lineTotal;
    }
  }
  const carriers: CarrierSettlement = {
    shipments: 0,
    codExpected: 0,
    codRemitted: 0,
    codOutstanding: 0,
    extraCost: 0,
  };
  for (const sub of subOrders) {
    const shipment = sub.shipment;
    if (!SOLD.includes(sub.status) || !shipment || shipment.stage === 'cancelled') continue;
    carriers.shipments += 1;
    carriers.extraCost += shipment.extraCost ?? 0;
    if (shipment.codAmount > 0) {
      carriers.codExpected += shipment.codCollected ?? shipment.codAmount;
      carriers.codRemitted += shipment.codRemitted?.amount ?? 0;
      if (!shipment.codRemitted) carriers.codOutstanding += 1;
    }
  }
  const list = [...households.values()].sort((a, b) => byName(a.producerName, b.producerName));
  for (const hh of list) {
    hh.products.sort((a, b) => byName(a.productName, b.productName) || byName(a.pack, b.pack));
    hh.commission = Math.round((hh.amount * percent) / 100);
    hh.owed = hh.amount - hh.commission;
  }
  const total = (key: 'quantity' | 'amount' | 'codCollected' | 'paidOnline' | 'commission' | 'owed') =>
    list.reduce((n, hh) => n + hh[key], 0);
  return {
    commissionPercent: percent,
    households: list,
    householdCount: list.filter((hh) => hh.kind === 'household').length,
    totals: {
      quantity: total('quantity'),
      amount: total('amount'),
      codCollected: total('codCollected'),
      paidOnline: total('paidOnline'),
      commission: total('commission'),
      owed: total('owed'),
    },
    carriers,
  };
}

function emptyHousehold(line: OrderLine, kind: SettlementHousehold['kind']): SettlementHousehold {
  return {
    producerId: line.producerId,
    producerName: line.producerName,
    kind,
    products: [],
    quantity: 0,
    amount: 0,
    codCollected: 0,
    paidOnline: 0,
    commission: 0,
    owed: 0,
  };
}

/* ---------- CSV ---------- */

/**
 * Fields are separated by commas (RFC 4180), or by semicolons for Excel on a computer set to
 * Vietnamese (or most European) regional settings: there the decimal mark is the comma, so Excel
 * opens a CSV with the list separator `;` and would put a comma-separated file in one column.
 */
export type CsvSeparator = ',' | ';';

/**
 * One RFC 4180 field: quoted when it holds the separator, a quote, CR or LF (quotes doubled).
 * Text that a spreadsheet would run as a formula (= + - @ at the start) gets a leading
 * apostrophe; numbers (whole đồng and counts, no decimal mark) are written as they are.
 */
export function csvField(value: string | number, separator: CsvSeparator = ','): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  const special = separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text: CRLF line ends, a final CRLF. */
export function toCsv(
  rows: readonly (readonly (string | number)[])[],
  separator: CsvSeparator = ',',
): string {
  return rows.map((row) => row.map((v) => csvField(v, separator)).join(separator)).join('\r\n') + '\r\n';
}

/** The byte-order mark that makes Excel read the file as UTF-8 (Vietnamese diacritics). */
export const UTF8_BOM = '\uFEFF';

export const SETTLEMENT_HEADER = [
  'Từ ngày',
  'Đến ngày',
  'Mã hộ',
  'Hộ sản xuất',
  'Sản phẩm',
  'Gói',
  'Số lượng',
  'Thành tiền (đồng)',
  'Đã thu tiền mặt COD (đồng)',
  'Thanh toán trực tuyến (đồng)',
  'Hoa hồng HTX (đồng)',
  'HTX trả hộ (đồng)',
] as const;

/**
 * The settlement as a CSV file's text (with the UTF-8 BOM): one row per household and pack,
 * then the household's total row (where the COD, online, commission and owed columns are
 * filled), then the grand total. `separator: ';'` is the variant Excel opens in columns under
 * Vietnamese regional settings.
 */
export function settlementCsv(
  result: Settlement,
  range: { from: string; to: string },
  separator: CsvSeparator = ',',
): string {
  const rows: (string | number)[][] = [[...SETTLEMENT_HEADER]];
  for (const hh of result.households) {
    for (const p of hh.products) {
      rows.push([
        range.from,
        range.to,
        hh.producerId,
        hh.producerName,
        p.productName,
        p.pack,
        p.quantity,
        p.amount,
      ]);
    }
    rows.push([
      range.from,
      range.to,
      hh.producerId,
      hh.producerName,
      hh.kind === 'cooperative' ? 'Tổng hàng của HTX' : 'Tổng của hộ',
      '',
      hh.quantity,
      hh.amount,
      hh.codCollected,
      hh.paidOnline,
      hh.commission,
      hh.owed,
    ]);
  }
  const t = result.totals;
  rows.push([
    range.from,
    range.to,
    '',
    'Tổng cộng',
    '',
    '',
    t.quantity,
    t.amount,
    t.codCollected,
    t.paidOnline,
    t.commission,
    t.owed,
  ]);
  const c = result.carriers;
  if (c.shipments > 0) {
    // The carriers' COD and extra cost, after the households: the amount column holds them.
    const carrierRow = (label: string, amount: number) => [
      range.from,
      range.to,
      '',
      label,
      '',
      '',
      '',
      amount,
    ];
    rows.push(carrierRow('COD đơn vị vận chuyển đã thu', c.codExpected));
    rows.push(carrierRow('COD đơn vị vận chuyển đã trả (bảng kê)', c.codRemitted));
    rows.push(carrierRow('COD còn chờ đơn vị vận chuyển trả', c.codExpected - c.codRemitted));
    rows.push(carrierRow('Cước vận chuyển HTX chịu thêm', c.extraCost));
  }
  return UTF8_BOM + toCsv(rows, separator);
}

/* ---------- weekly sales ---------- */

export interface WeekSales {
  /** Monday of the week (YYYY-MM-DD). */
  weekStart: string;
  /** Sunday of the week. */
  weekEnd: string;
  /** Value of the lines delivered that week (shipping not included). */
  revenue: number;
  /** Sub-orders delivered that week. */
  orders: number;
}

/** When a sub-order was delivered: its `delivered` step, or its creation for older data. */
function deliveredAt(sub: SubOrder): string {
  return sub.history.find((step) => step.status === 'delivered')?.at ?? sub.createdAt;
}

/**
 * Revenue of the last `weeks` weeks (Monday to Sunday, Vietnamese days), oldest first, the
 * current week last: delivered and completed sub-orders counted in the week of delivery.
 */
export function weeklySales(subOrders: readonly SubOrder[], today: string, weeks = 8): WeekSales[] {
  const lastMonday = mondayOf(today);
  const list: WeekSales[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const weekStart = addDays(lastMonday, -7 * i);
    list.push({ weekStart, weekEnd: addDays(weekStart, 6), revenue: 0, orders: 0 });
  }
  const first = list[0]!.weekStart;
  for (const sub of subOrders) {
    if (!SOLD.includes(sub.status)) continue;
    const day = vnDay(deliveredAt(sub));
    if (day < first || day > addDays(lastMonday, 6)) continue;
    const week = list[Math.floor((Date.parse(day) - Date.parse(first)) / (7 * DAY_MS))]!;
    week.revenue += sub.lines.reduce((n, l) => n + l.lineTotal, 0);
    week.orders += 1;
  }
  return list;
}

/** Earliest day to fetch for `weeklySales`: orders are listed by creation, delivery comes later. */
export function weeklySalesFrom(today: string, weeks = 8): string {
  return addDays(mondayOf(today), -7 * (weeks - 1) - 30);
}
