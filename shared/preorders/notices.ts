/**
 * The shopper's notices of a pre-order, by SMS through the exchange's messenger (the dev inbox
 * locally), in Vietnamese: deposit paid, allocated (or short, with the refund), final weight and
 * balance due, balance paid, cancelled under the grace rule. Best effort, like order notices: a
 * notice that cannot be sent is logged and never fails the step. Texts are pure functions.
 */
import { formatVnd } from '../domain/money.ts';
import { optionalMessenger } from '../messaging/messenger.ts';
import { template } from '../messaging/templates.ts';
import { log } from '../observability/log.ts';
import { siteLink } from '../orders/notifications.ts';
import type { Order } from '../orders/model.ts';
import { config } from '../services.ts';

export type PreorderStep =
  'deposit_paid' | 'allocated' | 'short' | 'deposit_late' | 'balance_due' | 'balance_paid' | 'lapsed';

export function preorderNotice(
  order: Order,
  step: PreorderStep,
  site: string | undefined,
): string | undefined {
  const p = order.preorder;
  if (!p) return undefined;
  const a = p.allocation;
  const s = p.settlement;
  const texts: Record<PreorderStep, () => string> = {
    deposit_paid: () =>
      `đã nhận ${formatVnd(p.deposit)} tiền cọc đặt trước ${order.code} (${p.season}). Dự kiến giao từ ${p.harvestFrom}.`,
    allocated: () => `đơn đặt trước ${order.code} đã được phân bổ đủ hàng vụ ${p.season}.`,
    short: () =>
      a && Object.values(a.packs).every((n) => n === 0)
        ? `vụ ${p.season} thiếu hàng nên đơn đặt trước ${order.code} không được phân bổ; đã hoàn ${formatVnd(a.refunded)} tiền cọc.`
        : `vụ ${p.season} thiếu hàng: đơn đặt trước ${order.code} được ${packsText(a?.packs ?? {})}; đã hoàn ${formatVnd(a?.refunded ?? 0)} tiền cọc của phần thiếu.`,
    deposit_late: () =>
      `tiền cọc của đơn đặt trước ${order.code} đến sau khi vụ ${p.season} đã được phân bổ nên đơn bị hủy; đã hoàn ${formatVnd(a?.refunded ?? p.deposit)} tiền cọc.`,
    balance_due: () =>
      s && s.balance > 0
        ? `đơn đặt trước ${order.code} đã cân: tổng ${formatVnd(s.finalAmount)}, còn phải trả ${formatVnd(s.balance)}` +
          (p.balanceMethod === 'cod'
            ? ' khi nhận hàng.'
            : `, hạn thanh toán ${s.dueBy ? s.dueBy.slice(0, 10) : ''}; quá hạn đơn bị hủy theo quy định tiền cọc.`)
        : `đơn đặt trước ${order.code} đã cân: tổng ${formatVnd(s?.finalAmount ?? 0)}, tiền cọc đã đủ, không phải trả thêm.`,
    balance_paid: () =>
      `đã nhận thanh toán phần còn lại của đơn đặt trước ${order.code}. Hàng sẽ sớm được gửi.`,
    lapsed: () =>
      `đơn đặt trước ${order.code} đã bị hủy vì quá hạn thanh toán phần còn lại; theo quy định, phần cọc được giữ tối đa ${p.keptOnLapsePercent}% giá trị, phần còn lại đã được hoàn.`,
  };
  const link = siteLink(site, `/don-hang/?ma=${order.code}`);
  return `Sàn OCOP Thái Nguyên: ${texts[step]()}${link ? ` Theo dõi: ${link}` : ''}`;
}

const packsText = (packs: Record<string, number>) => `${Object.values(packs).reduce((n, q) => n + q, 0)} gói`;

export async function notifyPreorder(order: Order, step: PreorderStep): Promise<void> {
  const text = preorderNotice(order, step, config().siteUrl ?? '');
  const messenger = optionalMessenger();
  if (!text || !messenger) return;
  // On Zalo the step's sentence without the exchange's name (the template carries it).
  const update = text
    .replace(/^Sàn OCOP Thái Nguyên: /, '')
    .replace(/ Theo dõi: \S+$/, '')
    .replace(/\.$/, '');
  const zalo = template('preorder_update', {
    order_code: order.code,
    season: order.preorder?.season ?? '',
    update,
  });
  await messenger
    .send({ to: order.contact.phone, kind: 'notification', text, template: zalo })
    .catch((error: unknown) => {
      log().warn('pre-order notice not sent', { error });
    });
}
