/**
 * Text messages in AWS: SMS through Amazon SNS (`Publish` straight to a phone number, no topic).
 * Transactional, so SNS routes them for delivery over cost; the sender id shows where the
 * destination allows one. The account-level monthly spend limit is set by the CDK app
 * (infra/constructs/sms.ts): past it, SNS stops sending and `Publish` fails, which
 * the callers already treat as a message not sent.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Messenger, OutgoingMessage } from '../../shared/messaging/messenger.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';
import { toE164 as vietnameseE164 } from '../../shared/domain/phone.ts';

export interface SnsMessengerOptions {
  client?: Pick<SNSClient, 'send'>;
  /** Alphanumeric sender id (SMS_SENDER_ID), 1–11 characters. */
  senderId?: string;
}

/** The phone as E.164 (+84…), as the domain stores it (shared/domain/phone.ts); throws otherwise. */
export function toE164(phone: string): string {
  const e164 = vietnameseE164(phone);
  if (!e164) throw new Error('Not a phone number SMS can be sent to');
  return e164;
}

export function createSnsMessenger(options: SnsMessengerOptions = {}): Messenger {
  const client = options.client ?? instrumentClient(new SNSClient({}));
  return {
    async send(message: OutgoingMessage) {
      await client.send(
        new PublishCommand({
          PhoneNumber: toE164(message.to),
          Message: message.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(options.senderId
              ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } }
              : {}),
          },
        }),
      );
    },
  };
}
