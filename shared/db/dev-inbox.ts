import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Messenger, OutgoingMessage } from '../messaging/messenger.ts';
import { db } from './client.ts';
import { newId } from './items.ts';

export interface InboxMessage extends OutgoingMessage {
  id: string;
  sentAt: string;
  /** Which channel carried it: SMS (the inbox as SMS gateway) or Zalo (the ZNS emulator's deliveries). */
  channel: 'sms' | 'zalo';
}

const PARTITION = 'DEVINBOX';
const KEEP_SECONDS = 7 * 24 * 3600;

/** The local runtime's stand-in for SMS/Zalo: messages kept in the table for a week. */
export const devInbox: Messenger & {
  list(limit?: number): Promise<InboxMessage[]>;
  record(message: OutgoingMessage, channel: InboxMessage['channel']): Promise<void>;
} = {
  /** As the SMS gateway. */
  async send(message) {
    await devInbox.record(message, 'sms');
  },

  /** A message delivered on `channel` (the Zalo emulator records what it delivers here). */
  async record(message, channel) {
    const sentAt = new Date().toISOString();
    const { doc, tableName } = db();
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: PARTITION,
          sk: `${sentAt}#${newId()}`,
          type: 'message',
          to: message.to,
          kind: message.kind,
          text: message.text,
          ...(message.template ? { template: message.template } : {}),
          channel,
          sentAt,
          expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS,
        },
      }),
    );
  },

  /** Newest first. */
  async list(limit = 50) {
    const { doc, tableName } = db();
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :inbox',
        ExpressionAttributeValues: { ':inbox': PARTITION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({
      id: String(item.sk),
      to: String(item.to),
      kind: item.kind as InboxMessage['kind'],
      text: String(item.text),
      ...(item.template ? { template: item.template as InboxMessage['template'] } : {}),
      sentAt: String(item.sentAt),
      // Messages kept from before channels were recorded went by SMS.
      channel: item.channel === 'zalo' ? 'zalo' : 'sms',
    }));
  },
};
