import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Group } from '../auth/tokens.ts';
import { db } from './client.ts';
import { fromItem } from './items.ts';

/**
 * A signed-in person: their identity (`sub`, from Cognito or the local issuer), phone, groups and
 * the producer they act for. Authorization reads this record on each request, so a decision
 * (a cooperative verified, a member approved) takes effect at once, without a new token.
 */
export interface Account {
  sub: string;
  phone: string;
  groups: Group[];
  producerId?: string;
  createdAt: string;
}

const accountKey = (sub: string) => ({ pk: `ACCOUNT#${sub}`, sk: 'ACCOUNT' });
const phoneKey = (phone: string) => ({ pk: `PHONE#${phone}`, sk: 'ACCOUNT' });

/**
 * The Update that links an account to the producer it just signed up (once: an account that
 * has a producer already fails the condition), adding its groups; for the sign-up transaction.
 */
export function linkAccountToProducer(sub: string, producerId: string, groups: string[]) {
  return {
    Update: {
      TableName: db().tableName,
      Key: accountKey(sub),
      UpdateExpression: 'SET producerId = :producer, #groups = list_append(#groups, :groups)',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(producerId)',
      ExpressionAttributeNames: { '#groups': 'groups' },
      ExpressionAttributeValues: { ':producer': producerId, ':groups': groups },
    },
  };
}

export const accounts = {
  async get(sub: string): Promise<Account | undefined> {
    const { doc, tableName } = db();
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: accountKey(sub) }));
    return Item ? fromItem<Account>(Item) : undefined;
  },

  async findByPhone(phone: string): Promise<Account | undefined> {
    const { doc, tableName } = db();
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: phoneKey(phone) }));
    return Item ? this.get(String(Item.sub)) : undefined;
  },

  /** Creates the account and claims its phone in one transaction; an existing phone wins. */
  async create(account: Account): Promise<Account> {
    const { doc, tableName } = db();
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...phoneKey(account.phone), type: 'phone', sub: account.sub },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...accountKey(account.sub), type: 'account', ...account },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return account;
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      const existing = await this.findByPhone(account.phone);
      if (!existing) throw error;
      return existing;
    }
  },

  /** Links the account to the producer it acts for and adds groups. */
  async linkProducer(sub: string, producerId: string, groups: Group[]): Promise<void> {
    const { doc, tableName } = db();
    const current = await this.get(sub);
    const merged = [...new Set([...(current?.groups ?? []), ...groups])];
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: accountKey(sub),
        UpdateExpression: 'SET producerId = :producer, #groups = :groups',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(producerId)',
        ExpressionAttributeNames: { '#groups': 'groups' },
        ExpressionAttributeValues: { ':producer': producerId, ':groups': merged },
      }),
    );
  },

  async addGroup(sub: string, group: Group): Promise<void> {
    const current = await this.get(sub);
    if (!current || current.groups.includes(group)) return;
    const { doc, tableName } = db();
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: accountKey(sub),
        UpdateExpression: 'SET #groups = :groups',
        ExpressionAttributeNames: { '#groups': 'groups' },
        ExpressionAttributeValues: { ':groups': [...current.groups, group] },
      }),
    );
  },
};
