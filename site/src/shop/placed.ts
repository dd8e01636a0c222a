/**
 * /thanh-toan/da-dat/: the order just placed. COD: the code sent by SMS to the phone given is
 * entered here (or the SMS link, `&sdt=…&xn=…`, confirms it), then the confirmation. VietQR: the QR code and
 * transfer details, polling the payment every few seconds (and when the shopper comes back from
 * their bank app) until it succeeds, then the confirmation.
 */
import { byId, fill, h } from '../seller/dom.ts';
import {
  ApiFailure,
  confirmOrder,
  getOrder,
  paymentStatus,
  type OrderView,
  type VietQrDisplay,
} from './api.ts';
import { orderDetails } from './order-view.ts';
import { qrSvg } from './qr.ts';
import { findOrder, orderSettled, type RecentOrder } from './store.ts';
import { saveCart, store } from './cart.ts';
import { canPayAgain, payAgainPanel } from './pay-again.ts';
import { localHref, pageLang, tr } from './lang.ts';
import { formatDateTime, formatVnd, normalizeOrderCode } from './text.ts';

const POLL_MS = 3000;

/** The bank behind a NAPAS BIN, for the banks shoppers meet most; else the BIN itself. */
const BANKS: Record<string, string> = {
  '970436': 'Vietcombank',
  '970415': 'VietinBank',
  '970418': 'BIDV',
  '970405': 'Agribank',
  '970422': 'MB Bank',
  '970407': 'Techcombank',
  '970416': 'ACB',
  '970432': 'VPBank',
  '970423': 'TPBank',
  '970403': 'Sacombank',
};
export const bankName = (bin: string) =>
  BANKS[bin] ? `${BANKS[bin]} (BIN ${bin})` : tr(`Ngân hàng BIN ${bin}`, `Bank with BIN ${bin}`);

