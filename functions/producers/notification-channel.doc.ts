/**
 * What the notification channel's operations answer (functions/producers/notification-channel.ts),
 * for the OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { notificationChannelOperations } from './notification-channel.ts';

const NotificationChannel = z
  .object({
    channel: z.enum(['sms', 'zalo']),
    phone: z.string().meta({ description: 'The phone (E.164) notices go to' }),
  })
  .meta({ id: 'NotificationChannel' });

const signedIn = { 401: errorResponse('Not signed in, or the token is invalid') };

export const notificationChannelOperationsDocs: OperationDocsOf<typeof notificationChannelOperations> = {
  getNotificationChannel: {
    summary: "The signed-in person's channel for notices (sms by default)",
    responses: { 200: jsonResponse(NotificationChannel, 'The channel'), ...signedIn },
  },
  setNotificationChannel: {
    summary: 'Choose how notices reach the signed-in person: SMS or Zalo',
    description:
      'With `zalo`, notices go as Zalo ZNS template messages; when Zalo cannot deliver one (no Zalo account, blocked, quota), it goes by SMS instead, once.',
    responses: {
      200: jsonResponse(NotificationChannel, 'Stored'),
      400: errorResponse('Invalid (unknown field, or a channel other than sms or zalo)'),
      ...signedIn,
    },
  },
};
