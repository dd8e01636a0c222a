import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';

/**
 * Fixed-window counters in the table. `hit` adds one and answers whether the caller is still
 * within `limit` for the current window. Items carry a TTL; expiry is also checked by the window
 * key itself, so it holds on DynamoDB Local (which never deletes expired items).
 */
export async function hit(
  scope: string,
  limit: number,
  windowSeconds: number,
  now = Date.now(),
): Promise<boolean> {
  const window = Math.floor(now / 1000 / windowSeconds);
  const { doc, tableName } = db();
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `RATE#${scope}`, sk: `W#${window}` },
        UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': (window + 2) * windowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
