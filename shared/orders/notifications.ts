/**
 * Order notices by SMS/Zalo (the dev inbox locally): the shopper hears of every step of their
 * order, each fulfilling cooperative of a new order, and a COD buyer gets the code that confirms
 * the order. Best effort: a notice that cannot be sent is logged, never fails the order.
 *
 * Every text is built by a pure function below (`shopperNotice`, `fulfillerNotice`,
 * `codConfirmationText`), and every link in it by `siteLink`: absolute (`https://…`), or left
 * out when no absolute site URL is known — a relative link in an SMS opens nothing.
 */
import { producers } from '../db/producers.ts';
import { formatVnd } from '../domain/money.ts';
import { optionalMessenger, type NoticeTemplate } from '../messaging/messenger.ts';
import { template } from '../messaging/templates.ts';
import { config } from '../services.ts';
import type { Order, OrderStatus, SubOrder } from './model.ts';
import { COD_CONFIRMATION } from './limits.ts';
import { log } from '../observability/log.ts';

/** Links in texts are absolute: SITE_URL in AWS (required), the local runtime's own origin locally. */
const SITE = () => config().siteUrl ?? '';

/**
 * `path` on the storefront as an absolute link, or '' when `site` is not an absolute http(s)
 * origin (the text then goes without its link rather than with one that opens nothing).
 */
