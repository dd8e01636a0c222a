/**
 * /thanh-toan/da-dat/: the order just placed. COD: a confirmation. VietQR: the QR code and
 * transfer details, polling the payment every few seconds (and when the shopper comes back from
 * their bank app) until it succeeds, then the confirmation.
 */
import { byId, fill, h } from '../seller/dom.ts';
import { ApiFailure, getOrder, paymentStatus, type OrderView, type VietQrDisplay } from './api.ts';
import { orderDetails } from './order-view.ts';
import { qrSvg } from './qr.ts';
import { findOrder, type RecentOrder } from './store.ts';
import { store } from './cart.ts';
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
export const bankName = (bin: string) => (BANKS[bin] ? `${BANKS[bin]} (BIN ${bin})` : `Ngân hàng BIN ${bin}`);

export function initPlaced(): void {
  const status = byId('placed-status');
  const code = normalizeOrderCode(new URLSearchParams(location.search).get('ma') ?? '');
  const say = (tone: 'info' | 'ok' | 'error' | 'warn', ...content: (Node | string)[]) => {
    status.className = `notice notice--${tone}`;
    fill(status, ...content);
  };
  const track = byId<HTMLAnchorElement>('placed-track');
  if (code) track.href = `/don-hang/?ma=${encodeURIComponent(code)}`;
  const recent = code ? findOrder(store, code) : undefined;
  if (!recent) {
    say(
      'warn',
      'Không tìm thấy đơn này trên thiết bị. ',
      h('a', { href: track.href }, 'Tra cứu đơn bằng mã đơn và số điện thoại'),
      '.',
    );
    return;
  }
  byId('placed-title').textContent = `Đơn hàng ${recent.code}`;
  void show(recent);

  async function showOrder(): Promise<OrderView | undefined> {
    try {
      const order = await getOrder(recent!.code, recent!.phone);
      fill(byId('placed-details'), await orderDetails(order));
      byId('placed-order').hidden = false;
      return order;
    } catch (error) {
      say('error', error instanceof ApiFailure ? error.message : 'Không tải được đơn hàng.');
      return undefined;
    }
  }

  async function show(order: RecentOrder): Promise<void> {
    const view = await showOrder();
    if (!view) return;
    if (order.paymentMethod === 'cod') {
      say(
        'ok',
        h('strong', null, `Đặt hàng thành công! Mã đơn ${order.code}.`),
        ` Bạn trả ${formatVnd(view.total)} khi nhận hàng. Hợp tác xã sẽ gọi cho bạn để xác nhận; bạn cũng sẽ nhận tin nhắn ở mỗi bước.`,
      );
      return;
    }
    if (order.paymentMethod === 'vietqr') return vietqr(order, view);
    // VNPay: normally the result page; here when the shopper came back without paying.
    say(
      view.status === 'pending_payment' ? 'warn' : 'ok',
      view.status === 'pending_payment'
        ? `Đơn ${order.code} đang chờ thanh toán qua VNPay.`
        : `Đơn ${order.code} đã được thanh toán.`,
    );
  }

  function vietqr(order: RecentOrder, view: OrderView): void {
    if (view.status !== 'pending_payment') return paid(view);
    if (!order.clientSecret) {
      say('warn', 'Không đọc được thông tin thanh toán trên thiết bị này; hãy theo dõi đơn ở trang Tra cứu.');
      return;
    }
    say('info', `Đơn ${order.code} đã được tạo và đang chờ chuyển khoản ${formatVnd(view.total)}.`);
    if (view.payBy) {
      byId('qr-deadline').textContent =
        `Hãy chuyển khoản trước ${formatDateTime(view.payBy)}; sau đó đơn tự hủy.`;
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
          say('error', `Đơn ${order.code} đã hết hạn hoặc bị hủy; không chuyển khoản cho đơn này nữa.`);
          return;
        }
        if (!shown && payment.next_action?.type === 'display_vietqr') {
          shown = true;
          showQr(payment.next_action.vietqr);
        }
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) {
          stopped = true;
          say('error', 'Không tìm thấy thanh toán của đơn này.');
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
    fill(byId('qr-image'), qrSvg(qr.payload, `Mã VietQR chuyển ${formatVnd(qr.amount)} cho đơn hàng`));
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
      h('strong', null, `Đã nhận thanh toán ${formatVnd(view.total)}. Cảm ơn bạn!`),
      ` Đơn ${view.code} đã được đặt; hợp tác xã sẽ xác nhận và giao hàng.`,
    );
  }
}
