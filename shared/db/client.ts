import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dbConfig, type DbConfig } from '../config.ts';
import { instrumentClient } from '../observability/clients.ts';

export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/** A document client for the table; DynamoDB Local gets static dummy credentials. */
export function createDb(config: DbConfig = dbConfig()): Db {
  const raw = instrumentClient(
    new DynamoDBClient({
      region: config.region,
      ...(config.endpoint
        ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    }),
  );
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, raw, tableName: config.tableName };
}

let shared: Db | undefined;

/** The process-wide client, built on first use so that configuration is read once. */
export function db(): Db {
  shared ??= createDb();
  return shared;
}

/** For tests and the local runtime: replace the process-wide client. */
export function setDb(next: Db): void {
  shared = next;
}
