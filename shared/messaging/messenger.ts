/**
 * Messages that go out to people's phones (sign-in codes, consent codes, order notices). In AWS
 * they go by SMS through Amazon SNS (functions/adapters/sns-messenger.ts); locally every message
 * lands in the dev inbox instead. The composition root picks one (shared/services.ts).
 */
import { required, services } from '../services.ts';

export interface OutgoingMessage {
  /** E.164 phone number. */
  to: string;
  kind: 'sign_in_code' | 'consent_code' | 'notification';
  text: string;
}

export interface Messenger {
  send(message: OutgoingMessage): Promise<void>;
}

export function messenger(): Messenger {
  return required('messenger');
}

/** The configured messenger, or undefined (best-effort notices must not fail an order). */
export function optionalMessenger(): Messenger | undefined {
  return services().messenger;
}
