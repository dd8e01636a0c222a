/**
 * The board's shipment with a carrier (orders-board.ts draws it in an order's next step):
 * "Giao cho vận chuyển" for a packed part of a cooperative that ships with GHN, GHTK or Viettel
 * Post (with its progress, and the carrier's timeout said plainly with the retry), then the
 * shipment — carrier and code with a link to the carrier's tracking page, fee, COD, the extra
 * cost above the checkout quote — with "In nhãn", "Hủy vận đơn" before pickup, and the carrier's
 * events. And the COD statement import with its differences table.
 */
import type { CarrierId } from '../../../shared/carriers/types.ts';
import type { ShipmentRecord } from '../../../shared/orders/model.ts';
import { CARRIER_NAMES, carrierTrackingUrl, STAGE_LABELS } from '../../../shared/orders/shipment-events.ts';
import { api, ApiError, apiBlob, enc, errorMessage } from './api.ts';
import { byId, fill, formatDateTime, h, notice } from './dom.ts';
import { formatVnd } from './labels.ts';
import { boardPath, table, type BoardOrder, type SubOrder } from './orders-common.ts';

/** The cooperative's carrier (its shipping settings), read once per page. */
let rulesCarrier: Promise<CarrierId | undefined> | undefined;

function cooperativeCarrier(coopId: string): Promise<CarrierId | undefined> {
  rulesCarrier ??= api<{ rules: { carrier?: { id: CarrierId } } }>(`/api/board/${enc(coopId)}/shipping`)
    .then((answer) => answer.rules.carrier?.id)
    .catch(() => undefined);
  return rulesCarrier;
}

/** The carrier this part ships with: the checkout's quote, else the cooperative's choice. */
export async function carrierOf(coopId: string, sub: SubOrder): Promise<CarrierId | undefined> {
  const quoted = sub.shippingQuote?.carrier;
  if (quoted && quoted !== 'manual') return quoted;
  if (quoted === 'manual') return undefined;
  return cooperativeCarrier(coopId);
}

const liveShipment = (sub: SubOrder): ShipmentRecord | undefined =>
  sub.shipment && sub.shipment.stage !== 'cancelled' ? sub.shipment : undefined;

/** The shipment's facts and its events, for the order's details. */
export function shipmentFacts(sub: SubOrder): HTMLElement | null {
  const shipment = liveShipment(sub);
  if (!shipment) return null;
  const name = CARRIER_NAMES[shipment.carrier];
  const url = carrierTrackingUrl(shipment.carrier, shipment.carrierCode);
  const facts: [string, string | Node][] = [
    [
      'Vận đơn',
      h(
        'span',
        null,
        `${name} — `,
        h('span', { class: 'code', id: 'shipment-code' }, shipment.carrierCode),
        url ? h('br') : null,
        url ? h('a', { href: url, target: '_blank', rel: 'noopener' }, `Xem trên trang ${name}`) : null,
      ),
    ],
    ['Trạng thái vận chuyển', h('strong', { id: 'shipment-stage' }, STAGE_LABELS[shipment.stage])],
    ['Cước vận chuyển', formatVnd(shipment.fee)],
  ];
  if (shipment.extraCost) {
    facts.push([
      'HTX chịu thêm',
      h('span', { id: 'shipment-extra' }, `${formatVnd(shipment.extraCost)} (cước cao hơn báo giá lúc đặt)`),
    ]);
  }
  if (shipment.codAmount > 0) facts.push(['Thu hộ (COD)', formatVnd(shipment.codAmount)]);
  if (shipment.codCollected !== undefined)
    facts.push(['Đơn vị vận chuyển đã thu', formatVnd(shipment.codCollected)]);
  if (shipment.codRemitted) {
    facts.push([
      'Đã đối soát COD',
      h(
        'span',
        { id: 'shipment-remitted' },
        `${formatVnd(shipment.codRemitted.amount)} — ${formatDateTime(shipment.codRemitted.at)}`,
      ),
    ]);
  }
  return h(
    'section',
    { class: 'shipment', id: 'shipment', 'aria-labelledby': 'shipment-title' },
    h('h3', { id: 'shipment-title' }, 'Vận chuyển'),
    h(
      'dl',
      { class: 'facts-list' },
      facts.flatMap(([dt, dd]) => [h('dt', null, dt), h('dd', null, dd)]),
    ),
    shipmentEvents(shipment),
  );
}

