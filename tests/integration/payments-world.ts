/**
 * Shared pieces of the payment SDK's integration tests: a real SDK over the test file's
 * DynamoDB Local table, a fresh table on demand, raw reads of the table, and error matching.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { createDb, db } from '../../shared/db/client.ts';
import { config } from '../../shared/services.ts';
import { recompose } from '../../infra/local/services.ts';
import { createTable } from '../../shared/db/create-table.ts';
import {
  createCodProvider,
  createPayments,
  createVietQrProvider,
  PaymentError,
  type PaymentsOptions,
  type VietQrConfig,
} from '../../shared/payments/index.ts';
import { allShardKeys } from '../../shared/db/shards.ts';
import { OUTBOX_PARTITION } from '../../shared/db/outbox.ts';
import { EVENTS_PARTITION } from '../../shared/db/payment-events.ts';
import type { PaymentEvent } from '../../shared/payments/types.ts';

export const vietQrConfig: VietQrConfig = {
  bankBin: '970436',
  accountNumber: '0123456789',
  accountName: 'HTX CHE TAN CUONG',
  notificationSecret: 'bank-notify-secret',
};

/** The SDK with COD and VietQR, as the exchange runs it. */
export function makePayments(extra: Partial<PaymentsOptions> = {}) {
  return createPayments({
    providers: { cod: createCodProvider(), vietqr: createVietQrProvider(vietQrConfig) },
    ...extra,
  });
}

/** Points the process-wide client at a new, empty table (for tests that need a clean outbox). */
export async function useFreshTable(): Promise<string> {
  const tableName = `test-${randomUUID()}`;
  const next = createDb({ ...config(), dynamodbEndpoint: inject('dynamodbEndpoint'), tableName });
  await createTable(next.raw, tableName);
  recompose({ db: next, config: { ...config(), tableName } });
  return tableName;
}

export async function queryPartition(pk: string): Promise<Record<string, unknown>[]> {
  const { doc, tableName } = db();
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Every item of every shard of a sharded partition (db/shards.ts), in sort-key order. */
export async function queryShards(base: string): Promise<Record<string, unknown>[]> {
  const shards = await Promise.all(allShardKeys(base).map((pk) => queryPartition(pk)));
  return shards
    .flat()
    .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0));
}

/** Every item of the table (small tables only), to prove that something wrote nothing. */
export async function scanAll(): Promise<Record<string, unknown>[]> {
  const { doc, tableName } = db();
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The event log as stored, oldest first. */
export async function storedEvents(): Promise<PaymentEvent[]> {
  return (await queryShards(EVENTS_PARTITION)).map(
    (item) => JSON.parse(item.payload as string) as PaymentEvent,
  );
}

export async function outboxItems(): Promise<Record<string, unknown>[]> {
  return queryShards(OUTBOX_PARTITION);
}

/** Event types emitted for one object, oldest first. */
export async function eventTypesFor(objectId: string): Promise<string[]> {
  return (await storedEvents())
    .filter((event) => event.data.object.id === objectId)
    .map((event) => event.type);
}

/** Awaits `promise` and checks it failed with a `PaymentError` carrying these fields. */
export async function expectPaymentError(
  promise: Promise<unknown>,
  fields: { type?: string; code?: string; statusCode?: number; param?: string },
): Promise<PaymentError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a PaymentError').toBeInstanceOf(PaymentError);
  expect(caught).toMatchObject(fields);
  return caught as PaymentError;
}

export function fulfilled<T>(results: PromiseSettledResult<T>[]): T[] {
  return results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value);
}

export function rejected<T>(results: PromiseSettledResult<T>[]): unknown[] {
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
}
