/**
 * The channel router: a Messenger that sends each message by the recipient's preferred channel
 * (`sms` by default; `zalo` as chosen with setNotificationChannel) and falls back to SMS, once,
 * when Zalo cannot carry it (no Zalo account, blocked, template or quota refused, timeout after
 * a token refresh). A message without a template, or whose template has no approved id, goes by
 * SMS.
 *
 * No duplicates when a send is retried as a whole (a worker retried after a timeout, the same
 * notice produced twice). Each message has a key (`message.key`, else a hash of kind, phone and
 * text); per key and channel the table holds one record (shared/db/sent-messages.ts):
 *
 *   1. If any channel's record for the key is `sent`, stop: the notice went out.
 *   2. Zalo (when chosen): claim `SENT#<key>/CHANNEL#zalo` with a conditional put (`sending`).
 *      Only the claimer sends. A claim found `sent` or still `sending` (another send of the same
 *      message is under way) stops here; one found `failed` goes on to SMS. After the send:
 *      accepted → `sent`, stop; refused or timed out → `failed`, go on to SMS.
 *   3. SMS: claim `CHANNEL#sms` the same way, send, record `sent`. A send that throws gives the
 *      claim back (the error reaches the caller, who may retry).
 *
 * A crash between a send and its record leaves the claim in `sending`. A retry within
 * `staleAfterMs` sends nothing (it cannot tell a crash from a send in progress); after it, one
 * retry takes the claim over (conditionally, so only one) and sends on the same channel again:
 * at most one duplicate, on that one channel. The only way both channels carry the notice is a
 * Zalo send that timed out yet was delivered: the router then prefers sending the SMS to
 * leaving the recipient without the notice.
 */
import { createHash } from 'node:crypto';
import type { NotificationChannel } from '../db/notification-prefs.ts';
import { toE164 } from '../domain/phone.ts';
import type { ClaimResult, SendChannel, SendState } from '../db/sent-messages.ts';
import { log } from '../observability/log.ts';
import type { Messenger, OutgoingMessage } from './messenger.ts';
import { ZaloError, type ZaloClient } from './zalo.ts';

/** The storage the router needs (shared/db/notification-prefs.ts and sent-messages.ts). */
export interface RouterStores {
  prefs: { get(phone: string): Promise<NotificationChannel> };
  sent: {
    states(key: string): Promise<Partial<Record<SendChannel, SendState>>>;
    claim(key: string, channel: SendChannel, now: Date, staleAfterMs: number): Promise<ClaimResult>;
    markSent(key: string, channel: SendChannel, detail?: string): Promise<void>;
    markFailed(key: string, channel: SendChannel, detail: string): Promise<void>;
    release(key: string, channel: SendChannel): Promise<void>;
  };
}

export interface ChannelRouterOptions extends RouterStores {
  sms: Messenger;
  /** Absent: every message goes by SMS (still sent once per key). */
  zalo?: ZaloClient;
  /**
   * How long a claim stays in `sending` before a retry may take it over; longer than a send can
   * take (two Zalo calls and a token refresh at their timeouts), or a slow send is doubled.
   * @default 60 s
   */
  staleAfterMs?: number;
  clock?: () => Date;
}

/** The message's key: its own, or a hash of what makes it the same notice. */
export function messageKey(message: OutgoingMessage): string {
  if (message.key) return message.key;
  return createHash('sha256')
    .update(`${message.kind}\n${message.to}\n${message.text}`)
    .digest('base64url')
    .slice(0, 32);
}

export function createChannelRouter(options: ChannelRouterOptions): Messenger {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const now = () => (options.clock ? options.clock() : new Date());
  const { prefs, sent, sms, zalo } = options;

  return {
    async send(message) {
      const key = messageKey(message);
      const template = message.template;
      const zaloCan = !!(zalo && template && zalo.has(template.name));
      // The sent states and the phone's channel are read at once: two round trips in one wait.
      const [states, channel] = await Promise.all([
        sent.states(key),
        zaloCan ? prefs.get(toE164(message.to) ?? message.to) : undefined,
      ]);
      if (states.sms === 'sent' || states.zalo === 'sent') return;

      if (zalo && template && zaloCan && states.zalo !== 'failed') {
        if (channel === 'zalo') {
          const claim = await sent.claim(key, 'zalo', now(), staleAfterMs);
          if (claim === 'sent' || claim === 'sending') return;
          if (claim === 'claimed') {
            let msgId: string | undefined;
            try {
              msgId = (await zalo.send({ phone: message.to, template, trackingId: key })).msgId;
            } catch (error) {
              if (!(error instanceof ZaloError)) {
                await sent.release(key, 'zalo');
                throw error;
              }
              log().warn('zalo message not sent, falling back to SMS', {
                failure: error.failure,
                code: error.code,
              });
              await sent.markFailed(key, 'zalo', `${error.failure}${error.code ? ` ${error.code}` : ''}`);
            }
            // Outside the try: a failure to record a send that went out must not give the claim
            // back (the claim then stays `sending`, as after a crash).
            if (msgId !== undefined) {
              await sent.markSent(key, 'zalo', msgId);
              return;
            }
          }
        }
      }

      const claim = await sent.claim(key, 'sms', now(), staleAfterMs);
      if (claim !== 'claimed') return;
      try {
        await sms.send(message);
      } catch (error) {
        await sent.release(key, 'sms');
        throw error;
      }
      await sent.markSent(key, 'sms');
    },
  };
}
