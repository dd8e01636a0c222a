/**
 * setNotificationChannel / getNotificationChannel: the signed-in person chooses how notices reach
 * their phone — SMS (the default) or Zalo (ZNS template messages, SMS when Zalo cannot deliver;
 * shared/messaging/router.ts). Stored by the account's phone, which is where notices go. What the
 * operations answer is documented in notification-channel.doc.ts, which only the OpenAPI document
 * imports.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { routeOperationDefiner, validate } from '../http.ts';
import { PRODUCERS_ROUTES } from './routes.ts';
import type { SignedInEnv } from '../principal.ts';

const defineOperation = routeOperationDefiner(PRODUCERS_ROUTES);

export const NotificationChannelBody = z
  .strictObject({
    channel: z.enum(['sms', 'zalo'], {
      error: 'Kênh nhận thông báo phải là "sms" hoặc "zalo" / channel must be "sms" or "zalo"',
    }),
  })
  .meta({ id: 'NotificationChannelBody' });

export const notificationChannelOperations = {
  getNotificationChannel: defineOperation('getNotificationChannel'),
  setNotificationChannel: defineOperation('setNotificationChannel', { json: NotificationChannelBody }),
};

export function registerNotificationChannelRoutes(app: Hono<SignedInEnv>): void {
  const o = notificationChannelOperations;
  app.on(o.getNotificationChannel.method, o.getNotificationChannel.honoPath, async (c) => {
    const { phone } = c.get('principal');
    c.header('Cache-Control', 'no-store');
    return c.json({ channel: await notificationPrefs.get(phone), phone });
  });
  app.on(
    o.setNotificationChannel.method,
    o.setNotificationChannel.honoPath,
    validate('json', NotificationChannelBody),
    async (c) => {
      const { phone } = c.get('principal');
      const { channel } = c.req.valid('json');
      await notificationPrefs.set(phone, channel);
      return c.json({ channel, phone });
    },
  );
}
