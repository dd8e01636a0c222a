/**
 * The cooperative board's list of orders: a page of the fulfiller's sub-orders, newest first,
 * each with what the manager needs without opening it — how the order is paid (to show whether
 * it is paid), the buyer and the delivery (for the packing list's addresses).
 */
import { getOrders, listFulfillerSubOrders } from '../db/orders.ts';
import type { BoardListItem } from './reports.ts';

export type { BoardListItem };

export async function boardOrdersPage(
  fulfillerId: string,
  options: Parameters<typeof listFulfillerSubOrders>[1],
): Promise<{ items: BoardListItem[]; nextCursor: string | null }> {
  const page = await listFulfillerSubOrders(fulfillerId, options);
  const orders = await getOrders([...new Set(page.items.map((s) => s.orderCode))]);
  const items = page.items.map((sub): BoardListItem => {
    const order = orders.get(sub.orderCode);
    if (!order) return sub;
    return { ...sub, paymentMethod: order.paymentMethod, contact: order.contact, delivery: order.delivery };
  });
  return { items, nextCursor: page.nextCursor };
}
