/**
 * What the exchange does when a payment event arrives through its webhook. Each event id reaches
 * here once (the route deduplicates). Orders react to these: a succeeded payment confirms its
 * order, a failed one leaves it waiting for another try, a refund is shown on the order.
 */
import type { PaymentEvent } from '../../shared/payments/types.ts';
import { log } from '../../shared/observability/log.ts';

export type PaymentEventHandler = (event: PaymentEvent) => Promise<void>;

const handlers: PaymentEventHandler[] = [];

/** Registers a reaction to payment events (orders register theirs). */
export function onPaymentEvent(handler: PaymentEventHandler): void {
  handlers.push(handler);
}

export async function handlePaymentEvent(event: PaymentEvent): Promise<void> {
  log().info('payment event', {
    eventId: event.id,
    type: event.type,
    object: (event.data.object as { id?: string }).id,
  });
  for (const handler of handlers) await handler(event);
}
