/**
 * Counts, per partition key, the item writes a DynamoDB client sends: for every Put, Update or
 * Delete (alone, in a TransactWriteItems or in a BatchWriteItem) the table's `pk`, and the
 * partition key of every GSI the written item is on: the GSI key attributes a Put carries or an
 * Update sets, plus those the item already had (known from `remember`, a scan, or an earlier Put
 * seen by the counter). Read at the `build` step, after the document client has marshalled, so
 * each logical write counts once however often the SDK retries it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../shared/db/table.ts';

type Attr = { S?: string } | string | undefined;
const text = (value: Attr): string | undefined =>
  typeof value === 'string' ? value : value && typeof value === 'object' ? value.S : undefined;

export interface WriteCount {
  /** Item writes (each Put, Update, Delete once). */
  total: number;
  /** Writes per partition: `table:<pk>` or `<index>:<key>`. */
  byKey: Map<string, number>;
}

export interface WriteCounter extends WriteCount {
  /** Records the GSI keys an existing item carries (e.g. from a scan), for later Updates. */
  remember(item: Record<string, unknown>): void;
  reset(): void;
  stop(): void;
  /** The hottest keys, largest share first. */
  top(n: number): { key: string; writes: number; share: number }[];
}

const INDEX_KEYS = TABLE.indexes.map((index) => ({ index: index.name, attribute: index.partitionKey }));

export function countWrites(client: DynamoDBClient): WriteCounter {
  const known = new Map<string, Map<string, string>>();
  const itemId = (key: Record<string, Attr>) => `${text(key.pk)}|${text(key.sk)}`;
  const counter: WriteCounter = {
    total: 0,
    byKey: new Map(),
    remember(item) {
      const gsi = new Map<string, string>();
      for (const { index, attribute } of INDEX_KEYS) {
        const value = text(item[attribute] as Attr);
        if (value) gsi.set(index, value);
      }
      known.set(itemId(item as Record<string, Attr>), gsi);
    },
    reset() {
      counter.total = 0;
      counter.byKey.clear();
    },
    stop() {
      client.middlewareStack.remove(name);
    },
    top(n) {
      return [...counter.byKey.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([key, writes]) => ({ key, writes, share: writes / Math.max(1, counter.total) }));
    },
  };
  const bump = (key: string) => counter.byKey.set(key, (counter.byKey.get(key) ?? 0) + 1);

  const record = (write: Record<string, unknown>, kind: 'Put' | 'Update' | 'Delete') => {
    const item = (kind === 'Put' ? write.Item : write.Key) as Record<string, Attr>;
    counter.total += 1;
    bump(`table:${text(item.pk)}`);
    const id = itemId(item);
    const gsi = new Map(known.get(id) ?? []);
    if (kind === 'Put') {
      gsi.clear();
      for (const { index, attribute } of INDEX_KEYS) {
        const value = text(item[attribute]);
        if (value) gsi.set(index, value);
      }
      known.set(id, new Map(gsi));
    }
    if (kind === 'Update') {
      const expression = String(write.UpdateExpression ?? '');
      const names = (write.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const values = (write.ExpressionAttributeValues ?? {}) as Record<string, Attr>;
      for (const match of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
        const attribute = names[match[1]!] ?? match[1]!;
        const index = INDEX_KEYS.find((k) => k.attribute === attribute)?.index;
        const value = text(values[match[2]!]);
        if (index && value) gsi.set(index, value);
      }
      known.set(id, new Map(gsi));
    }
    // Leaving an index (REMOVE of its key, or a Delete) is a write to that index partition too.
    for (const [index, value] of gsi) bump(`${index}:${value}`);
    if (kind === 'Delete') known.delete(id);
    const removed = /REMOVE\s+([^]*?)(?:\s+(?:SET|ADD|DELETE)\s|$)/.exec(
      String(write.UpdateExpression ?? ''),
    );
    if (kind === 'Update' && removed) {
      const names = (write.ExpressionAttributeNames ?? {}) as Record<string, string>;
      for (const raw of removed[1]!.split(',').map((part) => part.trim())) {
        const index = INDEX_KEYS.find((k) => k.attribute === (names[raw] ?? raw))?.index;
        if (index) known.get(id)?.delete(index);
      }
    }
  };

  const name = `countWrites${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      switch (context.commandName) {
        case 'PutItemCommand':
          record(input, 'Put');
          break;
        case 'UpdateItemCommand':
          record(input, 'Update');
          break;
        case 'DeleteItemCommand':
          record(input, 'Delete');
          break;
        case 'TransactWriteItemsCommand':
          for (const entry of (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]) {
            if (entry.Put) record(entry.Put, 'Put');
            if (entry.Update) record(entry.Update, 'Update');
            if (entry.Delete) record(entry.Delete, 'Delete');
          }
          break;
        case 'BatchWriteItemCommand':
          for (const requests of Object.values(
            (input.RequestItems ?? {}) as Record<string, Record<string, Record<string, unknown>>[]>,
          )) {
            for (const request of requests) {
              if (request.PutRequest) record(request.PutRequest, 'Put');
              if (request.DeleteRequest) record(request.DeleteRequest, 'Delete');
            }
          }
          break;
      }
      return next(args);
    },
    { step: 'build', name },
  );
  return counter;
}