export function shipmentEvents(shipment: ShipmentRecord): HTMLElement {
  return h(
    'ol',
    { class: 'timeline', id: 'shipment-events' },
    [...shipment.events]
      .reverse()
      .map((event) =>
        h(
          'li',
          null,
          h('strong', null, STAGE_LABELS[event.stage] ?? event.stage),
          h('time', { datetime: event.at }, formatDateTime(event.at)),
          event.reason ? h('p', { class: 'reason' }, 'Lý do: ', h('q', null, event.reason)) : null,
        ),
      ),
  );
}

/**
 * The carrier step of a packed part: "Giao cho vận chuyển" when there is no shipment yet; "In
 * nhãn" and "Hủy vận đơn" (before pickup) when there is. Null when the cooperative ships by hand.
 */
export async function shipmentActions(
  coopId: string,
  order: BoardOrder,
  sub: SubOrder,
  done: (message: string) => Promise<void>,
): Promise<HTMLElement | null> {
  if (order.delivery.method !== 'shipping' || sub.status !== 'packed') {
    return liveShipment(sub) ? labelOnly(coopId, order) : null;
  }
  const shipment = liveShipment(sub);
  const path = `${boardPath(coopId)}/${enc(order.code)}/shipment`;
  const status = h('p', {
    class: 'notice',
    id: 'ship-status',
    role: 'status',
    'aria-live': 'polite',
    hidden: true,
  });
  if (shipment) {
    const cancel = h('button', { type: 'button', class: 'btn', id: 'ship-cancel' }, 'Hủy vận đơn');
    cancel.addEventListener('click', () => {
      if (!window.confirm(`Hủy vận đơn ${shipment.carrierCode} với ${CARRIER_NAMES[shipment.carrier]}?`))
        return;
      void run(cancel, status, 'Đang hủy vận đơn…', async () => {
        await api(`${path}/cancel`, { method: 'POST' });
        await done('Đã hủy vận đơn; phần đơn vẫn ở “Đã đóng gói”, có thể giao lại.');
      });
    });
    return h(
      'div',
      { class: 'ship-actions', id: 'ship-actions' },
      h('p', null, `Chờ ${CARRIER_NAMES[shipment.carrier]} đến lấy hàng. In nhãn và dán lên kiện hàng.`),
      h(
        'div',
        { class: 'btn-row' },
        labelButton(coopId, order, status),
        shipment.stage === 'created' ? cancel : null,
      ),
      status,
    );
  }
  const carrier = await carrierOf(coopId, sub);
  if (!carrier) return null;
  const name = CARRIER_NAMES[carrier];
  const ship = h(
    'button',
    { type: 'button', class: 'btn btn--primary btn--block', id: 'ship-create' },
    `Giao cho vận chuyển (${name})`,
  );
  ship.addEventListener('click', () => {
    void run(ship, status, `Đang tạo vận đơn với ${name}…`, async () => {
      await api(path, { method: 'POST' });
      await done(`Đã tạo vận đơn với ${name}. Hãy in nhãn và chờ ${name} đến lấy hàng.`);
    });
  });
  return h(
    'div',
    { class: 'ship-actions', id: 'ship-actions' },
    h('p', null, `Hợp tác xã gửi hàng qua ${name}: vận đơn được tạo với cân nặng từ các gói trong đơn.`),
    ship,
    status,
  );
}

function labelOnly(coopId: string, order: BoardOrder): HTMLElement {
  const status = h('p', { class: 'notice', id: 'ship-status', role: 'status', hidden: true });
  return h('div', { class: 'btn-row', id: 'ship-actions' }, labelButton(coopId, order, status), status);
}

function labelButton(coopId: string, order: BoardOrder, status: HTMLElement): HTMLElement {
  const button = h('button', { type: 'button', class: 'btn', id: 'ship-label' }, 'In nhãn');
  button.addEventListener('click', () => {
    // Opened before the answer comes, so the browser does not take it for a pop-up.
    const tab = window.open('', '_blank');
    void run(button, status, 'Đang lấy nhãn…', async () => {
      const blob = await apiBlob(`${boardPath(coopId)}/${enc(order.code)}/shipment/label`);
      const url = URL.createObjectURL(blob);
      if (tab) tab.location.href = url;
      else window.location.href = url;
      status.hidden = true;
    });
  });
  return button;
}

