/**
 * "Thanh toán lại" and "Đổi cách thanh toán" for an online order still waiting for its payment
 * (the VNPay result page after a cancel or failure, and the tracking page). Both call
 * POST /api/orders/{code}/payment with the payment the page saw (`replaces`): a double tap or a
 * retry gives the same new payment. VNPay → its payment page; VietQR and COD → the order-placed
 * page (the QR code, or the SMS code step COD orders have).
 */
import { h } from '../seller/dom.ts';
import { ApiFailure, networkMessage, repayOrder, type OrderView, type PlacedOrder } from './api.ts';
import { store } from './cart.ts';
import { localHref, pageLang, tr } from './lang.ts';
import { findOrder, rememberOrder } from './store.ts';
import { formatDateTime, paymentLabel } from './text.ts';

/** Whether the order can still be paid again: waiting for an online payment, within its hold. */
export const canPayAgain = (order: OrderView, now = Date.now()) =>
  order.status === 'pending_payment' &&
  order.paymentMethod !== 'cod' &&
  !!order.payBy &&
  Date.parse(order.payBy) > now;

type Method = 'vnpay' | 'vietqr' | 'cod';

/** The buttons, with their own status line; `phone` is the one the order was placed with. */
export function payAgainPanel(order: OrderView, phone: string): HTMLElement {
  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  const buttons: HTMLButtonElement[] = [];
  const busy = (on: boolean) => buttons.forEach((b) => (b.disabled = on));

  const go = async (method: Method) => {
    busy(true);
    status.hidden = false;
    status.className = 'notice notice--info';
    status.textContent =
      method === 'vnpay'
        ? tr('Đang tạo lần thanh toán mới…', 'Starting a new payment…')
        : tr('Đang đổi cách thanh toán…', 'Changing how you pay…');
    let answer: PlacedOrder;
    try {
      answer = await repayOrder(order.code, {
        phone,
        paymentMethod: method,
        replaces: order.paymentIntentId,
        locale: pageLang(),
      });
    } catch (error) {
      busy(false);
      status.className = 'notice notice--error';
      status.setAttribute('role', 'alert');
      status.textContent = error instanceof ApiFailure && error.status > 0 ? error.message : networkMessage();
      return;
    }
    const mine = findOrder(store, order.code);
    rememberOrder(store, {
      ...(mine ?? { placedAt: order.createdAt, phone }),
      code: order.code,
      phone: mine?.phone ?? phone,
      paymentMethod: method,
      paymentId: answer.payment.id,
      clientSecret: answer.payment.client_secret,
      total: answer.order.total,
    });
    const next = answer.payment.next_action;
    if (method === 'vnpay' && next?.type === 'redirect_to_url') {
      status.textContent = tr('Đang chuyển sang VNPay…', 'Taking you to VNPay…');
      location.assign(next.redirect_to_url.url);
      return;
    }
    location.assign(localHref(`/thanh-toan/da-dat/?ma=${encodeURIComponent(order.code)}`));
  };

  const button = (method: Method, label: string, ghost = false) => {
    const b = h(
      'button',
      { type: 'button', class: ghost ? 'btn btn--ghost' : 'btn', 'data-pay': method },
      label,
    );
    b.addEventListener('click', () => void go(method));
    buttons.push(b);
    return b;
  };

  const others = (['vietqr', 'cod'] as const).filter((m) => m !== order.paymentMethod);
  const choices = h(
    'div',
    { class: 'pay-again__other', id: `pay-other-${order.code}`, hidden: true },
    h(
      'p',
      null,
      tr(
        'Chọn cách khác; đơn và hàng đã giữ vẫn như cũ. Thanh toán khi nhận hàng cần xác nhận bằng mã SMS gửi tới số điện thoại của đơn.',
        'Choose another way; the order and the packs held for it stay as they are. Cash on delivery is confirmed with a code sent by SMS to the order’s phone.',
      ),
    ),
    others.map((m) => button(m, paymentLabel(m, pageLang()), true)),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn btn--ghost',
      'aria-expanded': 'false',
      'aria-controls': `pay-other-${order.code}`,
    },
    tr('Đổi cách thanh toán', 'Pay another way'),
  );
  toggle.addEventListener('click', () => {
    choices.hidden = !choices.hidden;
    toggle.setAttribute('aria-expanded', String(!choices.hidden));
  });

  return h(
    'div',
    { class: 'pay-again box', 'data-pay-again': '' },
    h(
      'p',
      null,
      order.payBy
        ? tr(
            `Đơn vẫn được giữ đến ${formatDateTime(order.payBy)}. Bạn có thể thanh toán lại hoặc đổi cách thanh toán.`,
            `The order is held until ${formatDateTime(order.payBy, 'en')}. You can pay again or pay another way.`,
          )
        : '',
    ),
    h(
      'p',
      { class: 'pay-again__buttons' },
      order.paymentMethod === 'vnpay'
        ? button('vnpay', tr('Thanh toán lại', 'Pay again'))
        : button('vnpay', tr('Thanh toán qua VNPay', 'Pay with VNPay')),
      ' ',
      toggle,
    ),
    choices,
    status,
  );
}
