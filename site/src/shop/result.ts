/**
 * /thanh-toan/ket-qua/: where VNPay sends the shopper back. The signed return query is only
 * displayed (GET /api/payments/vnpay/return verifies it); VNPay's IPN records the payment. For an
 * order placed on this device the page then shows what the order-placed page shows — the items,
 * the address, the total — and the next step: after a success, the order as it becomes paid
 * (the cart it came from is emptied then); after a cancel or failure, "Thanh toán lại" and
 * "Đổi cách thanh toán" while the order is still held.
 */
import { byId, fill, h } from '../seller/dom.ts';
import { api, ApiFailure, getOrder, type OrderView } from './api.ts';
import { saveCart, store } from './cart.ts';
import { localHref, tr } from './lang.ts';
import { orderDetails } from './order-view.ts';
import { canPayAgain, payAgainPanel } from './pay-again.ts';
import { findOrderByPayment, orderSettled, type RecentOrder } from './store.ts';
import { formatVnd } from './text.ts';

interface ReturnView {
  verified: boolean;
  success: boolean;
  paymentIntentId: string | null;
  responseCode: string | null;
  amount: number | null;
}

const POLL_MS = 1500;

export function initResult(): void {
  const box = byId('payment-result');
  const next = byId('payment-next');
  const show = (text: string) => (box.textContent = text);
  const messages: Record<string, () => string> = {
    '24': () =>
      tr(
        'Bạn đã hủy giao dịch. Đơn hàng vẫn chờ thanh toán.',
        'You cancelled the payment. The order is still awaiting payment.',
      ),
    '51': () =>
      tr(
        'Tài khoản không đủ số dư. Hãy thanh toán lại bằng thẻ hoặc ngân hàng khác, hoặc đổi cách thanh toán.',
        'The account does not have enough funds. Pay again with another card or bank, or pay another way.',
      ),
    '11': () =>
      tr(
        'Đã hết thời gian chờ thanh toán tại VNPay.',
        'The time allowed for the payment at VNPay has run out.',
      ),
  };
  const query = location.search;
  if (!query.includes('vnp_')) {
    show(tr('Không có thông tin thanh toán trên đường dẫn này.', 'This link carries no payment details.'));
    return;
  }
  void (async () => {
    let result: ReturnView;
    try {
      result = await api<ReturnView>(`/api/payments/vnpay/return${query}`);
    } catch {
      show(
        tr('Không kết nối được máy chủ. Hãy tải lại trang.', 'Could not reach the server. Reload the page.'),
      );
      return;
    }
    // An order placed on this device: its details and the next step.
    const mine = result.paymentIntentId ? findOrderByPayment(store, result.paymentIntentId) : undefined;
    if (mine) {
      const link = byId<HTMLAnchorElement>('payment-track-link');
      link.href = localHref(`/don-hang/?ma=${encodeURIComponent(mine.code)}`);
      link.textContent = tr(`Theo dõi đơn ${mine.code}`, `Track order ${mine.code}`);
      byId('payment-track').hidden = false;
    }
    if (!result.verified) {
      show(
        tr(
          'Không xác thực được kết quả từ VNPay. Vui lòng kiểm tra đơn hàng của bạn.',
          'The result from VNPay could not be verified. Please check your order.',
        ),
      );
      return;
    }
    if (result.success) {
      const amount = result.amount === null ? '' : ` ${formatVnd(result.amount)}`;
      show(
        tr(
          `Thanh toán${amount} thành công. Cảm ơn bạn!${mine ? ` Đơn ${mine.code} đang được ghi nhận.` : ''}`,
          `Payment${amount ? ` of${amount}` : ''} successful. Thank you!${mine ? ` Order ${mine.code} is being recorded.` : ''}`,
        ),
      );
    } else {
      show(
        messages[result.responseCode ?? '']?.() ??
          tr(
            `Thanh toán không thành công (mã ${result.responseCode ?? '?'}).`,
            `The payment did not go through (code ${result.responseCode ?? '?'}).`,
          ),
      );
    }
    if (mine) await follow(mine, result.success);
  })();

  /** The order as it is now; after a success, until the IPN has made it paid. */
  async function follow(mine: RecentOrder, success: boolean): Promise<void> {
    let order: OrderView | undefined;
    for (let i = 0; i < (success ? 20 : 1); i++) {
      try {
        order = await getOrder(mine.code, mine.phone);
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) return;
      }
      if (order && order.status !== 'pending_payment') break;
      if (success) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (!order) return;
    fill(byId('payment-details'), await orderDetails(order));
    byId('payment-order').hidden = false;
    const paid = order.history.some((s) => s.status === 'placed');
    if (paid) {
      if (orderSettled(store, order.code)) saveCart({ lines: [] });
      fill(
        next,
        h(
          'p',
          { class: 'notice notice--ok', 'data-paid': '' },
          h('strong', null, tr('Đã thanh toán.', 'Paid.')),
          ' ',
          tr(
            `Hợp tác xã sẽ xác nhận đơn ${order.code} và giao hàng; bạn sẽ nhận tin nhắn ở mỗi bước.`,
            `The cooperative will confirm order ${order.code} and send it; you will get a text message at each step.`,
          ),
        ),
      );
    } else if (canPayAgain(order)) {
      fill(next, payAgainPanel(order, mine.phone));
    } else if (order.status === 'pending_payment') {
      fill(
        next,
        h(
          'p',
          { class: 'notice notice--info' },
          tr(
            `Đơn ${order.code} đang chờ VNPay báo kết quả. Hãy xem lại sau ít phút ở trang theo dõi đơn.`,
            `Order ${order.code} is waiting for VNPay’s answer. Check again in a few minutes on the tracking page.`,
          ),
        ),
      );
    } else {
      fill(
        next,
        h(
          'p',
          { class: 'notice notice--warn' },
          tr(
            `Đơn ${order.code} đã hết hạn hoặc đã hủy; hàng trong giỏ vẫn còn để bạn đặt lại.`,
            `Order ${order.code} has expired or was cancelled; your cart is still here to order again.`,
          ),
        ),
      );
    }
  }
}
