/**
 * Messages that go out to people's phones (sign-in codes, consent codes, order notices). In AWS
 * they go by SMS through Amazon SNS (functions/adapters/sns-messenger.ts), or by Zalo ZNS for a
 * recipient who chose Zalo (the channel router, shared/messaging/router.ts, when Zalo is
 * configured); locally every message lands in the dev inbox instead (SMS directly, Zalo through
 * the ZNS emulator). The composition root picks one (shared/services.ts).
 */
import { required, services } from '../services.ts';
import type { NoticeTemplate } from './templates.ts';

export type { NoticeTemplate } from './templates.ts';

export interface OutgoingMessage {
  /** E.164 phone number. */
  to: string;
  kind: 'sign_in_code' | 'consent_code' | 'notification';
  /** The SMS text, always present: the fallback when Zalo cannot carry the message. */
  text: string;
  /** How the same notice reads as a Zalo ZNS template message; without one it goes by SMS. */
  template?: NoticeTemplate;
  /**
   * What makes two sends the same notice (the router sends each key at most once per channel).
   * @default a hash of `kind`, `to` and `text`
   */
  key?: string;
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
