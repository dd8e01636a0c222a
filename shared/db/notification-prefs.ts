/**
 * Each recipient's preferred channel for notices, keyed by phone (E.164):
 *   NOTIFYPREF#<phone> / PREF   notification_pref   `channel` sms | zalo
 * No item means SMS. Read by the channel router (shared/messaging/router.ts) for every message,
 * written by setNotificationChannel for the signed-in account's phone.
 */
import { getEventual, putItem } from './item-access.ts';

export type NotificationChannel = 'sms' | 'zalo';

const key = (phone: string) => ({ pk: `NOTIFYPREF#${phone}`, sk: 'PREF' });

export const notificationPrefs = {
  async get(phone: string): Promise<NotificationChannel> {
    // A choice made a second ago may miss one notice: not worth twice the read units of every notice.
    const item = await getEventual(key(phone));
    return item?.channel === 'zalo' ? 'zalo' : 'sms';
  },

  async set(phone: string, channel: NotificationChannel, at: Date = new Date()): Promise<void> {
    await putItem({ ...key(phone), type: 'notification_pref', channel, updatedAt: at.toISOString() });
  },
};
