/**
 * COD settlement: a carrier pays out the cash it collected at the door in periodic transfers,
 * each with a statement (a CSV file in the carrier's columns). Importing one marks each order
 * part's COD as remitted and lists the differences:
 *  - missing: parts the carrier delivered with COD that no statement has paid yet;
 *  - short: a part paid less than the carrier collected;
 *  - extra: a code the exchange does not know (or another cooperative's), a part paid more than
 *    was collected, or paid again by another statement.
 * A statement is known by a digest of its carrier and rows: importing it again changes nothing
 * and answers the first import's result.
 */
import { createHash } from 'node:crypto';
import type { CarrierId } from '../carriers/types.ts';
import { getOrderWithSubs } from '../db/orders.ts';
import {
  deleteCodDueItem,
  findShipmentCode,
  getCodStatement,
  listCodDue,
  putCodStatement,
} from '../db/shipments.ts';
import { forbidden, invalid } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { canManageSubOrder, changeOrder } from './lifecycle.ts';
import type { SubOrder } from './model.ts';

export interface StatementRow {
  /** The carrier's code of the parcel (GHN order_code, GHTK label). */
  carrierCode?: string;
  /** Our client code (`TN-ABCDE-1`), when the statement has it. */
  clientCode?: string;
  amount: number;
}

export interface CodDifference {
  orderCode?: string;
  carrierCode?: string;
  clientCode?: string;
  /** What the carrier collected (or was to collect), VND. */
  expected?: number;
  /** What this statement pays, VND. */
  remitted?: number;
  reason?: 'unknown_code' | 'more_than_collected' | 'paid_before' | 'repeated_row';
}

export interface CodStatementResult {
  statementId: string;
  carrier: CarrierId;
  importedAt: string;
  rows: number;
  /** Parts marked remitted by this statement. */
  matched: number;
  /** The statement's total, VND. */
  remittedTotal: number;
  missing: CodDifference[];
  short: CodDifference[];
  extra: CodDifference[];
  /** True when this statement had been imported before (nothing changed this time). */
  repeated?: boolean;
}

/* ---------- the statement file ---------- */

/** Column names as the carriers' statements and our emulators write them (compared folded). */
const CARRIER_CODE = [
  'order_code',
  'ordercode',
  'ma_don_hang',
  'ma_van_don',
  'ma_don_ghn',
  'ma_don_ghtk',
  'label',
  'label_id',
  'ma_vd',
  'order_number',
];
const CLIENT_CODE = [
  'client_order_code',
  'clientordercode',
  'ma_don_khach_hang',
  'ma_don_shop',
  'ma_don_noi_bo',
  'partner_id',
  'order_id',
  'ma_don_cua_shop',
  'ma_don_kh',
];
const AMOUNT = [
  'cod_amount',
  'codamount',
  'cod',
  'tien_thu_ho',
  'thu_ho',
  'so_tien_thu_ho',
  'tien_cod',
  'cod_collected',
  'collected_cod',
  'so_tien_cod',
  'money_collection',
];

/** `Mã đơn hàng` → `ma_don_hang`: lower case, no diacritics, words joined by `_`. */
export function foldHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** RFC 4180 rows (quoted fields, doubled quotes), with `,` or `;` (whichever the header uses). */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/** "1.250.000", "1,250,000 đ", "1250000" → 1250000 (whole đồng). */
function amountOf(cell: string): number | undefined {
  const digits = cell.replace(/[\s.,đ₫]|VND|vnd/g, '');
  return /^\d{1,12}$/.test(digits) ? Number(digits) : undefined;
}

/** The rows of a carrier's COD statement; a clear refusal when its columns are not recognised. */
export function parseCodStatement(text: string): StatementRow[] {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map(foldHeader);
  const col = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const code = col(CARRIER_CODE);
  const client = col(CLIENT_CODE);
  const amount = col(AMOUNT);
  if ((code === -1 && client === -1) || amount === -1) {
    throw invalid(
      'cod_statement.columns',
      'Không nhận ra bảng kê COD: cần cột mã vận đơn (hoặc mã đơn của shop) và cột tiền thu hộ (COD), ' +
        'như tệp tải từ trang của đơn vị vận chuyển / Unrecognised statement: it needs the order code and COD amount columns',
    );
  }
  const out: StatementRow[] = [];
  rows.slice(1).forEach((cells, i) => {
    const value = amountOf(cells[amount] ?? '');
    const carrierCode = code === -1 ? '' : (cells[code] ?? '').trim();
    const clientCode = client === -1 ? '' : (cells[client] ?? '').trim();
    if (value === undefined || (!carrierCode && !clientCode)) {
      throw invalid(
        'cod_statement.row',
        `Dòng ${i + 2} của bảng kê thiếu mã đơn hoặc số tiền thu hộ không hợp lệ / Row ${i + 2}: missing code or bad amount`,
      );
    }
    out.push({
      ...(carrierCode ? { carrierCode } : {}),
      ...(clientCode ? { clientCode } : {}),
      amount: value,
    });
  });
  if (out.length === 0) {
    throw invalid('cod_statement.empty', 'Bảng kê COD không có dòng nào / The statement has no rows');
  }
  return out;
}

