import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';
import { services } from '../services.ts';

export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/** What the table client is built from: a slice of the validated configuration (shared/config.ts). */
export type DbConfig = Pick<Config, 'tableName' | 'region' | 'dynamodbEndpoint'>;

/** A document client for the table; DynamoDB Local gets static dummy credentials. */
export function createDb(config: DbConfig): Db {
  const raw = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint
      ? {
          endpoint: config.dynamodbEndpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, raw, tableName: config.tableName };
}

/** The process's table client, from the services its composition root installed (shared/services.ts). */
export function db(): Db {
  return services().db;
}
