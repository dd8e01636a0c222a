/**
 * Cash on delivery (thanh toán khi nhận hàng). Confirming authorises nothing: the intent waits in
 * `requires_capture` until the order is delivered and the cash collected (`capture`), or is
 * cancelled when delivery fails (`cancel`). Refunds are cash handed back, recorded by a manager.
 */
import { manualRefund, type PaymentProvider } from './provider.ts';

export function createCodProvider(): PaymentProvider {
  return {
    type: 'cod',
    captureMethod: 'manual',
    async confirm() {
      return { status: 'requires_capture' };
    },
    async refund(_intent, request) {
      return manualRefund(request);
    },
  };
}
