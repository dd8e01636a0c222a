import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Messenger, OutgoingMessage } from '../messaging/messenger.ts';
import { db } from './client.ts';
import { newId } from './items.ts';

export interface InboxMessage extends OutgoingMessage {
  id: string;
  sentAt: string;
}

const PARTITION = 'DEVINBOX';
const KEEP_SECONDS = 7 * 24 * 3600;

/** The local runtime's stand-in for SMS/Zalo: messages kept in the table for a week. */
export const devInbox: Messenger & { list(limit?: number): Promise<InboxMessage[]> } = {
  async send(message) {
    const sentAt = new Date().toISOString();
    const { doc, tableName } = db();
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: PARTITION,
          sk: `${sentAt}#${newId()}`,
          type: 'message',
          ...message,
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
      sentAt: String(item.sentAt),
    }));
  },
};
