/** Single-item reads and writes shared by the storage files (one place for their error names). */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';

/** True when a single write was refused by its condition (not for a cancelled transaction). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** An item by its key, read consistently (after a write of the same request). */
export async function getConsistent(key: {
  pk: string;
  sk: string;
}): Promise<Record<string, unknown> | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item;
}

/** An item by its key, eventually consistent (half the read units): for what changes rarely, by hand. */
export async function getEventual(key: {
  pk: string;
  sk: string;
}): Promise<Record<string, unknown> | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key }));
  return Item;
}

/** Writes `item` unless its key exists already: false when it does. */
export async function putIfAbsent(
  item: Record<string, unknown> & { pk: string; sk: string },
): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Writes `item`, replacing whatever the key holds. */
export async function putItem(item: Record<string, unknown> & { pk: string; sk: string }): Promise<void> {
  const { doc, tableName } = db();
  await doc.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** Deletes an item by its key (nothing when it is gone already). */
export async function deleteItem(key: { pk: string; sk: string }): Promise<void> {
  const { doc, tableName } = db();
  await doc.send(new DeleteCommand({ TableName: tableName, Key: key }));
}
