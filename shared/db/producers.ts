import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Producer } from '../domain/producer.ts';
import { db } from './client.ts';
import {
  CATALOG_SHARD_KEYS,
  catalogEntry,
  concurrentChange,
  findByPublicId,
  fromItem,
  keys,
  queryAll,
  slugGuard,
  uniqueSlugError,
  type TransactItem,
} from './items.ts';

/** The item for a producer: its slug in byPublicId, its membership in byOwner, all in catalog. */
export function producerItem(producer: Producer): Record<string, unknown> {
  const membership = producer.membership;
  return {
    ...keys.producer(producer.id),
    type: 'producer',
    ...producer,
    publicId: keys.publicId.producer(producer.slug),
    publicIdKind: 'producer',
    ...(membership
      ? {
          ownerKey: `COOP#${membership.cooperativeId}`,
          ownerSort: `MEMBER#${membership.status}#${producer.id}`,
        }
      : {}),
    ...catalogEntry('producer', producer.id, producer.id),
  };
}

export const producers = {
  /**
   * Validates and writes a new producer; its slug is claimed in the same transaction, with any
   * other writes that must go with it (the account link, the audit entry).
   */
  async create(input: Producer, alsoWrite: TransactItem[] = []): Promise<Producer> {
    const producer = Producer.parse(input);
    const { doc, tableName } = db();
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: slugGuard(tableName, 'producer', producer.slug, producer.id) },
            {
              Put: {
                TableName: tableName,
                Item: producerItem(producer),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...alsoWrite,
          ],
        }),
      )
      .catch(uniqueSlugError('producer', producer.slug));
    return producer;
  },

  /**
   * Saves a changed producer if nobody changed it since `previous` was read (optimistic lock),
   * together with the writes that go with the change.
   */
  async save(next: Producer, previous: Producer, alsoWrite: TransactItem[] = []): Promise<Producer> {
    const producer = Producer.parse(next);
    const { doc, tableName } = db();
    await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: producerItem(producer),
                ConditionExpression: 'updatedAt = :previous',
                ExpressionAttributeValues: { ':previous': previous.updatedAt },
              },
            },
            ...alsoWrite,
          ],
        }),
      )
      .catch(concurrentChange('producer'));
    return producer;
  },

  async get(id: string): Promise<Producer | undefined> {
    const { doc, tableName } = db();
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.producer(id) }));
    return Item ? fromItem<Producer>(Item) : undefined;
  },

  getBySlug(slug: string): Promise<Producer | undefined> {
    return findByPublicId<Producer>(keys.publicId.producer(slug));
  },

  /**
   * Every producer, whatever its status (they all sit in the catalog index). Reads every catalog
   * shard, filtered to producers: an admin's occasional list, not a shopper's path.
   */
  async listAll(): Promise<Producer[]> {
    const shards = await Promise.all(
      CATALOG_SHARD_KEYS.map((shard) =>
        queryAll({
          IndexName: 'catalog',
          KeyConditionExpression: 'catalogKey = :c',
          FilterExpression: '#type = :producer',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':c': shard, ':producer': 'producer' },
        }),
      ),
    );
    return shards.flat().map((item) => fromItem<Producer>(item));
  },

  /** A cooperative's member households with the given membership status. */
  async listMembers(
    cooperativeId: string,
    status: 'requested' | 'approved' | 'rejected' = 'approved',
  ): Promise<Producer[]> {
    const { doc, tableName } = db();
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byOwner',
        KeyConditionExpression: 'ownerKey = :coop AND begins_with(ownerSort, :status)',
        ExpressionAttributeValues: { ':coop': `COOP#${cooperativeId}`, ':status': `MEMBER#${status}#` },
      }),
    );
    return Items.map((item) => fromItem<Producer>(item));
  },
};
