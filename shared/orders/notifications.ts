/**
 * Order notices by SMS/Zalo (the dev inbox locally): the shopper hears of every step of their
 * order, each fulfilling cooperative of a new order. Best effort: a notice that cannot be sent
 * is logged, never fails the order.
 */
import { producers } from '../db/producers.ts';
import { formatVnd } from '../domain/money.ts';
import { optionalMessenger } from '../messaging/messenger.ts';
import { config } from '../services.ts';
import type { Order, OrderStatus, SubOrder } from './model.ts';
import { log } from '../observability/log.ts';

/** Links in texts are absolute: SITE_URL in AWS (required), the local runtime's own origin locally. */
const SITE = () => config().siteUrl ?? '';

const SHOPPER_TEXT: Partial<Record<OrderStatus, (o: Order, s?: SubOrder) => string>> = {
  placed: (o) => `đơn ${o.code} đã được đặt, tổng ${formatVnd(o.total)}.`,
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

async function send(to: string, text: string): Promise<void> {
  const messenger = optionalMessenger();
  if (!messenger) return;
  await messenger.send({ to, kind: 'notification', text }).catch((error: unknown) => {
    log().warn('notice not sent', { error });
  });
}

export async function notifyShopper(order: Order, status: OrderStatus, sub?: SubOrder): Promise<void> {
  const text = SHOPPER_TEXT[status]?.(order, sub);
  if (!text) return;
  await send(
    order.contact.phone,
    `Sàn OCOP Thái Nguyên: ${text} Theo dõi: ${SITE()}/don-hang/?ma=${order.code}`,
  );
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
        `Sàn OCOP Thái Nguyên: đơn mới ${order.code}, ${packs} gói, ${formatVnd(sub.subtotal)}. ` +
          `Xem bảng đơn: ${SITE()}/hop-tac-xa/don-hang/`,
      );
    }),
  );
}

/** A placed order (COD at once, online ones when paid) is announced to shopper and fulfillers. */
export async function announcePlaced(order: Order, subs: readonly SubOrder[]): Promise<void> {
  await Promise.all([notifyShopper(order, 'placed'), notifyFulfillers(order, subs)]);
}