/** Runs one carrier action: the button busy, its progress said, a failure said plainly. */
async function run(button: HTMLElement, status: HTMLElement, progress: string, work: () => Promise<void>) {
  button.setAttribute('disabled', '');
  button.setAttribute('aria-busy', 'true');
  notice(status, progress, 'info');
  try {
    await work();
  } catch (error) {
    const message = errorMessage(error);
    const retry = error instanceof ApiError && error.status === 503;
    notice(status, retry ? `${message} Bấm lại nút để thử lại.` : message, 'error');
  } finally {
    button.removeAttribute('disabled');
    button.removeAttribute('aria-busy');
  }
}

/* ---------- the COD statement ---------- */

interface CodDifference {
  orderCode?: string;
  carrierCode?: string;
  clientCode?: string;
  expected?: number;
  remitted?: number;
  reason?: string;
}

interface CodStatementResult {
  rows: number;
  matched: number;
  remittedTotal: number;
  missing: CodDifference[];
  short: CodDifference[];
  extra: CodDifference[];
  repeated?: boolean;
}

const REASONS: Record<string, string> = {
  unknown_code: 'Mã không thuộc đơn nào của HTX',
  more_than_collected: 'Trả nhiều hơn số đã thu',
  paid_before: 'Đã đối soát ở bảng kê khác',
  repeated_row: 'Dòng lặp lại trong bảng kê',
};

/** The import form (a file in the carrier's columns) and its differences table. */
export function startCodImport(coopId: string): void {
  const form = byId<HTMLFormElement>('cod-form');
  const result = byId('cod-result');
  const status = byId('cod-status');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = byId<HTMLInputElement>('cod-file').files?.[0];
    const carrier = byId<HTMLSelectElement>('cod-carrier').value;
    if (!file) {
      notice(status, 'Hãy chọn tệp bảng kê COD (CSV) tải từ trang của đơn vị vận chuyển.', 'error');
      return;
    }
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    void run(button, status, 'Đang đối soát…', async () => {
      const csv = await file.text();
      const answer = await api<CodStatementResult>(`/api/board/${enc(coopId)}/cod-statements`, {
        method: 'POST',
        body: { carrier, csv },
      });
      const clean = answer.missing.length + answer.short.length + answer.extra.length === 0;
      notice(
        status,
        `${answer.repeated ? 'Bảng kê này đã được nhập trước đây: không có gì thay đổi. ' : ''}` +
          `Đã khớp ${answer.matched}/${answer.rows} dòng, tổng ${formatVnd(answer.remittedTotal)}.` +
          (clean ? ' Không có chênh lệch.' : ''),
        clean ? 'ok' : 'info',
      );
      fill(result, differences(answer));
    });
  });
}

function differences(answer: CodStatementResult): HTMLElement {
  const rows = [
    ...answer.missing.map((d) => ['Chưa trả', d, 'Đã giao, chưa có trong bảng kê nào'] as const),
    ...answer.short.map((d) => ['Trả thiếu', d, ''] as const),
    ...answer.extra.map((d) => ['Thừa', d, REASONS[d.reason ?? ''] ?? ''] as const),
  ].map(([kind, d, why]) => [
    h(
      'span',
      null,
      h('strong', null, kind),
      why ? h('br') : null,
      why ? h('span', { class: 'hint' }, why) : null,
    ),
    d.orderCode ?? d.clientCode ?? d.carrierCode ?? '',
    d.expected === undefined ? '—' : formatVnd(d.expected),
    d.remitted === undefined ? '—' : formatVnd(d.remitted),
  ]);
  if (rows.length === 0) return h('p', null, 'Mọi đơn trong bảng kê đều khớp số tiền đã thu.');
  return h(
    'div',
    { class: 'table-scroll' },
    table('Chênh lệch COD', ['Loại', 'Đơn', 'Đã thu', 'Được trả'], rows, { numeric: [2, 3] }),
  );
}
