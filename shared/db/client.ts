import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DB_TIMEOUT_DEFAULTS, type Config } from '../config.ts';
import { instrumentClient } from '../observability/clients.ts';
import { services } from '../services.ts';

export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/** What the table client is built from: a slice of the validated configuration (shared/config.ts). */
export type DbConfig = Pick<Config, 'tableName' | 'region' | 'dynamodbEndpoint'> &
  Partial<Pick<Config, 'dynamodbTimeouts'>>;

/**
 * A document client for the table; DynamoDB Local gets static dummy credentials. Every call is
 * bounded (DB_TIMEOUT_DEFAULTS, or the configured timeouts): a stalled or stopped store fails the
 * call within seconds with a `TimeoutError` or a network error, which the API answers 503
 * (isStoreUnavailable).
 */
export function createDb(config: DbConfig): Db {
  const timeouts = config.dynamodbTimeouts ?? {};
  const raw = instrumentClient(
    new DynamoDBClient({
      region: config.region,
      maxAttempts: timeouts.maxAttempts ?? DB_TIMEOUT_DEFAULTS.maxAttempts,
      // The Node HTTP handler's options (the SDK builds the handler from them).
      requestHandler: {
        connectionTimeout:
          timeouts.connectTimeoutMs ??
          (config.dynamodbEndpoint
            ? DB_TIMEOUT_DEFAULTS.localConnectTimeoutMs
            : DB_TIMEOUT_DEFAULTS.connectTimeoutMs),
        requestTimeout:
          timeouts.requestTimeoutMs ??
          (config.dynamodbEndpoint
            ? DB_TIMEOUT_DEFAULTS.localRequestTimeoutMs
            : DB_TIMEOUT_DEFAULTS.requestTimeoutMs),
        throwOnRequestTimeout: true,
      },
      ...(config.dynamodbEndpoint
        ? {
            endpoint: config.dynamodbEndpoint,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {}),
    }),
  );
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, raw, tableName: config.tableName };
}

/** The process's table client, from the services its composition root installed (shared/services.ts). */
export function db(): Db {
  return services().db;
}
