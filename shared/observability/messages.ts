/**
 * Counts what a messenger does: `SmsSent` for each message it delivers, `SmsFailed` for each it
 * could not (the error still reaches the caller). Wraps whichever messenger is configured.
 */
import type { Messenger } from '../messaging/messenger.ts';
import { countEvent } from './metrics.ts';

export function withDeliveryMetrics(messenger: Messenger): Messenger {
  return {
    async send(message) {
      try {
        await messenger.send(message);
      } catch (error) {
        // The caller decides what a lost message means and logs it (a notice, a sign-in code…).
        countEvent('SmsFailed');
        throw error;
      }
      countEvent('SmsSent');
    },
  };
}