export function siteLink(site: string | undefined, path: string): string {
  if (!site || !/^https?:\/\/[^/\s]+/i.test(site)) return '';
  return `${site.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

const SHOPPER_TEXT: Partial<Record<OrderStatus, (o: Order, s?: SubOrder) => string>> = {
  placed: (o) =>
    o.preorder
      ? `đã nhận ${formatVnd(o.preorder.deposit)} tiền cọc đặt trước ${o.code} (${o.preorder.season}), dự kiến giao từ ${o.preorder.harvestFrom}.`
      : `đơn ${o.code} đã được đặt, tổng ${formatVnd(o.total)}.`,
  confirmed: (o, s) => `${s?.fulfillerName ?? 'hợp tác xã'} đã xác nhận đơn ${o.code}.`,
  packed: (o, s) => `${s?.fulfillerName ?? 'hợp tác xã'} đã đóng gói đơn ${o.code}.`,
  shipped: (o, s) =>
    `đơn ${o.code} đã giao cho ${s?.carrier ?? 'đơn vị vận chuyển'}${s?.trackingNumber ? `, mã vận đơn ${s.trackingNumber}` : ''}.`,
  delivered: (o) => `đơn ${o.code} đã giao thành công. Cảm ơn bạn!`,
  cancelled: (o) => `đơn ${o.code} đã bị hủy. Tiền (nếu đã trả) sẽ được hoàn lại.`,
  expired: (o) =>
    o.paymentMethod === 'cod'
      ? `đơn ${o.code} chưa được xác nhận bằng mã SMS nên đã tự hủy.`
      : `đơn ${o.code} đã hết hạn thanh toán và được hủy.`,
};

/** The same notice as a Zalo template (shared/messaging/templates.ts), for steps that have one. */
export function shopperTemplate(
  order: Order,
  status: OrderStatus,
  sub?: SubOrder,
): NoticeTemplate | undefined {
  const order_code = order.code;
  const cooperative = sub?.fulfillerName ?? 'hợp tác xã';
  switch (status) {
    case 'placed':
      return order.preorder
        ? template('preorder_update', {
            order_code,
            season: order.preorder.season,
            update: `đã nhận ${formatVnd(order.preorder.deposit)} tiền cọc, dự kiến giao từ ${order.preorder.harvestFrom}`,
          })
        : template('order_placed', { order_code, total: formatVnd(order.total) });
    case 'confirmed':
      return template('order_confirmed', { order_code, cooperative });
    case 'packed':
      return template('order_packed', { order_code, cooperative });
    case 'shipped':
      return template('order_shipped', {
        order_code,
        carrier: sub?.carrier ?? 'đơn vị vận chuyển',
        tracking_number: sub?.trackingNumber ?? '—',
      });
    case 'delivered':
      return template('order_delivered', { order_code });
    case 'cancelled':
      return template('order_cancelled', { order_code, reason: 'tiền đã trả sẽ được hoàn lại' });
    case 'expired':
      return template('order_cancelled', {
        order_code,
        reason: order.paymentMethod === 'cod' ? 'chưa được xác nhận bằng mã' : 'hết hạn thanh toán',
      });
    default:
      return undefined;
  }
}

async function send(to: string, text: string, zalo?: NoticeTemplate): Promise<void> {
  const messenger = optionalMessenger();
  if (!messenger) return;
  const message = { to, kind: 'notification' as const, text, ...(zalo ? { template: zalo } : {}) };
  await messenger.send(message).catch((error: unknown) => {
    log().warn('notice not sent', { error });
  });
}

/** The shopper's notice of a step of their order (undefined: that step is not announced). */
export function shopperNotice(
  order: Order,
  status: OrderStatus,
  sub: SubOrder | undefined,
  site: string | undefined,
): string | undefined {
  const text = SHOPPER_TEXT[status]?.(order, sub);
  if (!text) return undefined;
  const link = siteLink(site, `/don-hang/?ma=${order.code}`);
  return `Sàn OCOP Thái Nguyên: ${text}${link ? ` Theo dõi: ${link}` : ''}`;
}

/** A fulfilling cooperative's notice of its part of a new order. */
export function fulfillerNotice(order: Order, sub: SubOrder, site: string | undefined): string {
  const packs = sub.lines.reduce((n, l) => n + l.quantity, 0);
  const link = siteLink(site, '/hop-tac-xa/don-hang/');
  return (
    `Sàn OCOP Thái Nguyên: đơn mới ${order.code}, ${packs} gói, ${formatVnd(sub.subtotal)}.` +
    (link ? ` Xem bảng đơn: ${link}` : '')
  );
}

/** The code that confirms a COD order, and a link that carries it (the order waits for it). */
export function codConfirmationText(order: Order, otp: string, site: string | undefined): string {
  const minutes = Math.round(COD_CONFIRMATION.windowMs / 60_000);
  const link = siteLink(
    site,
    `/thanh-toan/da-dat/?ma=${order.code}&sdt=${encodeURIComponent(order.contact.phone)}&xn=${otp}`,
  );
  return `Mã xác nhận đơn ${order.code} (thanh toán khi nhận hàng): ${otp}. Nhập mã trong ${minutes} phút${link ? ` hoặc mở ${link}` : ''}; không xác nhận, đơn sẽ tự hủy.`;
}

export async function notifyShopper(order: Order, status: OrderStatus, sub?: SubOrder): Promise<void> {
  const text = shopperNotice(order, status, sub, SITE());
  if (text) await send(order.contact.phone, text, shopperTemplate(order, status, sub));
}

/**
 * The code (and a link that carries it) to the phone given. The order is already held and its
 * request answered: a lost SMS must not turn that into an error the client would retry.
 * Unconfirmed, the order expires and gives its stock back.
 */
export async function sendConfirmationCode(
  order: Order,
  otp: string,
  site: string | undefined = SITE(),
): Promise<void> {
  await optionalMessenger()
    ?.send({
      to: order.contact.phone,
      kind: 'notification',
      text: codConfirmationText(order, otp, site),
      template: template('cod_confirmation', {
        order_code: order.code,
        otp,
        minutes: String(Math.round(COD_CONFIRMATION.windowMs / 60_000)),
      }),
    })
    .catch((error: unknown) => {
      log().warn('confirmation code not sent', { error });
    });
}

/** Each fulfilling cooperative (or independent producer) hears of its part of a new order. */
export async function notifyFulfillers(order: Order, subs: readonly SubOrder[]): Promise<void> {
  await Promise.all(
    subs.map(async (sub) => {
      const fulfiller = await producers.get(sub.fulfillerId).catch(() => undefined);
      if (!fulfiller) return;
      const packs = sub.lines.reduce((n, l) => n + l.quantity, 0);
      await send(
        fulfiller.phone,
        fulfillerNotice(order, sub, SITE()),
        template('order_new_for_cooperative', {
          order_code: order.code,
          packs: String(packs),
          amount: formatVnd(sub.subtotal),
        }),
      );
    }),
  );
}

/** A placed order (COD at once, online ones when paid) is announced to shopper and fulfillers. */
export async function announcePlaced(order: Order, subs: readonly SubOrder[]): Promise<void> {
  await Promise.all([notifyShopper(order, 'placed'), notifyFulfillers(order, subs)]);
}
