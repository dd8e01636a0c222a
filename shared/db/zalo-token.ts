/**
 * The Zalo Official Account's tokens, one item shared by every Lambda container:
 *   ZALO#OA / TOKEN   zalo_token   accessToken, accessExpiresAt (ms), refreshToken, version
 * Zalo rotates the refresh token on every refresh (the old one stops working), so the newest one
 * must be kept where every container finds it: a container that refreshed with a token another
 * one had already used would fail. Writes are conditional on `version`, so of two containers
 * refreshing at once only one record wins and the other adopts it (shared/messaging/zalo.ts).
 */
import { isConditionFailure, getConsistent, putItem } from './item-access.ts';
import { db } from './client.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

export interface StoredZaloToken {
  accessToken: string;
  /** Unix milliseconds. */
  accessExpiresAt: number;
  refreshToken: string;
  /** Increases with every write; 0 before the first. */
  version: number;
}

const KEY = { pk: 'ZALO#OA', sk: 'TOKEN' };

export const zaloTokens = {
  async get(): Promise<StoredZaloToken | undefined> {
    const item = await getConsistent(KEY);
    if (!item) return undefined;
    return {
      accessToken: String(item.accessToken),
      accessExpiresAt: Number(item.accessExpiresAt),
      refreshToken: String(item.refreshToken),
      version: Number(item.version),
    };
  },

  /**
   * Stores `next` (its version one more than `previousVersion`) unless another writer stored a
   * newer record since `previousVersion` was read: false then.
   */
  async replace(next: Omit<StoredZaloToken, 'version'>, previousVersion: number): Promise<boolean> {
    const { doc, tableName } = db();
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...KEY, type: 'zalo_token', ...next, version: previousVersion + 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :previous',
          ExpressionAttributeValues: { ':previous': previousVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  /** Tests and operators: forget the tokens (the next send starts from the configured refresh token). */
  async clear(): Promise<void> {
    await putItem({
      ...KEY,
      type: 'zalo_token',
      accessToken: '',
      accessExpiresAt: 0,
      refreshToken: '',
      version: 0,
    });
  },
};
