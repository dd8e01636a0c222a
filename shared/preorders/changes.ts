/**
 * One change of a reservation (an order with one sub-order): the order and its sub-order written
 * together, each conditional on the version read (and the sub-order on its status), with any
 * other writes that must go with them. A lost race reads again and plans again.
 */
import type { TransactItem } from '../db/items.ts';
import { getOrderWithSubs, putOrder, putSubOrder } from '../db/orders.ts';
import { transactWrite } from '../db/retry.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { aggregateStatus, type Order, type SubOrder } from '../orders/model.ts';

export interface Reservation {
  order: Order;
  sub: SubOrder;
}

export async function readReservation(code: string): Promise<Reservation | undefined> {
  const found = await getOrderWithSubs(code);
  const sub = found?.subs[0];
  if (!found || !sub || !found.order.preorder) return undefined;
  return { order: found.order, sub };
}

export async function changeReservation(
  code: string,
  plan: (current: Reservation) => { order: Order; sub: SubOrder; extra?: TransactItem[] } | null,
): Promise<Reservation | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await readReservation(code);
    if (!current)
      throw notFound(
        'preorder.reservation_not_found',
        `Không có đơn đặt trước ${code} / No pre-order ${code}`,
      );
    const next = plan(current);
    if (!next) return null;
    const status = aggregateStatus([next.sub.status]);
    const lastStep = next.sub.history.at(-1);
    const order: Order = {
      ...next.order,
      status,
      history:
        status !== current.order.status && lastStep
          ? [...current.order.history, { ...lastStep, status }]
          : next.order.history,
      version: current.order.version + 1,
    };
    const sub: SubOrder = { ...next.sub, version: current.sub.version + 1 };
    try {
      await transactWrite([
        putOrder(order, current.order.version),
        putSubOrder(sub, { status: current.sub.status, version: current.sub.version }),
        ...(next.extra ?? []),
      ]);
      return { order, sub };
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') continue;
      throw error;
    }
  }
  throw conflict('order.busy', 'Đơn hàng đang được cập nhật; hãy thử lại / The order is busy: retry');
}
