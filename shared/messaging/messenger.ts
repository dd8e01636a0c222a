/**
 * Messages that go out to people's phones (sign-in codes, consent codes, order notices). In AWS
 * they go by SMS/Zalo through a provider; locally every message lands in the dev inbox instead.
 */
import { withDeliveryMetrics } from '../observability/messages.ts';

export interface OutgoingMessage {
  /** E.164 phone number. */
  to: string;
  kind: 'sign_in_code' | 'consent_code' | 'notification';
  text: string;
}

export interface Messenger {
  send(message: OutgoingMessage): Promise<void>;
}

let current: Messenger | undefined;

export function setMessenger(messenger: Messenger): void {
  current = withDeliveryMetrics(messenger);
}

export function messenger(): Messenger {
  if (!current) throw new Error('No messenger configured');
  return current;
}

/** The configured messenger, or undefined (best-effort notices must not fail an order). */
export function optionalMessenger(): Messenger | undefined {
  return current;
}
