/**
 * setNotificationChannel / getNotificationChannel: the signed-in person chooses how notices reach
 * their phone — SMS (the default) or Zalo (ZNS template messages, SMS when Zalo cannot deliver;
 * shared/messaging/router.ts). Stored by the account's phone, which is where notices go.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { notificationPrefs } from '../../shared/db/notification-prefs.ts';
import { errorResponse, jsonResponse, operationDefiner, validate } from '../http.ts';
import { PRODUCERS_ROUTES } from './routes.ts';
import type { SignedInEnv } from '../principal.ts';

const defineOperation = operationDefiner(PRODUCERS_ROUTES);

export const NotificationChannelBody = z
  .strictObject({
    channel: z.enum(['sms', 'zalo'], {
      error: 'Kênh nhận thông báo phải là "sms" hoặc "zalo" / channel must be "sms" or "zalo"',
    }),
  })
  .meta({ id: 'NotificationChannelBody' });

const NotificationChannel = z
  .object({
    channel: z.enum(['sms', 'zalo']),
    phone: z.string().meta({ description: 'The phone (E.164) notices go to' }),
  })
  .meta({ id: 'NotificationChannel' });

const signedIn = { 401: errorResponse('Not signed in, or the token is invalid') };

export const notificationChannelOperations = {
  getNotificationChannel: defineOperation('getNotificationChannel', {
    summary: "The signed-in person's channel for notices (sms by default)",
    responses: { 200: jsonResponse(NotificationChannel, 'The channel'), ...signedIn },
  }),
  setNotificationChannel: defineOperation('setNotificationChannel', {
    summary: 'Choose how notices reach the signed-in person: SMS or Zalo',
    description:
      'With `zalo`, notices go as Zalo ZNS template messages; when Zalo cannot deliver one (no Zalo account, blocked, quota), it goes by SMS instead, once.',
    request: { json: NotificationChannelBody },
    responses: {
      200: jsonResponse(NotificationChannel, 'Stored'),
      400: errorResponse('Invalid (unknown field, or a channel other than sms or zalo)'),
      ...signedIn,
    },
  }),
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
