/**
 * The tracking page's pre-order panel: the deposit and the rule for the balance, what the
 * allocation gave (and the deposit refunded for what was short), the final weight's amount and
 * the balance — with “Thanh toán phần còn lại” (a new VNPay payment, POST
 * /api/orders/{code}/preorder-balance) while an online balance is due.
 */
import { h } from '../seller/dom.ts';
import { ApiFailure, api } from './api.ts';
import { pageLang, tr } from './lang.ts';
import { formatVnd } from './text.ts';

export interface PreorderView {
  season: string;
  deposit: number;
  depositPercent: number;
  balanceMethod: 'online' | 'cod';
  graceDays: number;
  keptOnLapsePercent: number;
  harvestFrom: string;
  harvestTo: string;
  allocation?: { shortGrams: number; refunded: number };
  settlement?: {
    finalAmount: number;
    balance: number;
    dueBy?: string;
    status: 'due' | 'paid' | 'lapsed' | 'none';
  };
}

const day = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/');

export function preorderPanel(
  order: { code: string; status: string; preorder?: PreorderView },
  phone: string,
): HTMLElement | null {
  const p = order.preorder;
  if (!p) return null;
  const delivered = order.status === 'delivered' || order.status === 'completed';
  const s = p.settlement;
  const rows: (HTMLElement | null)[] = [
    h('dt', null, tr('Tiền cọc', 'Deposit')),
    h('dd', null, `${formatVnd(p.deposit)} (${p.depositPercent}%)`),
    h('dt', null, tr('Dự kiến gửi hàng', 'Expected dispatch')),
    h('dd', null, `${day(p.harvestFrom)} – ${day(p.harvestTo)}`),
  ];
  if (p.allocation) {
    rows.push(
      h('dt', null, tr('Phân bổ', 'Allocation')),
      h(
        'dd',
        null,
        p.allocation.shortGrams > 0
          ? tr(
              `Thiếu ${p.allocation.shortGrams} g; đã hoàn ${formatVnd(p.allocation.refunded)} tiền cọc`,
              `${p.allocation.shortGrams} g short; ${formatVnd(p.allocation.refunded)} of the deposit refunded`,
            )
          : tr('Đủ hàng', 'In full'),
      ),
    );
  }
  if (s) {
    rows.push(
      h('dt', null, tr('Thành tiền sau khi cân', 'Final amount after weighing')),
      h('dd', null, formatVnd(s.finalAmount)),
      h('dt', null, tr('Phần còn lại', 'Balance')),
      h(
        'dd',
        { 'data-balance': s.status },
        s.status === 'paid'
          ? tr(`${formatVnd(s.balance)} · Đã thanh toán`, `${formatVnd(s.balance)} · Paid`)
          : s.status === 'lapsed'
            ? tr('Quá hạn, đơn đã hủy', 'Past due: the pre-order was cancelled')
            : s.status === 'none'
              ? tr('Không phải trả thêm', 'Nothing more to pay')
              : p.balanceMethod === 'cod' && delivered
                ? tr(
                    `${formatVnd(s.balance)} · Đã trả khi nhận hàng`,
                    `${formatVnd(s.balance)} · Paid on delivery`,
                  )
                : p.balanceMethod === 'cod'
                  ? tr(
                      `${formatVnd(s.balance)}, trả khi nhận hàng`,
                      `${formatVnd(s.balance)}, paid on delivery`,
                    )
                  : tr(
                      `${formatVnd(s.balance)}, hạn ${s.dueBy ? day(s.dueBy) : ''}`,
                      `${formatVnd(s.balance)}, due ${s.dueBy ? day(s.dueBy) : ''}`,
                    ),
      ),
    );
  }
  const status = h('p', { class: 'notice', role: 'status', hidden: '' });
  const payable = s?.status === 'due' && p.balanceMethod === 'online';
  const button = payable
    ? (h(
        'button',
        { type: 'button', class: 'btn btn--primary', id: 'track-pay-balance' },
        tr('Thanh toán phần còn lại', 'Pay the balance'),
      ) as HTMLButtonElement)
    : null;
  button?.addEventListener('click', () => {
    button.disabled = true;
    void api<{ payment: { next_action: { redirect_to_url?: { url: string } } | null } }>(
      `/api/orders/${encodeURIComponent(order.code)}/preorder-balance`,
      { method: 'POST', body: { phone, paymentMethod: 'vnpay', locale: pageLang() } },
    )
      .then((answer) => {
        const url = answer.payment.next_action?.redirect_to_url?.url;
        if (url) location.assign(url);
      })
      .catch((error: unknown) => {
        status.textContent =
          error instanceof ApiFailure ? error.message : tr('Có lỗi; hãy thử lại.', 'Something went wrong.');
        status.className = 'notice notice--error';
        status.hidden = false;
        button.disabled = false;
      });
  });
  return h(
    'section',
    { class: 'box', 'aria-labelledby': 'track-preorder-title' },
    h(
      'h2',
      { id: 'track-preorder-title', class: 'label' },
      tr(`Đặt trước · ${p.season}`, `Pre-order · ${p.season}`),
    ),
    h('dl', { class: 'bank-facts' }, rows),
    button,
    status,
  );
}
