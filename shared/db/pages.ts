/**
 * One page of a list that lives in one or more partitions of the table or of an index, in sort-key
 * order. The position of a page is the sort key of its last item (every list here has sort keys
 * that end in the item's id, so they are unique), which the API seals into an opaque cursor
 * (domain/cursor.ts). Several partitions (a cooperative's listings and its members', two review
 * queues) are merged: each gives at most `limit + 1` items past the position in one Query, and
 * the first `limit` of the merge make the page, so a page costs one read per partition.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { keys } from './items.ts';

/** One partition of a list: its key and the sort-key prefix of the list's items in it. */
export interface ListPartition {
  /** Undefined for the table itself. */
  index?: string;
  partitionKey: string;
  partitionValue: string;
  sortKey: string;
  /** Only items whose sort key starts with this; empty for the whole partition. */
  sortPrefix: string;
}

export interface PageRequest {
  limit: number;
  /** The sort key of the previous page's last item. */
  after?: string;
  /** Newest (highest sort key) first. */
  descending: boolean;
}

export interface Page {
  items: Record<string, unknown>[];
  /** The sort key of this page's last item when more follow, else null. */
  next: string | null;
}

async function partitionPage(part: ListPartition, request: PageRequest): Promise<Record<string, unknown>[]> {
  const { doc, tableName } = db();
  const values: Record<string, unknown> = { ':k': part.partitionValue };
  let sortCondition = '';
  const upper = `${part.sortPrefix}\uffff`;
  if (request.after !== undefined) {
    values[':after'] = request.after;
    if (request.descending) {
      if (part.sortPrefix) {
        values[':lo'] = part.sortPrefix;
        sortCondition = ' AND #s BETWEEN :lo AND :after';
      } else sortCondition = ' AND #s < :after';
    } else {
      if (part.sortPrefix) {
        values[':hi'] = upper;
        sortCondition = ' AND #s BETWEEN :after AND :hi';
      } else sortCondition = ' AND #s > :after';
    }
  } else if (part.sortPrefix) {
    values[':prefix'] = part.sortPrefix;
    sortCondition = ' AND begins_with(#s, :prefix)';
  }
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      ...(part.index ? { IndexName: part.index } : {}),
      KeyConditionExpression: `#k = :k${sortCondition}`,
      ExpressionAttributeNames: { '#k': part.partitionKey, ...(sortCondition ? { '#s': part.sortKey } : {}) },
      ExpressionAttributeValues: values,
      ScanIndexForward: !request.descending,
      // BETWEEN is inclusive: one more, in case the position's own item comes back.
      Limit: request.limit + 2,
    }),
  );
  return Items.filter((item) => item[part.sortKey] !== request.after);
}

/** One page of the list made of `parts`, after `request.after`. */
export async function listPage(parts: readonly ListPartition[], request: PageRequest): Promise<Page> {
  if (parts.length === 0) return { items: [], next: null };
  const sortKey = parts[0]!.sortKey;
  const found = (await Promise.all(parts.map((part) => partitionPage(part, request)))).flat();
  const order = request.descending ? -1 : 1;
  found.sort((a, b) => (String(a[sortKey]) < String(b[sortKey]) ? -order : order));
  const items = found.slice(0, request.limit);
  const more = found.length > request.limit;
  return { items, next: more ? String(items.at(-1)![sortKey]) : null };
}

/** How many items of a list's partition match `filter` (a FilterExpression on named attributes). */
export async function countInPartition(
  part: ListPartition,
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
): Promise<number> {
  const { doc, tableName } = db();
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        ...(part.index ? { IndexName: part.index } : {}),
        KeyConditionExpression: `#k = :k${part.sortPrefix ? ' AND begins_with(#s, :prefix)' : ''}`,
        ExpressionAttributeNames: {
          '#k': part.partitionKey,
          ...(part.sortPrefix ? { '#s': part.sortKey } : {}),
          ...filter?.names,
        },
        ExpressionAttributeValues: {
          ':k': part.partitionValue,
          ...(part.sortPrefix ? { ':prefix': part.sortPrefix } : {}),
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        Select: 'COUNT',
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** A seller's listings on the byOwner index, newest first by creation. */
export const sellerListings = (sellerId: string): ListPartition => ({
  index: 'byOwner',
  partitionKey: 'ownerKey',
  partitionValue: `PRODUCER#${sellerId}`,
  sortKey: 'ownerSort',
  sortPrefix: 'PRODUCT#',
});

/** A seller's listings that are not archived: what the per-seller listing cap counts. */
export function countLiveListings(sellerId: string): Promise<number> {
  return countInPartition(sellerListings(sellerId), {
    expression: '#status <> :archived',
    names: { '#status': 'status' },
    values: { ':archived': 'archived' },
  });
}

/** A review queue (REVIEW_QUEUES), oldest first by submission. */
export const reviewQueue = (queue: string): ListPartition => ({
  index: 'reviewQueue',
  partitionKey: 'reviewKey',
  partitionValue: queue,
  sortKey: 'reviewSort',
  sortPrefix: '',
});

/** A listing's stock changes, kept beside the product. */
export const stockChanges = (productId: string): ListPartition => ({
  partitionKey: 'pk',
  partitionValue: keys.product(productId).pk,
  sortKey: 'sk',
  sortPrefix: 'STOCK#',
});

/** A cooperative's households with one membership status, on the byOwner index. */
export const cooperativeMembers = (
  cooperativeId: string,
  status: 'requested' | 'approved' | 'rejected',
): ListPartition => ({
  index: 'byOwner',
  partitionKey: 'ownerKey',
  partitionValue: `COOP#${cooperativeId}`,
  sortKey: 'ownerSort',
  sortPrefix: `MEMBER#${status}#`,
});
