/**
 * /quan-tri/#chuyen-khoan: bank transfers for VietQR that matched no payment (wrong memo or
 * amount). The admin finds the order the shopper meant and settles it by hand; a transfer that
 * does not cover the order is refunded by bank transfer instead (outside the exchange).
 */
import { api, apiItems, enc, errorMessage } from './api.ts';
import { byId, fill, formatDateTime, h, notice } from './dom.ts';
import { setCount } from './queue.ts';

interface Transfer {
  id: string;
  amount: number;
  description: string;
  received_at: string;
  reason: string | null;
  suggested_payment_intent: string | null;
}

const REASONS: Record<string, string> = {
  no_memo_match: 'Nội dung chuyển khoản không có mã đơn',
  amount_mismatch: 'Số tiền khác với đơn',
  intent_not_awaiting_payment: 'Đơn không còn chờ thanh toán (đã trả, hủy hoặc hết hạn)',
  other_account: 'Chuyển vào tài khoản khác',
};

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} ₫`;

export async function loadTransfers(): Promise<void> {
  const box = byId('transfer-list');
  fill(box, h('p', { class: 'loading' }, 'Đang tải…'));
  let items: Transfer[];
  try {
    items = await apiItems<Transfer>('/api/payments/vietqr/unmatched');
  } catch (error) {
    fill(box, h('p', { class: 'notice notice--error' }, errorMessage(error)));
    return;
  }
  setCount('count-transfers', items.length);
  setCount('count-transfers-nav', items.length);
  if (items.length === 0) {
    fill(box, h('p', { class: 'empty' }, 'Không có chuyển khoản nào chờ đối chiếu.'));
    return;
  }
  fill(box, h('ul', { class: 'queue' }, items.map(transferCard)));
}

function transferCard(transfer: Transfer): HTMLLIElement {
  const inputId = `match-${transfer.id}`;
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const input = h('input', {
    id: inputId,
    name: 'orderCode',
    required: true,
    autocomplete: 'off',
    pattern: 'TN-[2-9A-HJKMNP-Za-hjkmnp-z]{5}',
    placeholder: 'TN-7K3Q9',
  });
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: ((event: Event) => {
        event.preventDefault();
        void match(transfer, input.value.trim().toUpperCase(), status, form);
      }) as EventListener,
    },
    h('label', { for: inputId }, 'Mã đơn khách định trả'),
    input,
    h('button', { type: 'submit', class: 'button' }, 'Ghi nhận đã thanh toán'),
  );
  return h(
    'li',
    { class: 'queue-item' },
    h('h3', null, `${vnd(transfer.amount)} — ${formatDateTime(transfer.received_at)}`),
    h('p', null, 'Nội dung: ', h('q', null, transfer.description || '(trống)')),
    h('p', null, 'Lý do chưa khớp: ', REASONS[transfer.reason ?? ''] ?? transfer.reason ?? '—'),
    form,
    status,
  );
}

async function match(transfer: Transfer, orderCode: string, status: HTMLElement, form: HTMLFormElement) {
  try {
    await api(`/api/payments/vietqr/unmatched/${enc(transfer.id)}/match`, {
      method: 'POST',
      body: { orderCode },
    });
    notice(status, `Đã ghi nhận thanh toán cho đơn ${orderCode}.`, 'ok');
    form.remove();
  } catch (error) {
    notice(status, errorMessage(error), 'error');
  }
}
