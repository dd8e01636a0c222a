/**
 * Where order changes call for invoices: the due markers written in the same transaction as the
 * change (shared/orders/lifecycle.ts), run later by the invoice lane (worker.ts). Nothing is
 * sent to the provider in the request that changes the order.
 *  - a part enters `completed`                       → issue the original (trigger completed)
 *  - a part is paid: online payment taken (pending_payment → placed) or COD cash collected on
 *    delivery                                         → issue the original (trigger paid)
 *  - a part paid or under way is cancelled or refunded → decrease the original to zero (cancel)
 * Which trigger issues is the seller's `issueOn`; a seller without e-invoices has its markers
 * dropped by the lane.
 */
import { invoices } from '../db/invoices.ts';
import type { TransactItem } from '../db/items.ts';
import type { SubOrder } from '../orders/model.ts';

export function invoiceDueItems(
  before: readonly SubOrder[],
  after: readonly SubOrder[],
  nowMs: number,
): TransactItem[] {
  const items: TransactItem[] = [];
  for (const sub of after) {
    const was = before.find((b) => b.fulfillerId === sub.fulfillerId);
    if (!was || was.status === sub.status) continue;
    const ref = { orderCode: sub.orderCode, fulfillerId: sub.fulfillerId };
    if (sub.status === 'completed') {
      items.push(
        invoices.dueItem({ ...ref, kindKey: 'ORIGINAL', action: 'issue', trigger: 'completed' }, nowMs),
      );
    } else if (
      (was.status === 'pending_payment' && sub.status === 'placed') ||
      (sub.status === 'delivered' && sub.cashCollected === true)
    ) {
      items.push(invoices.dueItem({ ...ref, kindKey: 'ORIGINAL', action: 'issue', trigger: 'paid' }, nowMs));
    } else if (
      (sub.status === 'cancelled' || sub.status === 'refunded') &&
      was.status !== 'pending_payment'
    ) {
      items.push(invoices.dueItem({ ...ref, kindKey: 'CANCEL', action: 'cancel' }, nowMs));
    }
  }
  return items;
}