/* ---------- the import ---------- */

const CLIENT_CODE_SHAPE = /^(TN-[2-9A-HJKMNP-Z]{5})-(\d+)(?:-\d+)?$/;

async function partOfRow(
  carrier: CarrierId,
  row: StatementRow,
  fulfillerId: string,
): Promise<{ orderCode: string; sub: SubOrder } | undefined> {
  let orderCode: string | undefined;
  if (row.carrierCode) {
    const found = await findShipmentCode(carrier, row.carrierCode);
    if (found && found.fulfillerId === fulfillerId) orderCode = found.orderCode;
  }
  if (!orderCode && row.clientCode) orderCode = CLIENT_CODE_SHAPE.exec(row.clientCode)?.[1];
  if (!orderCode) return undefined;
  const found = await getOrderWithSubs(orderCode);
  const sub = found?.subs.find((s) => s.fulfillerId === fulfillerId);
  if (!sub?.shipment || sub.shipment.carrier !== carrier) return undefined;
  if (row.carrierCode && sub.shipment.carrierCode !== row.carrierCode) return undefined;
  if (row.clientCode && sub.shipment.clientCode !== row.clientCode) return undefined;
  return { orderCode, sub };
}

/** Imports a carrier's COD statement for a cooperative (its own parts only). */
export async function importCodStatement(
  principal: Principal,
  fulfillerId: string,
  input: { carrier: CarrierId; csv: string },
  deps: { now: Date },
): Promise<CodStatementResult> {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden('order.forbidden', 'Bạn không quản lý đơn hàng của đơn vị này / Not your orders');
  }
  const rows = parseCodStatement(input.csv);
  const digest = createHash('sha256').update(input.carrier);
  for (const row of rows) digest.update(`\n${row.carrierCode ?? ''};${row.clientCode ?? ''};${row.amount}`);
  const statementId = digest.digest('hex').slice(0, 24);
  const before = await getCodStatement<CodStatementResult>(fulfillerId, statementId);
  if (before) return { ...before, repeated: true };

  const at = deps.now.toISOString();
  const result: CodStatementResult = {
    statementId,
    carrier: input.carrier,
    importedAt: at,
    rows: rows.length,
    matched: 0,
    remittedTotal: rows.reduce((sum, r) => sum + r.amount, 0),
    missing: [],
    short: [],
    extra: [],
  };
  const seen = new Set<string>();
  for (const row of rows) {
    const label = {
      ...(row.carrierCode ? { carrierCode: row.carrierCode } : {}),
      ...(row.clientCode ? { clientCode: row.clientCode } : {}),
    };
    const part = await partOfRow(input.carrier, row, fulfillerId);
    if (!part) {
      result.extra.push({ ...label, remitted: row.amount, reason: 'unknown_code' });
      continue;
    }
    const shipment = part.sub.shipment!;
    const expected = shipment.codCollected ?? shipment.codAmount;
    const where = {
      orderCode: part.orderCode,
      carrierCode: shipment.carrierCode,
      clientCode: shipment.clientCode,
    };
    if (seen.has(part.orderCode)) {
      result.extra.push({ ...where, expected, remitted: row.amount, reason: 'repeated_row' });
      continue;
    }
    seen.add(part.orderCode);
    if (shipment.codRemitted && shipment.codRemitted.statementId !== statementId) {
      result.extra.push({ ...where, expected, remitted: row.amount, reason: 'paid_before' });
      continue;
    }
    await changeOrder(part.orderCode, (_order, subs) => {
      const current = subs.find((s) => s.fulfillerId === fulfillerId)!;
      if (!current.shipment || current.shipment.codRemitted) return null;
      const next: SubOrder = {
        ...current,
        shipment: { ...current.shipment, codRemitted: { amount: row.amount, statementId, at } },
      };
      return { subs: [next], extra: [deleteCodDueItem(fulfillerId, part.orderCode)] };
    });
    result.matched += 1;
    if (row.amount < expected) result.short.push({ ...where, expected, remitted: row.amount });
    if (row.amount > expected)
      result.extra.push({ ...where, expected, remitted: row.amount, reason: 'more_than_collected' });
  }
  for (const due of await listCodDue(fulfillerId)) {
    if (due.carrier !== input.carrier || seen.has(due.orderCode)) continue;
    result.missing.push({ orderCode: due.orderCode, carrierCode: due.carrierCode, expected: due.expected });
  }
  // Two imports of one statement at once: the first record wins, both answer it.
  if (!(await putCodStatement(fulfillerId, statementId, result))) {
    const first = await getCodStatement<CodStatementResult>(fulfillerId, statementId);
    if (first) return { ...first, repeated: true };
  }
  return result;
}
