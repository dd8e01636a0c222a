/**
 * What the channel router (shared/messaging/router.ts) has sent, per message key and channel:
 *   SENT#<key> / CHANNEL#<sms|zalo>   sent_message   state sending | sent | failed, TTL 7 days
 * The claim is a conditional put, so of two sends of the same message only one may send on a
 * channel; the protocol around it is described in router.ts.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { deleteItem, getConsistent, isConditionFailure, putIfAbsent } from './item-access.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

export type SendChannel = 'sms' | 'zalo';
export type SendState = 'sending' | 'sent' | 'failed';

const KEEP_SECONDS = 7 * 24 * 3600;
const pk = (key: string) => `SENT#${key}`;
const itemKey = (key: string, channel: SendChannel) => ({ pk: pk(key), sk: `CHANNEL#${channel}` });

export type ClaimResult = 'claimed' | SendState;

export const sentMessages = {
  /** The state of each channel that has a record for this message. */
  async states(key: string): Promise<Partial<Record<SendChannel, SendState>>> {
    const { doc, tableName } = db();
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk(key) },
        ConsistentRead: true,
      }),
    );
    return Object.fromEntries(
      Items.map((item) => [String(item.sk).replace('CHANNEL#', ''), item.state as SendState]),
    );
  },

  /**
   * Claims the channel for one send: 'claimed' when this caller may send. A claim left in
   * `sending` for longer than `staleAfterMs` (its sender died between sending and recording) is
   * taken over, once per taker: the state returned otherwise.
   */
  async claim(key: string, channel: SendChannel, now: Date, staleAfterMs: number): Promise<ClaimResult> {
    const item = {
      ...itemKey(key, channel),
      type: 'sent_message',
      state: 'sending',
      claimedAt: now.getTime(),
      expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
    };
    if (await putIfAbsent(item)) return 'claimed';
    const { doc, tableName } = db();
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: '#state = :sending AND claimedAt < :stale',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':stale': now.getTime() - staleAfterMs },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const found = await getConsistent(itemKey(key, channel));
    return (found?.state as SendState | undefined) ?? 'sending';
  },

  /** The claimed send went out (`detail`: the provider's message id). */
  async markSent(key: string, channel: SendChannel, detail?: string): Promise<void> {
    await setState(key, channel, 'sent', detail);
  },

  /** The claimed send was refused for good (`detail`: why); the message may go by another channel. */
  async markFailed(key: string, channel: SendChannel, detail: string): Promise<void> {
    await setState(key, channel, 'failed', detail);
  },

  /** Gives a claim back after a send that certainly did not go out, so a retry may send. */
  async release(key: string, channel: SendChannel): Promise<void> {
    await deleteItem(itemKey(key, channel));
  },
};

async function setState(key: string, channel: SendChannel, state: SendState, detail?: string) {
  const { doc, tableName } = db();
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: itemKey(key, channel),
      UpdateExpression: 'SET #state = :state, detail = :detail',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state, ':detail': detail ?? '' },
    }),
  );
}
