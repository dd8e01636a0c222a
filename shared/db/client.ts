import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DB_TIMEOUT_DEFAULTS, dbConfig, type DbConfig } from '../config.ts';

export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/**
 * A document client for the table; DynamoDB Local gets static dummy credentials. Every call is
 * bounded (DbConfig timeouts): a stalled or stopped store fails the call within seconds with a
 * `TimeoutError` or a network error, which the API answers 503 (isStoreUnavailable).
 */
export function createDb(config: DbConfig = dbConfig()): Db {
  const raw = new DynamoDBClient({
    region: config.region,
    maxAttempts: config.maxAttempts ?? DB_TIMEOUT_DEFAULTS.maxAttempts,
    // The Node HTTP handler's options (the SDK builds the handler from them).
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs ?? DB_TIMEOUT_DEFAULTS.connectTimeoutMs,
      requestTimeout:
        config.requestTimeoutMs ??
        (config.endpoint ? DB_TIMEOUT_DEFAULTS.localRequestTimeoutMs : DB_TIMEOUT_DEFAULTS.requestTimeoutMs),
      throwOnRequestTimeout: true,
    },
    ...(config.endpoint
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
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
