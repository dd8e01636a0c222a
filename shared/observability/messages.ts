/**
 * Counts what a messenger does: `SmsSent` for each message it delivers, `SmsFailed` for each it
 * could not (the error still reaches the caller). Wraps whichever messenger is configured.
 */
import type { Messenger } from '../messaging/messenger.ts';
import { log } from './log.ts';
import { countEvent } from './metrics.ts';

export function withDeliveryMetrics(messenger: Messenger): Messenger {
  return {
    async send(message) {
      try {
        await messenger.send(message);
      } catch (error) {
        countEvent('SmsFailed');
        log().warn('message not sent', { kind: message.kind, to: message.to, error });
        throw error;
      }
      countEvent('SmsSent');
    },
  };
}
