/**
 * Consumer-side dedupe: webhooks are delivered at least once, so a receiver claims each event
 * id with a conditional put before acting on it. If acting fails, `releaseEvent` lets the
 * sender's retry be processed.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../db/client.ts';
import { DAY_SECONDS, paymentKeys } from './keys.ts';

/** True the first time `eventId` is claimed in `scope`; false for a duplicate delivery. */
export async function claimEvent(eventId: string, scope = 'default', now = new Date()): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        // Stripe retries for up to 3 days; keep ids a little longer than that.
        Item: {
          ...paymentKeys.webhookSeen(scope, eventId),
          type: 'webhook_seen',
          expiresAt: Math.floor(now.getTime() / 1000) + 7 * DAY_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function releaseEvent(eventId: string, scope = 'default'): Promise<void> {
  const { doc, tableName } = db();
  await doc.send(new DeleteCommand({ TableName: tableName, Key: paymentKeys.webhookSeen(scope, eventId) }));
}
