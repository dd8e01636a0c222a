/**
 * How a cooperative's part of an order is paid and whether it is paid, in the board's words:
 * "Đã thanh toán VNPay", "Chờ chuyển khoản", "COD — thu 460.000 ₫". Read from the part's status
 * and steps, which follow the payment (model.ts): an online order leaves `pending_payment` for
 * `placed` only when its payment succeeded, a cancelled paid part is refunded, and a COD part is
 * paid when it is delivered with the cash collected. Pure; the board's pages bundle this file.
 */
import { formatVnd } from '../domain/money.ts';
import type { PaymentMethod, SubOrder } from './model.ts';

/** `paid`: the money is in; `due`: to be collected or paid; `none`: nothing to collect; `back`: returned. */
export type PaymentTone = 'paid' | 'due' | 'none' | 'back';

export interface PaymentState {
  text: string;
  tone: PaymentTone;
  paid: boolean;
}

type PartOfOrder = Pick<SubOrder, 'status' | 'history' | 'subtotal' | 'shippingFee' | 'cashCollected'>;

const ONLINE: Record<Exclude<PaymentMethod, 'cod'>, { paid: string; waiting: string; name: string }> = {
  vnpay: { paid: 'Đã thanh toán VNPay', waiting: 'Chờ thanh toán VNPay', name: 'VNPay' },
  vietqr: { paid: 'Đã nhận chuyển khoản', waiting: 'Chờ chuyển khoản', name: 'chuyển khoản' },
};

export function paymentState(method: PaymentMethod, part: PartOfOrder): PaymentState {
  const state = (text: string, tone: PaymentTone): PaymentState => ({ text, tone, paid: tone === 'paid' });
  const amount = formatVnd(part.subtotal + part.shippingFee);
  if (method === 'cod') {
    switch (part.status) {
      case 'pending_payment':
        return state('COD — chờ người mua xác nhận đơn', 'due');
      case 'placed':
      case 'confirmed':
      case 'packed':
      case 'shipped':
        return state(`COD — thu ${amount}`, 'due');
      case 'delivered':
      case 'completed':
        return part.cashCollected
          ? state(`COD — đã thu ${amount}`, 'paid')
          : state(`COD — thu ${amount}`, 'due');
      case 'refunded':
        return state('COD — đã trả lại tiền', 'back');
      default:
        return state('COD — không thu tiền', 'none');
    }
  }
  const words = ONLINE[method];
  const wasPaid = part.history.some((step) => step.status === 'placed');
  switch (part.status) {
    case 'pending_payment':
      return state(words.waiting, 'due');
    case 'expired':
      return state('Chưa thanh toán — đơn hết hạn', 'none');
    case 'refunded':
      return state(`Đã hoàn tiền ${words.name}`, 'back');
    case 'cancelled':
      return wasPaid
        ? state(`Đã hủy — hoàn tiền ${words.name}`, 'back')
        : state('Đã hủy — chưa thu tiền', 'none');
    default:
      return state(words.paid, 'paid');
  }
}