export function initPlaced(): void {
  const status = byId('placed-status');
  const code = normalizeOrderCode(new URLSearchParams(location.search).get('ma') ?? '');
  const say = (tone: 'info' | 'ok' | 'error' | 'warn', ...content: (Node | string)[]) => {
    status.className = `notice notice--${tone}`;
    fill(status, ...content);
  };
  const track = byId<HTMLAnchorElement>('placed-track');
  if (code) track.href = localHref(`/don-hang/?ma=${encodeURIComponent(code)}`);
  const params = new URLSearchParams(location.search);
  const linkPhone = params.get('sdt');
  const linkCode = params.get('xn');
  let recent = code ? findOrder(store, code) : undefined;
  // The SMS link, possibly on another device: it carries the phone and the code.
  if (code && linkPhone && linkCode && /^\d{6}$/.test(linkCode)) {
    byId('placed-title').textContent = tr(`Đơn hàng ${code}`, `Order ${code}`);
    say('info', tr('Đang xác nhận đơn hàng…', 'Confirming your order…'));
    void confirmOrder(code, linkPhone, linkCode).then(
      (view) => {
        recent ??= {
          code,
          phone: linkPhone,
          paymentMethod: 'cod',
          paymentId: view.paymentIntentId,
        } as RecentOrder;
        void show(recent);
      },
      (error: unknown) =>
        say(
          'error',
          error instanceof ApiFailure
            ? error.message
            : tr('Không xác nhận được đơn.', 'Could not confirm the order.'),
        ),
    );
    return;
  }
  if (!recent) {
    say(
      'warn',
      tr('Không tìm thấy đơn này trên thiết bị. ', 'This order is not on this device. '),
      h(
        'a',
        { href: track.href },
        tr('Tra cứu đơn bằng mã đơn và số điện thoại', 'Look it up with the order code and phone number'),
      ),
      '.',
    );
    return;
  }
  byId('placed-title').textContent = tr(`Đơn hàng ${recent.code}`, `Order ${recent.code}`);
  void show(recent);

  async function showOrder(): Promise<OrderView | undefined> {
    try {
      const order = await getOrder(recent!.code, recent!.phone);
      fill(byId('placed-details'), await orderDetails(order));
      byId('placed-order').hidden = false;
      // Paid, or confirmed (COD): the cart it was placed from can go.
      if (order.history.some((s) => s.status === 'placed') && orderSettled(store, order.code)) {
        saveCart({ lines: [] });
      }
      return order;
    } catch (error) {
      say(
        'error',
        error instanceof ApiFailure
          ? error.message
          : tr('Không tải được đơn hàng.', 'Could not load the order.'),
      );
      return undefined;
    }
  }

  async function show(order: RecentOrder): Promise<void> {
    const view = await showOrder();
    if (!view) return;
    if (order.paymentMethod === 'cod' && view.status === 'pending_payment') return askCode(order, view);
    if (order.paymentMethod === 'cod' && (view.status === 'expired' || view.status === 'cancelled')) {
      say(
        'error',
        tr(
          `Đơn ${order.code} đã hết hạn xác nhận hoặc đã hủy; hãy đặt lại.`,
          `Order ${order.code} was not confirmed in time or was cancelled; please order again.`,
        ),
      );
      return;
    }
    if (order.paymentMethod === 'cod') {
      say(
        'ok',
        h(
          'strong',
          null,
          tr(`Đặt hàng thành công! Mã đơn ${order.code}.`, `Order placed! Your order code is ${order.code}.`),
        ),
        tr(
          ` Bạn trả ${formatVnd(view.total)} khi nhận hàng. Hợp tác xã sẽ gọi cho bạn để xác nhận; bạn cũng sẽ nhận tin nhắn ở mỗi bước.`,
          ` You pay ${formatVnd(view.total)} on delivery. The cooperative will call you to confirm, and you will get a text message at each step.`,
        ),
      );
      return;
    }
    if (order.paymentMethod === 'vietqr') return vietqr(order, view);
    // VNPay: normally the result page; here when the shopper came back without paying.
    say(
      view.status === 'pending_payment' ? 'warn' : 'ok',
      view.status === 'pending_payment'
        ? tr(
            `Đơn ${order.code} đang chờ thanh toán qua VNPay.`,
            `Order ${order.code} is awaiting payment through VNPay.`,
          )
        : tr(`Đơn ${order.code} đã được thanh toán.`, `Order ${order.code} has been paid.`),
    );
    if (canPayAgain(view)) byId('placed-status').after(payAgainPanel(view, order.phone));
  }

  /** COD waiting for the buyer: the 6-digit code from the SMS, entered here. */
  function askCode(order: RecentOrder, view: OrderView): void {
    const input = h('input', {
      id: 'confirm-code',
      name: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]{6}',
      maxlength: 6,
      required: true,
      'aria-describedby': 'confirm-code-hint confirm-code-error',
    });
    const error = h('p', { id: 'confirm-code-error', class: 'field-error', role: 'alert', hidden: true });
    const button = h(
      'button',
      { type: 'submit', class: 'button' },
      tr('Xác nhận đơn hàng', 'Confirm the order'),
    );
    const form = h(
      'form',
      { id: 'confirm-form', class: 'box', novalidate: true },
      h('label', { for: 'confirm-code' }, tr('Mã xác nhận (6 chữ số)', 'Confirmation code (6 digits)')),
      input,
      h(
        'p',
        { id: 'confirm-code-hint', class: 'hint' },
        tr(
          `Chúng tôi đã gửi mã qua SMS tới ${order.phone}. Bạn cũng có thể bấm vào đường dẫn trong tin nhắn.`,
          `We sent a code by SMS to ${order.phone}. You can also tap the link in the message.`,
        ),
      ),
      error,
      button,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const otp = input.value.replace(/\D/g, '');
      if (!/^\d{6}$/.test(otp)) {
        error.textContent = tr('Hãy nhập đủ 6 chữ số của mã.', 'Enter the 6 digits of the code.');
        error.hidden = false;
        input.focus();
        return;
      }
      button.disabled = true;
      confirmOrder(order.code, order.phone, otp).then(
        () => {
          form.remove();
          void show(order);
        },
        (failure: unknown) => {
          button.disabled = false;
          error.textContent =
            failure instanceof ApiFailure
              ? failure.message
              : tr('Không gửi được mã; hãy thử lại.', 'Could not send the code; try again.');
          error.hidden = false;
          input.focus();
        },
      );
    });
    say(
      'warn',
      h(
        'strong',
        null,
        tr(`Còn một bước: xác nhận đơn ${order.code}.`, `One more step: confirm order ${order.code}.`),
      ),
      view.payBy
        ? tr(
            ` Nhập mã trước ${formatDateTime(view.payBy)}; nếu không, đơn sẽ tự hủy.`,
            ` Enter the code before ${formatDateTime(view.payBy, pageLang())}; otherwise the order is cancelled.`,
          )
        : '',
    );
    byId('placed-status').after(form);
    input.focus();
  }

  function vietqr(order: RecentOrder, view: OrderView): void {
    if (view.status !== 'pending_payment') return paid(view);
    if (!order.clientSecret) {
      say(
        'warn',
        tr(
          'Không đọc được thông tin thanh toán trên thiết bị này; hãy theo dõi đơn ở trang Tra cứu.',
          'The payment details cannot be read on this device; follow the order on the tracking page.',
        ),
      );
      return;
    }
    say(
      'info',
      tr(
        `Đơn ${order.code} đã được tạo và đang chờ chuyển khoản ${formatVnd(view.total)}.`,
        `Order ${order.code} has been created and is waiting for your transfer of ${formatVnd(view.total)}.`,
      ),
    );
    if (view.payBy) {
      byId('qr-deadline').textContent = tr(
        `Hãy chuyển khoản trước ${formatDateTime(view.payBy)}; sau đó đơn tự hủy.`,
        `Please transfer before ${formatDateTime(view.payBy, pageLang())}; after that the order is cancelled automatically.`,
      );
    }
    let shown = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      clearTimeout(timer);
      if (stopped) return;
      try {
        const payment = await paymentStatus(order.paymentId, order.clientSecret!);
        if (payment.status === 'succeeded') {
          stopped = true;
          byId('vietqr').hidden = true;
          const fresh = await showOrder();
          return paid(fresh ?? view);
        }
        if (payment.status === 'canceled') {
          stopped = true;
          byId('vietqr').hidden = true;
          say(
            'error',
            tr(
              `Đơn ${order.code} đã hết hạn hoặc bị hủy; không chuyển khoản cho đơn này nữa.`,
              `Order ${order.code} has expired or been cancelled; do not transfer money for it any more.`,
            ),
          );
          return;
        }
        if (!shown && payment.next_action?.type === 'display_vietqr') {
          shown = true;
          showQr(payment.next_action.vietqr);
        }
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) {
          stopped = true;
          say(
            'error',
            tr('Không tìm thấy thanh toán của đơn này.', 'The payment for this order was not found.'),
          );
          return;
        }
        // A network blip: keep trying.
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void poll();
    });
    void poll();
  }

  function showQr(qr: VietQrDisplay): void {
    fill(
      byId('qr-image'),
      qrSvg(
        qr.payload,
        tr(
          `Mã VietQR chuyển ${formatVnd(qr.amount)} cho đơn hàng`,
          `VietQR code to transfer ${formatVnd(qr.amount)} for the order`,
        ),
      ),
    );
    byId('qr-bank').textContent = bankName(qr.bank_bin);
    byId('qr-account').textContent = qr.account_number;
    byId('qr-name').textContent = qr.account_name;
    byId('qr-amount').textContent = formatVnd(qr.amount);
    byId('qr-memo').textContent = qr.memo;
    byId('vietqr').hidden = false;
  }

  function paid(view: OrderView): void {
    say(
      'ok',
      h(
        'strong',
        null,
        tr(
          `Đã nhận thanh toán ${formatVnd(view.total)}. Cảm ơn bạn!`,
          `Payment of ${formatVnd(view.total)} received. Thank you!`,
        ),
      ),
      tr(
        ` Đơn ${view.code} đã được đặt; hợp tác xã sẽ xác nhận và giao hàng.`,
        ` Order ${view.code} is placed; the cooperative will confirm it and send it to you.`,
      ),
    );
  }
}
